//! What collections say.

crate::catalogue! {
    /// What collections (overdue invoices, car papers, statements of account) say.
    pub enum Text {
        DaysRange(max) {
            en: "`days` must be between 0 and {max}",
            es: "`days` debe estar entre 0 y {max}",
            pt: "`days` deve estar entre 0 e {max}",
        }
        SearchTooLong(max) {
            en: "`search` must have at most {max} characters",
            es: "`search` debe tener como máximo {max} caracteres",
            pt: "`search` deve ter no máximo {max} caracteres",
        }
        StatementReaders {
            en: "Only the driver and their organization's staff read a statement of account",
            es: "Solo el conductor y el personal de su organización consultan un estado de cuenta",
            pt: "Só o motorista e a equipe da organização dele consultam um extrato de conta",
        }
    }
}
