//! The books' writes as the API makes them, one function per mutation: each runs in a
//! transaction of its own that locks the caller's book ([`in_book`]), and says what it
//! changed so that a staff member's write to the business book is recorded in the audit
//! trail (a driver's write to their own book is not). The rules of each write are in its
//! module; this one adds the record: the object (the main one when a write changes
//! several rows: a transfer's two sides, a series' occurrences), the operation (the
//! mutation's name) and the object's fields before and after.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};
use serde::Serialize;

use super::{
    accounts::{self, AccountChanges, NewAccount},
    budgets::{self, BudgetView, SetBudget},
    cards::{self, CardChanges, NewCard},
    categories::{self, CategoryChanges, NewCategory},
    cycles::Month,
    entries::{self, QuickEntry},
    imports::{self, Imported, StatementFormat, StatementImport},
    in_book,
    series_edits::{self, Created, SeriesRequest, SeriesScope},
    statements::{self, Statement, StatementPayment},
    tags,
    transactions::{self, NewTransaction, TransactionChanges},
    transfers::{self, NewTransfer, Transfer},
};
use crate::events::{self, Event, TransactionRecorded};
use crate::{
    DomainResult,
    audit::{Actor, Change, ObjectKind},
    commons::{AccountId, CategoryId, CreditCardId, Id, TagId, TransactionId, TransferId},
    entities::{
        book_account, book_category, book_credit_card, book_tag, book_transaction,
        book_transaction::TransactionKind,
    },
};

// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

/// `createAccount`.
pub async fn create_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewAccount,
    now: DateTime<Utc>,
) -> DomainResult<book_account::Model> {
    in_book(db, actor, now, async |txn, book| {
        let row = accounts::create_account(txn, actor.viewer, book, new, now).await?;
        let change = Change::of(
            ObjectKind::Account,
            row.id,
            "createAccount",
            None,
            Some(&row),
        );
        Ok((row, Some(change)))
    })
    .await
}

/// `updateAccount`.
pub async fn update_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: AccountId,
    changes: AccountChanges,
    now: DateTime<Utc>,
) -> DomainResult<book_account::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) =
            accounts::update_account(txn, actor.viewer, book, id, changes, now).await?;
        let change = Change::of(
            ObjectKind::Account,
            after.id,
            "updateAccount",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

/// `deleteAccount`; returns the id deleted.
pub async fn delete_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: AccountId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_book(db, actor, now, async |txn, book| {
        let row = accounts::delete_account(txn, actor.viewer, book, id).await?;
        let change = Change::of(
            ObjectKind::Account,
            row.id,
            "deleteAccount",
            Some(&row),
            None,
        );
        Ok((row.id, Some(change)))
    })
    .await
}

/// `setDefaultAccount`: recorded as a change of the account made the default (the one it
/// replaces changes with it, as the rule of one default says).
pub async fn set_default_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: AccountId,
    now: DateTime<Utc>,
) -> DomainResult<book_account::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) =
            accounts::set_default_account(txn, actor.viewer, book, id, now).await?;
        let change = Change::of(
            ObjectKind::Account,
            after.id,
            "setDefaultAccount",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------

/// `createCategory`.
pub async fn create_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewCategory,
    now: DateTime<Utc>,
) -> DomainResult<book_category::Model> {
    in_book(db, actor, now, async |txn, book| {
        let row = categories::create_category(txn, actor.viewer, book, new, now).await?;
        let change = Change::of(
            ObjectKind::Category,
            row.id,
            "createCategory",
            None,
            Some(&row),
        );
        Ok((row, Some(change)))
    })
    .await
}

