//! GraphQL errors with `extensions.code`, and `userErrors` for what a user can fix.

use std::sync::Arc;

use async_graphql::{Enum, ErrorExtensions, ServerError, SimpleObject};
use sea_orm::DbErr;

use super::{request::RequestContext, text::Text};
use crate::domain::{
    DomainError, FieldError, Language, Message, UserErrorCode as DomainCode,
    error::{database_unavailable, write_refused},
    i18n::Sentence,
};

/// The values of `extensions.code` on a GraphQL error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    Internal,
    /// The database did not answer: nothing was done, try again in a moment.
    Unavailable,
    QueryTooLong,
    QueryTooDeep,
    QueryTooLarge,
    QueryTooComplex,
    TooManyAliases,
    TooManySensitiveFields,
    TooManyDirectives,
    BatchTooLarge,
    /// One WebSocket connection has as many operations in flight as it may.
    TooManyOperations,
    RequestTimeout,
    PayloadTooLarge,
    BadRequest,
    /// The document is not GraphQL: a syntax error (Apollo's code, which clients know).
    ParseFailed,
    /// The document is GraphQL but not valid against the schema (an unknown field, a
    /// missing argument...): nothing ran.
    ValidationFailed,
    /// A document sent by hash alone that this replica does not know (Apollo's persisted
    /// queries): send the text with the hash once.
    PersistedQueryNotFound,
    /// A hash outside the manifest of a server that runs only its manifest's documents.
    PersistedQueryNotInList,
    /// A document sent as text on such a server.
    QueryNotInSafelist,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::Unavailable => "UNAVAILABLE",
            ErrorCode::QueryTooLong => "QUERY_TOO_LONG",
            ErrorCode::QueryTooDeep => "QUERY_TOO_DEEP",
            ErrorCode::QueryTooLarge => "QUERY_TOO_LARGE",
            ErrorCode::QueryTooComplex => "QUERY_TOO_COMPLEX",
            ErrorCode::TooManyAliases => "TOO_MANY_ALIASES",
            ErrorCode::TooManySensitiveFields => "TOO_MANY_SENSITIVE_FIELDS",
            ErrorCode::TooManyDirectives => "TOO_MANY_DIRECTIVES",
            ErrorCode::BatchTooLarge => "BATCH_TOO_LARGE",
            ErrorCode::TooManyOperations => "TOO_MANY_OPERATIONS",
            ErrorCode::RequestTimeout => "REQUEST_TIMEOUT",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::BadRequest => "BAD_REQUEST",
            ErrorCode::ParseFailed => "GRAPHQL_PARSE_FAILED",
            ErrorCode::ValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            ErrorCode::PersistedQueryNotInList => "PERSISTED_QUERY_NOT_IN_LIST",
            ErrorCode::QueryNotInSafelist => "QUERY_NOT_IN_SAFELIST",
        }
    }

    /// An error for a resolver to return; its message is said in the caller's language
    /// when the response is coded ([`code_errors`]).
    pub fn error(self, message: impl Into<Message>) -> async_graphql::Error {
        async_graphql::Error::new_with_source(message.into())
            .extend_with(|_, e| e.set("code", self.as_str()))
    }

    /// An error for the request as a whole (limits, transport); see [`say_errors`].
    pub fn server_error(self, message: impl Into<Message>) -> ServerError {
        let message = message.into();
        let mut error = ServerError::new(message.english(), None);
        error.source = Some(Arc::new(message));
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", self.as_str());
        error
    }
}

/// Says in `language` the message of each error raised with a [`Message`]
/// ([`ErrorCode::error`], [`ErrorCode::server_error`]).
pub fn say_errors(errors: &mut [ServerError], language: Language) {
    for error in errors {
        if let Some(message) = error.source::<Message>() {
            error.message = message.say(language);
        }
    }
}

