//! The organization's invoicing settings: its default tax rate and its invoice counter.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set,
    sea_query::OnConflict,
};

use super::{amounts, in_business, require_writer};
use crate::commons::OrganizationId;
use crate::{
    DomainError, DomainResult,
    audit::{Actor, Change, ObjectKind},
    checks::Problems,
    entities::business_setting,
};

/// The default tax rate of a new organization: Peru's IGV, 18 %.
pub const DEFAULT_TAX_RATE_BP: i32 = 1800;

/// The organization's settings, as stored or, before their first use, as they will be.
pub async fn settings<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    now: DateTime<Utc>,
) -> DomainResult<business_setting::Model> {
    Ok(business_setting::Entity::find_by_id(organization_id.get())
        .one(db)
        .await?
        .unwrap_or(business_setting::Model {
            organization_id: organization_id.get(),
            default_tax_rate_bp: DEFAULT_TAX_RATE_BP,
            last_invoice_number: 0,
            updated_at: now,
        }))
}

/// The organization's settings row, written first when missing.
pub async fn stored_settings<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    now: DateTime<Utc>,
) -> DomainResult<business_setting::Model> {
    business_setting::Entity::insert(business_setting::ActiveModel {
        organization_id: Set(organization_id.get()),
        default_tax_rate_bp: Set(DEFAULT_TAX_RATE_BP),
        last_invoice_number: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(business_setting::Column::OrganizationId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    business_setting::Entity::find_by_id(organization_id.get())
        .one(db)
        .await?
        .ok_or_else(|| DomainError::Internal("the business settings row is gone".into()))
}

/// Changes the organization's default tax rate, a percentage (`updateInvoicingSettings`),
/// in a transaction of its own; invoices already made keep theirs. The record's object
/// is the organization's settings, whose id is the organization's.
pub async fn update_invoicing_settings(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    default_tax_percentage: Decimal,
    now: DateTime<Utc>,
) -> DomainResult<business_setting::Model> {
    require_writer(actor.viewer)?;
    let mut p = Problems::default();
    let rate_bp = amounts::rate(&mut p, "defaultTaxPercentage", default_tax_percentage);
    p.finish()?;
    let organization_id = actor.viewer.organization_id;
    in_business(db, actor, now, async |txn, _| {
        let before = settings(txn, organization_id, now).await?;
        let after = set_default_tax_rate(txn, organization_id, rate_bp, now).await?;
        let change = Change::of(
            ObjectKind::InvoicingSettings,
            organization_id.get(),
            "updateInvoicingSettings",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Sets the default tax rate (hundredths of a percent).
async fn set_default_tax_rate<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    rate_bp: i32,
    now: DateTime<Utc>,
) -> DomainResult<business_setting::Model> {
    let mut active = stored_settings(db, organization_id, now)
        .await?
        .into_active_model();
    active.default_tax_rate_bp = Set(rate_bp);
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}

/// Records `number` as the last automatic invoice number.
pub async fn set_last_number<C: ConnectionTrait>(
    db: &C,
    settings: business_setting::Model,
    number: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let mut active = settings.into_active_model();
    active.last_invoice_number = Set(number);
    active.updated_at = Set(now);
    active.update(db).await?;
    Ok(())
}
