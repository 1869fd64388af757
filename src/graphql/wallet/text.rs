//! What the wallet's API says before the domain does.

domain::catalogue! {
    /// What the wallet's API says.
    pub enum Text {
        OnlyDriversPay {
            en: "Only drivers pay their invoices",
            es: "Solo los conductores pagan sus facturas",
            pt: "Apenas os motoristas pagam suas faturas",
        }
        OnlyDriversFollowWallet {
            en: "Only drivers have a wallet to follow",
            es: "Solo los conductores tienen una billetera que seguir",
            pt: "Apenas os motoristas têm uma carteira para acompanhar",
        }
        NotInvoiceIds(ids) {
            en: "These are not invoice IDs: {ids}",
            es: "Estos no son IDs de factura: {ids}",
            pt: "Estes não são IDs de fatura: {ids}",
        }
        NotClientId {
            en: "Not a client ID",
            es: "No es un ID de cliente",
            pt: "Não é um ID de cliente",
        }
        NotMoney {
            en: "Not an amount of money",
            es: "No es un monto de dinero",
            pt: "Não é um valor em dinheiro",
        }
    }
}