/// What the caller is told of an error raised with `?` from the domain or the database:
/// its code and message, or, for a failure of ours, that it was internal (the detail goes
/// to the log only).
enum Answer {
    Coded(ErrorCode, String),
    /// The database did not answer; the detail goes to the log.
    Unavailable(String),
    Internal(String),
    /// A query tried to write and its read-only connection refused: a bug of ours,
    /// answered as any internal error and logged as one that must be fixed.
    WriteInQuery(String),
}

/// A database failure: unavailable when the database did not answer (the caller may try
/// again), internal otherwise.
fn database(err: &DbErr) -> Answer {
    if database_unavailable(err) {
        Answer::Unavailable(err.to_string())
    } else if write_refused(err) {
        Answer::WriteInQuery(err.to_string())
    } else {
        Answer::Internal(err.to_string())
    }
}

/// The answer for an error whose source is the domain's or the database's; `None` for
/// any other (the resolver's own, already coded).
fn answer(error: &ServerError, language: Language) -> Option<Answer> {
    if let Some(err) = error.source::<DomainError>() {
        return Some(match err {
            DomainError::Unauthenticated(m) => {
                Answer::Coded(ErrorCode::Unauthenticated, m.say(language))
            }
            DomainError::Forbidden(m) => Answer::Coded(ErrorCode::Forbidden, m.say(language)),
            DomainError::NotFound(m) => Answer::Coded(ErrorCode::NotFound, m.say(language)),
            DomainError::Conflict(m) => Answer::Coded(ErrorCode::Conflict, m.say(language)),
            // A payload turns these into `userErrors` ([`super::payload()`]); where one
            // reaches here it is the caller's input all the same.
            DomainError::Invalid(errors) => Answer::Coded(
                ErrorCode::BadUserInput,
                errors
                    .iter()
                    .map(|e| e.message.say(language))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            DomainError::Database(db) => database(db),
            DomainError::Internal(detail) => Answer::Internal(detail.clone()),
        });
    }
    // A DataLoader's failure is shared by every field that waited for it.
    if let Some(err) = error.source::<Arc<DbErr>>() {
        return Some(database(err));
    }
    error.source::<DbErr>().map(database)
}

/// A syntax error, said in one line: the parser's message is a drawing of the line with a
/// caret under the fault, over several lines, which a client shows badly; `locations`
/// already say where it is.
pub fn parse_failed(mut error: ServerError) -> ServerError {
    let expected = error
        .message
        .lines()
        .rev()
        .find_map(|line| line.trim_start().strip_prefix("= "))
        .map(str::trim);
    // The parser's other refusals (two anonymous operations...) are one line already.
    if let Some(what) = expected {
        let message = Message::from(Text::SyntaxError {
            what: what.to_string(),
        });
        error.message = message.english();
        error.source = Some(Arc::new(message));
    }
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", ErrorCode::ParseFailed.as_str());
    error
}

/// Why a mutation's input was refused, and which field to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::UserErrorCode")]
pub enum UserErrorCode {
    /// A required value is missing or blank.
    Required,
    /// The value is not in the accepted format.
    InvalidFormat,
    /// The value is shorter than allowed.
    TooShort,
    /// The value is longer than allowed.
    TooLong,
    /// A password needs at least one digit.
    PasswordNeedsDigit,
    /// A password needs at least one letter.
    PasswordNeedsLetter,
    /// A confirmation does not match the value it confirms.
    ConfirmationMismatch,
    /// The current password given is not correct.
    WrongPassword,
    /// Document or password is wrong (deliberately not saying which).
    InvalidCredentials,
    /// The refresh token is unknown, expired, revoked or already used.
    InvalidRefreshToken,
    /// The document exists in several organizations: give `organization`.
    OrganizationRequired,
    /// The referenced record does not exist or is not yours.
    NotFound,
    /// Another record already has this value.
    Duplicate,
    /// The invoice is already paid.
    InvoiceAlreadyPaid,
    /// The invoice is frozen: it cannot be paid for now.
    InvoiceFrozen,
    /// The amount is zero, negative or too large (the REST API's "El monto a pagar es inválido").
    InvalidAmount,
    /// The wallet has fewer coins than the payment needs (the REST API's "No tienes suficientes coins").
    InsufficientFunds,
    /// The value contains what could be a full card number: send the processor's token
    /// and the card's display data only, never the number itself.
    LooksLikeCardNumber,
    /// You already have as many of these records as allowed: remove one first.
    LimitReached,
    /// The number is outside the accepted range.
    OutOfRange,
    /// The record is still used by others (e.g. a plan drivers are on) and cannot be
    /// deleted.
    InUse,
    /// The record is the default of its book: make another one the default first.
    IsDefault,
    /// The book needs at least one of these records: it is the last one.
    LastRecord,
    /// The referenced record is of another kind (an income category for an expense one).
    KindMismatch,
    /// The parent is not a top-level category of the same book and kind (subcategories
    /// are one level deep).
    InvalidParent,
    /// A record cannot replace itself.
    SameRecord,
    /// The transaction is reconciled with the bank: its amount, date and account are
    /// locked until its reconciliation is cleared.
    Locked,
    /// The transaction is the payment of a document (a sales invoice's `income`, a
    /// receipt's `expense`; the message names it): its kind, amount, date, payment,
    /// description and contact change only through that document (`updateSalesInvoice`,
    /// `markSalesInvoicePaid`, `updateReceipt`, `markReceiptPaid`), and it is deleted only
    /// with it or by marking the document unpaid. Its category, account, tags, notes and
    /// reconciliation are the book's and change as any transaction's.
    Linked,
    /// Too many failed attempts (logins of one document, or from one address): wait
    /// `retryAfter` seconds before trying again. Nothing was checked.
    TooManyAttempts,
    /// The one-time token (an invitation or a password reset) is unknown, expired,
    /// replaced by a newer one or already used: ask for a new one.
    InvalidToken,
    /// The change would leave the organization without an active ADMIN: make someone
    /// else ADMIN first.
    LastAdmin,
    /// The account is deactivated: reactivate it first.
    Deactivated,
    /// The lead already became a driver (see `Lead.client`).
    AlreadyConverted,
    /// The invoice was cancelled: it is owed no more and nothing can change it.
    InvoiceCancelled,
    /// The invoice was split into fractions (see `Invoice.fractions`): pay or change
    /// those instead.
    InvoiceSplit,
    /// The amounts given do not add up to the total they must make.
    AmountMismatch,
    /// The contract was terminated (`Contract.state`): it changes no more.
    ContractTerminated,
    /// A customer given inline (without `id`) has the national id of an existing customer,
    /// who is used unchanged, but this field sent differs from what it holds (the message
    /// says what): send its `id` (with the fields to change), or the field as it is.
    CustomerMismatch,
}

/// A problem with the input that the user can fix.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct UserError {
    /// Path to the input field at fault, e.g. `["newPassword"]`; empty when the whole
    /// input is at fault.
    pub field: Vec<String>,
    #[graphql(skip)]
    pub message: Message,
    /// What went wrong, for clients to branch on.
    pub code: UserErrorCode,
    /// Seconds to wait before trying again; set with TOO_MANY_ATTEMPTS.
    pub retry_after: Option<u32>,
}

