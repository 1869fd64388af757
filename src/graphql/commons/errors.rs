//! GraphQL errors with `extensions.code`, and `userErrors` for what a user can fix.

use async_graphql::{Context, Enum, ErrorExtensions, ServerError, SimpleObject};

use super::request::RequestContext;
use crate::domain::{DomainError, FieldError, UserErrorCode as DomainCode};

/// The values of `extensions.code` on a GraphQL error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    Conflict,
    Internal,
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
        }
    }

    /// An error for a resolver to return.
    pub fn error(self, message: impl Into<String>) -> async_graphql::Error {
        async_graphql::Error::new(message).extend_with(|_, e| e.set("code", self.as_str()))
    }

    /// An error for the request as a whole (limits, transport).
    pub fn server_error(self, message: impl Into<String>) -> ServerError {
        let mut error = ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", self.as_str());
        error
    }
}

/// An internal failure: the detail goes to the log with the request id, the caller only
/// gets the request id to quote.
pub fn internal(request_id: &str, detail: &dyn std::fmt::Display) -> async_graphql::Error {
    tracing::error!(request_id, error = %detail, "internal error");
    async_graphql::Error::new(format!("Internal server error (request id {request_id})"))
        .extend_with(|_, e| {
            e.set("code", ErrorCode::Internal.as_str());
            e.set("requestId", request_id);
        })
}

/// The id the HTTP layer gave the request, for the log and the INTERNAL error's answer.
fn request_id<'a>(ctx: &'a Context<'_>) -> &'a str {
    ctx.data_opt::<RequestContext>()
        .map_or("-", |r| r.request_id.as_str())
}

/// Converts a domain error at the edge. `Invalid` should have been turned into
/// `userErrors` by a payload; where it reaches here it becomes BAD_USER_INPUT.
pub fn domain_error(ctx: &Context<'_>, err: DomainError) -> async_graphql::Error {
    match err {
        DomainError::Unauthenticated(m) => ErrorCode::Unauthenticated.error(m),
        DomainError::Forbidden(m) => ErrorCode::Forbidden.error(m),
        DomainError::NotFound(what) => ErrorCode::NotFound.error(format!("{what} not found")),
        DomainError::Conflict(m) => ErrorCode::Conflict.error(m),
        DomainError::Invalid(errors) => {
            let message = errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            ErrorCode::BadUserInput.error(message)
        }
        DomainError::Database(db) => internal(request_id(ctx), &db),
        DomainError::Internal(detail) => internal(request_id(ctx), &detail),
    }
}

/// A DataLoader's failure: the database error behind it, as INTERNAL.
pub fn loader_error(
    ctx: &Context<'_>,
    err: std::sync::Arc<sea_orm::DbErr>,
) -> async_graphql::Error {
    domain_error(ctx, DomainError::Database((*err).clone()))
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
    /// The amount is zero, negative or too large (the seed's "El monto a pagar es inválido").
    InvalidAmount,
    /// The wallet has fewer coins than the payment needs (the seed's "No tienes suficientes coins").
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
    /// Too many failed attempts (logins of one document, or from one address): wait
    /// `retryAfter` seconds before trying again. Nothing was checked.
    TooManyAttempts,
}

/// A problem with the input that the user can fix.
#[derive(Debug, Clone, SimpleObject)]
pub struct UserError {
    /// Path to the input field at fault, e.g. `["newPassword"]`; empty when the whole
    /// input is at fault.
    pub field: Vec<String>,
    /// A message that can be shown to the user as is (Spanish where the seeds are).
    pub message: String,
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

/// Splits a domain result into the payload's value or its `userErrors`; everything a
/// user cannot fix stays a GraphQL error.
pub fn user_errors<T>(
    ctx: &Context<'_>,
    result: Result<T, DomainError>,
) -> async_graphql::Result<Result<T, Vec<UserError>>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(DomainError::Invalid(errors)) => {
            Ok(Err(errors.into_iter().map(UserError::from).collect()))
        }
        Err(other) => Err(domain_error(ctx, other)),
    }
}

/// Keeps `DomainCode` in use for the remote enum derive.
#[allow(dead_code)]
fn _assert_remote(code: DomainCode) -> UserErrorCode {
    code.into()
}

/// Gives every error of `response` a code. Ours all carry one; those async-graphql raises
/// itself (syntax, unknown fields, variables of the wrong type) are the caller's query at
/// fault.
pub fn code_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", ErrorCode::BadUserInput.as_str());
        }
    }
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
        code_errors(&mut response);
        response
    }
}
