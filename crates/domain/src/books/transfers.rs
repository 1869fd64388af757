//! Transfers between two accounts of one book (the Organizze users' "Cadastro de
//! transferência"): a `book_transfers` row and a linked pair of transactions, an OUT from
//! one account and an IN to the other, with the same amount, date and description and no
//! category, so that a transfer counts neither as income nor as expense.
//!
//! Both sides are written in one database transaction. Afterwards they stay a pair:
//! changing one side changes the other ([`super::transactions::update_transaction`]), and
//! deleting either side, or the transfer, deletes both.

use crate::commons::text::NotFound;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::{
    require_writer,
    text::Text,
    transaction_rules::{self, account_for, visible_to},
};
use crate::commons::{AccountId, Id, TransferId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, Problems},
    commons::money::Money,
    entities::{
        book, book_account, book_transaction, book_transaction::TransactionKind, book_transfer,
    },
};

/// A transfer to create; `None` takes the default named on each field.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub from_account_id: AccountId,
    pub to_account_id: AccountId,
    pub amount: Decimal,
    /// Today in the organization's timezone when not given.
    pub date: Option<NaiveDate>,
    /// Empty when not given.
    pub description: Option<String>,
    /// When not given: done when the date is today or earlier, pending for a future date.
    pub paid: Option<bool>,
}

/// A transfer as its two sides: the money leaving one account and arriving in another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub id: i64,
    /// The OUT side, from the source account.
    pub outgoing: book_transaction::Model,
    /// The IN side, to the destination account.
    pub incoming: book_transaction::Model,
}

impl Transfer {
    /// The transfer formed by `sides` (the rows with its `transfer_id`); `None` unless
    /// there is exactly one OUT and one IN.
    pub fn from_sides(id: TransferId, sides: Vec<book_transaction::Model>) -> Option<Transfer> {
        let [a, b]: [book_transaction::Model; 2] = sides.try_into().ok()?;
        let (outgoing, incoming) = match (a.kind, b.kind) {
            (TransactionKind::Out, TransactionKind::In) => (a, b),
            (TransactionKind::In, TransactionKind::Out) => (b, a),
            _ => return None,
        };
        Some(Transfer {
            id: id.get(),
            outgoing,
            incoming,
        })
    }

    /// Whether `viewer` sees both sides (see [`visible_to`]).
    pub fn visible_to(&self, viewer: &Viewer) -> bool {
        visible_to(viewer, &self.outgoing) && visible_to(viewer, &self.incoming)
    }
}

/// One transfer of `book`; any other is "not found", exactly as a missing one.
pub async fn own_transfer<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    id: TransferId,
) -> DomainResult<Transfer> {
    let sides = book_transaction::Entity::find()
        .filter(book_transaction::Column::TransferId.eq(id))
        .filter(book_transaction::Column::BookId.eq(book.id))
        .all(db)
        .await?;
    Transfer::from_sides(Id::new(id.get()), sides)
        .filter(|t| t.visible_to(viewer))
        .ok_or_else(|| DomainError::from(NotFound::Transfer))
}

/// Moves money between two accounts of `book`. `today` is the organization's today.
pub async fn create_transfer<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    new: NewTransfer,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<Transfer> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let amount = transaction_rules::amount(&mut p, "amount", new.amount);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    if new.from_account_id == new.to_account_id {
        p.add("toAccountId", UserErrorCode::SameRecord, Text::SameAccounts);
    }
    p.finish()?;
    let from = account_for(db, book, Some(new.from_account_id), "fromAccountId").await?;
    let to = account_for(db, book, Some(new.to_account_id), "toAccountId").await?;
    let date = new.date.unwrap_or(today);
    let paid = new.paid.unwrap_or(date <= today);
    let sides = Sides {
        amount,
        date,
        description,
        paid,
        incoming_statement: None,
    };
    insert_transfer(db, viewer, book, &from, &to, sides, now).await
}

/// What both sides of a new transfer share, already checked.
pub(super) struct Sides {
    pub amount: Money,
    pub date: NaiveDate,
    pub description: String,
    pub paid: bool,
    /// The statement the IN side pays, when it arrives in a credit card's account.
    pub incoming_statement: Option<i32>,
}

