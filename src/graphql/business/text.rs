//! What the business books' part of the schema says.

domain::catalogue! {
    /// What the business books' queries say of their arguments.
    pub enum Text {
        ToBeforeFrom {
            en: "`to` must not be before `from`",
            es: "`to` no puede ser anterior a `from`",
            pt: "`to` não pode ser anterior a `from`",
        }
    }
}
