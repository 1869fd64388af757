//! What the contracts' API says before the domain does.

domain::catalogue! {
    /// What the contracts' API says.
    pub enum Text {
        NotMoney {
            en: "Not an amount of money: at most two decimals",
            es: "No es un monto de dinero: como máximo dos decimales",
            pt: "Não é um valor em dinheiro: no máximo duas casas decimais",
        }
        NotContractHash {
            en: "`hash` is not a contract hash",
            es: "`hash` no es el hash de un contrato",
            pt: "`hash` não é o hash de um contrato",
        }
        DaysRange {
            en: "`days` must be between 0 and 3650",
            es: "`days` debe estar entre 0 y 3650",
            pt: "`days` deve estar entre 0 e 3650",
        }
    }
}
