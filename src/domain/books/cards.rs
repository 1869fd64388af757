//! Credit cards of a book (issue 6, Organizze's `credit_cards`): finding them and the
//! statement cycles their purchases follow ([`super::cycles`]).
//!
//! A card's purchases are transactions of an account of its own (`for_credit_card`),
//! which the book's account listings and `accountId` arguments never show or accept:
//! the card is named by `creditCardId` instead. Each purchase records the statement it
//! belongs to (`statement_month`).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::cycles::{Cycle, Cycles, Month};
use crate::{
    domain::{DomainError, DomainResult, UserErrorCode},
    entities::{book, book_credit_card, book_credit_card_cycle},
};

/// A card of `book` for a purchase named by `creditCardId`; the problem goes on `field`.
pub async fn card_for<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: i64,
    field: &str,
) -> DomainResult<book_credit_card::Model> {
    book_credit_card::Entity::find_by_id(id)
        .filter(book_credit_card::Column::BookId.eq(book.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::invalid(
                field,
                UserErrorCode::NotFound,
                "No such credit card in this book",
            )
        })
}

/// The cycles of the cards whose own accounts are `account_ids`, by account id; accounts
/// that are not a card's are absent. One statement for any number of accounts.
pub async fn cycles_by_account<C: ConnectionTrait>(
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