impl From<FieldError> for UserError {
    fn from(e: FieldError) -> Self {
        Self {
            field: e.field,
            message: e.message,
            code: e.code.into(),
            retry_after: e.retry_after,
        }
    }
}

#[async_graphql::ComplexObject]
impl UserError {
    /// A message that can be shown to the user as is, in the language the request asks
    /// for with `Accept-Language` (English, Spanish or Portuguese), else in its
    /// organization's.
    async fn message(&self, ctx: &async_graphql::Context<'_>) -> String {
        // A user error is a mutation's: its statements go through the read-write pool.
        let language = match (
            ctx.data_opt::<RequestContext>(),
            ctx.data_opt::<crate::state::AppState>(),
        ) {
            (Some(request), Some(state)) => request.language(&state.db).await,
            (Some(request), None) => request.language_known(),
            (None, _) => Language::default(),
        };
        self.message.say(language)
    }
}

/// Keeps `DomainCode` in use for the remote enum derive.
#[allow(dead_code)]
fn _assert_remote(code: DomainCode) -> UserErrorCode {
    code.into()
}

/// Gives every error of `response` a code, in one place for every resolver. An error a
/// resolver raised with `?` from the domain or the database gets the code and message its
/// kind calls for; an internal one is logged with `request_id` and answered with only
/// that id to quote. Our other errors carry a code already (syntax errors their own,
/// [`parse_failed`]); those async-graphql raises itself are the caller's at fault:
/// GRAPHQL_VALIDATION_FAILED for the document's shape (an unknown field or argument),
/// BAD_USER_INPUT for the values sent (an argument or variable a scalar refused).
pub fn code_errors(response: &mut async_graphql::Response, request_id: &str, language: Language) {
    // Errors that stopped the request before any resolver ran are the document's against
    // the schema: validation. Others are the caller's values.
    let before_execution = failed_before_execution(response);
    for error in &mut response.errors {
        // A variable missing is the caller's values at fault.
        let mut about_values = about_values(&error.message);
        if let Some(name) = error
            .message
            .strip_prefix("Variable ")
            .and_then(|rest| rest.strip_suffix(" is not defined."))
        {
            let name = name.to_string();
            error.message = Text::UndeclaredVariable { name }.say(language);
            about_values = true;
        }
        if let Some(message) = error.source::<Message>() {
            error.message = message.say(language);
        }
        match answer(error, language) {
            Some(Answer::Coded(code, message)) => {
                error.message = message;
                error
                    .extensions
                    .get_or_insert_with(Default::default)
                    .set("code", code.as_str());
            }
            Some(Answer::Unavailable(detail)) => {
                tracing::warn!(request_id, error = %detail, "the database did not answer");
                error.message = Text::Unavailable.say(language);
                let extensions = error.extensions.get_or_insert_with(Default::default);
                extensions.set("code", ErrorCode::Unavailable.as_str());
                extensions.set("requestId", request_id);
            }
            Some(Answer::Internal(detail)) => {
                tracing::error!(request_id, error = %detail, "internal error");
                internal(error, request_id, language);
            }
            Some(Answer::WriteInQuery(detail)) => {
                tracing::error!(
                    request_id,
                    error = %detail,
                    path = ?error.path,
                    "BUG: a query tried to write; its read-only connection refused the \
                     statement. Queries must only read: move the write into a mutation"
                );
                internal(error, request_id, language);
            }
            None => {}
        }
        let coded = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !coded {
            let fallback = if before_execution && !about_values {
                ErrorCode::ValidationFailed
            } else {
                ErrorCode::BadUserInput
            };
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", fallback.as_str());
        }
    }
}

