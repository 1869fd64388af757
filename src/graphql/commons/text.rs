//! What the API layer says of a request it refuses: its limits, paging arguments, IDs,
//! periods, subscriptions, syntax and the failures of the server.

domain::catalogue! {
    /// What the API layer shared by every area says.
    pub enum Text {
        QueryTooLong(chars, max) {
            en: "The query has {chars} characters; at most {max} are allowed",
            es: "La consulta tiene {chars} caracteres; se permiten como máximo {max}",
            pt: "A consulta tem {chars} caracteres; são permitidos no máximo {max}",
        }
        TooNested(nesting, max) {
            en: "The query nests selections, fragments or values {nesting} levels deep; at most {max} are allowed",
            es: "La consulta anida selecciones, fragmentos o valores en {nesting} niveles; se permiten como máximo {max}",
            pt: "A consulta aninha seleções, fragmentos ou valores em {nesting} níveis; são permitidos no máximo {max}",
        }
        UnknownOperation(name) {
            en: "The document has no operation named \"{name}\"",
            es: "El documento no tiene ninguna operación llamada \"{name}\"",
            pt: "O documento não tem nenhuma operação chamada \"{name}\"",
        }
        OperationNameRequired {
            en: "The document has several operations: name the one to run in `operationName`",
            es: "El documento tiene varias operaciones: indica en `operationName` cuál ejecutar",
            pt: "O documento tem várias operações: indique em `operationName` qual executar",
        }
        FragmentCycle(name) {
            en: "Cannot spread fragment \"{name}\" within itself",
            es: "No se puede expandir el fragmento \"{name}\" dentro de sí mismo",
            pt: "Não é possível expandir o fragmento \"{name}\" dentro dele mesmo",
        }
        TooManyFields(fields, max) {
            en: "The query selects {fields} fields once its fragments are expanded; at most {max} are allowed",
            es: "La consulta selecciona {fields} campos una vez expandidos sus fragmentos; se permiten como máximo {max}",
            pt: "A consulta seleciona {fields} campos depois de expandidos seus fragmentos; são permitidos no máximo {max}",
        }
        TooDeep(depth, max) {
            en: "The query is nested {depth} levels deep; at most {max} are allowed",
            es: "La consulta tiene {depth} niveles de anidamiento; se permiten como máximo {max}",
            pt: "A consulta tem {depth} níveis de aninhamento; são permitidos no máximo {max}",
        }
        IntrospectionTooDeep(depth, max) {
            en: "The introspection query is nested {depth} levels deep; at most {max} are allowed",
            es: "La consulta de introspección tiene {depth} niveles de anidamiento; se permiten como máximo {max}",
            pt: "A consulta de introspecção tem {depth} níveis de aninhamento; são permitidos no máximo {max}",
        }
        TooManyAliases(aliases, max) {
            en: "The document uses {aliases} aliases; at most {max} are allowed",
            es: "El documento usa {aliases} alias; se permiten como máximo {max}",
            pt: "O documento usa {aliases} aliases; são permitidos no máximo {max}",
        }
        TooManyDirectives(directives, max) {
            en: "The document uses {directives} directives; at most {max} are allowed",
            es: "El documento usa {directives} directivas; se permiten como máximo {max}",
            pt: "O documento usa {directives} diretivas; são permitidas no máximo {max}",
        }
        TooManySensitiveFields(max, found) {
            en: "Send at most {max} sensitive field (login, money-moving, public write) per request ({found} found)",
            es: "Envía como máximo {max} campo sensible (inicio de sesión, movimiento de dinero, escritura pública) por solicitud (hay {found})",
            pt: "Envie no máximo {max} campo sensível (login, movimentação de dinheiro, escrita pública) por requisição (há {found})",
        }
        NulInArgument(at, field) {
            en: "The argument `{at}` of `{field}` contains a NUL character (\\u0000), which cannot be stored",
            es: "El argumento `{at}` de `{field}` contiene un carácter NUL (\\u0000), que no se puede guardar",
            pt: "O argumento `{at}` de `{field}` contém um caractere NUL (\\u0000), que não pode ser armazenado",
        }
        NulInDirectiveArgument(at, name) {
            en: "The argument `{at}` of `@{name}` contains a NUL character (\\u0000), which cannot be stored",
            es: "El argumento `{at}` de `@{name}` contiene un carácter NUL (\\u0000), que no se puede guardar",
            pt: "O argumento `{at}` de `@{name}` contém um caractere NUL (\\u0000), que não pode ser armazenado",
        }
        NulInVariable(at) {
            en: "The variable `${at}` contains a NUL character (\\u0000), which cannot be stored",
            es: "La variable `${at}` contiene un carácter NUL (\\u0000), que no se puede guardar",
            pt: "A variável `${at}` contém um caractere NUL (\\u0000), que não pode ser armazenado",
        }
        TooComplex(complexity, budget) {
            en: "The query costs {complexity} (each list costs its page size times its fields); at most {budget} is allowed",
            es: "La consulta cuesta {complexity} (cada lista cuesta el tamaño de su página por sus campos); se permite como máximo {budget}",
            pt: "A consulta custa {complexity} (cada lista custa o tamanho da sua página vezes seus campos); é permitido no máximo {budget}",
        }
        NegativeSize(name) {
            en: "`{name}` must not be negative",
            es: "`{name}` no puede ser negativo",
            pt: "`{name}` não pode ser negativo",
        }
        PageTooLarge(name, max) {
            en: "`{name}` must be at most {max}; page through the rest with cursors",
            es: "`{name}` debe ser como máximo {max}; recorre el resto con cursores",
            pt: "`{name}` deve ser no máximo {max}; percorra o restante com cursores",
        }
        NotACursor(name) {
            en: "`{name}` is not a cursor of this listing",
            es: "`{name}` no es un cursor de este listado",
            pt: "`{name}` não é um cursor desta listagem",
        }
        /// `what` is a kind with its article: "a category" (see `super::nouns`).
        NotAnIdOf(field, what) {
            en: "`{field}` is not {what} ID",
            es: "`{field}` no es el ID de {what}",
            pt: "`{field}` não é o ID de {what}",
        }
        NotAnIssuedId(id) {
            en: "{id:?} is not an ID issued by this API",
            es: "{id:?} no es un ID emitido por esta API",
            pt: "{id:?} não é um ID emitido por esta API",
        }
        TooManyIds(max) {
            en: "Ask for at most {max} IDs at once",
            es: "Pide como máximo {max} IDs a la vez",
            pt: "Peça no máximo {max} IDs de uma vez",
        }
        PeriodMonthOrDays {
            en: "a period is either `month`/`year` or `from`/`to`, not both",
            es: "un periodo es `month`/`year` o `from`/`to`, no ambos",
            pt: "um período é `month`/`year` ou `from`/`to`, não ambos",
        }
        YearNeedsMonth {
            en: "`year` needs `month`",
            es: "`year` requiere `month`",
            pt: "`year` requer `month`",
        }
        ToNeedsFrom {
            en: "`to` needs `from`",
            es: "`to` requiere `from`",
            pt: "`to` requer `from`",
        }
        LogInFirst {
            en: "Log in first: send `Authorization: Bearer <accessToken>`",
            es: "Primero inicia sesión: envía `Authorization: Bearer <accessToken>`",
            pt: "Entre primeiro: envie `Authorization: Bearer <accessToken>`",
        }
        SubscriptionTokenExpired {
            en: "The access token expired: subscribe again with a new one",
            es: "El token de acceso venció: vuelve a suscribirte con uno nuevo",
            pt: "O token de acesso expirou: assine novamente com um novo",
        }
        SessionEnded {
            en: "The session ended (logged out, or its token revoked)",
            es: "La sesión terminó (se cerró la sesión o se revocó su token)",
            pt: "A sessão terminou (foi feito logout ou seu token foi revogado)",
        }
        SubscriptionCannotGoOn {
            en: "The subscription could not go on",
            es: "La suscripción no pudo continuar",
            pt: "A assinatura não pôde continuar",
        }
        /// The database did not answer (UNAVAILABLE).
        Unavailable {
            en: "The service cannot reach its database right now; try again in a moment",
            es: "El servicio no puede conectarse con su base de datos en este momento; vuelve a intentarlo en un momento",
            pt: "O serviço não consegue acessar seu banco de dados agora; tente novamente em instantes",
        }
        Internal(request_id) {
            en: "Internal server error (request id {request_id})",
            es: "Error interno del servidor (id de solicitud {request_id})",
            pt: "Erro interno do servidor (id da requisição {request_id})",
        }
        /// `what` is the parser's own words, in English.
        SyntaxError(what) {
            en: "Syntax error: {what}",
            es: "Error de sintaxis: {what}",
            pt: "Erro de sintaxe: {what}",
        }
        UndeclaredVariable(name) {
            en: "The operation declares ${name} but the request's `variables` do not give it",
            es: "La operación declara ${name} pero las `variables` de la solicitud no la incluyen",
            pt: "A operação declara ${name} mas as `variables` da requisição não a incluem",
        }
    }
}
