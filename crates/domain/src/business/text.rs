//! What the business books say.

crate::catalogue! {
    /// What the business books (customers, sales invoices, receipts, invoicing settings)
    /// say.
    pub enum Text {
        StaffOnly {
            en: "Only the organization's staff see its customers, invoices and receipts",
            es: "Solo el personal de la organización ve sus clientes, facturas y comprobantes de gasto",
            pt: "Só a equipe da organização vê os seus clientes, notas fiscais e recibos",
        }
        CollectorsOnlyRead {
            en: "COLLECTORs read customers, invoices and receipts; only ADMINs change them",
            es: "Los COLLECTORs consultan clientes, facturas y comprobantes de gasto; solo los ADMINs los modifican",
            pt: "Os COLLECTORs consultam clientes, notas fiscais e recibos; só os ADMINs os alteram",
        }
        UnpaidWithPaidDate {
            en: "An unpaid bill has no paid date: send paid: true or leave paidOn out",
            es: "Un documento no pagado no tiene fecha de pago: envía paid: true o no envíes paidOn",
            pt: "Um documento não pago não tem data de pagamento: envie paid: true ou não envie paidOn",
        }
        DueBeforeDate {
            en: "The due date cannot be before the date",
            es: "La fecha de vencimiento no puede ser anterior a la fecha",
            pt: "A data de vencimento não pode ser anterior à data",
        }
        QuantityRange {
            en: "A quantity is more than 0 and at most 1000000, with at most two decimals",
            es: "Una cantidad es mayor que 0 y como máximo 1000000, con dos decimales como máximo",
            pt: "Uma quantidade é maior que 0 e no máximo 1000000, com no máximo duas casas decimais",
        }
        UnitAmountRange(max) {
            en: "A unit amount is 0 or more and at most {max}",
            es: "Un monto unitario es 0 o más y como máximo {max}",
            pt: "Um valor unitário é 0 ou mais e no máximo {max}",
        }
        TaxRange(max) {
            en: "A tax is 0 or more and at most {max}",
            es: "Un impuesto es 0 o más y como máximo {max}",
            pt: "Um imposto é 0 ou mais e no máximo {max}",
        }
        DuplicateNationalId {
            en: "Another customer already has this national id",
            es: "Otro cliente ya tiene este documento de identidad",
            pt: "Outro cliente já tem este documento de identificação",
        }
        NationalIdFormat {
            en: "A national id has 4 to 20 letters, digits or dashes, e.g. \"20100047218\"",
            es: "Un documento de identidad tiene de 4 a 20 letras, dígitos o guiones, p. ej. \"20100047218\"",
            pt: "Um documento de identificação tem de 4 a 20 letras, dígitos ou hífens, p. ex. \"20100047218\"",
        }
        CustomerHasInvoices(count) {
            en: "This customer has {count} invoice(s): delete them (or make them out to another customer) first",
            es: "Este cliente tiene {count} factura(s): elimínalas (o emítelas a nombre de otro cliente) primero",
            pt: "Este cliente tem {count} nota(s) fiscal(is): exclua-as (ou emita-as em nome de outro cliente) antes",
        }
        /// `field` is the input field (`name`, `address`, `email`, `phone`) and `stored`
        /// the customer's value of it.
        CustomerMismatch(national, field, stored) {
            en: "The customer with national id {national} has another {field} (\"{stored}\"): send its id to invoice it (with the fields to change), or its {field} as it is",
            es: "El cliente con documento de identidad {national} tiene otro valor en {field} (\"{stored}\"): envía su id para facturarle (con los campos que quieras cambiar), o su {field} tal como está",
            pt: "O cliente com documento de identificação {national} tem outro valor em {field} (\"{stored}\"): envie o id dele para faturá-lo (com os campos a alterar), ou o {field} dele como está",
        }
        /// [`Text::CustomerMismatch`] when the customer has no value of `field`.
        CustomerMismatchNone(national, field) {
            en: "The customer with national id {national} has another {field} (none): send its id to invoice it (with the fields to change), or its {field} as it is",
            es: "El cliente con documento de identidad {national} tiene otro valor en {field} (ninguno): envía su id para facturarle (con los campos que quieras cambiar), o su {field} tal como está",
            pt: "O cliente com documento de identificação {national} tem outro valor em {field} (nenhum): envie o id dele para faturá-lo (com os campos a alterar), ou o {field} dele como está",
        }
        CustomerSearchTooLong(max) {
            en: "`search` has at most {max} characters",
            es: "`search` tiene como máximo {max} caracteres",
            pt: "`search` tem no máximo {max} caracteres",
        }
        NoEmail {
            en: "The customer has no email: give one in `to`, or add it to the customer",
            es: "El cliente no tiene correo electrónico: indica uno en `to`, o agrégalo al cliente",
            pt: "O cliente não tem e-mail: informe um em `to`, ou adicione-o ao cliente",
        }
        DuplicateInvoiceNumber {
            en: "Another invoice already has this number",
            es: "Otra factura ya tiene este número",
            pt: "Outra nota fiscal já tem este número",
        }
        GiveNumber {
            en: "Leave the number out for the next one, or give one",
            es: "No envíes el número para usar el siguiente, o indica uno",
            pt: "Não envie o número para usar o próximo, ou informe um",
        }
        InvoiceNumberFormat {
            en: "An invoice number has letters, digits, \"-\", \"/\", \".\" and \"_\", e.g. \"F001-2756\"",
            es: "Un número de factura tiene letras, dígitos, \"-\", \"/\", \".\" y \"_\", p. ej. \"F001-2756\"",
            pt: "Um número de nota fiscal tem letras, dígitos, \"-\", \"/\", \".\" e \"_\", p. ex. \"F001-2756\"",
        }
        NoItems {
            en: "An invoice has at least one item",
            es: "Una factura tiene al menos un ítem",
            pt: "Uma nota fiscal tem pelo menos um item",
        }
        TooManyItems(max) {
            en: "An invoice has at most {max} items",
            es: "Una factura tiene como máximo {max} ítems",
            pt: "Uma nota fiscal tem no máximo {max} itens",
        }
        ItemAmountTooLarge {
            en: "The item's amount (quantity times unit amount) is too large",
            es: "El monto del ítem (cantidad por monto unitario) es demasiado grande",
            pt: "O valor do item (quantidade vezes valor unitário) é grande demais",
        }
        TaxPercentageOrTax {
            en: "Send taxPercentage or tax, not both",
            es: "Envía taxPercentage o tax, no ambos",
            pt: "Envie taxPercentage ou tax, não os dois",
        }
        TotalsRange(max) {
            en: "The subtotal must be more than 0 and the total at most {max}",
            es: "El subtotal debe ser mayor que 0 y el total como máximo {max}",
            pt: "O subtotal deve ser maior que 0 e o total no máximo {max}",
        }
        NoSuchCustomer {
            en: "No such customer",
            es: "Ese cliente no existe",
            pt: "Esse cliente não existe",
        }
        NoSuchInvoice {
            en: "No such invoice",
            es: "Esa factura no existe",
            pt: "Essa nota fiscal não existe",
        }
        PaymentReconciled {
            en: "Its payment is reconciled in the business book: clear the transaction's reconciledOn before changing the amount, date or payment",
            es: "Su pago está conciliado en el libro de la empresa: borra el reconciledOn del movimiento antes de cambiar el monto, la fecha o el pago",
            pt: "O pagamento está conciliado no livro da empresa: limpe o reconciledOn do lançamento antes de alterar o valor, a data ou o pagamento",
        }
    }
}
