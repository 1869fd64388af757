//! Finding the caller's book, and opening books with a default account and default
//! categories.
//!
//! A read never writes, so a book must exist before its owner reads it: a driver's is
//! opened when they get a session (log in, refresh, accept an invitation), the business
//! book when staff do, and [`open_missing_books`] opens, at start, those of users and
//! organizations that predate this rule. A write opens the book too, when it lacks one.

use super::text::Text;
use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, FromQueryResult, IdenStatic, Iterable, JoinType, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Set, TransactionSession, TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};

use crate::{
    DomainError, DomainResult,
    audit::{self, Actor, Change},
    auth::Viewer,
    commons::begin_write,
    entities::{
        book, book_account, book_account::AccountKind, book_category, book_category::CategoryKind,
        book_series, book_series::SeriesKind, expense_category, organization,
    },
};

/// Name of the cash account every new book starts with (the driver's cash: "efectivo").
pub const DEFAULT_ACCOUNT_NAME: &str = "Efectivo";
/// Code of the default EXPENSE category (the Leasy REST API's "Otros").
pub const DEFAULT_EXPENSE_CODE: &str = "otros";
/// Code of the default INCOME category: a driver's income is mostly their trips.
pub const DEFAULT_INCOME_CODE: &str = "viajes";
/// Colour of categories created without one.
pub const DEFAULT_COLOUR: &str = "#9E9E9E";

/// Income categories of a new book: (name, code, colour); the first is the default.
const INCOME_CATEGORIES: [(&str, &str, &str); 2] = [
    ("Ingresos por viajes", DEFAULT_INCOME_CODE, "#2E7D32"),
    ("Otros ingresos", "otros_ingresos", "#66BB6A"),
];

/// Colours given in turn to the expense categories copied from the organization's.
const EXPENSE_COLOURS: [&str; 6] = [
    "#E53935", "#FB8C00", "#8E24AA", "#3949AB", "#00897B", "#6D4C41",
];

/// The book's `owner_key` and `owner_id` for the caller: a driver's own book, or the
/// organization's business book for staff.
fn owner_of(viewer: &Viewer) -> (i64, Option<i64>) {
    if viewer.is_client() {
        (viewer.user_id.get(), Some(viewer.user_id.get()))
    } else {
        (book::BUSINESS_OWNER_KEY, None)
    }
}

/// Whether `viewer` may see and use `book`: a driver their own, staff the organization's
/// business book. A driver's personal book is theirs alone, not the staff's.
pub fn can_see(viewer: &Viewer, book: &book::Model) -> bool {
    book.organization_id == viewer.organization_id.get()
        && if viewer.is_client() {
            book.owner_id == Some(viewer.user_id.get())
        } else {
            book.owner_id.is_none()
        }
}

/// Drivers write their own book and ADMINs the business book; COLLECTORs only read it.
pub fn require_writer(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_client() || viewer.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::CollectorsOnlyRead.into()))
    }
}

/// The caller's book, as a query.
fn book_of(viewer: &Viewer) -> Select<book::Entity> {
    let (owner_key, _) = owner_of(viewer);
    book::Entity::find()
        .filter(book::Column::OrganizationId.eq(viewer.organization_id))
        .filter(book::Column::OwnerKey.eq(owner_key))
}

async fn find_book<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
) -> DomainResult<Option<book::Model>> {
    Ok(book_of(viewer).one(db).await?)
}

/// The caller's book read with what reading its periods needs, in one statement: its
/// organization (whose timezone dates the periods) and every recurring series of the
/// book (whose occurrences every reader of a period computes). The organization is
/// `None` only when it is gone; the series are always read.
pub struct BookInContext {
    pub book: book::Model,
    pub organization: Option<organization::Model>,
    pub recurring: Vec<book_series::Model>,
}

