//! Paying invoices from the wallet and recording recharges: the mutations that move money.
//! Both take an `idempotencyKey`; see `domain::idempotency`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{
    text::Text,
    types::{PaySummary, PaySummaryPayload, Payment, Recharge, payment_by_id, recharge_by_id},
};
use crate::domain::commons::InvoiceId;
use crate::{
    auth::Viewer,
    domain::{
        DomainError, FieldError, UserErrorCode,
        commons::Calendar,
        idempotency::IdempotencyKey,
        wallet::{
            payments::{self, PayOptions, Payer},
            recharges::{self, NewRecharge},
        },
    },
    entities::{payment::PaymentSource, user::Role},
    graphql::commons::{
        ContextExt, Decimal, ErrorCode, GlobalId, NodeKind, UserError, payload, payload_async,
        today, viewer_organization,
    },
};

/// The caller as a paying driver; staff do not pay invoices.
fn payer(viewer: &Viewer) -> async_graphql::Result<Payer> {
    if viewer.role != Role::Client {
        return Err(ErrorCode::Forbidden.error(Text::OnlyDriversPay));
    }
    Ok(Payer {
        client_id: viewer.user_id,
        organization_id: viewer.organization_id,
    })
}

/// Decodes invoice IDs; every malformed one is named in one userError.
fn invoice_ids(ids: &[ID]) -> Result<Vec<InvoiceId>, DomainError> {
    let mut decoded = Vec::with_capacity(ids.len());
    let mut bad = Vec::new();
    for id in ids {
        match GlobalId::parse_as(id, NodeKind::Invoice) {
            Some(n) => decoded.push(n),
            None => bad.push(id.to_string()),
        }
    }
    if bad.is_empty() {
        Ok(decoded)
    } else {
        Err(DomainError::invalid(
            "invoiceIds",
            UserErrorCode::InvalidFormat,
            Text::NotInvoiceIds {
                ids: bad.join(", "),
            },
        ))
    }
}

fn key(raw: &str) -> Result<IdempotencyKey, DomainError> {
    IdempotencyKey::parse("idempotencyKey", raw).map_err(|e| DomainError::Invalid(vec![e]))
}

/// The pay summary query (lives here to share the payer rules).
pub async fn pay_summary(
    ctx: &Context<'_>,
    ids: Vec<ID>,
) -> async_graphql::Result<PaySummaryPayload> {
    let payer = payer(ctx.viewer()?)?;
    let result = match invoice_ids(&ids) {
        Ok(ids) => payments::summary(ctx.db(), payer, &ids, today(ctx).await?).await,
        Err(e) => Err(e),
    };
    payload(result, |summary| PaySummaryPayload {
        summary: Some(PaySummary(summary)),
        ..Default::default()
    })
}

/// Invoices to pay from the wallet.
#[derive(InputObject)]
pub struct PayInvoicesInput {
    /// The invoices to pay (global IDs); the active fractions of their contracts are
    /// charged along. At most 100.
    pub invoice_ids: Vec<ID>,
    /// A new unique key per payment (a UUID): retrying with the same key returns the first
    /// result instead of paying again. Kept at least 7 days. Required: this moves the
    /// wallet's money, which a lost answer retried must never move twice (the book
    /// entries' keys are optional, since a driver sees and deletes a duplicate entry).
    pub idempotency_key: String,
}

/// The result of paying invoices.
#[derive(SimpleObject, Default)]
pub struct PayInvoicesPayload {
    /// The payment made; null when `userErrors` is not empty.
    pub payment: Option<Payment>,
    /// The wallet balance right after the payment.
    pub balance: Option<Decimal>,
    /// The REST API's confirmation, naming each invoice by what it is for and its due
    /// date, e.g. "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026), Cuota
    /// semanal 2 (vence 09/11/2026) . Por el monto de S/ 1050".
    pub message: Option<String>,
    /// True when this key was already used for this same request: nothing moved now, this
    /// is the first result.
    pub replayed: bool,
    /// What the driver can fix: invoices not theirs, paid or frozen, amount 0, not enough
    /// coins (the message says the balance).
    pub user_errors: Vec<UserError>,
}

