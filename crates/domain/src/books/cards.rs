//! Credit cards of a book (issue 6, Organizze's `credit_cards`): their CRUD, finding
//! them, and the statement cycles their purchases follow ([`super::cycles`]).
//!
//! A card's purchases are transactions of an account of its own (`for_credit_card`),
//! which the book's account listings and `accountId` arguments never show or accept:
//! the card is named by `creditCardId` instead. Each purchase records the statement it
//! belongs to (`statement_month`).
//!
//! Rules kept here:
//! - creating a card creates its hidden account (kind OTHER) and its first cycle row,
//!   from the statement open today on (earlier months count as that cycle too);
//! - a name is required (at most 100 characters), closing and due days are 1 to 31, the
//!   limit is 0 (no limit) or more; a book has at most [`MAX_CARDS_PER_BOOK`] cards;
//! - new closing or due days apply from the statement containing a date (by default
//!   today's open statement): a cycle row is written for that month, earlier statements
//!   keep their dates, and the purchases dated from that statement's new start on move
//!   to the statement their date now falls in (installments keep their distance from
//!   their first installment); payments keep the statement they paid;
//! - a card with transactions cannot be deleted (IN_USE): archive it instead;
//! - at most one card of a book is its default.

use super::text::Text;
use crate::commons::text::NotFound;
use crate::commons::{AccountId, CreditCardId, Id};
use crate::reads::Listing;
use sea_orm::Order;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set, sea_query::Expr,
};

use super::{
    cycles::{Cycle, Cycles, Month},
    require_writer,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Problems},
    commons::money::Money,
    entities::{
        book, book_account, book_account::AccountKind, book_credit_card, book_credit_card_cycle,
        book_series, book_series::SeriesKind, book_transaction,
    },
};

/// Keeps `Book.creditCards` a short plain list rather than a connection.
pub const MAX_CARDS_PER_BOOK: u64 = 20;
/// The longest card network name ("visa", "mastercard", "hipercard"...).
pub const MAX_NETWORK_CHARS: usize = 32;
/// The largest credit limit: 1,000,000,000.00.
pub const MAX_LIMIT: Money = Money::from_minor(100_000_000_000);

/// A card to create; `None` takes the default named on each field.
#[derive(Debug, Clone)]
pub struct NewCard {
    pub name: String,
    /// Empty when not given.
    pub description: Option<String>,
    /// Empty when not given.
    pub network: Option<String>,
    pub closing_day: i32,
    pub due_day: i32,
    /// 0 (no limit) when not given.
    pub limit: Option<Decimal>,
    /// Make it the book's default card.
    pub make_default: bool,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct CardChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub network: Option<String>,
    pub closing_day: Option<i32>,
    pub due_day: Option<i32>,
    pub limit: Option<Decimal>,
    pub archived: Option<bool>,
    /// true makes it the book's default card; false leaves the book without one.
    pub is_default: Option<bool>,
    /// New days apply from the statement containing this date; today's when `None`.
    pub statements_since: Option<NaiveDate>,
}

/// A closing or due day, 1 to 31.
fn day(p: &mut Problems, field: &str, value: i32) -> u32 {
    match u32::try_from(value) {
        Ok(d) if (1..=31).contains(&d) => d,
        _ => {
            p.add(field, UserErrorCode::OutOfRange, Text::DayOfMonthRange);
            1
        }
    }
}

/// A credit limit: 0 (no limit) up to [`MAX_LIMIT`].
fn limit(p: &mut Problems, value: Decimal) -> Money {
    match Money::from_decimal(value) {
        Ok(money) if !money.is_negative() && money <= MAX_LIMIT => money,
        _ => {
            p.add(
                "limit",
                UserErrorCode::InvalidAmount,
                Text::CardLimitRange {
                    max: MAX_LIMIT.to_string(),
                },
            );
            Money::ZERO
        }
    }
}

/// The book's cards, the default first, then in the order they were created.
pub async fn list_cards<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    include_archived: bool,
) -> DomainResult<Vec<book_credit_card::Model>> {
    Ok(cards(book, include_archived).all(db).await?)
}

/// The credit cards of `book` as [`list_cards`] lists them: archived ones only when
/// `include_archived`; the default first, then oldest first.
pub fn cards(book: &book::Model, include_archived: bool) -> Listing<book_credit_card::Entity> {
    let mut query =
        book_credit_card::Entity::find().filter(book_credit_card::Column::BookId.eq(book.id));
    if !include_archived {
        query = query.filter(book_credit_card::Column::Archived.eq(false));
    }
    Listing::new(
        query,
        [
            (book_credit_card::Column::IsDefault, Order::Desc),
            (book_credit_card::Column::Id, Order::Asc),
        ],
    )
}

