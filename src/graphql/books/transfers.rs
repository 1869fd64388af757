//! The `Transfer` object (a linked pair of transactions between two accounts of a book),
//! its loader, and `createTransfer` / `deleteTransfer`.

use crate::domain::commons::Id;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    transactions::Transaction,
    types::Account,
    writes::{announce, write_book},
};
use crate::{
    domain::{
        books::{
            transfers::{self, NewTransfer},
            writes,
        },
        commons::money::Money,
    },
    entities::book_transaction,
    graphql::commons::{
        ContextExt, Date, Decimal, GlobalId, NodeKind, UserError, payload, target, today,
    },
};

/// Money moved between two accounts of one book (Organizze's transfers): an OUT
/// transaction from one account and an IN transaction to the other, with the same
/// amount, date and description. A transfer is neither an income nor an expense.
pub struct Transfer(pub Box<transfers::Transfer>);

impl From<transfers::Transfer> for Transfer {
    fn from(transfer: transfers::Transfer) -> Self {
        Self(Box::new(transfer))
    }
}

/// Money moved between two accounts of one book (Organizze's transfers): an OUT
/// transaction from one account and an IN transaction to the other, with the same
/// amount, date and description. A transfer is neither an income nor an expense.
#[Object]
impl Transfer {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Transfer, self.0.id).to_id()
    }
    /// How much moved, always positive.
    async fn amount(&self) -> Decimal {
        Decimal::from(Money::from_minor(self.0.outgoing.amount_minor))
    }
    /// The day the money moved, in the organization's timezone.
    async fn date(&self) -> Date {
        Date(self.0.outgoing.date)
    }
    /// Free text; empty when none.
    async fn description(&self) -> &str {
        &self.0.outgoing.description
    }
    /// Whether the money has moved (false for a transfer planned for later).
    async fn paid(&self) -> bool {
        self.0.outgoing.paid
    }
    /// The account the money left.
    async fn from(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        account(ctx, &self.0.outgoing).await
    }
    /// The account the money arrived in; null for a credit card statement payment (the
    /// card is `incoming.creditCard`).
    async fn to(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Account>> {
        account(ctx, &self.0.incoming).await
    }
    /// The OUT side, in the `from` account.
    async fn outgoing(&self) -> Transaction {
        Transaction(self.0.outgoing.clone())
    }
    /// The IN side, in the `to` account.
    async fn incoming(&self) -> Transaction {
        Transaction(self.0.incoming.clone())
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.outgoing.created_at
    }
}

async fn account(
    ctx: &Context<'_>,
    side: &book_transaction::Model,
) -> async_graphql::Result<Option<Account>> {
    Ok(ctx
        .loaders()
        .book_accounts
        .load_one(Id::new(side.account_id))
        .await?
        // A credit card's own account is the card's, not an account of the book.
        .filter(|a| a.book_id == side.book_id && !a.for_credit_card)
        .map(Account))
}

/// The transfer a transaction is a side of, if the viewer sees both sides.
pub async fn transfer_of(
    ctx: &Context<'_>,
    side: &book_transaction::Model,
) -> async_graphql::Result<Option<Transfer>> {
    let Some(id) = side.transfer_id else {
        return Ok(None);
    };
    let viewer = ctx.viewer()?;
    Ok(ctx
        .loaders()
        .transfers
        .load_one(Id::new(id))
        .await?
        .filter(|t| t.outgoing.book_id == side.book_id && t.visible_to(viewer))
        .map(Into::into))
}

/// Money to move between two accounts of the caller's book.
#[derive(InputObject)]
pub struct CreateTransferInput {
    /// The account the money leaves.
    pub from_account_id: ID,
    /// The account the money arrives in; not `fromAccountId` (SAME_RECORD).
    pub to_account_id: ID,
    /// How much, more than 0 and at most 1000000000.00.
    pub amount: Decimal,
    /// The day the money moves; today in the organization's timezone when omitted.
    pub date: Option<Date>,
    /// Free text, at most 500 characters.
    pub description: Option<String>,
    /// Whether the money has moved; when omitted, true for a date of today or earlier and
    /// false for a future date.
    pub paid: Option<bool>,
}

/// The transfer to delete, with both of its sides.
#[derive(InputObject)]
pub struct DeleteTransferInput {
    /// The transfer's global ID.
    pub id: ID,
}

/// The transfer created.
#[derive(SimpleObject, Default)]
pub struct CreateTransferPayload {
    /// The transfer with its two sides; null when `userErrors` is not empty.
    pub transfer: Option<Transfer>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// The transfer deleted.
#[derive(SimpleObject, Default)]
pub struct DeleteTransferPayload {
    /// The ID of the transfer deleted; null when `userErrors` is not empty.
    pub deleted_id: Option<ID>,
    /// The IDs of its two transactions, deleted with it; empty when `userErrors` is not.
    pub deleted_transaction_ids: Vec<ID>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(CreateTransferPayload, DeleteTransferPayload);

#[derive(Default)]
pub struct TransfersMutation;

#[Object]
impl TransfersMutation {
    /// Moves money between two accounts of the caller's book: writes an OUT transaction
    /// from `fromAccountId` and an IN transaction to `toAccountId`, linked, with no
    /// category. Changing one side later changes the other; deleting one deletes both.
    async fn create_transfer(
        &self,
        ctx: &Context<'_>,
        input: CreateTransferInput,
    ) -> async_graphql::Result<CreateTransferPayload> {
        let actor = ctx.actor()?;
        let today = today(ctx).await?;
        let new = NewTransfer {
            from_account_id: target(
                &input.from_account_id,
                NodeKind::Account,
                "fromAccountId",
                "an account",
            )?,
            to_account_id: target(
                &input.to_account_id,
                NodeKind::Account,
                "toAccountId",
                "an account",
            )?,
            amount: input.amount.0,
            date: input.date.map(|d| d.0),
            description: input.description,
            paid: input.paid,
        };
        let write = writes::create_transfer(ctx.db(), actor, new, today, ctx.now());
        payload(write_book(ctx, write).await, |transfer| {
            announce(ctx, [&transfer.outgoing, &transfer.incoming]);
            CreateTransferPayload {
                transfer: Some(transfer.into()),
                ..Default::default()
            }
        })
    }

    /// Deletes a transfer of the caller's book with both of its transactions. A transfer
    /// with a reconciled side cannot be deleted (LOCKED): clear its `reconciledOn` first.
    async fn delete_transfer(
        &self,
        ctx: &Context<'_>,
        input: DeleteTransferInput,
    ) -> async_graphql::Result<DeleteTransferPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Transfer, "id", "a transfer")?;
        let write = writes::delete_transfer(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |deleted| {
            DeleteTransferPayload {
                deleted_id: Some(GlobalId::new(NodeKind::Transfer, deleted.id).to_id()),
                deleted_transaction_ids: [deleted.outgoing.id, deleted.incoming.id]
                    .into_iter()
                    .map(|id| GlobalId::new(NodeKind::Transaction, id).to_id())
                    .collect(),
                ..Default::default()
            }
        })
    }
}
