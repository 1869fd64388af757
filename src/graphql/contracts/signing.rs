//! Signing contracts and operating on their invoices in the back office (see
//! `domain::contracts::signing` and `domain::contracts::operations`).

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    text::Text,
    types::{Contract, Invoice, InvoiceDiscount},
};
use crate::{
    domain::{
        DomainError, DomainResult, FieldError, UserErrorCode,
        commons::{InvoiceId, Money},
        contracts::{
            operations::{self, NewPenalty, Part},
            signing::{self, NewCar, NewContract},
        },
    },
    graphql::commons::{ContextExt, Date, Decimal, NodeKind, payload, target},
};

/// `value` as money, or INVALID_AMOUNT on `field` (more than two decimals).
fn money(field: &str, value: &Decimal) -> DomainResult<Money> {
    value.money().map_err(|_| {
        DomainError::Invalid(vec![FieldError::new(
            field,
            UserErrorCode::InvalidAmount,
            Text::NotMoney,
        )])
    })
}

/// The car a contract leases.
#[derive(InputObject)]
pub struct ContractCarInput {
    /// Make, e.g. "Toyota".
    pub brand: String,
    /// Model, e.g. "Yaris".
    pub model: String,
    /// License plate; stored in capitals without spaces.
    pub license_plate: String,
    /// Model year.
    pub year: i32,
    /// https addresses of its photos (at most 10).
    #[graphql(default)]
    pub photos: Vec<String>,
}

/// A contract to sign, with its car and the terms of its weekly invoices.
#[derive(InputObject)]
pub struct CreateContractInput {
    /// The driver (`Client`).
    pub client_id: ID,
    /// The weekly fee, e.g. "525.00": every invoice of the schedule is exactly this.
    pub weekly_amount: Decimal,
    /// When the first weekly invoice is due; the others follow every 7 days.
    pub first_due_date: Date,
    /// How many weekly invoices (1 to 260).
    pub weeks: i32,
    /// Whether each invoice is charged to the driver's saved card on its due date.
    #[graphql(default)]
    pub auto_charge: bool,
    /// The card processor's public key for this contract.
    #[graphql(default)]
    pub processor_public_key: String,
    /// The car.
    pub car: ContractCarInput,
}

crate::payload!(
    CreateContractPayload,
    contract,
    Contract,
    "The contract signed, with its car and schedule.",
    "The new contract; null when `userErrors` is not empty."
);

#[derive(Default)]
pub struct ContractsMutation;

#[Object]
impl ContractsMutation {
    /// Signs a contract: the contract (a new public hash, active), its car and its whole
    /// schedule of PENDING weekly invoices, in one transaction. ADMIN only.
    async fn create_contract(
        &self,
        ctx: &Context<'_>,
        input: CreateContractInput,
    ) -> async_graphql::Result<CreateContractPayload> {
        let client_id = target(&input.client_id, NodeKind::Client, "clientId", "a client")?;
        let result = match money("weeklyAmount", &input.weekly_amount) {
            Err(e) => Err(e),
            Ok(weekly_amount) => {
                let new = NewContract {
                    client_id,
                    weekly_amount,
                    first_due_date: input.first_due_date.0,
                    weeks: u32::try_from(input.weeks).unwrap_or(0),
                    auto_charge: input.auto_charge,
                    processor_public_key: input.processor_public_key,
                    car: NewCar {
                        brand: input.car.brand,
                        model: input.car.model,
                        license_plate: input.car.license_plate,
                        year: input.car.year,
                        photos: input.car.photos,
                    },
                    hash: None,
                };
                signing::create_contract(ctx.db(), ctx.actor()?, &new, ctx.now()).await
            }
        };
        payload(result, |signed| Contract(signed.contract).into())
    }
}

/// An invoice and why it changes.
#[derive(InputObject)]
pub struct InvoiceReasonInput {
    /// The `Invoice`.
    pub invoice_id: ID,
    /// Why, as the audit trail keeps it (e.g. "Car in the workshop").
    pub reason: String,
}

crate::payload!(
    FreezeInvoicePayload,
    invoice,
    Invoice,
    "The frozen invoice.",
    "The invoice, now FROZEN; null when `userErrors` is not empty."
);
crate::payload!(
    UnfreezeInvoicePayload,
    invoice,
    Invoice,
    "The invoice payable again.",
    "The invoice, PENDING again; null when `userErrors` is not empty."
);