/// The caller's book with its [`BookInContext`], for a read: never written here. A caller
/// whose book was never opened (see the module) gets NOT_FOUND.
pub async fn book_in_context(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> DomainResult<BookInContext> {
    let mut query = book_of(viewer)
        .find_also_related(organization::Entity)
        .into_query();
    query.join(
        JoinType::LeftJoin,
        book_series::Entity,
        Condition::all()
            .add(
                Expr::col((book_series::Entity, book_series::Column::BookId))
                    .equals((book::Entity, book::Column::Id)),
            )
            .add(book_series::Column::Kind.eq(SeriesKind::Recurring)),
    );
    for column in book_series::Column::iter() {
        query.expr_as(
            Expr::col((book_series::Entity, column)),
            Alias::new(format!("{SERIES_PREFIX}{}", column.as_str())),
        );
    }
    let rows = db.query_all(&query).await?;
    let Some(first) = rows.first() else {
        return Err(DomainError::from(NotFound::Book));
    };
    let book = book::Model::from_query_result(first, "A_")?;
    let organization = organization::Model::from_query_result_optional(first, "B_")?;
    let mut recurring = Vec::new();
    for row in &rows {
        if let Some(series) = book_series::Model::from_query_result_optional(row, SERIES_PREFIX)? {
            recurring.push(series);
        }
    }
    Ok(BookInContext {
        book,
        organization,
        recurring,
    })
}

/// Prefix of the series' columns in [`book_in_context`]'s statement (SeaORM names the
/// book's and the organization's `A_` and `B_`).
const SERIES_PREFIX: &str = "C_";

/// The caller's book, opened on first use ([`open_book`]): for writes and for the
/// commands that load data.
pub async fn book_for(
    db: &DatabaseConnection,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> DomainResult<book::Model> {
    if let Some(found) = find_book(db, viewer).await? {
        return Ok(found);
    }
    let (_, owner_id) = owner_of(viewer);
    open_book(db, viewer.organization_id.get(), owner_id, now).await?;
    find_book(db, viewer)
        .await?
        .ok_or_else(|| DomainError::Internal("the book opened is gone".into()))
}

/// Opens the book of `owner_id` (a driver), or the business book of the organization
/// when `None`, with its default rows, unless it exists. Two openings at once open one
/// book: the insert is its transaction's first statement and does nothing when the
/// unique owner index already holds a book (PostgreSQL waits for the other transaction
/// to end; SQLite for its write lock).
pub async fn open_book<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    organization_id: i64,
    owner_id: Option<i64>,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let owner_key = owner_id.unwrap_or(book::BUSINESS_OWNER_KEY);
    let txn = db.begin().await?;
    let inserted = book::Entity::insert(book::ActiveModel {
        organization_id: Set(organization_id),
        owner_id: Set(owner_id),
        owner_key: Set(owner_key),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([book::Column::OrganizationId, book::Column::OwnerKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        txn.rollback().await?;
        return Ok(());
    }
    let created = book::Entity::find()
        .filter(book::Column::OrganizationId.eq(organization_id))
        .filter(book::Column::OwnerKey.eq(owner_key))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the new book is not readable".into()))?;
    fill_new_book(&txn, &created, now).await?;
    super::changes::log_existing(&txn, &created).await?;
    txn.commit().await?;
    Ok(())
}

/// The book a user of `role` reads: their own for a driver, the business book for staff.
pub fn owner_for(user_id: i64, role: crate::entities::user::Role) -> Option<i64> {
    (role == crate::entities::user::Role::Client).then_some(user_id)
}

/// Opens the books that users and organizations lack (those that predate opening books
/// with sessions): the drivers' own and the business books. Two statements when none is
/// missing. Returns how many were opened.
pub async fn open_missing_books(db: &DatabaseConnection, now: DateTime<Utc>) -> DomainResult<u64> {
    use crate::entities::user;
    // No book of `organization` whose owner key is `owner`.
    let no_book = |organization: Expr, owner: Expr| {
        Expr::exists(
            sea_orm::sea_query::Query::select()
                .expr(Expr::val(1))
                .from(book::Entity)
                .and_where(Expr::col((book::Entity, book::Column::OrganizationId)).eq(organization))
                .and_where(Expr::col((book::Entity, book::Column::OwnerKey)).eq(owner))
                .to_owned(),
        )
        .not()
    };
    let drivers: Vec<(i64, i64)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::OrganizationId)
        .filter(user::Column::Role.eq(user::Role::Client))
        .filter(no_book(
            Expr::col((user::Entity, user::Column::OrganizationId)),
            Expr::col((user::Entity, user::Column::Id)),
        ))
        .into_tuple()
        .all(db)
        .await?;
    let organizations: Vec<i64> = organization::Entity::find()
        .select_only()
        .column(organization::Column::Id)
        .filter(no_book(
            Expr::col((organization::Entity, organization::Column::Id)),
            Expr::val(book::BUSINESS_OWNER_KEY),
        ))
        .into_tuple()
        .all(db)
        .await?;
    let opened = (drivers.len() + organizations.len()) as u64;
    for (user_id, organization_id) in drivers {
        open_book(db, organization_id, Some(user_id), now).await?;
    }
    for organization_id in organizations {
        open_book(db, organization_id, None, now).await?;
    }
    Ok(opened)
}

/// A new book's default rows: the cash account "Efectivo"; EXPENSE categories copied
/// from the organization's common expense categories (the codes the Leasy REST API's
/// `recordExpense` takes), `otros` the default; INCOME "Ingresos por viajes" (default)
/// and "Otros ingresos".
pub async fn fill_new_book<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    book_account::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(AccountKind::Cash),
        name: Set(DEFAULT_ACCOUNT_NAME.into()),
        description: Set(String::new()),
        archived: Set(false),
        is_default: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut expenses: Vec<(String, String, String)> = expense_category::Entity::find()
        .filter(expense_category::Column::OrganizationId.eq(book.organization_id))
        .order_by_asc(expense_category::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.name, c.code, c.icon))
        .collect();
    if !expenses
        .iter()
        .any(|(_, code, _)| code == DEFAULT_EXPENSE_CODE)
    {
        expenses.push(("Otros".into(), DEFAULT_EXPENSE_CODE.into(), String::new()));
    }
    let colours = EXPENSE_COLOURS.iter().cycle();
    for ((name, code, icon), colour) in expenses.into_iter().zip(colours) {
        let is_default = code == DEFAULT_EXPENSE_CODE;
        insert_category(
            db,
            book,
            CategoryKind::Expense,
            (name, code, colour.to_string(), icon),
            is_default,
            now,
        )
        .await?;
    }
    for (i, (name, code, colour)) in INCOME_CATEGORIES.iter().enumerate() {
        insert_category(
            db,
            book,
            CategoryKind::Income,
            (
                name.to_string(),
                code.to_string(),
                colour.to_string(),
                String::new(),
            ),
            i == 0,
            now,
        )
        .await?;
    }
    Ok(())
}

async fn insert_category<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    kind: CategoryKind,
    (name, code, colour, icon): (String, String, String, String),
    is_default: bool,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    book_category::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(kind),
        name: Set(name),
        code: Set(code),
        colour: Set(colour),
        icon: Set(icon),
        parent_id: Set(None),
        archived: Set(false),
        is_default: Set(is_default),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Serialises the changes to one book. As the transaction's first statement, a no-op
/// update of the book's row takes its row lock on PostgreSQL and the write lock on
/// SQLite, so two requests cannot both move a default.
pub async fn lock_book(txn: &DatabaseTransaction, book: &book::Model) -> DomainResult<()> {
    book::Entity::update_many()
        .col_expr(book::Column::OwnerKey, Expr::col(book::Column::OwnerKey))
        .filter(book::Column::Id.eq(book.id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Runs one change to the caller's book in a write transaction of its own whose first
/// statement locks the book (created beforehand on its first use). `run` makes the change
/// and says what it changed; when the caller is staff, the change is to the business book
/// and is a staff write, so its record is appended to the audit trail before both commit.
/// A driver's own book is theirs, not the company's: nothing is recorded, and neither is
/// a change `run` reports as `None` (a replayed idempotency key writes nothing). When
/// `run` fails, nothing is written, record included.
pub async fn in_book<T, F>(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    run: F,
) -> DomainResult<T>
where
    F: AsyncFnOnce(&DatabaseTransaction, &book::Model) -> DomainResult<(T, Option<Change>)>,
{
    require_writer(actor.viewer)?;
    let book = book_for(db, actor.viewer, now).await?;
    let txn = begin_write(db).await?;
    let result = match lock_book(&txn, &book).await {
        Ok(()) => run(&txn, &book).await,
        Err(err) => Err(err),
    };
    match result {
        Ok((value, change)) => {
            if let Some(change) = change
                && actor.viewer.is_staff()
            {
                audit::record_by(&txn, actor, change, now).await?;
            }
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::Credential, commons::Id, entities::user::Role};

    fn viewer(role: Role, user_id: i64) -> Viewer {
        Viewer {
            user_id: Id::new(user_id),
            organization_id: Id::new(1),
            role,
            credential: Credential::AccessToken {
                session: "s".into(),
            },
        }
    }

    fn book(organization_id: i64, owner_id: Option<i64>) -> book::Model {
        book::Model {
            id: 1,
            organization_id,
            owner_id,
            owner_key: owner_id.unwrap_or(book::BUSINESS_OWNER_KEY),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn each_book_is_seen_by_its_owner_only() {
        let driver = viewer(Role::Client, 7);
        let admin = viewer(Role::Admin, 1);
        let collector = viewer(Role::Collector, 2);
        assert!(can_see(&driver, &book(1, Some(7))));
        assert!(!can_see(&driver, &book(1, Some(8))));
        assert!(!can_see(&driver, &book(1, None)));
        assert!(!can_see(&driver, &book(2, Some(7))));
        assert!(can_see(&admin, &book(1, None)));
        assert!(can_see(&collector, &book(1, None)));
        assert!(!can_see(&admin, &book(1, Some(7))));
        assert!(!can_see(&admin, &book(2, None)));
        assert!(require_writer(&driver).is_ok());
        assert!(require_writer(&admin).is_ok());
        assert!(matches!(
            require_writer(&collector),
            Err(DomainError::Forbidden(_))
        ));
    }
}
