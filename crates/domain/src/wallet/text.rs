//! What the wallet says: payments, recharges, saved cards and the auto-charge job. The
//! REST API's messages were Spanish only; they keep their Spanish.

crate::catalogue! {
    /// What the wallet says.
    pub enum Text {
        ClientProfileNotFound {
            en: "Client profile not found",
            es: "Perfil de cliente no encontrado",
            pt: "Perfil de cliente não encontrado",
        }
        NotEnoughCoins {
            en: "You do not have enough coins",
            es: "No tienes suficientes coins",
            pt: "Você não tem coins suficientes",
        }
        /// `coins` is the wallet's balance.
        NotEnoughCoinsHaving(coins) {
            en: "You do not have enough coins: {coins}",
            es: "No tienes suficientes coins: {coins}",
            pt: "Você não tem coins suficientes: {coins}",
        }
        AmountToPayInvalid(amount) {
            en: "The amount to pay is invalid '{amount}'",
            es: "El monto a pagar es inválido '{amount}'",
            pt: "O valor a pagar é inválido '{amount}'",
        }
        AmountToPayTooLarge {
            en: "The amount to pay is too large",
            es: "El monto a pagar es demasiado grande",
            pt: "O valor a pagar é grande demais",
        }
        SelectInvoices {
            en: "Select at least one invoice to pay (missing parameters)",
            es: "Selecciona al menos una factura para pagar (faltan parámetros)",
            pt: "Selecione pelo menos uma fatura para pagar (faltam parâmetros)",
        }
        TooManyInvoices(max) {
            en: "A payment may select at most {max} invoices",
            es: "Un pago puede seleccionar como máximo {max} facturas",
            pt: "Um pagamento pode selecionar no máximo {max} faturas",
        }
        /// One invoice sent that is missing or another's, by its place in the list sent.
        NotYoursOne(number) {
            en: "These invoices do not exist or are not yours: number {number} of those sent",
            es: "Estas facturas no existen o no son tuyas: la que enviaste en la posición {number}",
            pt: "Estas faturas não existem ou não são suas: a que você enviou na posição {number}",
        }
        /// Several invoices sent that are missing or another's: `numbers` are their places
        /// in the list sent but the last, "1, 3".
        NotYoursMany(numbers, last) {
            en: "These invoices do not exist or are not yours: numbers {numbers} and {last} of those sent",
            es: "Estas facturas no existen o no son tuyas: las que enviaste en las posiciones {numbers} y {last}",
            pt: "Estas faturas não existem ou não são suas: as que você enviou nas posições {numbers} e {last}",
        }
        /// `invoices` lists them, each said with `DescribedInvoice` or `UndescribedInvoice`.
        AlreadyPaid(invoices) {
            en: "These invoices are already paid: {invoices}",
            es: "Estas facturas ya están pagadas: {invoices}",
            pt: "Estas faturas já estão pagas: {invoices}",
        }
        Frozen(invoices) {
            en: "These invoices are frozen and cannot be paid now: {invoices}",
            es: "Estas facturas están congeladas y no se pueden pagar por ahora: {invoices}",
            pt: "Estas faturas estão congeladas e não podem ser pagas agora: {invoices}",
        }
        Cancelled(invoices) {
            en: "These invoices are cancelled: nothing is owed on them: {invoices}",
            es: "Estas facturas están anuladas: no se debe nada por ellas: {invoices}",
            pt: "Estas faturas estão canceladas: nada é devido por elas: {invoices}",
        }
        Split(invoices) {
            en: "These invoices were split: pay their fractions instead: {invoices}",
            es: "Estas facturas se fraccionaron: paga sus fracciones en su lugar: {invoices}",
            pt: "Estas faturas foram fracionadas: pague as frações delas em vez disso: {invoices}",
        }
        /// An invoice named in a list by what it is for ("Cuota semanal 3") and its due date.
        DescribedInvoice(what, due) {
            en: "\"{what}\" due {due}",
            es: "\"{what}\" (vence el {due})",
            pt: "\"{what}\" (vence em {due})",
        }
        /// An invoice without observations, named in a list by its due date.
        UndescribedInvoice(due) {
            en: "the invoice due {due}",
            es: "la factura que vence el {due}",
            pt: "a fatura que vence em {due}",
        }
        InvoicesChangedWhilePaying {
            en: "Some of these invoices changed while paying them; look at them again",
            es: "Algunas de estas facturas cambiaron mientras se pagaban; revísalas de nuevo",
            pt: "Algumas destas faturas mudaram durante o pagamento; confira-as de novo",
        }
        RechargeAmount(max) {
            en: "A recharge is more than 0 and at most {max}",
            es: "Una recarga es mayor que 0 y como máximo {max}",
            pt: "Uma recarga é maior que 0 e no máximo {max}",
        }
        RechargeMethod {
            en: "Say how the money came in (e.g. Efectivo, Depósito BCP)",
            es: "Indica cómo ingresó el dinero (p. ej. Efectivo, Depósito BCP)",
            pt: "Informe como o dinheiro entrou (p. ex. Efectivo, Depósito BCP)",
        }
        NoSuchClient {
            en: "No such client",
            es: "No existe ese cliente",
            pt: "Esse cliente não existe",
        }
        LooksLikeCardNumber {
            en: "This looks like a card number. Never send the card number: send the token the payment processor returned and the card's last 4 digits",
            es: "Esto parece un número de tarjeta. Nunca envíes el número de la tarjeta: envía el token que devolvió el procesador de pagos y los últimos 4 dígitos de la tarjeta",
            pt: "Isto parece um número de cartão. Nunca envie o número do cartão: envie o token que o processador de pagamentos retornou e os últimos 4 dígitos do cartão",
        }
        OpaqueIdFormat {
            en: "Only letters, digits, `-` and `_`, as the payment processor returned it",
            es: "Solo letras, dígitos, `-` y `_`, tal como lo devolvió el procesador de pagos",
            pt: "Apenas letras, dígitos, `-` e `_`, como o processador de pagamentos o retornou",
        }
        BrandFormat {
            en: "The brand is a name such as \"visa\" or \"MASTERCARD\"",
            es: "La marca es un nombre como \"visa\" o \"MASTERCARD\"",
            pt: "A bandeira é um nome como \"visa\" ou \"MASTERCARD\"",
        }
        ExpiryMonthFormat {
            en: "The expiry month is \"01\" to \"12\"",
            es: "El mes de vencimiento va de \"01\" a \"12\"",
            pt: "O mês de validade vai de \"01\" a \"12\"",
        }
        ExpiryYearFormat {
            en: "The expiry year is 2 digits (\"27\") or 4 (\"2027\")",
            es: "El año de vencimiento tiene 2 dígitos (\"27\") o 4 (\"2027\")",
            pt: "O ano de validade tem 2 dígitos (\"27\") ou 4 (\"2027\")",
        }
        SendToken {
            en: "Send the card token the payment processor returned",
            es: "Envía el token de la tarjeta que devolvió el procesador de pagos",
            pt: "Envie o token do cartão que o processador de pagamentos retornou",
        }
        BinFormat {
            en: "The BIN is the first 6 digits of the card",
            es: "El BIN son los primeros 6 dígitos de la tarjeta",
            pt: "O BIN são os 6 primeiros dígitos do cartão",
        }
        SendLast4 {
            en: "Send the last 4 digits of the card",
            es: "Envía los últimos 4 dígitos de la tarjeta",
            pt: "Envie os últimos 4 dígitos do cartão",
        }
        Last4Format {
            en: "Send exactly the last 4 digits of the card",
            es: "Envía exactamente los últimos 4 dígitos de la tarjeta",
            pt: "Envie exatamente os últimos 4 dígitos do cartão",
        }
        YearWithMonth {
            en: "Send the expiry year with the month",
            es: "Envía el año de vencimiento junto con el mes",
            pt: "Envie o ano de validade junto com o mês",
        }
        MonthWithYear {
            en: "Send the expiry month with the year",
            es: "Envía el mes de vencimiento junto con el año",
            pt: "Envie o mês de validade junto com o ano",
        }
        OnlyDriversSaveCards {
            en: "Only drivers save and manage their cards",
            es: "Solo los conductores guardan y administran sus tarjetas",
            pt: "Apenas os motoristas salvam e gerenciam seus cartões",
        }
        UserGone {
            en: "The user no longer exists",
            es: "El usuario ya no existe",
            pt: "O usuário não existe mais",
        }
        TooManyCards(max) {
            en: "You can save up to {max} cards: remove one first",
            es: "Puedes guardar hasta {max} tarjetas: elimina una primero",
            pt: "Você pode salvar até {max} cartões: remova um primeiro",
        }
        CardAlreadySaved {
            en: "This card is already saved",
            es: "Esta tarjeta ya está guardada",
            pt: "Este cartão já está salvo",
        }
        /// Said to the operator (a one-shot run) and the logs, when a run of the job was
        /// too slow to renew its lease.
        AutoChargeLeaseLost {
            en: "another process took over the auto-charge lease: this run stops",
            es: "otro proceso tomó el turno del cobro automático: esta ejecución se detiene",
            pt: "outro processo assumiu a vez da cobrança automática: esta execução para",
        }
    }
}
