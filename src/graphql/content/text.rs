//! What the content's API says before the domain does.

domain::catalogue! {
    /// What the content's API says.
    pub enum Text {
        CategoryCodeFilterTooLong(max) {
            en: "`filter.categoryCode` has at most {max} characters",
            es: "`filter.categoryCode` tiene como máximo {max} caracteres",
            pt: "`filter.categoryCode` tem no máximo {max} caracteres",
        }
    }
}