/// Writes a transfer and its two sides between accounts of `book` the caller has already
/// checked (a credit card's own account included, for a statement payment).
pub(super) async fn insert_transfer<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    from: &book_account::Model,
    to: &book_account::Model,
    sides: Sides,
    now: DateTime<Utc>,
) -> DomainResult<Transfer> {
    let (created_by_user_id, created_by_token_id) = viewer.creator();
    let transfer = book_transfer::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let side = |kind: TransactionKind, account_id: i64| book_transaction::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(kind),
        amount_minor: Set(sides.amount.minor()),
        description: Set(sides.description.clone()),
        date: Set(sides.date),
        due_date: Set(None),
        paid: Set(sides.paid),
        paid_on: Set(sides.paid.then_some(sides.date)),
        category_id: Set(None),
        account_id: Set(account_id),
        contact_name: Set(String::new()),
        notes: Set(String::new()),
        barcode: Set(String::new()),
        external_id: Set(None),
        bank_data: Set(String::new()),
        ofx_id: Set(String::new()),
        reconciled_on: Set(None),
        excluded: Set(false),
        private: Set(false),
        transfer_id: Set(Some(transfer.id)),
        created_by_user_id: Set(created_by_user_id),
        created_by_token_id: Set(created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let outgoing = side(TransactionKind::Out, from.id).insert(db).await?;
    let mut incoming = side(TransactionKind::In, to.id);
    incoming.statement_month = Set(sides.incoming_statement);
    let incoming = incoming.insert(db).await?;
    Ok(Transfer {
        id: transfer.id,
        outgoing,
        incoming,
    })
}

/// Deletes a transfer of `book` with both of its sides, and returns it as it was. A
/// transfer with a reconciled side is LOCKED until that side is unreconciled.
pub async fn delete_transfer<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    id: TransferId,
) -> DomainResult<Transfer> {
    require_writer(viewer)?;
    let transfer = own_transfer(db, viewer, book, id).await?;
    if [&transfer.outgoing, &transfer.incoming]
        .iter()
        .any(|side| side.reconciled_on.is_some())
    {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::Locked,
            Text::TransferReconciled,
        ));
    }
    // The sides go with their transfer (ON DELETE CASCADE).
    book_transfer::Entity::delete_by_id(transfer.id)
        .exec(db)
        .await?;
    Ok(transfer)
}

/// The transfers of `keys`, each as its two sides, in one statement.
pub async fn transfers_by_id<C: ConnectionTrait>(
    db: &C,
    keys: &[TransferId],
) -> Result<HashMap<TransferId, Transfer>, DbErr> {
    let rows = book_transaction::Entity::find()
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            book_transaction::Column::TransferId,
            keys.iter().copied(),
        ))
        .all(db)
        .await?;
    let mut sides: HashMap<i64, Vec<book_transaction::Model>> = HashMap::new();
    for row in rows {
        if let Some(id) = row.transfer_id {
            sides.entry(id).or_default().push(row);
        }
    }
    Ok(sides
        .into_iter()
        .filter_map(|(id, rows)| Transfer::from_sides(Id::new(id), rows).map(|t| (Id::new(id), t)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(id: i64, kind: TransactionKind) -> book_transaction::Model {
        let now = Utc::now();
        book_transaction::Model {
            id,
            organization_id: 1,
            book_id: 1,
            kind,
            amount_minor: 100,
            description: String::new(),
            date: now.date_naive(),
            due_date: None,
            paid: true,
            paid_on: None,
            category_id: None,
            account_id: id,
            contact_name: String::new(),
            notes: String::new(),
            barcode: String::new(),
            external_id: None,
            bank_data: String::new(),
            ofx_id: String::new(),
            reconciled_on: None,
            excluded: false,
            private: false,
            transfer_id: Some(9),
            series_id: None,
            occurrence: None,
            statement_month: None,
            created_by_user_id: None,
            created_by_token_id: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_transfer_is_one_out_and_one_in_in_any_order() {
        let (out, inn) = (side(1, TransactionKind::Out), side(2, TransactionKind::In));
        let t = Transfer::from_sides(Id::new(9), vec![inn.clone(), out.clone()]).expect("a pair");
        assert_eq!((t.outgoing.id, t.incoming.id), (1, 2));
        assert!(Transfer::from_sides(Id::new(9), vec![out.clone()]).is_none());
        assert!(Transfer::from_sides(Id::new(9), vec![out.clone(), out.clone()]).is_none());
        assert!(Transfer::from_sides(Id::new(9), vec![out, inn.clone(), inn]).is_none());
    }
}