crate::payload!(
    CancelInvoicePayload,
    invoice,
    Invoice,
    "The cancelled invoice.",
    "The invoice, now CANCELLED; null when `userErrors` is not empty."
);
crate::payload!(
    AddPenaltyPayload,
    invoice,
    Invoice,
    "The penalty charged.",
    "The new penalty invoice; null when `userErrors` is not empty."
);

/// A discount to grant on an invoice.
#[derive(InputObject)]
pub struct AddInvoiceDiscountInput {
    /// The `Invoice`.
    pub invoice_id: ID,
    /// How much to take off, e.g. "50.00": at most what is left to pay.
    pub amount: Decimal,
    /// Why, shown to the driver as the discount's observations.
    pub reason: String,
}

/// The discount granted or removed, and its invoice as it now stands.
#[derive(async_graphql::SimpleObject, Default)]
pub struct InvoiceDiscountPayload {
    /// The invoice; null when `userErrors` is not empty.
    pub invoice: Option<Invoice>,
    /// The discount; null when `userErrors` is not empty.
    pub discount: Option<InvoiceDiscount>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<crate::graphql::commons::UserError>,
}
crate::impl_payload!(InvoiceDiscountPayload);

impl From<operations::Discounted> for InvoiceDiscountPayload {
    fn from(done: operations::Discounted) -> Self {
        Self {
            invoice: Some(Invoice(done.invoice, None)),
            discount: Some(done.discount.into()),
            ..Default::default()
        }
    }
}

/// A discount to remove.
#[derive(InputObject)]
pub struct RemoveInvoiceDiscountInput {
    /// The `InvoiceDiscount` (`Invoice.discounts { id }`).
    pub discount_id: ID,
    /// Why, as the audit trail keeps it.
    pub reason: String,
}

/// A penalty to charge under a contract.
#[derive(InputObject)]
pub struct AddPenaltyInput {
    /// The `Contract`.
    pub contract_id: ID,
    /// How much, e.g. "80.00".
    pub amount: Decimal,
    /// When it is due: today or later, in the organization's calendar.
    pub due_date: Date,
    /// Why, shown to the driver as the invoice's observations.
    pub reason: String,
}

/// One fraction of a split.
#[derive(InputObject)]
pub struct InvoicePartInput {
    /// How much, e.g. "175.00".
    pub amount: Decimal,
    /// When it is due: today or later.
    pub due_date: Date,
}

/// An invoice to split, and the fractions to make of it.
#[derive(InputObject)]
pub struct SplitInvoiceInput {
    /// The `Invoice` (PENDING).
    pub invoice_id: ID,
    /// 2 to 13 fractions, adding up exactly to what is left to pay of the invoice.
    pub parts: Vec<InvoicePartInput>,
    /// Why, as the audit trail keeps it.
    #[graphql(default)]
    pub reason: String,
}

/// The invoice split, and its fractions.
#[derive(async_graphql::SimpleObject, Default)]
pub struct SplitInvoicePayload {
    /// The invoice, now SPLIT; null when `userErrors` is not empty.
    pub invoice: Option<Invoice>,
    /// The FRACTION invoices it became, in order.
    pub fractions: Vec<Invoice>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<crate::graphql::commons::UserError>,
}
crate::impl_payload!(SplitInvoicePayload);

#[derive(Default)]
pub struct InvoiceOperationsMutation;

/// The invoice an operation's `invoiceId` names.
fn invoice_id(id: &ID) -> async_graphql::Result<InvoiceId> {
    target(id, NodeKind::Invoice, "invoiceId", "an invoice")
}

#[Object]
impl InvoiceOperationsMutation {
    /// Freezes a pending invoice: it cannot be paid or charged automatically until
    /// unfrozen (the REST API's "freezed"). A paid invoice is refused; against a payment
    /// of the same invoice at the same moment, exactly one of the two wins. ADMIN only.
    async fn freeze_invoice(
        &self,
        ctx: &Context<'_>,
        input: InvoiceReasonInput,
    ) -> async_graphql::Result<FreezeInvoicePayload> {
        let id = invoice_id(&input.invoice_id)?;
        let result =
            operations::freeze_invoice(ctx.db(), ctx.actor()?, id, &input.reason, ctx.now()).await;
        payload(result, |row| Invoice(row, None).into())
    }

    /// Makes a frozen invoice payable again. ADMIN only.
    async fn unfreeze_invoice(
        &self,
        ctx: &Context<'_>,
        input: InvoiceReasonInput,
    ) -> async_graphql::Result<UnfreezeInvoicePayload> {
        let id = invoice_id(&input.invoice_id)?;
        let result =
            operations::unfreeze_invoice(ctx.db(), ctx.actor()?, id, &input.reason, ctx.now())
                .await;
        payload(result, |row| Invoice(row, None).into())
    }

