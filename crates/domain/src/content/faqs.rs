//! Frequently asked questions (the REST API's `faqs`), newest first.

use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, Order, QueryFilter, Set,
};

use super::{find_owned, require_admin};
use crate::commons::{FaqId, Id, OrganizationId};
use crate::{
    DomainResult,
    audit::{self, Actor, Change, ObjectKind},
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

pub async fn create_faq(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewFaq,
) -> DomainResult<faq::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let title = checks::text(&mut p, "title", &new.title, true, MAX_TITLE_CHARS);
    let paragraphs = checks::paragraphs(&mut p, "paragraphs", &new.paragraphs);
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = faq::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            title: Set(title),
            paragraphs: Set(checks::to_json(&paragraphs)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let change = Change::of(ObjectKind::Faq, row.id, "createFaq", None, Some(&row));
        Ok((row, change))
    })
    .await
}

pub async fn update_faq(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: FaqId,
    changes: FaqChanges,
) -> DomainResult<faq::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_faq(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(title) = changes.title {
            active.title = Set(checks::text(&mut p, "title", &title, true, MAX_TITLE_CHARS));
        }
        if let Some(paragraphs) = changes.paragraphs {
            let kept = checks::paragraphs(&mut p, "paragraphs", &paragraphs);
            active.paragraphs = Set(checks::to_json(&kept));
        }
        p.finish()?;
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        let change = Change::of(
            ObjectKind::Faq,
            after.id,
            "updateFaq",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_faq(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: FaqId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_faq(txn, actor.viewer, id.get()).await?;
        faq::Entity::delete_by_id(row.id).exec(txn).await?;
        let change = Change::of(ObjectKind::Faq, row.id, "deleteFaq", Some(&row), None);
        Ok((row.id, change))
    })
    .await
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
        NotFound::Faq,
    )
    .await
}
