//! Each kind of node named with its article ("a category"), for the sentences that name
//! the kind of ID expected (`Text::NotAnIdOf`); `global_id` says which noun is which
//! kind's.

domain::catalogue! {
    /// A kind of node, with its indefinite article.
    pub enum Noun {
        Organization {
            en: "an organization",
            es: "una organización",
            pt: "uma organização",
        }
        Client {
            en: "a client",
            es: "un conductor",
            pt: "um motorista",
        }
        StaffUser {
            en: "a staff user",
            es: "un miembro del personal",
            pt: "um membro da equipe",
        }
        ApiToken {
            en: "an API token",
            es: "un token de API",
            pt: "um token de API",
        }
        Contract {
            en: "a contract",
            es: "un contrato",
            pt: "um contrato",
        }
        Car {
            en: "a car",
            es: "un auto",
            pt: "um carro",
        }
        Invoice {
            en: "an invoice",
            es: "una factura",
            pt: "uma fatura",
        }
        InvoiceDiscount {
            en: "an invoice discount",
            es: "un descuento de factura",
            pt: "um desconto de fatura",
        }
        Payment {
            en: "a payment",
            es: "un pago",
            pt: "um pagamento",
        }
        Lead {
            en: "a lead",
            es: "un prospecto",
            pt: "um lead",
        }
        Card {
            en: "a card",
            es: "una tarjeta",
            pt: "um cartão",
        }
        Plan {
            en: "a plan",
            es: "un plan",
            pt: "um plano",
        }
        ExpenseCategory {
            en: "an expense category",
            es: "una categoría de gasto",
            pt: "uma categoria de despesa",
        }
        EmergencyContactGroup {
            en: "an emergency contact group",
            es: "un grupo de contactos de emergencia",
            pt: "um grupo de contatos de emergência",
        }
        EmergencyContact {
            en: "an emergency contact",
            es: "un contacto de emergencia",
            pt: "um contato de emergência",
        }
        SupportContact {
            en: "a support contact",
            es: "un contacto de soporte",
            pt: "um contato de suporte",
        }
        ServiceContactChannel {
            en: "a service contact channel",
            es: "un canal de atención",
            pt: "um canal de atendimento",
        }
        Faq {
            en: "a FAQ",
            es: "una pregunta frecuente",
            pt: "uma pergunta frequente",
        }
        TipCategory {
            en: "a tip category",
            es: "una categoría de consejos",
            pt: "uma categoria de dicas",
        }
        Tip {
            en: "a tip",
            es: "un consejo",
            pt: "uma dica",
        }
        Account {
            en: "an account",
            es: "una cuenta",
            pt: "uma conta",
        }
        Category {
            en: "a category",
            es: "una categoría",
            pt: "uma categoria",
        }
        Tag {
            en: "a tag",
            es: "una etiqueta",
            pt: "uma etiqueta",
        }
        Transaction {
            en: "a transaction",
            es: "un movimiento",
            pt: "um lançamento",
        }
        Transfer {
            en: "a transfer",
            es: "una transferencia",
            pt: "uma transferência",
        }
        CreditCard {
            en: "a credit card",
            es: "una tarjeta de crédito",
            pt: "um cartão de crédito",
        }
        CreditCardStatement {
            en: "a credit card statement",
            es: "un estado de cuenta de tarjeta de crédito",
            pt: "uma fatura de cartão de crédito",
        }
        Customer {
            en: "a customer",
            es: "un cliente",
            pt: "um cliente",
        }
        SalesInvoice {
            en: "a sales invoice",
            es: "una factura de venta",
            pt: "uma nota fiscal de venda",
        }
        Receipt {
            en: "a receipt",
            es: "un comprobante de gasto",
            pt: "um recibo",
        }
        Budget {
            en: "a budget",
            es: "un presupuesto",
            pt: "um orçamento",
        }
        WalletMovement {
            en: "a wallet movement",
            es: "un movimiento de billetera",
            pt: "uma movimentação da carteira",
        }
        WebhookEndpoint {
            en: "a webhook endpoint",
            es: "un webhook",
            pt: "um webhook",
        }
        WebhookDelivery {
            en: "a webhook delivery",
            es: "un envío de webhook",
            pt: "um envio de webhook",
        }
    }
}
