//! Driving tips and their categories (the REST API's `tips/categories`, `tips/today`,
//! `tips/popular` and `tips/category/<code>`). A tip is public from its publication
//! date; "today's tips" are those published today in the organization's timezone.

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Query,
};

use super::{find_owned, require_admin, text::Text};
use crate::commons::{Id, OrganizationId, TipCategoryId, TipId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TITLE_CHARS, Problems},
    entities::{tip, tip_category},
    reads::Listing,
};

// ---------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------

/// A tip category to create.
pub struct NewTipCategory {
    pub name: String,
    /// Derived from the name when not given.
    pub code: Option<String>,
    pub description: Option<String>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct TipCategoryChanges {
    pub name: Option<String>,
    pub code: Option<String>,
    pub description: Option<String>,
}

/// The organization's tip categories, in the order they were created.
pub async fn list_tip_categories<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<tip_category::Model>> {
    Ok(tip_category::Entity::find()
        .filter(tip_category::Column::OrganizationId.eq(organization_id))
        .order_by_asc(tip_category::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_tip_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewTipCategory,
) -> DomainResult<tip_category::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let code = checks::code(&mut p, "code", new.code.as_deref(), &name);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = tip_category::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            name: Set(name),
            code: Set(code),
            description: Set(description),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "code", Text::TipCategoryCodeTaken))?;
        let change = Change::of(
            ObjectKind::TipCategory,
            row.id,
            "createTipCategory",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

pub async fn update_tip_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: TipCategoryId,
    changes: TipCategoryChanges,
) -> DomainResult<tip_category::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_category(txn, actor.viewer.organization_id, id).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(name) = changes.name {
            active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
        }
        if let Some(code) = changes.code {
            active.code = Set(checks::code(&mut p, "code", Some(&code), ""));
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
        active.updated_at = Set(now);
        let after = active
            .update(txn)
            .await
            .map_err(|e| checks::duplicate(e, "code", Text::TipCategoryCodeTaken))?;
        let change = Change::of(
            ObjectKind::TipCategory,
            after.id,
            "updateTipCategory",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Deletes a category without tips; one with tips is refused (IN_USE).
pub async fn delete_tip_category(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: TipCategoryId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_category(txn, actor.viewer.organization_id, id).await?;
        let tips = tip::Entity::find()
            .filter(tip::Column::CategoryId.eq(row.id))
            .count(txn)
            .await?;
        if tips > 0 {
            return Err(DomainError::invalid(
                "id",
                UserErrorCode::InUse,
                Text::CategoryHasTips {
                    tips: tips.to_string(),
                },
            ));
        }
        tip_category::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .map_err(checks::in_use)?;
        let change = Change::of(
            ObjectKind::TipCategory,
            row.id,
            "deleteTipCategory",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

async fn find_category<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    id: TipCategoryId,
) -> DomainResult<tip_category::Model> {
    find_owned::<tip_category::Entity, _>(
        db,
        id,
        organization_id,
        tip_category::Column::OrganizationId,
        NotFound::TipCategory,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Tips
// ---------------------------------------------------------------------------------------

/// Which tips to list; every field narrows the list, `None` does not.
#[derive(Debug, Default, Clone)]
pub struct TipFilter {
    pub category_id: Option<TipCategoryId>,
    pub category_code: Option<String>,
    /// `true`: only popular tips; `false`: only the others.
    pub popular: Option<bool>,
    /// `true`: only tips published today; `false`: only those published before.
    pub today: Option<bool>,
}

/// The tips of an organization that match a filter, newest publication first. `today` is
/// the organization's date now. Tips scheduled after it are hidden unless
/// `include_scheduled` (the organization's staff, who prepare them).
pub fn tips(
    organization_id: OrganizationId,
    filter: &TipFilter,
    today: NaiveDate,
    include_scheduled: bool,
) -> Listing<tip::Entity> {
    let mut condition = Condition::all().add(tip::Column::OrganizationId.eq(organization_id));
    if !include_scheduled {
        condition = condition.add(tip::Column::PublishedOn.lte(today));
    }
    if let Some(category) = filter.category_id {
        condition = condition.add(tip::Column::CategoryId.eq(category));
    }
    if let Some(code) = filter.category_code.as_deref().map(str::trim) {
        condition = condition.add(
            tip::Column::CategoryId.in_subquery(
                Query::select()
                    .column(tip_category::Column::Id)
                    .from(tip_category::Entity)
                    .and_where(tip_category::Column::OrganizationId.eq(organization_id))
                    .and_where(tip_category::Column::Code.eq(code))
                    .to_owned(),
            ),
        );
    }
    if let Some(popular) = filter.popular {
        condition = condition.add(tip::Column::IsPopular.eq(popular));
    }
    match filter.today {
        Some(true) => condition = condition.add(tip::Column::PublishedOn.eq(today)),
        Some(false) => condition = condition.add(tip::Column::PublishedOn.lt(today)),
        None => {}
    }
    Listing::new(
        tip::Entity::find().filter(condition),
        [
            (tip::Column::PublishedOn, Order::Desc),
            (tip::Column::Id, Order::Desc),
        ],
    )
}

/// A tip to create.
pub struct NewTip {
    pub category_id: TipCategoryId,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub is_popular: bool,
    /// Today (in the organization's timezone) when not given.
    pub published_on: Option<NaiveDate>,
}

/// The fields to change; `None` keeps the stored value. `title: Some(None)` removes the
/// title.
#[derive(Default)]
pub struct TipChanges {
    pub category_id: Option<TipCategoryId>,
    pub title: Option<Option<String>>,
    pub paragraphs: Option<Vec<String>>,
    pub is_popular: Option<bool>,
    pub published_on: Option<NaiveDate>,
}

/// A blank title is no title.
fn title(p: &mut Problems, value: Option<&str>) -> Option<String> {
    let title = checks::text(p, "title", value.unwrap_or(""), false, MAX_TITLE_CHARS);
    (!title.is_empty()).then_some(title)
}

/// The category a tip is filed under must be one of the caller's organization.
async fn check_category<C: ConnectionTrait>(
    db: &C,
    p: &mut Problems,
    organization_id: i64,
    category_id: i64,
) -> DomainResult<()> {
    let found = tip_category::Entity::find_by_id(category_id)
        .filter(tip_category::Column::OrganizationId.eq(organization_id))
        .one(db)
        .await?;
    if found.is_none() {
        p.add(
            "categoryId",
            UserErrorCode::NotFound,
            Text::NoSuchTipCategory,
        );
    }
    Ok(())
}

/// Creates a tip; `today` is the organization's date now, the default publication date.
pub async fn create_tip(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    today: NaiveDate,
    new: NewTip,
) -> DomainResult<tip::Model> {
    require_admin(actor.viewer)?;
    let organization_id = actor.viewer.organization_id.get();
    audit::write(db, actor, now, async |txn| {
        let mut p = Problems::default();
        check_category(txn, &mut p, organization_id, new.category_id.get()).await?;
        let title = title(&mut p, new.title.as_deref());
        let paragraphs = checks::paragraphs(&mut p, "paragraphs", &new.paragraphs);
        p.finish()?;
        let row = tip::ActiveModel {
            organization_id: Set(organization_id),
            category_id: Set(new.category_id.get()),
            title: Set(title),
            paragraphs: Set(checks::to_json(&paragraphs)),
            is_popular: Set(new.is_popular),
            published_on: Set(new.published_on.unwrap_or(today)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let change = Change::of(ObjectKind::Tip, row.id, "createTip", None, Some(&row));
        Ok((row, change))
    })
    .await
}

pub async fn update_tip(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: TipId,
    changes: TipChanges,
) -> DomainResult<tip::Model> {
    require_admin(actor.viewer)?;
    let organization_id = actor.viewer.organization_id.get();
    audit::write(db, actor, now, async |txn| {
        let before = find_tip(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(category_id) = changes.category_id {
            check_category(txn, &mut p, organization_id, category_id.get()).await?;
            active.category_id = Set(category_id.get());
        }
        if let Some(new_title) = changes.title {
            active.title = Set(title(&mut p, new_title.as_deref()));
        }
        if let Some(paragraphs) = changes.paragraphs {
            let kept = checks::paragraphs(&mut p, "paragraphs", &paragraphs);
            active.paragraphs = Set(checks::to_json(&kept));
        }
        if let Some(popular) = changes.is_popular {
            active.is_popular = Set(popular);
        }
        if let Some(published_on) = changes.published_on {
            active.published_on = Set(published_on);
        }
        p.finish()?;
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        let change = Change::of(
            ObjectKind::Tip,
            after.id,
            "updateTip",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_tip(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: TipId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_tip(txn, actor.viewer, id.get()).await?;
        tip::Entity::delete_by_id(row.id).exec(txn).await?;
        let change = Change::of(ObjectKind::Tip, row.id, "deleteTip", Some(&row), None);
        Ok((row.id, change))
    })
    .await
}

async fn find_tip<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<tip::Model> {
    find_owned::<tip::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        tip::Column::OrganizationId,
        NotFound::Tip,
    )
    .await
}
