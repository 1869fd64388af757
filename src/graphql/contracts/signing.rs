//! Signing contracts and operating on their invoices in the back office (see
//! `domain::contracts::signing` and `domain::contracts::operations`).

use async_graphql::{Context, ID, InputObject, Object};

use super::types::{Contract, Invoice};
use crate::{
    domain::{
        DomainError, FieldError, UserErrorCode,
        contracts::{
            operations,
            signing::{self, NewCar, NewContract},
        },
    },
    graphql::commons::{ContextExt, Date, Decimal, NodeKind, payload, target},
};

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
        let result = match input.weekly_amount.money() {
            Err(_) => Err(DomainError::Invalid(vec![FieldError::new(
                "weeklyAmount",
                UserErrorCode::InvalidAmount,
                "Not an amount of money: at most two decimals",
            )])),
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

#[derive(Default)]
pub struct InvoiceOperationsMutation;

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
        let id = target(
            &input.invoice_id,
            NodeKind::Invoice,
            "invoiceId",
            "an invoice",
        )?;
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
        let id = target(
            &input.invoice_id,
            NodeKind::Invoice,
            "invoiceId",
            "an invoice",
        )?;
        let result =
            operations::unfreeze_invoice(ctx.db(), ctx.actor()?, id, &input.reason, ctx.now())
                .await;
        payload(result, |row| Invoice(row, None).into())
    }
}
