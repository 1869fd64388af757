//! The domain's one error type. The GraphQL layer converts it at the edge: `Invalid`
//! becomes `userErrors` in a mutation payload, every other variant a GraphQL error with
//! `extensions.code`.

use thiserror::Error;

use crate::i18n::Message;

/// What a user can fix, named so that clients can branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserErrorCode {
    /// A required value is missing or blank.
    Required,
    /// The value is not in the accepted format.
    InvalidFormat,
    TooShort,
    TooLong,
    /// A password needs at least one digit.
    PasswordNeedsDigit,
    /// A password needs at least one letter.
    PasswordNeedsLetter,
    /// A confirmation does not match the value it confirms.
    ConfirmationMismatch,
    /// The current password given is not the caller's.
    WrongPassword,
    /// Document or password is wrong; deliberately not saying which.
    InvalidCredentials,
    /// The refresh token is unknown, expired, revoked or already used.
    InvalidRefreshToken,
    /// The same document exists in several organizations: say which one.
    OrganizationRequired,
    /// The referenced row does not exist or is not the caller's.
    NotFound,
    /// Another row already has this value.
    Duplicate,
    /// The invoice is already paid.
    InvoiceAlreadyPaid,
    /// The invoice is frozen: it cannot be paid for now.
    InvoiceFrozen,
    /// The amount is zero, negative or too large.
    InvalidAmount,
    /// The wallet has fewer coins than the payment needs.
    InsufficientFunds,
    /// The value contains what could be a full card number, which is never stored.
    LooksLikeCardNumber,
    /// The caller already has as many of these records as allowed.
    LimitReached,
    /// The number is outside the accepted range.
    OutOfRange,
    /// The row is still referenced by others and cannot be deleted.
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
    /// The record is reconciled with the bank: its amount, date and account are locked.
    Locked,
    /// The transaction records a document (a sales invoice's income, a receipt's
    /// expense): what the document says of it changes only through the document.
    Linked,
    /// Too many failed attempts: wait `retry_after` seconds before the next one.
    TooManyAttempts,
    /// The one-time token (an invitation, a password reset) is unknown, expired,
    /// replaced by a newer one or already used.
    InvalidToken,
    /// The change would leave the organization without an active ADMIN.
    LastAdmin,
    /// The account is deactivated.
    Deactivated,
    /// The lead already became a driver.
    AlreadyConverted,
    /// The invoice was cancelled: it is owed no more and nothing can change it.
    InvoiceCancelled,
    /// The invoice was split into fractions: pay or change its fractions instead.
    InvoiceSplit,
    /// The amounts do not add up to the total they must make.
    AmountMismatch,
    /// The contract was terminated: it changes no more.
    ContractTerminated,
    /// A customer given inline has the national id of an existing customer whose other
    /// fields differ from those sent.
    CustomerMismatch,
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path to the field inside the mutation input, e.g. `["newPassword"]`.
    pub field: Vec<String>,
    /// Said in the caller's language at the edge.
    pub message: Message,
    pub code: UserErrorCode,
    /// Seconds to wait before trying again (with [`UserErrorCode::TooManyAttempts`]).
    pub retry_after: Option<u32>,
}

impl FieldError {
    pub fn new(field: &str, code: UserErrorCode, message: impl Into<Message>) -> Self {
        Self {
            field: if field.is_empty() {
                vec![]
            } else {
                vec![field.to_string()]
            },
            message: message.into(),
            code,
            retry_after: None,
        }
    }

    /// The same error, saying how many seconds to wait before trying again.
    pub fn retry_after(self, seconds: u32) -> Self {
        Self {
            retry_after: Some(seconds),
            ..self
        }
    }
}

/// What went wrong. The messages of the variants a caller sees are [`Message`]s, said in
/// the caller's language by the GraphQL layer; `Display` is English, for logs.
#[derive(Debug, Error)]
pub enum DomainError {
    #[error("{0}")]
    Unauthenticated(Message),
    #[error("{0}")]
    Forbidden(Message),
    /// The record asked for does not exist or is not the caller's: the message names it.
    #[error("{0}")]
    NotFound(Message),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(Message),
    #[error("database error: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn invalid(field: &str, code: UserErrorCode, message: impl Into<Message>) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }
}

/// Whether `err` says that the database did not answer (stopped, restarting, unreachable,
/// or every pooled connection busy past the wait) rather than that a statement failed:
/// the same request may succeed in a moment.
pub fn database_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(err) = runtime else {
        return false;
    };
    match err.as_ref() {
        Error::Io(_) | Error::Tls(_) | Error::PoolTimedOut | Error::PoolClosed => true,
        Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), and the server shutting down or
        // starting (57P01 to 57P03).
        Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

/// Whether `err` is the database refusing a write on a read-only connection: PostgreSQL's
/// SQLSTATE 25006 (`read_only_sql_transaction`), SQLite's SQLITE_READONLY (code 8, with
/// its extended codes) that `PRAGMA query_only` gives. Only a query operation holds such
/// a connection, so a write refused this way is a read that tried to write: a bug.
pub fn write_refused(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
    let runtime = match err {
        DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(err) = runtime else {
        return false;
    };
    let Error::Database(db) = err.as_ref() else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    if code == "25006" {
        return true;
    }
    // SQLite's codes are numbers: the primary code in the low byte of the extended one.
    db.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_some()
        && code.parse::<i32>().is_ok_and(|code| code & 0xff == 8)
}

impl<E> From<sea_orm::TransactionError<E>> for DomainError
where
    E: std::error::Error + Into<DomainError>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => DomainError::Database(db),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
