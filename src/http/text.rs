//! What the HTTP and WebSocket transports say of a request they refuse before GraphQL
//! runs it, and the plain-text answers of the documents.

domain::catalogue! {
    /// What the transports say.
    pub enum Text {
        EmptyBatch {
            en: "The batch is empty",
            es: "El lote está vacío",
            pt: "O lote está vazio",
        }
        BatchTooLarge(max, size) {
            en: "A batch may hold at most {max} operations; this one has {size}",
            es: "Un lote puede tener como máximo {max} operaciones; este tiene {size}",
            pt: "Um lote pode ter no máximo {max} operações; este tem {size}",
        }
        TimedOut(ms) {
            en: "The request took longer than {ms} ms and was cancelled; nothing it started was kept",
            es: "La solicitud tardó más de {ms} ms y se canceló; no se conservó nada de lo que inició",
            pt: "A requisição levou mais de {ms} ms e foi cancelada; nada do que ela iniciou foi mantido",
        }
        SendJson {
            en: "Send the request as `Content-Type: application/json`",
            es: "Envía la solicitud como `Content-Type: application/json`",
            pt: "Envie a requisição como `Content-Type: application/json`",
        }
        BodyTooLarge(max) {
            en: "The request body is larger than {max} bytes",
            es: "El cuerpo de la solicitud supera los {max} bytes",
            pt: "O corpo da requisição é maior que {max} bytes",
        }
        /// `why` is axum's words.
        BodyUnreadable(why) {
            en: "Could not read the body: {why}",
            es: "No se pudo leer el cuerpo: {why}",
            pt: "Não foi possível ler o corpo: {why}",
        }
        /// `shape` is the JSON of a request; `why` is serde's words.
        NotAGraphqlRequest(shape, why) {
            en: "The body is not a GraphQL request, {shape}: {why}",
            es: "El cuerpo no es una solicitud GraphQL, {shape}: {why}",
            pt: "O corpo não é uma requisição GraphQL, {shape}: {why}",
        }
        NoQuery {
            en: "The request has no `query`: send the operation's document in `query`",
            es: "La solicitud no tiene `query`: envía el documento de la operación en `query`",
            pt: "A requisição não tem `query`: envie o documento da operação em `query`",
        }
        MalformedQueryString {
            en: "Malformed query string",
            es: "La cadena de consulta de la URL está mal formada",
            pt: "A query string da URL está malformada",
        }
        VariablesNotJson(why) {
            en: "`variables` is not JSON: {why}",
            es: "`variables` no es JSON: {why}",
            pt: "`variables` não é JSON: {why}",
        }
        ExtensionsNotJson(why) {
            en: "`extensions` is not JSON: {why}",
            es: "`extensions` no es JSON: {why}",
            pt: "`extensions` não é JSON: {why}",
        }
        NoQueryParameter {
            en: "Send the operation in the `query` parameter",
            es: "Envía la operación en el parámetro `query`",
            pt: "Envie a operação no parâmetro `query`",
        }
        MutationsNeedPost {
            en: "Mutations must be sent with POST",
            es: "Las mutaciones se deben enviar con POST",
            pt: "As mutações devem ser enviadas com POST",
        }
        TooManyOperations(max) {
            en: "This connection already has {max} operations in flight; wait for one to end (or complete a subscription) before sending another",
            es: "Esta conexión ya tiene {max} operaciones en curso; espera a que termine una (o completa una suscripción) antes de enviar otra",
            pt: "Esta conexão já tem {max} operações em andamento; espere uma terminar (ou conclua uma assinatura) antes de enviar outra",
        }
        TooManyConnections(max) {
            en: "This server already serves {max} WebSocket connections; retry later",
            es: "Este servidor ya atiende {max} conexiones WebSocket; vuelve a intentarlo más tarde",
            pt: "Este servidor já atende {max} conexões WebSocket; tente novamente mais tarde",
        }
        /// A WebSocket `connection_init` with the token of a session that ended.
        TokenSessionEnded {
            en: "the session of this token has ended",
            es: "la sesión de este token terminó",
            pt: "a sessão deste token foi encerrada",
        }
        MessageTooBig(max) {
            en: "A message may be at most {max} bytes",
            es: "Un mensaje puede tener como máximo {max} bytes",
            pt: "Uma mensagem pode ter no máximo {max} bytes",
        }
        ServerStopping {
            en: "the server is stopping; reconnect",
            es: "el servidor se está deteniendo; vuelve a conectarte",
            pt: "o servidor está parando; conecte-se novamente",
        }
        DocumentLogInFirst {
            en: "Log in first: send `Authorization: Bearer <accessToken>` or `Token token=<api token>`",
            es: "Primero inicia sesión: envía `Authorization: Bearer <accessToken>` o `Token token=<api token>`",
            pt: "Entre primeiro: envie `Authorization: Bearer <accessToken>` ou `Token token=<api token>`",
        }
        InvoiceNotFound {
            en: "invoice not found",
            es: "no se encontró la factura",
            pt: "nota fiscal não encontrada",
        }
        PeriodRequired {
            en: "Say which period to export: `period=2026-11` (a month) or `period=2026-11-03..2026-11-20` (days)",
            es: "Indica qué período exportar: `period=2026-11` (un mes) o `period=2026-11-03..2026-11-20` (días)",
            pt: "Diga qual período exportar: `period=2026-11` (um mês) ou `period=2026-11-03..2026-11-20` (dias)",
        }
        NotAPeriod(value) {
            en: "`{value}` is not a period: write a month as 2026-11, or days as 2026-11-03..2026-11-20",
            es: "`{value}` no es un período: escribe un mes como 2026-11, o días como 2026-11-03..2026-11-20",
            pt: "`{value}` não é um período: escreva um mês como 2026-11, ou dias como 2026-11-03..2026-11-20",
        }
        InternalError {
            en: "Internal server error",
            es: "Error interno del servidor",
            pt: "Erro interno do servidor",
        }
    }
}
