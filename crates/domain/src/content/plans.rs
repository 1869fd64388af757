//! Ride-hailing plans (the REST API's `uber_plans`): a driver's plan gives a discount on
//! the weekly fee.

use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{find_owned, require_admin, text::Text};
use crate::commons::{OrganizationId, PlanId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, Problems},
    entities::{client_profile, plan},
};

/// A plan to create.
pub struct NewPlan {
    pub name: String,
    /// Derived from the name when not given.
    pub code: Option<String>,
    /// 0 to 100, at most two decimals.
    pub discount_percent: Decimal,
    pub description: Option<String>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct PlanChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub discount_percent: Option<Decimal>,
    pub description: Option<String>,
}

/// The organization's plans, smallest discount first.
pub async fn list_plans<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<plan::Model>> {
    Ok(plan::Entity::find()
        .filter(plan::Column::OrganizationId.eq(organization_id))
        .order_by_asc(plan::Column::DiscountBasisPoints)
        .order_by_asc(plan::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_plan(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewPlan,
) -> DomainResult<plan::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let code = checks::code(&mut p, "code", new.code.as_deref(), &name);
    let basis_points = checks::percent(&mut p, "discountPercent", new.discount_percent);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = plan::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            name: Set(name),
            code: Set(code),
            discount_basis_points: Set(basis_points),
            description: Set(description),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "code", Text::PlanCodeTaken))?;
        let change = Change::of(ObjectKind::Plan, row.id, "createPlan", None, Some(&row));
        Ok((row, change))
    })
    .await
}

pub async fn update_plan(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: PlanId,
    changes: PlanChanges,
) -> DomainResult<plan::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_owned::<plan::Entity, _>(
            txn,
            id,
            actor.viewer.organization_id,
            plan::Column::OrganizationId,
            NotFound::Plan,
        )
        .await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(name) = changes.name {
            active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
        }
        if let Some(code) = changes.code {
            active.code = Set(checks::code(&mut p, "code", Some(&code), ""));
        }
        if let Some(percent) = changes.discount_percent {
            active.discount_basis_points = Set(checks::percent(&mut p, "discountPercent", percent));
        }
        if let Some(description) = changes.description {
            active.description = Set(checks::text(
                &mut p,
                "description",
                &description,
                false,
                MAX_DESCRIPTION_CHARS,
            ));
        }
        p.finish()?;
        let after = active
            .update(txn)
            .await
            .map_err(|e| checks::duplicate(e, "code", Text::PlanCodeTaken))?;
        let change = Change::of(
            ObjectKind::Plan,
            after.id,
            "updatePlan",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Deletes a plan no driver is on; a plan in use is refused (IN_USE): move its drivers
/// to another plan first.
pub async fn delete_plan(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: PlanId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_owned::<plan::Entity, _>(
            txn,
            id,
            actor.viewer.organization_id,
            plan::Column::OrganizationId,
            NotFound::Plan,
        )
        .await?;
        let drivers = client_profile::Entity::find()
            .filter(client_profile::Column::PlanId.eq(row.id))
            .count(txn)
            .await?;
        if drivers > 0 {
            return Err(DomainError::invalid(
                "id",
                UserErrorCode::InUse,
                Text::PlanHasDrivers {
                    drivers: drivers.to_string(),
                },
            ));
        }
        plan::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .map_err(checks::in_use)?;
        let change = Change::of(ObjectKind::Plan, row.id, "deletePlan", Some(&row), None);
        Ok((row.id, change))
    })
    .await
}
