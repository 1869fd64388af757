//! A book's changes since a point (issue 23): what an integration reads to keep a copy of
//! a book without reading it all again.
//!
//! The database writes the change log itself (migration `book_changes`): a trigger on each
//! of a book's tables logs every row created, updated or deleted, in the same transaction,
//! numbered per book in commit order (`seq`). So a reader never has to guess what it
//! missed: the changes after the last `seq` it read are exactly those committed since,
//! a change committed while a page was read included, because no change of the book can
//! commit with a lower number than one already visible.
//!
//! The log names objects, not their state: a reader reads each object as it is now (gone
//! when deleted), so applying every change in order leaves a copy equal to the book.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Alias, Expr, Query},
};

use crate::{
    DomainResult,
    entities::{
        book, book_change,
        book_change::{ChangeKind, ChangeOperation},
        contract, customer, invoice, receipt, sales_invoice, wallet_movement,
    },
};

/// Most changes one page holds.
pub const MAX_PAGE: u64 = 1000;

/// The changes of `book_id` numbered after `after`, oldest first, at most `limit`.
pub async fn changes_after<C: ConnectionTrait>(
    db: &C,
    book_id: i64,
    after: i64,
    limit: u64,
) -> DomainResult<Vec<book_change::Model>> {
    Ok(book_change::Entity::find()
        .filter(book_change::Column::BookId.eq(book_id))
        .filter(book_change::Column::Seq.gt(after))
        .order_by_asc(book_change::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

/// The number of `book_id`'s last change (0 before any): where a reader that wants only
/// what comes next starts.
pub async fn last_seq<C: ConnectionTrait>(db: &C, book_id: i64) -> DomainResult<i64> {
    let last: Option<Option<i64>> = book_change::Entity::find()
        .select_only()
        .column_as(book_change::Column::Seq.max(), "last")
        .filter(book_change::Column::BookId.eq(book_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// Logs as created what a book just opened already holds of the rows the log finds by
/// their owner (the driver's invoices and wallet movements; the organization's customers,
/// sales invoices and receipts for its business book): the triggers could not, as the
/// book did not exist when they were written. Runs in the opening's transaction, after
/// the book's own rows, which the triggers logged.
pub async fn log_existing<C: ConnectionTrait>(txn: &C, book: &book::Model) -> DomainResult<()> {
    let organization = book.organization_id;
    let mut objects: Vec<(ChangeKind, i64)> = Vec::new();
    match book.owner_id {
        Some(driver) => {
            let invoices: Vec<i64> = invoice::Entity::find()
                .select_only()
                .column(invoice::Column::Id)
                .filter(
                    invoice::Column::ContractId.in_subquery(
                        Query::select()
                            .column(contract::Column::Id)
                            .from(contract::Entity)
                            .and_where(contract::Column::OrganizationId.eq(organization))
                            .and_where(contract::Column::ClientId.eq(driver))
                            .to_owned(),
                    ),
                )
                .order_by_asc(invoice::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            objects.extend(invoices.into_iter().map(|id| (ChangeKind::Invoice, id)));
            let movements: Vec<i64> = wallet_movement::Entity::find()
                .select_only()
                .column(wallet_movement::Column::Id)
                .filter(wallet_movement::Column::OrganizationId.eq(organization))
                .filter(wallet_movement::Column::ClientId.eq(driver))
                .order_by_asc(wallet_movement::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            objects.extend(
                movements
                    .into_iter()
                    .map(|id| (ChangeKind::WalletMovement, id)),
            );
        }
        None => {
            let customers: Vec<i64> = customer::Entity::find()
                .select_only()
                .column(customer::Column::Id)
                .filter(customer::Column::OrganizationId.eq(organization))
                .order_by_asc(customer::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            objects.extend(customers.into_iter().map(|id| (ChangeKind::Customer, id)));
            let invoices: Vec<i64> = sales_invoice::Entity::find()
                .select_only()
                .column(sales_invoice::Column::Id)
                .filter(sales_invoice::Column::OrganizationId.eq(organization))
                .order_by_asc(sales_invoice::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            objects.extend(
                invoices
                    .into_iter()
                    .map(|id| (ChangeKind::SalesInvoice, id)),
            );
            let receipts: Vec<i64> = receipt::Entity::find()
                .select_only()
                .column(receipt::Column::Id)
                .filter(receipt::Column::OrganizationId.eq(organization))
                .order_by_asc(receipt::Column::Id)
                .into_tuple()
                .all(txn)
                .await?;
            objects.extend(receipts.into_iter().map(|id| (ChangeKind::Receipt, id)));
        }
    }
    if objects.is_empty() {
        return Ok(());
    }
    let first = last_seq(txn, book.id).await? + 1;
    let now = chrono::Utc::now();
    let rows = objects
        .iter()
        .zip(first..)
        .map(|(&(kind, object_id), seq)| book_change::ActiveModel {
            book_id: Set(book.id),
            seq: Set(seq),
            kind: Set(kind),
            object_id: Set(object_id),
            operation: Set(ChangeOperation::Created),
            at: Set(now),
            ..Default::default()
        })
        .collect::<Vec<_>>();
    // Bound each statement's parameters (SQLite allows 32,766; seven a row).
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(1000).collect();
        book_change::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    book::Entity::update_many()
        .col_expr(
            Alias::new("change_seq"),
            Expr::val(first - 1 + objects.len() as i64),
        )
        .filter(book::Column::Id.eq(book.id))
        .exec(txn)
        .await?;
    Ok(())
}