    /// Takes an amount off what is left to pay of an owed invoice. The amount to pay
    /// never goes below zero: a larger discount is refused, and one that leaves nothing
    /// settles the invoice (PAID). Against a payment of the same invoice at the same
    /// moment, exactly one of the two wins. ADMIN only.
    async fn add_invoice_discount(
        &self,
        ctx: &Context<'_>,
        input: AddInvoiceDiscountInput,
    ) -> async_graphql::Result<InvoiceDiscountPayload> {
        let id = invoice_id(&input.invoice_id)?;
        let actor = ctx.actor()?;
        let result = match money("amount", &input.amount) {
            Ok(amount) => {
                operations::add_discount(ctx.db(), actor, id, amount, &input.reason, ctx.now())
                    .await
            }
            Err(e) => Err(e),
        };
        payload(result, Into::into)
    }

    /// Removes a discount from an owed invoice: it costs that much more again. ADMIN only.
    async fn remove_invoice_discount(
        &self,
        ctx: &Context<'_>,
        input: RemoveInvoiceDiscountInput,
    ) -> async_graphql::Result<InvoiceDiscountPayload> {
        let id = target(
            &input.discount_id,
            NodeKind::InvoiceDiscount,
            "discountId",
            "an invoice discount",
        )?;
        let result =
            operations::remove_discount(ctx.db(), ctx.actor()?, id, &input.reason, ctx.now()).await;
        payload(result, Into::into)
    }

    /// Charges a penalty under a contract: a PENDING invoice of the penalty type, paid
    /// before the weekly fees. ADMIN only.
    async fn add_penalty(
        &self,
        ctx: &Context<'_>,
        input: AddPenaltyInput,
    ) -> async_graphql::Result<AddPenaltyPayload> {
        let contract_id = target(
            &input.contract_id,
            NodeKind::Contract,
            "contractId",
            "a contract",
        )?;
        let actor = ctx.actor()?;
        let result = match money("amount", &input.amount) {
            Ok(amount) => {
                let penalty = NewPenalty {
                    contract_id,
                    amount,
                    due_date: input.due_date.0,
                    reason: input.reason,
                };
                operations::add_penalty(ctx.db(), actor, &penalty, ctx.now()).await
            }
            Err(e) => Err(e),
        };
        payload(result, |row| Invoice(row, None).into())
    }

    /// Splits what is left to pay of a PENDING invoice into FRACTION invoices that add up
    /// to it exactly, each due on its own date; the invoice becomes SPLIT and is paid
    /// through its fractions. Against a payment of the same invoice at the same moment,
    /// exactly one of the two wins. ADMIN only.
    async fn split_invoice(
        &self,
        ctx: &Context<'_>,
        input: SplitInvoiceInput,
    ) -> async_graphql::Result<SplitInvoicePayload> {
        let id = invoice_id(&input.invoice_id)?;
        let actor = ctx.actor()?;
        let mut errors = Vec::new();
        let mut parts = Vec::with_capacity(input.parts.len());
        for (i, part) in input.parts.iter().enumerate() {
            match money(&format!("parts.{i}.amount"), &part.amount) {
                Ok(amount) => parts.push(Part {
                    amount,
                    due_date: part.due_date.0,
                }),
                Err(DomainError::Invalid(mut e)) => errors.append(&mut e),
                Err(e) => return Err(e.into()),
            }
        }
        let result = if errors.is_empty() {
            operations::split_invoice(ctx.db(), actor, id, &parts, &input.reason, ctx.now()).await
        } else {
            Err(DomainError::Invalid(errors))
        };
        payload(result, |split| SplitInvoicePayload {
            invoice: Some(Invoice(split.parent, None)),
            fractions: split
                .fractions
                .into_iter()
                .map(|row| Invoice(row, None))
                .collect(),
            ..Default::default()
        })
    }

    /// Cancels an owed invoice (PENDING, FROZEN or a fraction): it is owed no more and
    /// out of every total. Against a payment of the same invoice at the same moment,
    /// exactly one of the two wins. ADMIN only.
    async fn cancel_invoice(
        &self,
        ctx: &Context<'_>,
        input: InvoiceReasonInput,
    ) -> async_graphql::Result<CancelInvoicePayload> {
        let id = invoice_id(&input.invoice_id)?;
        let result =
            operations::cancel_invoice(ctx.db(), ctx.actor()?, id, &input.reason, ctx.now()).await;
        payload(result, |row| Invoice(row, None).into())
    }
}
