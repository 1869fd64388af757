//! What the common content (plans, expense categories, contacts, tips) says.

crate::catalogue! {
    /// What the common content says.
    pub enum Text {
        OnlyAdmins {
            en: "Only the organization's ADMINs can change its content",
            es: "Solo los ADMIN de la organización pueden cambiar su contenido",
            pt: "Apenas os ADMINs da organização podem alterar o conteúdo dela",
        }
        CaseHasGroup {
            en: "This case already has a group: update it instead",
            es: "Este caso ya tiene un grupo: actualízalo en su lugar",
            pt: "Este caso já tem um grupo: atualize-o em vez disso",
        }
        GroupHasContacts(contacts) {
            en: "The group has {contacts} contact(s): delete or move them first",
            es: "El grupo tiene {contacts} contacto(s): elimínalos o muévelos primero",
            pt: "O grupo tem {contacts} contato(s): exclua-os ou mova-os primeiro",
        }
        CaseWithoutGroup {
            en: "This case has no group yet: create the group first",
            es: "Este caso todavía no tiene grupo: crea el grupo primero",
            pt: "Este caso ainda não tem grupo: crie o grupo primeiro",
        }
        SupportLineHasContact {
            en: "This support line already has a contact: update it instead",
            es: "Esta línea de soporte ya tiene un contacto: actualízalo en su lugar",
            pt: "Esta linha de suporte já tem um contato: atualize-o em vez disso",
        }
        ChannelCodeTaken {
            en: "Another channel already has this code",
            es: "Otro canal ya tiene este código",
            pt: "Outro canal já tem este código",
        }
        ExpenseCategoryCodeTaken {
            en: "Another expense category already has this code",
            es: "Otra categoría de gasto ya tiene este código",
            pt: "Outra categoria de despesa já tem este código",
        }
        PlanCodeTaken {
            en: "Another plan already has this code",
            es: "Otro plan ya tiene este código",
            pt: "Outro plano já tem este código",
        }
        PlanHasDrivers(drivers) {
            en: "{drivers} driver(s) are on this plan: move them to another plan first",
            es: "{drivers} conductor(es) están en este plan: pásalos a otro plan primero",
            pt: "{drivers} motorista(s) estão neste plano: mova-os para outro plano primeiro",
        }
        TipCategoryCodeTaken {
            en: "Another tip category already has this code",
            es: "Otra categoría de consejos ya tiene este código",
            pt: "Outra categoria de dicas já tem este código",
        }
        CategoryHasTips(tips) {
            en: "The category has {tips} tip(s): delete or move them first",
            es: "La categoría tiene {tips} consejo(s): elimínalos o muévelos primero",
            pt: "A categoria tem {tips} dica(s): exclua-as ou mova-as primeiro",
        }
        NoSuchTipCategory {
            en: "No tip category of your organization has this ID",
            es: "Ninguna categoría de consejos de tu organización tiene este ID",
            pt: "Nenhuma categoria de dicas da sua organização tem este ID",
        }
    }
}
