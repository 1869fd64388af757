//! What the books' part of the schema says.

domain::catalogue! {
    /// What the books' queries, mutations and subscriptions say of their arguments.
    pub enum Text {
        BlankIdempotencyKey {
            en: "Leave idempotencyKey out, or send 8 to 100 letters, digits or -_.: (a UUID fits)",
            es: "No envíes idempotencyKey, o envía de 8 a 100 letras, dígitos o -_.: (un UUID sirve)",
            pt: "Não envie idempotencyKey, ou envie de 8 a 100 letras, dígitos ou -_.: (um UUID serve)",
        }
        YearRange(min, max) {
            en: "`year` is {min} to {max}",
            es: "`year` va de {min} a {max}",
            pt: "`year` vai de {min} a {max}",
        }
        MonthRange {
            en: "`month` is 1 to 12",
            es: "`month` va de 1 a 12",
            pt: "`month` vai de 1 a 12",
        }
        NotAStatementId {
            en: "`statementId` is not a credit card statement ID",
            es: "`statementId` no es el ID de un estado de cuenta de tarjeta de crédito",
            pt: "`statementId` não é o ID de uma fatura de cartão de crédito",
        }
        /// `order` is the listing's order, as the `TransactionOrder` value.
        NotACursor(name, order) {
            en: "`{name}` is not a cursor of this listing in the order {order}",
            es: "`{name}` no es un cursor de este listado en el orden {order}",
            pt: "`{name}` não é um cursor desta listagem na ordem {order}",
        }
        NotACreator {
            en: "`createdBy` is not a user (StaffUser or Client) or an API token ID",
            es: "`createdBy` no es el ID de un usuario (StaffUser o Client) ni de un token de API",
            pt: "`createdBy` não é o ID de um usuário (StaffUser ou Client) nem de um token de API",
        }
        NotAChangeCursor {
            en: "`since` is not a cursor of this book's changes: pass the `cursor` a page or a change gave, or leave it out to start from the beginning",
            es: "`since` no es un cursor de los cambios de este libro: envía el `cursor` que dio una página o un cambio, o no lo envíes para empezar desde el principio",
            pt: "`since` não é um cursor das alterações deste livro: envie o `cursor` que uma página ou uma alteração deu, ou não o envie para começar do início",
        }
        ChangePageSize(max) {
            en: "`first` is 1 to {max}",
            es: "`first` va de 1 a {max}",
            pt: "`first` vai de 1 a {max}",
        }
        TransactionUnreadable {
            en: "The transaction could not be read",
            es: "No se pudo leer el movimiento",
            pt: "Não foi possível ler o lançamento",
        }
    }
}
