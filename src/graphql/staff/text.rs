//! What the back office's API says before the domain does.

domain::catalogue! {
    /// What the back office's API says.
    pub enum Text {
        NotAuditedObjectId {
            en: "`objectId` is not the ID of an object the audit trail records",
            es: "`objectId` no es el ID de un objeto que registre la auditoría",
            pt: "`objectId` não é o ID de um objeto que a auditoria registra",
        }
        NotUserId {
            en: "`userId` is not a user ID",
            es: "`userId` no es un ID de usuario",
            pt: "`userId` não é um ID de usuário",
        }
    }
}
