//! A book's changes since a point (issue 23): what an integration reads to keep a copy of
//! a book without reading it all again.
//!
//! The database writes the change log itself (migration `book_changes`): a trigger on each
//! of a book's tables logs every row created, updated or deleted, in the same transaction,
//! numbered per book in commit order (`seq`; the changes of one transaction may share a
//! number, and then follow their `id`). So a reader never has to guess what it missed:
//! the changes after the last [`Position`] it read are exactly those committed since, a
//! change committed while a page was read included, because no change of the book can
//! commit with a lower number than one already visible.
//!
//! The log names objects, not their state: a reader reads each object as it is now (gone
//! when deleted), so applying every change in order leaves a copy equal to the book.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
    sea_query::{Alias, Expr, ExprTrait, Query},
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

/// A place in a book's log: after the change numbered `seq` whose id is `id`. The start
/// of the log is `(0, 0)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub seq: i64,
    pub id: i64,
}

impl Position {
    /// Where `change` is.
    pub fn of(change: &book_change::Model) -> Self {
        Self {
            seq: change.seq,
            id: change.id,
        }
    }
}

/// The changes of `book_id` after `after`, oldest first, at most `limit`. One range of
/// the (book, number, id) index, wherever in the log it starts.
pub async fn changes_after<C: ConnectionTrait>(
    db: &C,
    book_id: i64,
    after: Position,
    limit: u64,
) -> DomainResult<Vec<book_change::Model>> {
    Ok(book_change::Entity::find()
        .filter(book_change::Column::BookId.eq(book_id))
        .filter(
            Expr::tuple([
                Expr::col(book_change::Column::Seq),
                Expr::col(book_change::Column::Id),
            ])
            .gt(Expr::tuple([Expr::val(after.seq), Expr::val(after.id)])),
        )
        .order_by_asc(book_change::Column::Seq)
        .order_by_asc(book_change::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Where `book_id`'s log ends (the start before any change): where a reader that wants
/// only what comes next starts.
pub async fn end_of_log<C: ConnectionTrait>(db: &C, book_id: i64) -> DomainResult<Position> {
    Ok(book_change::Entity::find()
        .filter(book_change::Column::BookId.eq(book_id))
        .order_by_desc(book_change::Column::Seq)
        .order_by_desc(book_change::Column::Id)
        .one(db)
        .await?
        .as_ref()
        .map(Position::of)
        .unwrap_or_default())
}

/// Logs as created what a book just opened already holds of the rows the log finds by
/// their owner (the driver's invoices and wallet movements; the organization's customers,
/// sales invoices and receipts for its business book): the triggers could not, as the
/// book did not exist when they were written. Runs in the opening's transaction, after
/// the book's own rows, which the triggers logged.
pub async fn log_existing<C: ConnectionTrait>(txn: &C, book: &book::Model) -> DomainResult<()> {
    let organization = book.organization_id;
    let objects = match book.owner_id {
        Some(driver) => {
            let contracts = Query::select()
                .column(contract::Column::Id)
                .from(contract::Entity)
                .and_where(contract::Column::OrganizationId.eq(organization))
                .and_where(contract::Column::ClientId.eq(driver))
                .to_owned();
            let invoices =
                invoice::Entity::find().filter(invoice::Column::ContractId.in_subquery(contracts));
            let movements = wallet_movement::Entity::find()
                .filter(wallet_movement::Column::OrganizationId.eq(organization))
                .filter(wallet_movement::Column::ClientId.eq(driver));
            [
                ids(txn, invoices, invoice::Column::Id, ChangeKind::Invoice).await?,
                ids(
                    txn,
                    movements,
                    wallet_movement::Column::Id,
                    ChangeKind::WalletMovement,
                )
                .await?,
            ]
            .concat()
        }
        None => {
            let customers =
                customer::Entity::find().filter(customer::Column::OrganizationId.eq(organization));
            let invoices = sales_invoice::Entity::find()
                .filter(sales_invoice::Column::OrganizationId.eq(organization));
            let receipts =
                receipt::Entity::find().filter(receipt::Column::OrganizationId.eq(organization));
            [
                ids(txn, customers, customer::Column::Id, ChangeKind::Customer).await?,
                ids(
                    txn,
                    invoices,
                    sales_invoice::Column::Id,
                    ChangeKind::SalesInvoice,
                )
                .await?,
                ids(txn, receipts, receipt::Column::Id, ChangeKind::Receipt).await?,
            ]
            .concat()
        }
    };
    if objects.is_empty() {
        return Ok(());
    }
    let first = end_of_log(txn, book.id).await?.seq + 1;
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
    for chunk in rows.chunks(1000) {
        book_change::Entity::insert_many(chunk.to_vec())
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

/// The ids of the rows `select` finds (`id` is their id column), oldest first, each as a
/// change of `kind`.
async fn ids<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    select: Select<E>,
    id: E::Column,
    kind: ChangeKind,
) -> DomainResult<Vec<(ChangeKind, i64)>> {
    let found: Vec<i64> = select
        .select_only()
        .column(id)
        .order_by_asc(id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().map(|id| (kind, id)).collect())
}