/// Answers `error` as INTERNAL, with only `request_id` to quote.
fn internal(error: &mut ServerError, request_id: &str, language: Language) {
    error.message = Text::Internal {
        request_id: request_id.to_string(),
    }
    .say(language);
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", ErrorCode::Internal.as_str());
    extensions.set("requestId", request_id);
}

/// Whether a request failed before execution (parsing, validation, a limit): errors
/// without a path and no data, so that no resolver ran.
pub fn failed_before_execution(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// Whether async-graphql's refusal before execution is about the values the caller sent
/// (an argument or a variable the scalar refused) rather than the document's shape:
/// BAD_USER_INPUT, as Apollo's tooling expects, not GRAPHQL_VALIDATION_FAILED. (A
/// variable missing is too; [`code_errors`] knows it by its own words.)
fn about_values(message: &str) -> bool {
    ["Invalid value for argument", "Invalid default value"]
        .iter()
        .any(|start| message.starts_with(start))
}

/// [`code_errors`] as an extension, for the `live` schema (see `graphql::Schemas`). Its
/// `request` hook runs for `execute` only: over WebSocket (`execute_stream`) `http::ws`
/// codes each message itself.
pub struct ErrorCodes;

impl async_graphql::extensions::ExtensionFactory for ErrorCodes {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ErrorCodesGuard)
    }
}