/// One card of `book`; any other is "not found", exactly as a missing one.
pub async fn own_card<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: CreditCardId,
) -> DomainResult<book_credit_card::Model> {
    book_credit_card::Entity::find_by_id(id.get())
        .filter(book_credit_card::Column::BookId.eq(book.id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::CreditCard))
}

/// The stored cycles of one card.
pub async fn card_cycles<C: ConnectionTrait>(
    db: &C,
    card: &book_credit_card::Model,
) -> DomainResult<Cycles> {
    let rows = book_credit_card_cycle::Entity::find()
        .filter(book_credit_card_cycle::Column::CreditCardId.eq(card.id))
        .all(db)
        .await?;
    Ok(cycles_of(card, &rows))
}

async fn clear_default(txn: &DatabaseTransaction, book: &book::Model) -> DomainResult<()> {
    book_credit_card::Entity::update_many()
        .col_expr(book_credit_card::Column::IsDefault, Expr::value(false))
        .filter(book_credit_card::Column::BookId.eq(book.id))
        .filter(book_credit_card::Column::IsDefault.eq(true))
        .exec(txn)
        .await?;
    Ok(())
}

fn small(day: u32) -> i16 {
    i16::try_from(day).unwrap_or(1)
}

/// Creates a card, its own account and its first cycle. `today` is the organization's.
pub async fn create_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewCard,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<book_credit_card::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    let network = checks::text(
        &mut p,
        "network",
        new.network.as_deref().unwrap_or(""),
        false,
        MAX_NETWORK_CHARS,
    )
    .to_lowercase();
    let closing_day = day(&mut p, "closingDay", new.closing_day);
    let due_day = day(&mut p, "dueDay", new.due_day);
    let limit = limit(&mut p, new.limit.unwrap_or(Decimal::ZERO));
    p.finish()?;
    let count = book_credit_card::Entity::find()
        .filter(book_credit_card::Column::BookId.eq(book.id))
        .count(txn)
        .await?;
    if count >= MAX_CARDS_PER_BOOK {
        return Err(DomainError::invalid(
            "",
            UserErrorCode::LimitReached,
            Text::TooManyCards {
                max: MAX_CARDS_PER_BOOK.to_string(),
            },
        ));
    }
    let cycle = Cycle {
        closing_day,
        due_day,
    };
    let account = book_account::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(AccountKind::Other),
        name: Set(name.clone()),
        description: Set(String::new()),
        archived: Set(false),
        is_default: Set(false),
        for_credit_card: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if new.make_default {
        clear_default(txn, book).await?;
    }
    let card = book_credit_card::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        account_id: Set(account.id),
        name: Set(name),
        description: Set(description),
        network: Set(network),
        closing_day: Set(small(closing_day)),
        due_day: Set(small(due_day)),
        limit_minor: Set(limit.minor()),
        archived: Set(false),
        is_default: Set(new.make_default),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    book_credit_card_cycle::ActiveModel {
        credit_card_id: Set(card.id),
        from_month: Set(Cycles::single(cycle).statement_for(today).index()),
        closing_day: Set(small(closing_day)),
        due_day: Set(small(due_day)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(card)
}

/// Changes the fields sent of a card; see the module's rules for new days. Returns the
/// card as it was and as it is now.
pub async fn update_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: CreditCardId,
    changes: CardChanges,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<(book_credit_card::Model, book_credit_card::Model)> {
    require_writer(viewer)?;
    let row = own_card(txn, book, id).await?;
    let mut p = Problems::default();
    let closing_day = changes.closing_day.map(|d| day(&mut p, "closingDay", d));
    let due_day = changes.due_day.map(|d| day(&mut p, "dueDay", d));
    let mut active = row.clone().into_active_model();
    if let Some(name) = &changes.name {
        active.name = Set(checks::text(&mut p, "name", name, true, MAX_NAME_CHARS));
    }
    if let Some(description) = &changes.description {
        active.description = Set(checks::text(
            &mut p,
            "description",
            description,
            false,
            MAX_DESCRIPTION_CHARS,
        ));
    }
    if let Some(network) = &changes.network {
        active.network =
            Set(checks::text(&mut p, "network", network, false, MAX_NETWORK_CHARS).to_lowercase());
    }
    if let Some(value) = changes.limit {
        active.limit_minor = Set(limit(&mut p, value).minor());
    }
    if changes.statements_since.is_some() && closing_day.is_none() && due_day.is_none() {
        p.add(
            "updateStatementsSince",
            UserErrorCode::InvalidFormat,
            Text::StatementsSinceAlone,
        );
    }
    p.finish()?;
    if let Some(archived) = changes.archived {
        active.archived = Set(archived);
        // An archived card is out of pickers, so it cannot be the one they preselect.
        if archived {
            active.is_default = Set(false);
        }
    }
    match changes.is_default {
        Some(true) => {
            clear_default(txn, book).await?;
            active.is_default = Set(true);
            active.archived = Set(false);
        }
        Some(false) => active.is_default = Set(false),
        None => {}
    }
    let old = Cycle {
        closing_day: u32::try_from(row.closing_day).unwrap_or(1),
        due_day: u32::try_from(row.due_day).unwrap_or(1),
    };
    let new = Cycle {
        closing_day: closing_day.unwrap_or(old.closing_day),
        due_day: due_day.unwrap_or(old.due_day),
    };
    if closing_day.is_some() || due_day.is_some() {
        active.closing_day = Set(small(new.closing_day));
        active.due_day = Set(small(new.due_day));
        let since = changes.statements_since.unwrap_or(today);
        recycle(txn, &row, new, since).await?;
    }
    active.updated_at = Set(now);
    Ok((row, active.update(txn).await?))
}

/// Applies `cycle` from the statement containing `since` on, and moves the card's
/// purchases dated from that statement's new start on to the statements they now fall
/// in. One UPDATE per statement month the purchases land in, whatever their number.
async fn recycle(
    txn: &DatabaseTransaction,
    card: &book_credit_card::Model,
    cycle: Cycle,
    since: NaiveDate,
) -> DomainResult<()> {
    let before = card_cycles(txn, card).await?;
    let from = before.statement_for(since);
    let earlier = book_credit_card_cycle::Entity::find()
        .filter(book_credit_card_cycle::Column::CreditCardId.eq(card.id))
        .filter(book_credit_card_cycle::Column::FromMonth.lt(from.index()))
        .count(txn)
        .await?;
    if earlier == 0 {
        // The first row also covers every month before it: keep the statements before
        // `from` on the days they had (those of the card's first cycle).
        let kept = before.at(from.plus(-1));
        book_credit_card_cycle::ActiveModel {
            credit_card_id: Set(card.id),
            from_month: Set(from.plus(-1).index()),
            closing_day: Set(small(kept.closing_day)),
            due_day: Set(small(kept.due_day)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    // The new days hold from that statement on: later changes are replaced by this one.
    book_credit_card_cycle::Entity::delete_many()
        .filter(book_credit_card_cycle::Column::CreditCardId.eq(card.id))
        .filter(book_credit_card_cycle::Column::FromMonth.gte(from.index()))
        .exec(txn)
        .await?;
    book_credit_card_cycle::ActiveModel {
        credit_card_id: Set(card.id),
        from_month: Set(from.index()),
        closing_day: Set(small(cycle.closing_day)),
        due_day: Set(small(cycle.due_day)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let after = card_cycles(txn, card).await?;
    let start = after.dates(from).start;

    let moved = book_transaction::Entity::find()
        .filter(book_transaction::Column::AccountId.eq(card.account_id))
        .filter(book_transaction::Column::TransferId.is_null())
        .filter(book_transaction::Column::Date.gte(start))
        .all(txn)
        .await?;
    // Installments follow their first one: the first moves by its date, the others keep
    // their distance from it, so two never share a statement.
    let series_ids: HashSet<i64> = moved.iter().filter_map(|r| r.series_id).collect();
    let installments: HashSet<i64> = if series_ids.is_empty() {
        HashSet::new()
    } else {
        book_series::Entity::find()
            .filter(book_series::Column::Id.is_in(series_ids))
            .filter(book_series::Column::Kind.eq(SeriesKind::Installments))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    let firsts: HashMap<i64, book_transaction::Model> = if installments.is_empty() {
        HashMap::new()
    } else {
        book_transaction::Entity::find()
            .filter(book_transaction::Column::SeriesId.is_in(installments.iter().copied()))
            .filter(book_transaction::Column::Occurrence.eq(0))
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|r| r.series_id.map(|s| (s, r)))
            .collect()
    };
    let month_of = |row: &book_transaction::Model| -> Option<i32> {
        match (row.series_id, row.occurrence) {
            (Some(series), Some(occurrence)) if installments.contains(&series) => {
                let first = firsts.get(&series)?;
                let first_month = if first.date >= start {
                    after.statement_for(first.date).index()
                } else {
                    first.statement_month?
                };
                Some(first_month + occurrence)
            }
            _ => Some(after.statement_for(row.date).index()),
        }
    };
    let mut by_month: BTreeMap<i32, Vec<i64>> = BTreeMap::new();
    for row in &moved {
        if let Some(month) = month_of(row)
            && row.statement_month != Some(month)
        {
            by_month.entry(month).or_default().push(row.id);
        }
    }
    for (month, ids) in by_month {
        book_transaction::Entity::update_many()
            .col_expr(book_transaction::Column::StatementMonth, Expr::value(month))
            .filter(book_transaction::Column::Id.is_in(ids))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Deletes a card without transactions (IN_USE otherwise: archive it instead), with its
/// cycles and its own account. Returns the card as it was.
pub async fn delete_card(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: CreditCardId,
) -> DomainResult<book_credit_card::Model> {
    require_writer(viewer)?;
    let row = own_card(txn, book, id).await?;
    let used = book_transaction::Entity::find()
        .filter(book_transaction::Column::AccountId.eq(row.account_id))
        .count(txn)
        .await?;
    let series = book_series::Entity::find()
        .filter(book_series::Column::AccountId.eq(row.account_id))
        .count(txn)
        .await?;
    if used + series > 0 {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::InUse,
            Text::CardUsed {
                count: used.to_string(),
            },
        ));
    }
    // The cycles go with their card (ON DELETE CASCADE); the account after the card, which
    // references it.
    book_credit_card::Entity::delete_by_id(row.id)
        .exec(txn)
        .await
        .map_err(checks::in_use)?;
    book_account::Entity::delete_by_id(row.account_id)
        .exec(txn)
        .await
        .map_err(checks::in_use)?;
    Ok(row)
}

/// A card of `book` for a purchase named by `creditCardId`; the problem goes on `field`.
pub async fn card_for<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: CreditCardId,
    field: &str,
) -> DomainResult<book_credit_card::Model> {
    book_credit_card::Entity::find_by_id(id.get())
        .filter(book_credit_card::Column::BookId.eq(book.id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::invalid(field, UserErrorCode::NotFound, Text::NoSuchCreditCard))
}

/// The cycles of the cards whose own accounts are `account_ids`, by account id; accounts
/// that are not a card's are absent. One statement for any number of accounts.
pub(crate) async fn cycles_by_account<C: ConnectionTrait>(
    db: &C,
    account_ids: impl IntoIterator<Item = i64>,
) -> DomainResult<HashMap<i64, Cycles>> {
    let account_ids: Vec<i64> = account_ids.into_iter().collect();
    if account_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = book_credit_card::Entity::find()
        .filter(book_credit_card::Column::AccountId.is_in(account_ids))
        .find_with_related(book_credit_card_cycle::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(card, cycles)| (card.account_id, cycles_of(&card, &cycles)))
        .collect())
}

/// A card's cycles from its stored rows; the card's own days when it has none.
pub fn cycles_of(card: &book_credit_card::Model, rows: &[book_credit_card_cycle::Model]) -> Cycles {
    let cycle = |closing: i16, due: i16| {
        Cycle::new(
            u32::try_from(closing).unwrap_or(1),
            u32::try_from(due).unwrap_or(1),
        )
    };
    Cycles::from_rows(rows.iter().filter_map(|row| {
        Some((
            Month::from_index(row.from_month),
            cycle(row.closing_day, row.due_day)?,
        ))
    }))
    .or_else(|| cycle(card.closing_day, card.due_day).map(Cycles::single))
    .unwrap_or_else(|| {
        Cycles::single(Cycle {
            closing_day: 1,
            due_day: 10,
        })
    })
}

/// Credit cards by their own account's id (a transaction's card).
pub async fn cards_by_account<C: ConnectionTrait>(
    db: &C,
    keys: &[AccountId],
) -> Result<HashMap<AccountId, book_credit_card::Model>, DbErr> {
    let rows = book_credit_card::Entity::find()
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            book_credit_card::Column::AccountId,
            keys.iter().copied(),
        ))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| (Id::new(c.account_id), c))
        .collect())
}

/// The statement cycles of each card of `keys`.
pub async fn cycles_of_cards<C: ConnectionTrait>(
    db: &C,
    keys: &[CreditCardId],
) -> Result<HashMap<CreditCardId, Cycles>, DbErr> {
    let rows = book_credit_card::Entity::find()
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            book_credit_card::Column::Id,
            keys.iter().copied(),
        ))
        .find_with_related(book_credit_card_cycle::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(card, cycles)| (Id::new(card.id), cycles_of(&card, &cycles)))
        .collect())
}
