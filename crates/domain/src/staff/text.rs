//! What staff accounts say (and drivers' accounts, which share their rules).

crate::catalogue! {
    /// What staff accounts say.
    pub enum Text {
        StaffRole {
            en: "Staff are ADMINs or COLLECTORs; drivers are created as clients",
            es: "El personal es ADMIN o COLLECTOR; los conductores se crean como clientes",
            pt: "A equipe é ADMIN ou COLLECTOR; os motoristas são criados como clientes",
        }
        DocumentFormat {
            en: "A document has only letters and digits",
            es: "Un documento tiene solo letras y dígitos",
            pt: "Um documento tem apenas letras e dígitos",
        }
        DocumentTaken {
            en: "Someone of the organization already has this document",
            es: "Alguien de la organización ya tiene este documento",
            pt: "Alguém da organização já tem este documento",
        }
        SearchTooLong(max) {
            en: "`search` must have at most {max} characters",
            es: "`search` debe tener como máximo {max} caracteres",
            pt: "`search` deve ter no máximo {max} caracteres",
        }
        NoSuchStaffMember {
            en: "No such staff member",
            es: "No existe ese miembro del personal",
            pt: "Esse membro da equipe não existe",
        }
        LastAdmin {
            en: "This is the organization's last active ADMIN: make someone else ADMIN first",
            es: "Es el último ADMIN activo de la organización: haz ADMIN a otra persona primero",
            pt: "Este é o último ADMIN ativo da organização: torne outra pessoa ADMIN primeiro",
        }
        AccountDeactivated {
            en: "This account is deactivated: reactivate it first",
            es: "Esta cuenta está desactivada: reactívala primero",
            pt: "Esta conta está desativada: reative-a primeiro",
        }
    }
}
