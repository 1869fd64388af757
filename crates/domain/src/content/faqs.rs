//! Frequently asked questions (the REST API's `faqs`), newest first.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Order,
    QueryFilter, Set,
};

use super::{find_owned, require_admin};
use crate::commons::{FaqId, Id, OrganizationId};
use crate::{
    DomainResult,
    auth::Viewer,
    checks::{self, MAX_TITLE_CHARS, Problems},
    entities::faq,
    reads::Listing,
};

/// A question and its answer.
pub struct NewFaq {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct FaqChanges {
    pub title: Option<String>,
    pub paragraphs: Option<Vec<String>>,
}

/// The organization's FAQs, newest first.
pub fn faqs(organization_id: OrganizationId) -> Listing<faq::Entity> {
    Listing::new(
        faq::Entity::find().filter(faq::Column::OrganizationId.eq(organization_id)),
        [
            (faq::Column::CreatedAt, Order::Desc),
            (faq::Column::Id, Order::Desc),
        ],
    )
}

pub async fn create_faq<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    now: DateTime<Utc>,
    new: NewFaq,
) -> DomainResult<faq::Model> {
    require_admin(viewer)?;
    let mut p = Problems::default();
    let title = checks::text(&mut p, "title", &new.title, true, MAX_TITLE_CHARS);
    let paragraphs = checks::paragraphs(&mut p, "paragraphs", &new.paragraphs);
    p.finish()?;
    Ok(faq::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        title: Set(title),
        paragraphs: Set(checks::to_json(&paragraphs)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn update_faq<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    now: DateTime<Utc>,
    id: FaqId,
    changes: FaqChanges,
) -> DomainResult<faq::Model> {
    require_admin(viewer)?;
    let row = find_faq(db, viewer, id.get()).await?;
    let mut p = Problems::default();
    let mut active = row.into_active_model();
    if let Some(title) = changes.title {
        active.title = Set(checks::text(&mut p, "title", &title, true, MAX_TITLE_CHARS));
    }
    if let Some(paragraphs) = changes.paragraphs {
        let kept = checks::paragraphs(&mut p, "paragraphs", &paragraphs);
        active.paragraphs = Set(checks::to_json(&kept));
    }
    p.finish()?;
    active.updated_at = Set(now);
    Ok(active.update(db).await?)
}

pub async fn delete_faq<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: FaqId,
) -> DomainResult<i64> {
    require_admin(viewer)?;
    let row = find_faq(db, viewer, id.get()).await?;
    faq::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(row.id)
}

async fn find_faq<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<faq::Model> {
    find_owned::<faq::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        faq::Column::OrganizationId,
        "FAQ",
    )
    .await
}
