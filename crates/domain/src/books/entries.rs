//! The driver's quick entries (the Leasy REST API's "Registrar incomes" and "Registrar
//! expenses"): an amount, for an expense the category's code, and nothing else. Every
//! other field takes its default: today in the organization's timezone, the book's
//! default account, paid on that day, and for an income the book's default INCOME
//! category.
//!
//! An optional idempotency key makes a retried entry safe. The driver records from a
//! phone on a mobile network: when the answer to a POST is lost the app cannot tell
//! whether the entry was written, and a second income recorded silently skews every
//! summary. With the key, the retry returns the transaction of the first request, and
//! records nothing in the audit trail. The key is checked after the book is locked
//! ([`super::in_book`]) and stored in the same database transaction as the entry, as the
//! wallet does ([`idempotency`]): it exists if and only if the entry does, and a request
//! refused with a userError stores nothing, so its key can be used again once the input
//! is fixed.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, SqlErr};

use super::{
    require_writer,
    text::Text,
    transactions::{self, NewTransaction, category_kind},
};
use crate::commons::Id;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_CODE_CHARS, Problems},
    entities::{book, book_category, book_transaction, book_transaction::TransactionKind},
    idempotency::{self, IdempotencyKey},
};

/// A quick income or expense as the driver's app sends it.
#[derive(Debug, Clone)]
pub struct QuickEntry {
    pub amount: Decimal,
    /// The category's code; an expense needs one, an income goes to the default.
    pub category_code: Option<String>,
    /// Makes a retry return the first request's transaction.
    pub key: Option<IdempotencyKey>,
}

/// The operation names idempotency keys are stored under, and the audit trail records.
pub(super) fn operation(kind: TransactionKind) -> &'static str {
    match kind {
        TransactionKind::In => "recordIncome",
        TransactionKind::Out => "recordExpense",
    }
}

/// The category of `book` with `code`, which must file transactions of `kind`.
async fn category_by_code(
    txn: &DatabaseTransaction,
    book: &book::Model,
    kind: TransactionKind,
    code: &str,
) -> DomainResult<book_category::Model> {
    let found = book_category::Entity::find()
        .filter(book_category::Column::BookId.eq(book.id))
        .filter(book_category::Column::Code.eq(code))
        .one(txn)
        .await?
        .ok_or_else(|| {
            DomainError::invalid(
                "category",
                UserErrorCode::NotFound,
                Text::NoCategoryWithCode {
                    code: code.to_string(),
                },
            )
        })?;
    if found.kind != category_kind(kind) {
        return Err(DomainError::invalid(
            "category",
            UserErrorCode::KindMismatch,
            Text::IncomeCategoryForExpense {
                code: code.to_string(),
            },
        ));
    }
    Ok(found)
}

/// Records an income (`In`) or an expense (`Out`) with every field but the amount and the
/// category defaulted. With a key already used for the same entry, returns the
/// transaction it recorded and writes nothing (the flag says it was a replay); with a key
/// used for another entry, CONFLICT.
pub async fn record(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    kind: TransactionKind,
    entry: QuickEntry,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(book_transaction::Model, bool)> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let amount = transactions::amount(&mut p, "amount", entry.amount);
    // Codes are stored in lower case (`checks::code`), as the REST API's apps send them.
    let code = match kind {
        TransactionKind::Out => checks::text(
            &mut p,
            "category",
            entry.category_code.as_deref().unwrap_or(""),
            true,
            MAX_CODE_CHARS,
        )
        .to_lowercase(),
        TransactionKind::In => String::new(),
    };
    p.finish()?;

    let operation = operation(kind);
    let hash = idempotency::request_hash(operation, &format!("{}|{code}", amount.minor()));
    if let Some(key) = &entry.key
        && let Some(id) =
            idempotency::replay::<i64>(txn, viewer.user_id, key, operation, &hash).await?
    {
        return transactions::own_transaction(txn, viewer, book, Id::new(id))
            .await
            .map(|row| (row, true))
            .map_err(|e| match e {
                DomainError::NotFound(_) => DomainError::Conflict(
                    Text::EntryDeletedSince {
                        key: key.as_str().to_string(),
                    }
                    .into(),
                ),
                other => other,
            });
    }

    let mut new = NewTransaction::quick(kind, amount.to_decimal());
    if kind == TransactionKind::Out {
        new.category_id = Some(Id::new(category_by_code(txn, book, kind, &code).await?.id));
    }
    let row = transactions::create_transaction(txn, viewer, book, new, today, now).await?;
    if let Some(key) = &entry.key {
        idempotency::remember(txn, viewer.user_id, key, operation, &hash, &row.id, now)
            .await
            .map_err(|e| match e {
                // The same key, stored meanwhile by a wallet operation of this user (which
                // locks the wallet, not the book).
                DomainError::Database(db)
                    if matches!(db.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    DomainError::Conflict(
                        crate::idempotency::Text::KeyInUse {
                            key: key.as_str().to_string(),
                        }
                        .into(),
                    )
                }
                other => other,
            })?;
    }
    Ok((row, false))
}