/// A recharge to record.
#[derive(InputObject)]
pub struct RecordRechargeInput {
    /// The driver (a Client global ID) whose wallet is credited.
    pub client_id: ID,
    /// More than 0, at most 100000.00.
    pub amount: Decimal,
    /// How the money came in, e.g. "Efectivo" or "Depósito BCP" (at most 50 characters).
    pub method: String,
    /// A note (at most 500 characters).
    #[graphql(default)]
    pub observation: String,
    /// A new unique key per recharge (a UUID): retrying with the same key records nothing
    /// more and returns the first result. Required: this puts money in a driver's wallet,
    /// which a lost answer retried must never count twice.
    pub idempotency_key: String,
}

/// The result of recording a recharge.
#[derive(SimpleObject, Default)]
pub struct RecordRechargePayload {
    /// The recharge; null when `userErrors` is not empty.
    pub recharge: Option<Recharge>,
    /// The driver's balance right after it.
    pub balance: Option<Decimal>,
    /// True when this key was already used for this same recharge: nothing moved now.
    pub replayed: bool,
    /// What staff can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(PayInvoicesPayload, RecordRechargePayload);

#[derive(Default)]
pub struct WalletMutation;

#[Object]
impl WalletMutation {
    /// Pays invoices (and their contracts' active fractions) from the driver's wallet, all
    /// or nothing, once per idempotency key (the REST API's pay-pool). Drivers only.
    async fn pay_invoices(
        &self,
        ctx: &Context<'_>,
        input: PayInvoicesInput,
    ) -> async_graphql::Result<PayInvoicesPayload> {
        let payer = payer(ctx.viewer()?)?;
        let organization = viewer_organization(ctx).await?;
        let now = ctx.now();
        let result = async {
            let ids = invoice_ids(&input.invoice_ids)?;
            let key = key(&input.idempotency_key)?;
            let options = PayOptions {
                key: &key,
                source: PaymentSource::Wallet,
                with_fractions: true,
                currency: &organization.currency,
                now,
                today: Calendar::of(&organization).date_of(now),
            };
            payments::pay(ctx.db(), payer, &ids, options).await
        }
        .await;
        payload_async(result, async |receipt| {
            ctx.state()
                .events
                .publish(payments::announcements(payer, &receipt));
            let payment = payment_by_id(ctx, receipt.payment_id.get()).await?;
            Ok(PayInvoicesPayload {
                payment,
                balance: Some(receipt.balance_after.into()),
                message: Some(receipt.message),
                replayed: receipt.replayed,
                ..Default::default()
            })
        })
        .await
    }

    /// Records money a driver paid in and credits their wallet, once per idempotency key.
    /// Staff only (ADMIN, and COLLECTOR, who collects the cash).
    async fn record_recharge(
        &self,
        ctx: &Context<'_>,
        input: RecordRechargeInput,
    ) -> async_graphql::Result<RecordRechargePayload> {
        // Staff only, before the input is looked at (the domain checks it again).
        ctx.staff()?;
        let actor = ctx.actor()?;
        let now = ctx.now();
        let result = async {
            let mut errors = Vec::new();
            let client_id = GlobalId::parse_as(&input.client_id, NodeKind::Client);
            if client_id.is_none() {
                errors.push(FieldError::new(
                    "clientId",
                    UserErrorCode::InvalidFormat,
                    Text::NotClientId,
                ));
            }
            let amount = input.amount.money().ok();
            if amount.is_none() {
                errors.push(FieldError::new(
                    "amount",
                    UserErrorCode::InvalidAmount,
                    Text::NotMoney,
                ));
            }
            let key = IdempotencyKey::parse("idempotencyKey", &input.idempotency_key);
            let (Some(client_id), Some(amount), Ok(key)) = (client_id, amount, key.clone()) else {
                if let Err(e) = key {
                    errors.push(e);
                }
                return Err(DomainError::Invalid(errors));
            };
            let recharge = NewRecharge {
                client_id,
                amount,
                method: input.method.clone(),
                observation: input.observation.clone(),
            };
            recharges::record(ctx.db(), actor, &recharge, &key, now).await
        }
        .await;
        payload_async(result, async |receipt| {
            ctx.state().events.publish(recharges::announcement(
                actor.viewer.organization_id,
                &receipt,
            ));
            let recharge = recharge_by_id(ctx, receipt.recharge_id.get()).await?;
            Ok(RecordRechargePayload {
                recharge,
                balance: Some(receipt.balance_after.into()),
                replayed: receipt.replayed,
                ..Default::default()
            })
        })
        .await
    }
}