struct ErrorCodesGuard;

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for ErrorCodesGuard {
    async fn request(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        next: async_graphql::extensions::NextRequest<'_>,
    ) -> async_graphql::Response {
        let mut response = next.run(ctx).await;
        let request = ctx.data_opt::<RequestContext>();
        let request_id = request.map_or("-", |r| r.request_id.as_str());
        let state = ctx.data_opt::<crate::state::AppState>();
        let language = match (request, state) {
            (Some(request), Some(state)) if !response.errors.is_empty() => {
                request.language(&state.read_only).await
            }
            (Some(request), _) => request.language_known(),
            (None, _) => Language::default(),
        };
        code_errors(&mut response, request_id, language);
        response
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Pos, Response, Value};

    use super::*;
    use crate::domain::{checks, commons::text::NotFound, visibility};

    /// What a client gets for `err`, raised with `?` in a resolver.
    fn answered<E>(err: E) -> ServerError
    where
        async_graphql::Error: From<E>,
    {
        let raised = async_graphql::Error::from(err);
        let error = raised.into_server_error(Pos::default());
        let mut response = Response::from_errors(vec![error]);
        code_errors(&mut response, "req-7", Language::English);
        response.errors.remove(0)
    }

    fn code(error: &ServerError) -> Option<&Value> {
        error.extensions.as_ref().and_then(|e| e.get("code"))
    }

    #[test]
    fn a_domain_error_raised_with_the_question_mark_gets_its_code() {
        let error = answered(DomainError::from(NotFound::Card));
        assert_eq!(error.message, "Card not found");
        assert_eq!(code(&error), Some(&Value::from("NOT_FOUND")));
        let error = answered(DomainError::Forbidden(visibility::Text::StaffOnly.into()));
        assert_eq!(code(&error), Some(&Value::from("FORBIDDEN")));
        let error = answered(DomainError::Invalid(vec![FieldError::new(
            "amount",
            DomainCode::Required,
            checks::Text::Required,
        )]));
        assert_eq!(code(&error), Some(&Value::from("BAD_USER_INPUT")));
        assert_eq!(error.message, "This field is required");
    }

    #[test]
    fn a_database_failure_is_internal_and_quotes_only_the_request_id() {
        let failures = [
            answered(DomainError::Database(DbErr::Custom(
                "pool timed out".into(),
            ))),
            answered(DbErr::Custom("pool timed out".into())),
            // A DataLoader's failure, shared by the fields that waited for it.
            answered(Arc::new(DbErr::Custom("pool timed out".into()))),
            answered(DomainError::Internal("a book without accounts".into())),
        ];
        for error in failures {
            assert_eq!(code(&error), Some(&Value::from("INTERNAL")));
            assert_eq!(error.message, "Internal server error (request id req-7)");
            let extensions = error.extensions.as_ref().expect("extensions");
            assert_eq!(extensions.get("requestId"), Some(&Value::from("req-7")));
        }
    }

    #[test]
    fn a_database_that_does_not_answer_is_unavailable_not_internal() {
        use sea_orm::{ConnAcquireErr, RuntimeErr, sqlx};
        let refused = || {
            DbErr::Conn(RuntimeErr::SqlxError(Arc::new(sqlx::Error::Io(
                std::io::ErrorKind::ConnectionRefused.into(),
            ))))
        };
        let failures = [
            answered(DomainError::Database(DbErr::ConnectionAcquire(
                ConnAcquireErr::Timeout,
            ))),
            answered(DomainError::Database(refused())),
            answered(refused()),
            answered(Arc::new(DbErr::Exec(RuntimeErr::SqlxError(Arc::new(
                sqlx::Error::PoolClosed,
            ))))),
        ];
        for error in failures {
            assert_eq!(code(&error), Some(&Value::from("UNAVAILABLE")));
            assert_eq!(error.message, Text::Unavailable.say(Language::English));
        }
        // A statement the database refused is ours to look at, not the caller's to retry.
        let refused_statement = answered(DbErr::Exec(RuntimeErr::Internal("syntax".into())));
        assert_eq!(code(&refused_statement), Some(&Value::from("INTERNAL")));
    }

    /// What is logged while `work` runs on this thread, as plain lines.
    fn logged<T>(work: impl FnOnce() -> T) -> (T, String) {
        #[derive(Clone, Default)]
        struct Lines(Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Lines {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let value = tracing::subscriber::with_default(subscriber, work);
        let text = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
        (value, text)
    }

    #[tokio::test]
    async fn a_write_refused_by_a_read_only_connection_is_internal_and_logged_as_a_bug() {
        use sea_orm::{ConnectionTrait, Database};
        // One connection, told as the read-only pool's are (`db::connect_read_only`).
        let db = Database::connect("sqlite::memory:").await.unwrap();
        db.execute_unprepared("CREATE TABLE t (a INTEGER)")
            .await
            .unwrap();
        db.execute_unprepared("PRAGMA query_only = ON")
            .await
            .unwrap();
        let refused = || async {
            db.execute_unprepared("INSERT INTO t VALUES (1)")
                .await
                .expect_err("a read-only connection refuses a write")
        };
        assert!(write_refused(&refused().await));
        let raised = refused().await;
        let loaded = Arc::new(refused().await);
        for (error, logs) in [
            logged(|| answered(DomainError::Database(raised))),
            // Through a DataLoader, which shares its failure.
            logged(|| answered(loaded)),
        ] {
            assert_eq!(code(&error), Some(&Value::from("INTERNAL")));
            assert_eq!(error.message, "Internal server error (request id req-7)");
            assert!(logs.contains("ERROR"), "{logs}");
            assert!(logs.contains("BUG: a query tried to write"), "{logs}");
            assert!(logs.contains("req-7"), "{logs}");
        }
        // Any other failure of a statement is not taken for one.
        let other = db
            .execute_unprepared("SELECT * FROM missing")
            .await
            .expect_err("no such table");
        assert!(!write_refused(&other));
    }

    #[test]
    fn messages_are_said_in_the_language_asked() {
        let raised = async_graphql::Error::from(DomainError::from(NotFound::Card));
        let mut response = Response::from_errors(vec![raised.into_server_error(Pos::default())]);
        code_errors(&mut response, "req-7", Language::Spanish);
        assert_eq!(response.errors[0].message, "No se encontró la tarjeta");

        // async-graphql's words for a variable missing are replaced by ours, in the
        // language asked, and the refusal is still about the values sent.
        let missing = ServerError::new("Variable id is not defined.", None);
        let mut response = Response::from_errors(vec![missing]);
        code_errors(&mut response, "req-7", Language::Portuguese);
        let error = &response.errors[0];
        assert_eq!(
            error.message,
            "A operação declara $id mas as `variables` da requisição não a incluem"
        );
        assert_eq!(code(error), Some(&Value::from("BAD_USER_INPUT")));
    }

    #[test]
    fn an_error_already_coded_keeps_its_code() {
        let error = answered(ErrorCode::Conflict.error(Text::LogInFirst));
        assert_eq!(code(&error), Some(&Value::from("CONFLICT")));
        assert_eq!(error.message, Text::LogInFirst.say(Language::English));
    }
}
