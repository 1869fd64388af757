//! What every transaction row obeys, whichever operation writes it (a transaction, a
//! transfer's side, a statement's payment, an invoice's entry): who may see it, a valid
//! amount and the account it lands in. Kept apart from [`super::transactions`] so that
//! transfers, built on transactions, need nothing from the module that deletes them.

use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::text::Text;
use crate::commons::AccountId;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::Problems,
    commons::money::Money,
    entities::{book, book_account, book_transaction},
};

/// The largest amount of one transaction: 1,000,000,000.00.
pub const MAX_AMOUNT: Money = Money::from_minor(100_000_000_000);

/// Whether `viewer` sees `row` of a book they can see: a private transaction of the
/// business book is shown to ADMINs and to its creator only.
pub fn visible_to(viewer: &Viewer, row: &book_transaction::Model) -> bool {
    !row.private
        || viewer.is_client()
        || viewer.is_admin()
        || row.created_by_user_id == Some(viewer.user_id.get())
}

/// A positive amount of money, at most [`MAX_AMOUNT`].
pub fn amount(p: &mut Problems, field: &str, value: Decimal) -> Money {
    match Money::from_decimal(value) {
        Ok(money) if money.is_positive() && money <= MAX_AMOUNT => money,
        _ => {
            p.add(
                field,
                UserErrorCode::InvalidAmount,
                Text::AmountRange {
                    max: MAX_AMOUNT.to_string(),
                },
            );
            Money::ZERO
        }
    }
}

/// An account of `book`, or its default account; the problem goes on `field`.
pub async fn account_for<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    id: Option<AccountId>,
    field: &str,
) -> DomainResult<book_account::Model> {
    let mut query = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::ForCreditCard.eq(false));
    query = match id {
        Some(id) => query.filter(book_account::Column::Id.eq(id)),
        None => query.filter(book_account::Column::IsDefault.eq(true)),
    };
    query.one(db).await?.ok_or_else(|| match id {
        Some(_) => DomainError::invalid(field, UserErrorCode::NotFound, Text::NoSuchAccount),
        None => DomainError::Internal("the book has no default account".into()),
    })
}
