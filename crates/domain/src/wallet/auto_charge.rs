//! The auto-charge job: contracts with the REST API's `auto_charge` flag have their due
//! invoices paid from the wallet when the coins suffice.
//!
//! Rules: per driver, due invoices (PENDING, due today or earlier in the organization's
//! timezone) oldest first; whole invoices only, one payment each, without fractions; the
//! first invoice the coins do not cover stops that driver's run, so a newer invoice is
//! never paid before an older one. Each payment's idempotency key is
//! `auto-charge:<invoice id>`, so an invoice is paid once even if two runs overlap; the
//! job lease keeps two replicas from running at once, so attempts are not recorded twice.

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    payments::{self, PayOptions, Payer, PaymentReceipt},
    text::Text,
};
use crate::commons::Id;
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::{Calendar, begin_write, lease},
    entities::{
        auto_charge_attempt, auto_charge_attempt::AttemptOutcome, contract, invoice,
        invoice::InvoiceStatus, organization, payment::PaymentSource,
    },
    idempotency::IdempotencyKey,
    visibility,
};
use sea_orm::Order;

/// The job's name in `job_leases`.
pub const JOB: &str = "auto-charge";

/// How long a run holds the job's lease past its last renewal: a run that dies is
/// replaced by another replica's within about a minute.
const LEASE: TimeDelta = TimeDelta::minutes(1);
/// How often a working run renews its lease.
const RENEW_EVERY: std::time::Duration = std::time::Duration::from_secs(20);

/// A run's hold on the job's lease, renewed while it works, so that a long run keeps it
/// and a dead one loses it within [`LEASE`].
struct Hold<'a> {
    db: &'a DatabaseConnection,
    run_id: &'a str,
    /// The run's start on the job's clock, and on the process' monotonic one.
    now: DateTime<Utc>,
    started: std::time::Instant,
    renewed: std::time::Instant,
}

impl Hold<'_> {
    /// Renews the lease when it is due; an error when another process took it over (this
    /// run was too slow to renew), which stops the run.
    async fn keep(&mut self) -> DomainResult<()> {
        if self.renewed.elapsed() < RENEW_EVERY {
            return Ok(());
        }
        let elapsed = TimeDelta::from_std(self.started.elapsed()).unwrap_or(LEASE);
        if !lease::renew(self.db, JOB, self.run_id, self.now + elapsed + LEASE).await? {
            return Err(DomainError::Conflict(Text::AutoChargeLeaseLost.into()));
        }
        self.renewed = std::time::Instant::now();
        Ok(())
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunReport {
    pub run_id: String,
    /// False when another process held the lease: this run did nothing.
    pub ran: bool,
    pub paid: usize,
    pub insufficient: usize,
    pub failed: usize,
    /// Payments made, for the caller to announce after the run.
    #[serde(skip)]
    pub payments: Vec<(Payer, PaymentReceipt)>,
}

/// Runs the job once over every organization.
pub async fn run_once(db: &DatabaseConnection, now: DateTime<Utc>) -> DomainResult<RunReport> {
    let run_id = uuid::Uuid::new_v4().to_string();
    let mut report = RunReport {
        run_id: run_id.clone(),
        ..Default::default()
    };
    if !lease::claim(db, JOB, &run_id, now, LEASE).await? {
        return Ok(report);
    }
    report.ran = true;
    let started = std::time::Instant::now();
    let mut hold = Hold {
        db,
        run_id: &run_id,
        now,
        started,
        renewed: started,
    };
    let outcome = charge_all(db, now, &mut report, &mut hold).await;
    lease::release(db, JOB, &run_id, now).await?;
    outcome.map(|()| report)
}

async fn charge_all(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    report: &mut RunReport,
    hold: &mut Hold<'_>,
) -> DomainResult<()> {
    for org in organization::Entity::find().all(db).await? {
        let today = Calendar::of(&org).date_of(now);
        let due: Vec<(invoice::Model, Option<contract::Model>)> = invoice::Entity::find()
            .find_also_related(contract::Entity)
            .filter(contract::Column::OrganizationId.eq(org.id))
            .filter(contract::Column::AutoCharge.eq(true))
            .filter(invoice::Column::Status.eq(InvoiceStatus::Pending))
            .filter(invoice::Column::DueDate.lte(today))
            .order_by_asc(contract::Column::ClientId)
            .order_by_asc(invoice::Column::DueDate)
            .order_by_asc(invoice::Column::Priority)
            .order_by_asc(invoice::Column::Id)
            .all(db)
            .await?;
        let mut stopped_client = None;
        for (invoice, contract) in due {
            let Some(contract) = contract else { continue };
            if stopped_client == Some(contract.client_id) {
                continue;
            }
            hold.keep().await?;
            let payer = Payer {
                client_id: Id::new(contract.client_id),
                organization_id: Id::new(org.id),
            };
            let key = IdempotencyKey::internal(format!("auto-charge:{}", invoice.id));
            let options = PayOptions {
                key: &key,
                source: PaymentSource::AutoCharge,
                with_fractions: false,
                currency: &org.currency,
                now,
                today,
            };
            // The payment and its PAID attempt commit together: a run killed between
            // them leaves neither.
            let txn = begin_write(db).await?;
            let attempt =
                |outcome, detail, payment_id: Option<i64>| auto_charge_attempt::ActiveModel {
                    organization_id: Set(org.id),
                    contract_id: Set(contract.id),
                    invoice_id: Set(invoice.id),
                    outcome: Set(outcome),
                    detail: Set(detail),
                    payment_id: Set(payment_id),
                    run_id: Set(report.run_id.clone()),
                    created_at: Set(now),
                    ..Default::default()
                };
            match payments::pay_within(&txn, payer, &[Id::new(invoice.id)], options).await {
                // Another run paid it already: its attempt is on record.
                Ok(receipt) if receipt.replayed => txn.rollback().await?,
                Ok(receipt) => {
                    attempt(
                        AttemptOutcome::Paid,
                        receipt.message.clone(),
                        Some(receipt.payment_id.get()),
                    )
                    .insert(&txn)
                    .await?;
                    txn.commit().await?;
                    report.paid += 1;
                    report.payments.push((payer, receipt));
                }
                Err(DomainError::Invalid(errors))
                    if errors
                        .iter()
                        .any(|e| e.code == UserErrorCode::InsufficientFunds) =>
                {
                    txn.rollback().await?;
                    report.insufficient += 1;
                    stopped_client = Some(contract.client_id);
                    let detail = errors
                        .into_iter()
                        .map(|e| e.message.english())
                        .collect::<Vec<_>>()
                        .join("; ");
                    attempt(AttemptOutcome::InsufficientCoins, detail, None)
                        .insert(db)
                        .await?;
                }
                Err(other) => {
                    txn.rollback().await?;
                    report.failed += 1;
                    stopped_client = Some(contract.client_id);
                    tracing::warn!(invoice = invoice.id, "auto-charge failed: {other}");
                    attempt(AttemptOutcome::Failed, other.to_string(), None)
                        .insert(db)
                        .await?;
                }
            }
        }
    }
    Ok(())
}

/// The organization's auto-charge attempts, newest first (staff only): what each run tried
/// to charge and how it ended.
pub fn attempts(viewer: &Viewer) -> DomainResult<Listing<auto_charge_attempt::Entity>> {
    visibility::require_staff(viewer)?;
    Ok(Listing::new(
        auto_charge_attempt::Entity::find()
            .filter(auto_charge_attempt::Column::OrganizationId.eq(viewer.organization_id)),
        [(auto_charge_attempt::Column::Id, Order::Desc)],
    ))
}
