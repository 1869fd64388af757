//! What the books say.

crate::catalogue! {
    /// What the books (accounts, categories, tags, transactions, transfers, budgets,
    /// credit cards and their statements, recurring series) say.
    pub enum Text {
        CollectorsOnlyRead {
            en: "COLLECTORs read the business book; only ADMINs change it",
            es: "Los COLLECTORs consultan el libro de la empresa; solo los ADMINs lo modifican",
            pt: "Os COLLECTORs consultam o livro da empresa; só os ADMINs o alteram",
        }
        TooManyAccounts(max) {
            en: "A book has at most {max} accounts: archive or delete one",
            es: "Un libro tiene como máximo {max} cuentas: archiva o elimina una",
            pt: "Um livro tem no máximo {max} contas: arquive ou exclua uma",
        }
        DefaultAccountArchived {
            en: "The default account cannot be archived: make another account the default first",
            es: "La cuenta predeterminada no se puede archivar: primero haz que otra cuenta sea la predeterminada",
            pt: "A conta padrão não pode ser arquivada: primeiro torne outra conta a padrão",
        }
        LastAccount {
            en: "A book keeps at least one account",
            es: "Un libro conserva al menos una cuenta",
            pt: "Um livro mantém pelo menos uma conta",
        }
        DefaultAccountDeleted {
            en: "The default account cannot be deleted: make another account the default first",
            es: "La cuenta predeterminada no se puede eliminar: primero haz que otra cuenta sea la predeterminada",
            pt: "A conta padrão não pode ser excluída: primeiro torne outra conta a padrão",
        }
        AccountUsedByTransactions(count) {
            en: "{count} transactions use this account: archive it instead, or move them first",
            es: "{count} movimientos usan esta cuenta: archívala en su lugar, o muévelos primero",
            pt: "{count} lançamentos usam esta conta: arquive-a em vez disso, ou mova-os antes",
        }
        AccountUsedBySeries(count) {
            en: "{count} series use this account: archive it instead, or delete them first",
            es: "{count} series usan esta cuenta: archívala en su lugar, o elimínalas primero",
            pt: "{count} séries usam esta conta: arquive-a em vez disso, ou exclua-as antes",
        }
        NoSuchAccount {
            en: "No such account in this book",
            es: "Esa cuenta no existe en este libro",
            pt: "Essa conta não existe neste livro",
        }
        AmountRange(max) {
            en: "An amount is more than 0 and at most {max}",
            es: "Un monto es mayor que 0 y como máximo {max}",
            pt: "Um valor é maior que 0 e no máximo {max}",
        }
        BudgetYearRange(first, last) {
            en: "A budget's year is from {first} to {last}",
            es: "El año de un presupuesto va de {first} a {last}",
            pt: "O ano de um orçamento vai de {first} a {last}",
        }
        MonthRange {
            en: "A month is 1 to 12",
            es: "Un mes va de 1 a 12",
            pt: "Um mês vai de 1 a 12",
        }
        BudgetAmountRange(max) {
            en: "A budget is from 0 (which removes it) to {max}",
            es: "Un presupuesto va de 0 (que lo elimina) a {max}",
            pt: "Um orçamento vai de 0 (que o remove) a {max}",
        }
        NoSuchCategory {
            en: "No such category in this book",
            es: "Esa categoría no existe en este libro",
            pt: "Essa categoria não existe neste livro",
        }
        DayOfMonthRange {
            en: "A day of the month is 1 to 31 (a shorter month uses its last day)",
            es: "Un día del mes va de 1 a 31 (un mes más corto usa su último día)",
            pt: "Um dia do mês vai de 1 a 31 (um mês mais curto usa o seu último dia)",
        }
        CardLimitRange(max) {
            en: "A limit is 0 (no limit) or more, at most {max}",
            es: "Un límite es 0 (sin límite) o más, como máximo {max}",
            pt: "Um limite é 0 (sem limite) ou mais, no máximo {max}",
        }
        TooManyCards(max) {
            en: "A book has at most {max} credit cards: archive or delete one",
            es: "Un libro tiene como máximo {max} tarjetas de crédito: archiva o elimina una",
            pt: "Um livro tem no máximo {max} cartões de crédito: arquive ou exclua um",
        }
        StatementsSinceAlone {
            en: "updateStatementsSince goes with a new closingDay or dueDay",
            es: "updateStatementsSince va junto con un nuevo closingDay o dueDay",
            pt: "updateStatementsSince acompanha um novo closingDay ou dueDay",
        }
        CardUsed(count) {
            en: "{count} transactions use this credit card: archive it instead (archived: true), or delete them first",
            es: "{count} movimientos usan esta tarjeta de crédito: archívala en su lugar (archived: true), o elimínalos primero",
            pt: "{count} lançamentos usam este cartão de crédito: arquive-o em vez disso (archived: true), ou exclua-os antes",
        }
        NoSuchCreditCard {
            en: "No such credit card in this book",
            es: "Esa tarjeta de crédito no existe en este libro",
            pt: "Esse cartão de crédito não existe neste livro",
        }
        NoSuchStatement {
            en: "No such credit card statement in this book",
            es: "Ese estado de cuenta de tarjeta de crédito no existe en este libro",
            pt: "Essa fatura de cartão de crédito não existe neste livro",
        }
        PaymentDeletedSince(key) {
            en: "The payment made with the idempotency key {key:?} was deleted since; use a new key to pay again",
            es: "El pago hecho con la clave de idempotencia {key:?} se eliminó después; usa una clave nueva para pagar de nuevo",
            pt: "O pagamento feito com a chave de idempotência {key:?} foi excluído depois; use uma chave nova para pagar de novo",
        }
        DuplicateCategoryCode {
            en: "Another category of this book already has this code",
            es: "Otra categoría de este libro ya tiene este código",
            pt: "Outra categoria deste livro já tem este código",
        }
        ColourFormat {
            en: "A colour is six hexadecimal digits, e.g. \"#1E88E5\"",
            es: "Un color tiene seis dígitos hexadecimales, p. ej. \"#1E88E5\"",
            pt: "Uma cor tem seis dígitos hexadecimais, p. ex. \"#1E88E5\"",
        }
        OwnParent {
            en: "A category cannot be its own parent",
            es: "Una categoría no puede ser su propia categoría padre",
            pt: "Uma categoria não pode ser a sua própria categoria pai",
        }
        ParentIsSubcategory {
            en: "The parent is a subcategory itself: subcategories are one level deep",
            es: "La categoría padre es a su vez una subcategoría: las subcategorías tienen un solo nivel",
            pt: "A categoria pai é ela mesma uma subcategoria: as subcategorias têm um só nível",
        }
        ParentOfOtherKind {
            en: "A subcategory has its parent's kind",
            es: "Una subcategoría es del mismo tipo que su categoría padre",
            pt: "Uma subcategoria é do mesmo tipo que a sua categoria pai",
        }
        TooManyCategories(max) {
            en: "A book has at most {max} categories",
            es: "Un libro tiene como máximo {max} categorías",
            pt: "Um livro tem no máximo {max} categorias",
        }
        DefaultCategoryArchived {
            en: "A default category cannot be archived",
            es: "Una categoría predeterminada no se puede archivar",
            pt: "Uma categoria padrão não pode ser arquivada",
        }
        SubcategoriesStayTopLevel {
            en: "This category has subcategories: it stays top-level",
            es: "Esta categoría tiene subcategorías: sigue siendo de primer nivel",
            pt: "Esta categoria tem subcategorias: continua sendo de primeiro nível",
        }
        DefaultCategoryDeleted {
            en: "A default category cannot be deleted",
            es: "Una categoría predeterminada no se puede eliminar",
            pt: "Uma categoria padrão não pode ser excluída",
        }
        SubcategoriesFirst {
            en: "This category has subcategories: delete them or move them first",
            es: "Esta categoría tiene subcategorías: elimínalas o muévelas primero",
            pt: "Esta categoria tem subcategorias: exclua-as ou mova-as antes",
        }
        ReplacesItself {
            en: "A category cannot replace itself",
            es: "Una categoría no puede reemplazarse a sí misma",
            pt: "Uma categoria não pode substituir a si mesma",
        }
        ReplacementOfOtherKind {
            en: "The replacement must be of the same kind",
            es: "La categoría de reemplazo debe ser del mismo tipo",
            pt: "A categoria substituta deve ser do mesmo tipo",
        }
        BudgetsTooLarge {
            en: "The two budgets together are too large",
            es: "Los dos presupuestos juntos son demasiado grandes",
            pt: "Os dois orçamentos juntos são grandes demais",
        }
        NoCategoryWithCode(code) {
            en: "No category of this book has the code {code:?}",
            es: "Ninguna categoría de este libro tiene el código {code:?}",
            pt: "Nenhuma categoria deste livro tem o código {code:?}",
        }
        IncomeCategoryForExpense(code) {
            en: "{code:?} is an INCOME category: an expense needs an EXPENSE category",
            es: "{code:?} es una categoría INCOME: un gasto necesita una categoría EXPENSE",
            pt: "{code:?} é uma categoria INCOME: uma despesa precisa de uma categoria EXPENSE",
        }
        EntryDeletedSince(key) {
            en: "The entry recorded with the idempotency key {key:?} was deleted since; use a new key to record another",
            es: "El registro hecho con la clave de idempotencia {key:?} se eliminó después; usa una clave nueva para registrar otro",
            pt: "O registro feito com a chave de idempotência {key:?} foi excluído depois; use uma chave nova para registrar outro",
        }
        TooManyFilterIds(field, max) {
            en: "`{field}` holds at most {max} IDs",
            es: "`{field}` admite como máximo {max} IDs",
            pt: "`{field}` aceita no máximo {max} IDs",
        }
        CursorOfOtherOrder {
            en: "The cursor is of another order of this listing",
            es: "El cursor es de otro orden de este listado",
            pt: "O cursor é de outra ordem desta listagem",
        }
        DuplicateTagName {
            en: "This book already has a tag with this name",
            es: "Este libro ya tiene una etiqueta con este nombre",
            pt: "Este livro já tem uma etiqueta com este nome",
        }
        TooManyTags(max) {
            en: "A book has at most {max} tags",
            es: "Un libro tiene como máximo {max} etiquetas",
            pt: "Um livro tem no máximo {max} etiquetas",
        }
        SameAccounts {
            en: "A transfer moves money between two different accounts",
            es: "Una transferencia mueve dinero entre dos cuentas distintas",
            pt: "Uma transferência move dinheiro entre duas contas diferentes",
        }
        TransferReconciled {
            en: "A side of this transfer is reconciled: clear its reconciledOn first",
            es: "Una parte de esta transferencia está conciliada: primero borra su reconciledOn",
            pt: "Uma parte desta transferência está conciliada: primeiro limpe o reconciledOn dela",
        }
        RecurringOrInstallments {
            en: "A transaction is either recurring or in installments: send recurrence or installments, not both",
            es: "Un movimiento es recurrente o en cuotas: envía recurrence o installments, no ambos",
            pt: "Um lançamento é recorrente ou parcelado: envie recurrence ou installments, não os dois",
        }
        InstallmentCount(max) {
            en: "A purchase is split into 1 to {max} installments",
            es: "Una compra se divide en 1 a {max} cuotas",
            pt: "Uma compra é dividida em 1 a {max} parcelas",
        }
        InstallmentsNotPositive {
            en: "the total of the installments must be positive",
            es: "el total de las cuotas debe ser positivo",
            pt: "o total das parcelas deve ser positivo",
        }
        InstallmentsUnderACent(total, count) {
            en: "{total} cannot be split into {count} installments of at least 0.01",
            es: "{total} no se puede dividir en {count} cuotas de al menos 0.01",
            pt: "{total} não pode ser dividido em {count} parcelas de pelo menos 0.01",
        }
        SeriesTooFar {
            en: "The series would run past the last date this API can store",
            es: "La serie pasaría de la última fecha que esta API puede guardar",
            pt: "A série passaria da última data que esta API consegue armazenar",
        }
        DuplicateExternalId {
            en: "Another transaction of this book already has this externalId",
            es: "Otro movimiento de este libro ya tiene este externalId",
            pt: "Outro lançamento deste livro já tem este externalId",
        }
        IncomeNeedsIncomeCategory {
            en: "An income needs an INCOME category",
            es: "Un ingreso necesita una categoría INCOME",
            pt: "Uma receita precisa de uma categoria INCOME",
        }
        ExpenseNeedsExpenseCategory {
            en: "An expense needs an EXPENSE category",
            es: "Un gasto necesita una categoría EXPENSE",
            pt: "Uma despesa precisa de uma categoria EXPENSE",
        }
        /// `position` counts from 1 among the `tagIds` sent.
        NoSuchTag(position) {
            en: "No such tag in this book (tag number {position} of those sent)",
            es: "Esa etiqueta no existe en este libro (la etiqueta número {position} de las enviadas)",
            pt: "Essa etiqueta não existe neste livro (a etiqueta número {position} das enviadas)",
        }
        TooManyTransactionTags(max) {
            en: "A transaction carries at most {max} tags",
            es: "Un movimiento lleva como máximo {max} etiquetas",
            pt: "Um lançamento leva no máximo {max} etiquetas",
        }
        PendingWithPaidDate {
            en: "A pending transaction has no paid date: send paid: true or leave paidOn out",
            es: "Un movimiento pendiente no tiene fecha de pago: envía paid: true o no envíes paidOn",
            pt: "Um lançamento pendente não tem data de pagamento: envie paid: true ou não envie paidOn",
        }
        AccountOrCard {
            en: "A transaction is of an account or of a credit card, not both",
            es: "Un movimiento es de una cuenta o de una tarjeta de crédito, no de ambas",
            pt: "Um lançamento é de uma conta ou de um cartão de crédito, não dos dois",
        }
        InvoicePaymentGoesWithIt(number) {
            en: "This transaction is the payment of sales invoice {number}: it goes only with the invoice (delete the invoice or mark it unpaid)",
            es: "Este movimiento es el pago de la factura de venta {number}: solo se elimina junto con la factura (elimina la factura o márcala como no pagada)",
            pt: "Este lançamento é o pagamento da nota fiscal de venda {number}: só é excluído junto com a nota (exclua a nota ou marque-a como não paga)",
        }
        ReceiptPaymentGoesWithIt(concept, date) {
            en: "This transaction is the payment of receipt \"{concept}\" of {date}: it goes only with the receipt (delete the receipt or mark it unpaid)",
            es: "Este movimiento es el pago del comprobante de gasto \"{concept}\" del {date}: solo se elimina junto con el comprobante (elimina el comprobante o márcalo como no pagado)",
            pt: "Este lançamento é o pagamento do recibo \"{concept}\" de {date}: só é excluído junto com o recibo (exclua o recibo ou marque-o como não pago)",
        }
        InvoicePaymentChangesThroughIt(number) {
            en: "This transaction is the payment of sales invoice {number}: its kind, amount, date, payment, description and contact change only through the invoice",
            es: "Este movimiento es el pago de la factura de venta {number}: su tipo, monto, fecha, pago, descripción y contacto solo cambian a través de la factura",
            pt: "Este lançamento é o pagamento da nota fiscal de venda {number}: seu tipo, valor, data, pagamento, descrição e contato só mudam pela nota",
        }
        ReceiptPaymentChangesThroughIt(concept, date) {
            en: "This transaction is the payment of receipt \"{concept}\" of {date}: its kind, amount, date, payment, description and contact change only through the receipt",
            es: "Este movimiento es el pago del comprobante de gasto \"{concept}\" del {date}: su tipo, monto, fecha, pago, descripción y contacto solo cambian a través del comprobante",
            pt: "Este lançamento é o pagamento do recibo \"{concept}\" de {date}: seu tipo, valor, data, pagamento, descrição e contato só mudam pelo recibo",
        }
        Reconciled {
            en: "This transaction is reconciled: its amount, date and account are locked until reconciledOn is cleared",
            es: "Este movimiento está conciliado: su monto, fecha y cuenta quedan bloqueados hasta que se borre reconciledOn",
            pt: "Este lançamento está conciliado: seu valor, data e conta ficam bloqueados até que reconciledOn seja limpo",
        }
        TransferKeepsDirection {
            en: "A side of a transfer keeps its direction: delete the transfer and create another",
            es: "Cada parte de una transferencia conserva su dirección: elimina la transferencia y crea otra",
            pt: "Cada parte de uma transferência mantém a sua direção: exclua a transferência e crie outra",
        }
        NotAnOfxFile {
            en: "`content` is not an OFX statement: it has no <OFX> element",
            es: "`content` no es un extracto OFX: no tiene el elemento <OFX>",
            pt: "`content` não é um extrato OFX: não tem o elemento <OFX>",
        }
        TooManyStatementLines(max) {
            en: "A statement holds at most {max} transactions: split the file",
            es: "Un extracto tiene como máximo {max} movimientos: divide el archivo",
            pt: "Um extrato tem no máximo {max} lançamentos: divida o arquivo",
        }
        CsvNeedsMapping {
            en: "A CSV statement needs `mapping`: which columns hold the date and the amount",
            es: "Un extracto CSV necesita `mapping`: qué columnas tienen la fecha y el monto",
            pt: "Um extrato CSV precisa de `mapping`: quais colunas têm a data e o valor",
        }
        /// `name` is the column as the mapping names it.
        NoSuchColumn(name) {
            en: "The file has no column `{name}`: name a column of the header row, or give its position from 1",
            es: "El archivo no tiene la columna `{name}`: nombra una columna de la fila de encabezado, o indica su posición desde 1",
            pt: "O arquivo não tem a coluna `{name}`: nomeie uma coluna da linha de cabeçalho, ou indique a sua posição a partir de 1",
        }
        /// `name` is the column as the mapping names it.
        ColumnByPosition(name) {
            en: "Without a header row, columns are named by position (1, 2, ...), not `{name}`",
            es: "Sin fila de encabezado, las columnas se indican por posición (1, 2, ...), no `{name}`",
            pt: "Sem linha de cabeçalho, as colunas são indicadas pela posição (1, 2, ...), não `{name}`",
        }
        DateFormatInvalid(format) {
            en: "`{format}` is not a date format: use strftime fields such as %d/%m/%Y or %Y-%m-%d",
            es: "`{format}` no es un formato de fecha: usa campos strftime como %d/%m/%Y o %Y-%m-%d",
            pt: "`{format}` não é um formato de data: use campos strftime como %d/%m/%Y ou %Y-%m-%d",
        }
        DecimalSeparator {
            en: "The decimal separator is `.` or `,`",
            es: "El separador decimal es `.` o `,`",
            pt: "O separador decimal é `.` ou `,`",
        }
        DelimiterInvalid {
            en: "The delimiter is one character other than a quote, a line break or the decimal separator (`,`, `;`, a tab or `|`)",
            es: "El delimitador es un carácter que no sea comillas, salto de línea ni el separador decimal (`,`, `;`, un tabulador o `|`)",
            pt: "O delimitador é um caractere que não seja aspas, quebra de linha nem o separador decimal (`,`, `;`, uma tabulação ou `|`)",
        }
        /// `value` is the text of the file.
        AmountNotANumber(value) {
            en: "the amount `{value}` is not a number",
            es: "el monto `{value}` no es un número",
            pt: "o valor `{value}` não é um número",
        }
        AmountTooPrecise(value) {
            en: "the amount `{value}` has more than 2 decimals",
            es: "el monto `{value}` tiene más de 2 decimales",
            pt: "o valor `{value}` tem mais de 2 casas decimais",
        }
        AmountZero {
            en: "the amount is 0: a transaction moves money",
            es: "el monto es 0: un movimiento mueve dinero",
            pt: "o valor é 0: um lançamento movimenta dinheiro",
        }
        LineAmountRange(max) {
            en: "the amount is more than {max}",
            es: "el monto es mayor que {max}",
            pt: "o valor é maior que {max}",
        }
        DateNotInFormat(value, format) {
            en: "the date `{value}` does not match the format `{format}`",
            es: "la fecha `{value}` no coincide con el formato `{format}`",
            pt: "a data `{value}` não corresponde ao formato `{format}`",
        }
        OfxDateInvalid(value) {
            en: "the date `{value}` is not an OFX date (YYYYMMDD...)",
            es: "la fecha `{value}` no es una fecha OFX (AAAAMMDD...)",
            pt: "a data `{value}` não é uma data OFX (AAAAMMDD...)",
        }
        /// `element` is an OFX element's name, e.g. TRNAMT.
        OfxElementMissing(element) {
            en: "the transaction has no <{element}>",
            es: "el movimiento no tiene <{element}>",
            pt: "o lançamento não tem <{element}>",
        }
        /// `column` is the column as the mapping names it.
        CellMissing(column) {
            en: "the line has no cell in column `{column}`",
            es: "la línea no tiene celda en la columna `{column}`",
            pt: "a linha não tem célula na coluna `{column}`",
        }
        QuoteNotClosed {
            en: "a quoted cell is not closed before the end of the file",
            es: "una celda entre comillas no se cierra antes del final del archivo",
            pt: "uma célula entre aspas não é fechada antes do fim do arquivo",
        }
        LineDescriptionTooLong(max) {
            en: "the description is longer than {max} characters",
            es: "la descripción tiene más de {max} caracteres",
            pt: "a descrição tem mais de {max} caracteres",
        }
        LineIdTooLong(max) {
            en: "the line's id is longer than {max} characters",
            es: "el id de la línea tiene más de {max} caracteres",
            pt: "o id da linha tem mais de {max} caracteres",
        }
        TransferHasNoCategory {
            en: "A transfer is neither an income nor an expense: it has no category",
            es: "Una transferencia no es ni un ingreso ni un gasto: no tiene categoría",
            pt: "Uma transferência não é receita nem despesa: não tem categoria",
        }
    }
}
