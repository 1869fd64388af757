//! Sentences every area says.

crate::catalogue! {
    /// A record that does not exist or is not the caller's (NOT_FOUND): the same answer
    /// for both, so that IDs reveal nothing across organizations.
    pub enum NotFound {
        ApiToken {
            en: "API token not found",
            es: "No se encontró el token de API",
            pt: "Token de API não encontrado",
        }
        Account {
            en: "Account not found",
            es: "No se encontró la cuenta",
            pt: "Conta não encontrada",
        }
        Book {
            en: "Book not found",
            es: "No se encontró el libro",
            pt: "Livro não encontrado",
        }
        Card {
            en: "Card not found",
            es: "No se encontró la tarjeta",
            pt: "Cartão não encontrado",
        }
        Category {
            en: "Category not found",
            es: "No se encontró la categoría",
            pt: "Categoria não encontrada",
        }
        CreditCard {
            en: "Credit card not found",
            es: "No se encontró la tarjeta de crédito",
            pt: "Cartão de crédito não encontrado",
        }
        Customer {
            en: "Customer not found",
            es: "No se encontró el cliente",
            pt: "Cliente não encontrado",
        }
        EmergencyContact {
            en: "Emergency contact not found",
            es: "No se encontró el contacto de emergencia",
            pt: "Contato de emergência não encontrado",
        }
        EmergencyContactGroup {
            en: "Emergency contact group not found",
            es: "No se encontró el grupo de contactos de emergencia",
            pt: "Grupo de contatos de emergência não encontrado",
        }
        ExpenseCategory {
            en: "Expense category not found",
            es: "No se encontró la categoría de gasto",
            pt: "Categoria de despesa não encontrada",
        }
        Faq {
            en: "FAQ not found",
            es: "No se encontró la pregunta frecuente",
            pt: "Pergunta frequente não encontrada",
        }
        Organization {
            en: "Organization not found",
            es: "No se encontró la organización",
            pt: "Organização não encontrada",
        }
        Plan {
            en: "Plan not found",
            es: "No se encontró el plan",
            pt: "Plano não encontrado",
        }
        Receipt {
            en: "Receipt not found",
            es: "No se encontró el comprobante de gasto",
            pt: "Recibo não encontrado",
        }
        SalesInvoice {
            en: "Sales invoice not found",
            es: "No se encontró la factura de venta",
            pt: "Nota fiscal de venda não encontrada",
        }
        ServiceContactChannel {
            en: "Service contact channel not found",
            es: "No se encontró el canal de atención",
            pt: "Canal de atendimento não encontrado",
        }
        SupportContact {
            en: "Support contact not found",
            es: "No se encontró el contacto de soporte",
            pt: "Contato de suporte não encontrado",
        }
        Tag {
            en: "Tag not found",
            es: "No se encontró la etiqueta",
            pt: "Etiqueta não encontrada",
        }
        Tip {
            en: "Tip not found",
            es: "No se encontró el consejo",
            pt: "Dica não encontrada",
        }
        TipCategory {
            en: "Tip category not found",
            es: "No se encontró la categoría de consejos",
            pt: "Categoria de dicas não encontrada",
        }
        Transaction {
            en: "Transaction not found",
            es: "No se encontró el movimiento",
            pt: "Lançamento não encontrado",
        }
        Transfer {
            en: "Transfer not found",
            es: "No se encontró la transferencia",
            pt: "Transferência não encontrada",
        }
    }
}

impl From<NotFound> for crate::DomainError {
    fn from(record: NotFound) -> Self {
        crate::DomainError::NotFound(record.into())
    }
}
