//! The categories drivers file their expenses under (the REST API's
//! `expense_categories`).

use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use super::{find_owned, require_admin, text::Text};
use crate::commons::{ExpenseCategoryId, OrganizationId};
use crate::{
    DomainResult,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, MAX_NAME_CHARS, Problems},
    entities::expense_category,
};

/// An expense category to create.
pub struct NewExpenseCategory {
    pub name: String,
    /// Derived from the name when not given.
    pub code: Option<String>,
    pub icon: Option<String>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct ExpenseCategoryChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub icon: Option<String>,
}

/// The organization's expense categories, in the order they were created.
pub async fn list_expense_categories<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<expense_category::Model>> {
    Ok(expense_category::Entity::find()
        .filter(expense_category::Column::OrganizationId.eq(organization_id))
        .order_by_asc(expense_category::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_expense_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewExpenseCategory,
) -> DomainResult<expense_category::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let code = checks::code(&mut p, "code", new.code.as_deref(), &name);
    let icon = checks::icon(&mut p, "icon", new.icon.as_deref().unwrap_or(""));
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = expense_category::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            name: Set(name),
            code: Set(code),
            icon: Set(icon),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "code", Text::ExpenseCategoryCodeTaken))?;
        let change = Change::of(
            ObjectKind::ExpenseCategory,
            row.id,
            "createExpenseCategory",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

async fn find_category<C: ConnectionTrait>(
    db: &C,
    actor: Actor<'_>,
    id: ExpenseCategoryId,
) -> DomainResult<expense_category::Model> {
    find_owned::<expense_category::Entity, _>(
        db,
        id,
        actor.viewer.organization_id,
        expense_category::Column::OrganizationId,
        NotFound::ExpenseCategory,
    )
    .await
}

pub async fn update_expense_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: ExpenseCategoryId,
    changes: ExpenseCategoryChanges,
) -> DomainResult<expense_category::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_category(txn, actor, id).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(name) = changes.name {
            active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
        }
        if let Some(code) = changes.code {
            active.code = Set(checks::code(&mut p, "code", Some(&code), ""));
        }
        if let Some(icon) = changes.icon {
            active.icon = Set(checks::icon(&mut p, "icon", &icon));
        }
        p.finish()?;
        active.updated_at = Set(now);
        let after = active
            .update(txn)
            .await
            .map_err(|e| checks::duplicate(e, "code", Text::ExpenseCategoryCodeTaken))?;
        let change = Change::of(
            ObjectKind::ExpenseCategory,
            after.id,
            "updateExpenseCategory",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_expense_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: ExpenseCategoryId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_category(txn, actor, id).await?;
        expense_category::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .map_err(checks::in_use)?;
        let change = Change::of(
            ObjectKind::ExpenseCategory,
            row.id,
            "deleteExpenseCategory",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}