/// `updateCategory`.
pub async fn update_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CategoryId,
    changes: CategoryChanges,
    now: DateTime<Utc>,
) -> DomainResult<book_category::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) =
            categories::update_category(txn, actor.viewer, book, id, changes, now).await?;
        let change = Change::of(
            ObjectKind::Category,
            after.id,
            "updateCategory",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

/// `setDefaultCategory`: recorded as a change of the category made the default.
pub async fn set_default_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CategoryId,
    now: DateTime<Utc>,
) -> DomainResult<book_category::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) =
            categories::set_default_category(txn, actor.viewer, book, id, now).await?;
        let change = Change::of(
            ObjectKind::Category,
            after.id,
            "setDefaultCategory",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

/// `deleteCategory`; returns the category deleted and the one that took over its
/// records. Recorded as the removal of the category: what moved to the replacement
/// moved because of it.
pub async fn delete_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CategoryId,
    replacement_id: Option<CategoryId>,
    now: DateTime<Utc>,
) -> DomainResult<(book_category::Model, book_category::Model)> {
    in_book(db, actor, now, async |txn, book| {
        let (deleted, replacement) =
            categories::delete_category(txn, actor.viewer, book, id, replacement_id, now).await?;
        let change = Change::of(
            ObjectKind::Category,
            deleted.id,
            "deleteCategory",
            Some(&deleted),
            None,
        );
        Ok(((deleted, replacement), Some(change)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------

/// `createTag`.
pub async fn create_tag(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    name: &str,
    now: DateTime<Utc>,
) -> DomainResult<book_tag::Model> {
    in_book(db, actor, now, async |txn, book| {
        let row = tags::create_tag(txn, actor.viewer, book, name, now).await?;
        let change = Change::of(ObjectKind::Tag, row.id, "createTag", None, Some(&row));
        Ok((row, Some(change)))
    })
    .await
}

/// `updateTag`.
pub async fn update_tag(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: TagId,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> DomainResult<book_tag::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) = tags::update_tag(txn, actor.viewer, book, id, name, now).await?;
        let change = Change::of(
            ObjectKind::Tag,
            after.id,
            "updateTag",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

/// `deleteTag`; returns the id deleted.
pub async fn delete_tag(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: TagId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_book(db, actor, now, async |txn, book| {
        let row = tags::delete_tag(txn, actor.viewer, book, id).await?;
        let change = Change::of(ObjectKind::Tag, row.id, "deleteTag", Some(&row), None);
        Ok((row.id, Some(change)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------

/// A transaction as its records show it: its columns and its tags, since putting a tag
/// on it or taking one off is a change of the transaction.
#[derive(Serialize)]
struct TransactionFields<'a> {
    #[serde(flatten)]
    row: &'a book_transaction::Model,
    tag_ids: Vec<i64>,
}

async fn with_tags<'a>(
    txn: &DatabaseTransaction,
    row: &'a book_transaction::Model,
) -> DomainResult<TransactionFields<'a>> {
    Ok(TransactionFields {
        row,
        tag_ids: tag_ids(txn, row.id).await?,
    })
}

async fn tag_ids(txn: &DatabaseTransaction, transaction_id: i64) -> DomainResult<Vec<i64>> {
    let mut ids = series_edits::tags_of(txn, transaction_id).await?;
    ids.sort_unstable();
    Ok(ids)
}

/// Tells the book's subscribers of transactions recorded by a person or an integration.
async fn announce_recorded<'a>(
    txn: &DatabaseTransaction,
    rows: impl IntoIterator<Item = &'a book_transaction::Model>,
) -> DomainResult<()> {
    for row in rows {
        events::announce(
            txn,
            Event::TransactionRecorded(TransactionRecorded::of(row)),
        )
        .await?;
    }
    Ok(())
}

/// `createTransaction`, alone or as the start of a series: recorded as the creation of
/// the transaction it answers (the first occurrence of a series).
pub async fn create_transaction(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewTransaction,
    request: SeriesRequest,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Created> {
    in_book(db, actor, now, async |txn, book| {
        let created =
            series_edits::create(txn, actor.viewer, book, new, request, today, now).await?;
        let row = &created.transaction;
        let change = Change::of(
            ObjectKind::Transaction,
            row.id,
            "createTransaction",
            None,
            Some(&with_tags(txn, row).await?),
        );
        announce_recorded(txn, [row]).await?;
        Ok((created, Some(change)))
    })
    .await
}

/// `updateTransaction`; returns the transaction as it is now and how many occurrences
/// changed. Recorded as the change of that transaction, whatever the scope.
pub async fn update_transaction(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: TransactionId,
    changes: TransactionChanges,
    scope: SeriesScope,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(book_transaction::Model, u64)> {
    in_book(db, actor, now, async |txn, book| {
        let before = transactions::stored_transaction(txn, actor.viewer, book, id, now).await?;
        let id = Id::new(before.id);
        let before = with_tags(txn, &before).await?;
        let (after, count) =
            series_edits::update(txn, actor.viewer, book, id, changes, scope, today, now).await?;
        let change = Change::of(
            ObjectKind::Transaction,
            after.id,
            "updateTransaction",
            Some(&before),
            Some(&with_tags(txn, &after).await?),
        );
        Ok(((after, count), Some(change)))
    })
    .await
}

/// `deleteTransaction`; returns the ids deleted. Recorded as the removal of the
/// transaction named, whatever went with it (the other side of a transfer, occurrences
/// in scope).
pub async fn delete_transaction(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: TransactionId,
    scope: SeriesScope,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Vec<i64>> {
    in_book(db, actor, now, async |txn, book| {
        let row = transactions::stored_transaction(txn, actor.viewer, book, id, now).await?;
        let id = Id::new(row.id);
        let before = with_tags(txn, &row).await?;
        let deleted = series_edits::delete(txn, actor.viewer, book, id, scope, today).await?;
        let change = Change::of(
            ObjectKind::Transaction,
            row.id,
            "deleteTransaction",
            Some(&before),
            None,
        );
        Ok((deleted, Some(change)))
    })
    .await
}

/// `tagTransaction`: recorded as a change of the transaction's tags.
pub async fn tag_transaction(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    transaction_id: TransactionId,
    tag_id: TagId,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    retag(db, actor, transaction_id, tag_id, true, now).await
}

/// `untagTransaction`: recorded as a change of the transaction's tags.
pub async fn untag_transaction(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    transaction_id: TransactionId,
    tag_id: TagId,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    retag(db, actor, transaction_id, tag_id, false, now).await
}

/// Puts the tag on the transaction (`on`) or takes it off.
async fn retag(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    transaction_id: TransactionId,
    tag_id: TagId,
    on: bool,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    let operation = if on {
        "tagTransaction"
    } else {
        "untagTransaction"
    };
    in_book(db, actor, now, async |txn, book| {
        // Read before the write changes them. For a transaction the caller may not see,
        // the write fails and what was read goes nowhere. An occurrence without a row
        // is stored first, with its template's tags.
        let stored =
            transactions::stored_transaction(txn, actor.viewer, book, transaction_id, now).await?;
        let transaction_id = Id::new(stored.id);
        let before = tag_ids(txn, transaction_id.get()).await?;
        let row = if on {
            transactions::tag_transaction(txn, actor.viewer, book, transaction_id, tag_id, now)
                .await?
        } else {
            transactions::untag_transaction(txn, actor.viewer, book, transaction_id, tag_id).await?
        };
        let before = TransactionFields {
            row: &row,
            tag_ids: before,
        };
        let change = Change::of(
            ObjectKind::Transaction,
            row.id,
            operation,
            Some(&before),
            Some(&with_tags(txn, &row).await?),
        );
        Ok((row, Some(change)))
    })
    .await
}

/// `recordIncome` (`In`) or `recordExpense` (`Out`); returns the transaction and whether
/// it was a replay of its idempotency key, which writes nothing and so records nothing.
pub async fn record_entry(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    kind: TransactionKind,
    entry: QuickEntry,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(book_transaction::Model, bool)> {
    in_book(db, actor, now, async |txn, book| {
        let (row, replayed) =
            entries::record(txn, actor.viewer, book, kind, entry, today, now).await?;
        let change = if replayed {
            None
        } else {
            announce_recorded(txn, [&row]).await?;
            Some(Change::of(
                ObjectKind::Transaction,
                row.id,
                entries::operation(kind),
                None,
                Some(&with_tags(txn, &row).await?),
            ))
        };
        Ok(((row, replayed), change))
    })
    .await
}

/// `importStatement`: the file is read before the transaction opens; a file with refused
/// lines changes nothing. One record for the whole import, on the account it went to:
/// how many transactions it created and skipped, and the first and last created (an
/// import that created nothing records nothing, as it wrote nothing).
pub async fn import_statement(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    import: StatementImport,
    now: DateTime<Utc>,
) -> DomainResult<Imported> {
    // A COLLECTOR hears FORBIDDEN whatever the file holds.
    super::require_writer(actor.viewer)?;
    let statement = imports::read(&import)?;
    let StatementImport {
        account_id, format, ..
    } = import;
    in_book(db, actor, now, async |txn, book| {
        let imported =
            imports::import(txn, actor.viewer, book, account_id, format, statement, now).await?;
        if imported.created.is_empty() {
            return Ok((imported, None));
        }
        events::announce_all(
            txn,
            imported
                .created
                .iter()
                .map(|row| Event::TransactionRecorded(TransactionRecorded::of(row))),
        )
        .await?;
        let record = serde_json::json!({
            "format": match format {
                StatementFormat::Ofx => "OFX",
                StatementFormat::Csv => "CSV",
            },
            "created_count": imported.created.len(),
            "skipped_count": imported.skipped,
            "first_transaction_id": imported.created.first().map(|row| row.id),
            "last_transaction_id": imported.created.last().map(|row| row.id),
        });
        let change = Change {
            kind: ObjectKind::Account,
            object_id: account_id.get(),
            operation: "importStatement",
            before: None,
            after: Some(record),
        };
        Ok((imported, Some(change)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Transfers and statement payments
// ---------------------------------------------------------------------------------------

/// A transfer as its records show it: what both sides share and the accounts the money
/// moved between; for a statement payment, the card and the statement paid.
#[derive(Serialize)]
struct TransferFields {
    amount_minor: i64,
    date: NaiveDate,
    description: String,
    paid: bool,
    from_account_id: i64,
    to_account_id: i64,
    outgoing_id: i64,
    incoming_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_card_id: Option<i64>,
    /// The statement paid, as `YYYY-MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    statement: Option<String>,
}

async fn transfer_fields<C: ConnectionTrait>(
    db: &C,
    transfer: &Transfer,
) -> DomainResult<TransferFields> {
    let (outgoing, incoming) = (&transfer.outgoing, &transfer.incoming);
    // Only a payment's IN side names a statement; its account is the card's own.
    let card = match incoming.statement_month {
        Some(_) => cards::cards_by_account(db, &[Id::new(incoming.account_id)])
            .await?
            .remove(&Id::new(incoming.account_id)),
        None => None,
    };
    Ok(TransferFields {
        amount_minor: outgoing.amount_minor,
        date: outgoing.date,
        description: outgoing.description.clone(),
        paid: outgoing.paid,
        from_account_id: outgoing.account_id,
        to_account_id: incoming.account_id,
        outgoing_id: outgoing.id,
        incoming_id: incoming.id,
        credit_card_id: card.map(|c| c.id),
        statement: incoming.statement_month.map(|index| {
            let month = Month::from_index(index);
            format!("{:04}-{:02}", month.year(), month.month())
        }),
    })
}

/// `createTransfer`: recorded as the creation of the transfer, both sides named.
pub async fn create_transfer(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewTransfer,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Transfer> {
    in_book(db, actor, now, async |txn, book| {
        let transfer = transfers::create_transfer(txn, actor.viewer, book, new, today, now).await?;
        let change = Change::of(
            ObjectKind::Transfer,
            transfer.id,
            "createTransfer",
            None,
            Some(&transfer_fields(txn, &transfer).await?),
        );
        announce_recorded(txn, [&transfer.outgoing, &transfer.incoming]).await?;
        Ok((transfer, Some(change)))
    })
    .await
}

/// `deleteTransfer`; returns the transfer as it was, both sides deleted with it.
pub async fn delete_transfer(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: TransferId,
    now: DateTime<Utc>,
) -> DomainResult<Transfer> {
    in_book(db, actor, now, async |txn, book| {
        let transfer = transfers::delete_transfer(txn, actor.viewer, book, id).await?;
        let change = Change::of(
            ObjectKind::Transfer,
            transfer.id,
            "deleteTransfer",
            Some(&transfer_fields(txn, &transfer).await?),
            None,
        );
        Ok((transfer, Some(change)))
    })
    .await
}

/// `payStatement`; returns the payment, the card and the statement as the payment leaves
/// it. Recorded as the creation of the payment's transfer (the statement is computed,
/// never stored); a replay of its idempotency key moves nothing and records nothing.
pub async fn pay_statement(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    payment: StatementPayment,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(Transfer, book_credit_card::Model, Statement)> {
    let month = payment.month;
    in_book(db, actor, now, async |txn, book| {
        let paid = statements::pay_statement(txn, actor.viewer, book, payment, today, now).await?;
        let card = paid.card;
        // The statement as this transaction leaves it, not as a loader may have read it
        // earlier in the request.
        let cycles = cards::card_cycles(txn, &card).await?;
        let through = cycles.dates(month).closing;
        let key = (Id::new(card.account_id), through);
        let totals = statements::month_totals_through(txn, &[key])
            .await?
            .remove(&key)
            .unwrap_or_default();
        let statement = Statement::compute(Id::new(card.id), &cycles, &totals, month);
        let change = if paid.replayed {
            None
        } else {
            announce_recorded(txn, [&paid.transfer.outgoing, &paid.transfer.incoming]).await?;
            Some(Change::of(
                ObjectKind::Transfer,
                paid.transfer.id,
                "payStatement",
                None,
                Some(&transfer_fields(txn, &paid.transfer).await?),
            ))
        };
        Ok(((paid.transfer, card, statement), change))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Credit cards
// ---------------------------------------------------------------------------------------

/// `createCreditCard`: recorded as the creation of the card (its own account and first
/// cycle are written with it).
pub async fn create_credit_card(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    new: NewCard,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<book_credit_card::Model> {
    in_book(db, actor, now, async |txn, book| {
        let card = cards::create_card(txn, actor.viewer, book, new, today, now).await?;
        let change = Change::of(
            ObjectKind::CreditCard,
            card.id,
            "createCreditCard",
            None,
            Some(&card),
        );
        Ok((card, Some(change)))
    })
    .await
}

/// `updateCreditCard`: recorded as the change of the card (purchases that moved to
/// another statement with new days moved because of it).
pub async fn update_credit_card(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CreditCardId,
    changes: CardChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<book_credit_card::Model> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) =
            cards::update_card(txn, actor.viewer, book, id, changes, today, now).await?;
        let change = Change::of(
            ObjectKind::CreditCard,
            after.id,
            "updateCreditCard",
            Some(&before),
            Some(&after),
        );
        Ok((after, Some(change)))
    })
    .await
}

/// `deleteCreditCard`; returns the id deleted.
pub async fn delete_credit_card(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CreditCardId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_book(db, actor, now, async |txn, book| {
        let card = cards::delete_card(txn, actor.viewer, book, id).await?;
        let change = Change::of(
            ObjectKind::CreditCard,
            card.id,
            "deleteCreditCard",
            Some(&card),
            None,
        );
        Ok((card.id, Some(change)))
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Budgets
// ---------------------------------------------------------------------------------------

/// `setBudget`; returns the budget as it is now (`None` when removed). Recorded as the
/// budget's creation, change or removal; an amount of 0 for a month without a budget
/// changes nothing and records nothing.
pub async fn set_budget(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    set: SetBudget,
    now: DateTime<Utc>,
) -> DomainResult<Option<BudgetView>> {
    in_book(db, actor, now, async |txn, book| {
        let (before, after) = budgets::set_budget(txn, actor.viewer, book, set, now).await?;
        let id = after
            .as_ref()
            .map(|view| view.budget.id)
            .or(before.as_ref().map(|row| row.id));
        let change = id.map(|id| {
            Change::of(
                ObjectKind::Budget,
                id,
                "setBudget",
                before.as_ref(),
                after.as_ref().map(|view| &view.budget),
            )
        });
        Ok((after, change))
    })
    .await
}
