//! What contracts, their cars and the back office's operations on invoices say.

crate::catalogue! {
    /// What contracts and their invoices say.
    pub enum Text {
        GiveLicensePlate {
            en: "Give the license plate",
            es: "Indica la placa",
            pt: "Informe a placa",
        }
        LicensePlateFormat {
            en: "A license plate has up to 10 letters, digits and hyphens, e.g. \"BXK-123\"",
            es: "Una placa tiene hasta 10 letras, dígitos y guiones, p. ej. \"BXK-123\"",
            pt: "Uma placa tem até 10 letras, dígitos e hífens, p. ex. \"BXK-123\"",
        }
        ModelYear(latest) {
            en: "The model year is between 1990 and {latest}",
            es: "El año del modelo está entre 1990 y {latest}",
            pt: "O ano do modelo fica entre 1990 e {latest}",
        }
        TooManyPhotos(max) {
            en: "At most {max} photos",
            es: "Como máximo {max} fotos",
            pt: "No máximo {max} fotos",
        }
        UseHttps {
            en: "Use an https:// address",
            es: "Usa una dirección https://",
            pt: "Use um endereço https://",
        }
        WeeklyFee(max) {
            en: "The weekly fee is more than 0 and at most {max}",
            es: "La cuota semanal es mayor que 0 y como máximo {max}",
            pt: "A parcela semanal é maior que 0 e no máximo {max}",
        }
        ContractWeeks(max) {
            en: "A contract lasts 1 to {max} weeks",
            es: "Un contrato dura de 1 a {max} semanas",
            pt: "Um contrato dura de 1 a {max} semanas",
        }
        NoSuchDriver {
            en: "No such driver",
            es: "No existe ese conductor",
            pt: "Esse motorista não existe",
        }
        DriverDeactivated {
            en: "This driver is deactivated: reactivate them first",
            es: "Este conductor está desactivado: reactívalo primero",
            pt: "Este motorista está desativado: reative-o primeiro",
        }
        ContractTerminated {
            en: "This contract was terminated: it changes no more",
            es: "Este contrato fue terminado: ya no cambia",
            pt: "Este contrato foi encerrado: não muda mais",
        }
        NoSuchContract {
            en: "No such contract",
            es: "No existe ese contrato",
            pt: "Esse contrato não existe",
        }
        TerminationDate {
            en: "The termination date is within a year of today",
            es: "La fecha de término está a no más de un año de hoy",
            pt: "A data de encerramento fica a no máximo um ano de hoje",
        }
        ContractInvoicesChanged {
            en: "The contract's invoices changed meanwhile; look at them again",
            es: "Las facturas del contrato cambiaron mientras tanto; revísalas de nuevo",
            pt: "As faturas do contrato mudaram nesse meio-tempo; confira-as de novo",
        }
        NoSuchCar {
            en: "No such car",
            es: "No existe ese auto",
            pt: "Esse carro não existe",
        }
        DocumentDueDate {
            en: "The due date is within 20 years of today",
            es: "La fecha de vencimiento está a no más de 20 años de hoy",
            pt: "A data de vencimento fica a no máximo 20 anos de hoje",
        }
        CarDocumentChanged {
            en: "The car's document changed meanwhile",
            es: "El documento del auto cambió mientras tanto",
            pt: "O documento do carro mudou nesse meio-tempo",
        }
        NoSuchCarDocument {
            en: "The car has no such document",
            es: "El auto no tiene ese documento",
            pt: "O carro não tem esse documento",
        }
        NoSuchInvoice {
            en: "No such invoice",
            es: "No existe esa factura",
            pt: "Essa fatura não existe",
        }
        InvoicePaid {
            en: "This invoice is paid: nothing can change it any more",
            es: "Esta factura está pagada: ya nada puede cambiarla",
            pt: "Esta fatura está paga: nada pode mais alterá-la",
        }
        InvoiceCancelled {
            en: "This invoice is cancelled: nothing can change it any more",
            es: "Esta factura está anulada: ya nada puede cambiarla",
            pt: "Esta fatura está cancelada: nada pode mais alterá-la",
        }
        InvoiceSplit {
            en: "This invoice was split: change its fractions instead",
            es: "Esta factura se fraccionó: cambia sus fracciones en su lugar",
            pt: "Esta fatura foi fracionada: altere as frações dela em vez disso",
        }
        AmountRange(max) {
            en: "The amount is more than 0 and at most {max}",
            es: "El monto es mayor que 0 y como máximo {max}",
            pt: "O valor é maior que 0 e no máximo {max}",
        }
        DueFromToday(today) {
            en: "The due date is today ({today}) or later",
            es: "La fecha de vencimiento es hoy ({today}) o después",
            pt: "A data de vencimento é hoje ({today}) ou depois",
        }
        InvoiceChanged {
            en: "The invoice changed meanwhile; look at it again",
            es: "La factura cambió mientras tanto; revísala de nuevo",
            pt: "A fatura mudou nesse meio-tempo; confira-a de novo",
        }
        FractionNotFrozen {
            en: "A fraction of a split invoice is paid with the next payment: it cannot be frozen",
            es: "Una fracción de una factura fraccionada se paga con el próximo pago: no se puede congelar",
            pt: "Uma fração de uma fatura fracionada é paga com o próximo pagamento: não pode ser congelada",
        }
        DiscountTooLarge(left) {
            en: "Only {left} is left to pay on this invoice: the discount is at most that",
            es: "Solo quedan {left} por pagar en esta factura: el descuento es como máximo eso",
            pt: "Faltam apenas {left} a pagar nesta fatura: o desconto é no máximo isso",
        }
        NoSuchDiscount {
            en: "No such discount",
            es: "No existe ese descuento",
            pt: "Esse desconto não existe",
        }
        DiscountChanged {
            en: "The discount changed meanwhile; look at it again",
            es: "El descuento cambió mientras tanto; revísalo de nuevo",
            pt: "O desconto mudou nesse meio-tempo; confira-o de novo",
        }
        SplitParts(max) {
            en: "An invoice splits into 2 to {max} parts",
            es: "Una factura se fracciona en 2 a {max} partes",
            pt: "Uma fatura se divide em 2 a {max} partes",
        }
        FrozenNotSplit {
            en: "This invoice is frozen: unfreeze it before splitting it",
            es: "Esta factura está congelada: descongélala antes de fraccionarla",
            pt: "Esta fatura está congelada: descongele-a antes de fracioná-la",
        }
        FractionNotSplit {
            en: "This invoice is already a fraction of a split: it is not split again",
            es: "Esta factura ya es una fracción de otra: no se vuelve a fraccionar",
            pt: "Esta fatura já é uma fração de outra: não é fracionada de novo",
        }
        PartsSum(sum, left) {
            en: "The parts add up to {sum}; they must add up to {left}, what is left to pay",
            es: "Las partes suman {sum}; deben sumar {left}, lo que queda por pagar",
            pt: "As partes somam {sum}; devem somar {left}, o que falta pagar",
        }
        /// The parts' sum is past what an amount can hold.
        PartsSumTooLarge(left) {
            en: "The parts add up to too much; they must add up to {left}, what is left to pay",
            es: "Las partes suman demasiado; deben sumar {left}, lo que queda por pagar",
            pt: "As partes somam demais; devem somar {left}, o que falta pagar",
        }
    }
}
