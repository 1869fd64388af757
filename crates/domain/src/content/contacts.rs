//! Who drivers call: emergency contacts grouped by case (the REST API's
//! `emergency_contacts`), the support lines (`mechanical-contacts`, `uber-contacts`) and
//! the service contact channels (`service_contacts`).

use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{find_owned, require_admin, text::Text};
use crate::commons::{
    EmergencyContactId, EmergencyGroupId, Id, OrganizationId, ServiceChannelId, SupportContactId,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_VALUE_CHARS, Problems},
    entities::{
        emergency_contact, emergency_contact_group, emergency_contact_group::EmergencyCase,
        service_contact_channel, support_contact, support_contact::SupportKind,
    },
};

// ---------------------------------------------------------------------------------------
// Emergency contact groups
// ---------------------------------------------------------------------------------------

/// The group of one emergency case.
pub struct NewEmergencyGroup {
    pub case: EmergencyCase,
    pub name: String,
    pub description: Option<String>,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct EmergencyGroupChanges {
    pub case: Option<EmergencyCase>,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// The organization's emergency groups, in the order they were created.
pub async fn list_emergency_groups<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<emergency_contact_group::Model>> {
    Ok(emergency_contact_group::Entity::find()
        .filter(emergency_contact_group::Column::OrganizationId.eq(organization_id))
        .order_by_asc(emergency_contact_group::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_emergency_group(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewEmergencyGroup,
) -> DomainResult<emergency_contact_group::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let name = checks::text(&mut p, "name", &new.name, true, MAX_NAME_CHARS);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = emergency_contact_group::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            emergency_case: Set(new.case),
            name: Set(name),
            description: Set(description),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "case", Text::CaseHasGroup))?;
        let change = Change::of(
            ObjectKind::EmergencyContactGroup,
            row.id,
            "createEmergencyContactGroup",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

pub async fn update_emergency_group(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: EmergencyGroupId,
    changes: EmergencyGroupChanges,
) -> DomainResult<emergency_contact_group::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_group(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(case) = changes.case {
            active.emergency_case = Set(case);
        }
        if let Some(name) = changes.name {
            active.name = Set(checks::text(&mut p, "name", &name, true, MAX_NAME_CHARS));
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
            .map_err(|e| checks::duplicate(e, "case", Text::CaseHasGroup))?;
        let change = Change::of(
            ObjectKind::EmergencyContactGroup,
            after.id,
            "updateEmergencyContactGroup",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Deletes a group without contacts; one with contacts is refused (IN_USE).
pub async fn delete_emergency_group(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: EmergencyGroupId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_group(txn, actor.viewer, id.get()).await?;
        let contacts = emergency_contact::Entity::find()
            .filter(emergency_contact::Column::GroupId.eq(row.id))
            .count(txn)
            .await?;
        if contacts > 0 {
            return Err(DomainError::invalid(
                "id",
                UserErrorCode::InUse,
                Text::GroupHasContacts {
                    contacts: contacts.to_string(),
                },
            ));
        }
        emergency_contact_group::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .map_err(checks::in_use)?;
        let change = Change::of(
            ObjectKind::EmergencyContactGroup,
            row.id,
            "deleteEmergencyContactGroup",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

async fn find_group<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<emergency_contact_group::Model> {
    find_owned::<emergency_contact_group::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        emergency_contact_group::Column::OrganizationId,
        NotFound::EmergencyContactGroup,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Emergency contacts
// ---------------------------------------------------------------------------------------

/// A contact for the group of `case`.
pub struct NewEmergencyContact {
    pub case: EmergencyCase,
    pub contact_name: String,
    pub phone_number: String,
    pub description: Option<String>,
}

/// The fields to change; `None` keeps the stored value. A new `case` moves the contact
/// to that case's group.
#[derive(Default)]
pub struct EmergencyContactChanges {
    pub case: Option<EmergencyCase>,
    pub contact_name: Option<String>,
    pub phone_number: Option<String>,
    pub description: Option<String>,
}

/// The group of `case` in the caller's organization, or a userError on `case`.
async fn group_of_case<C: ConnectionTrait>(
    db: &C,
    organization_id: i64,
    case: EmergencyCase,
) -> DomainResult<emergency_contact_group::Model> {
    emergency_contact_group::Entity::find()
        .filter(emergency_contact_group::Column::OrganizationId.eq(organization_id))
        .filter(emergency_contact_group::Column::EmergencyCase.eq(case))
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("case", UserErrorCode::NotFound, Text::CaseWithoutGroup)
        })
}

pub async fn create_emergency_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewEmergencyContact,
) -> DomainResult<emergency_contact::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let contact_name = checks::text(
        &mut p,
        "contactName",
        &new.contact_name,
        true,
        MAX_NAME_CHARS,
    );
    let phone_number = checks::phone(&mut p, "phoneNumber", &new.phone_number);
    let description = checks::text(
        &mut p,
        "description",
        new.description.as_deref().unwrap_or(""),
        false,
        MAX_DESCRIPTION_CHARS,
    );
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let group = group_of_case(txn, actor.viewer.organization_id.get(), new.case).await?;
        let row = emergency_contact::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            group_id: Set(group.id),
            contact_name: Set(contact_name),
            phone_number: Set(phone_number),
            description: Set(description),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let change = Change::of(
            ObjectKind::EmergencyContact,
            row.id,
            "createEmergencyContact",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

pub async fn update_emergency_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: EmergencyContactId,
    changes: EmergencyContactChanges,
) -> DomainResult<emergency_contact::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_contact(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(name) = changes.contact_name {
            active.contact_name = Set(checks::text(
                &mut p,
                "contactName",
                &name,
                true,
                MAX_NAME_CHARS,
            ));
        }
        if let Some(phone) = changes.phone_number {
            active.phone_number = Set(checks::phone(&mut p, "phoneNumber", &phone));
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
        if let Some(case) = changes.case {
            active.group_id = Set(group_of_case(txn, actor.viewer.organization_id.get(), case)
                .await?
                .id);
        }
        active.updated_at = Set(now);
        let after = active.update(txn).await?;
        let change = Change::of(
            ObjectKind::EmergencyContact,
            after.id,
            "updateEmergencyContact",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_emergency_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: EmergencyContactId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_contact(txn, actor.viewer, id.get()).await?;
        emergency_contact::Entity::delete_by_id(row.id)
            .exec(txn)
            .await?;
        let change = Change::of(
            ObjectKind::EmergencyContact,
            row.id,
            "deleteEmergencyContact",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

async fn find_contact<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<emergency_contact::Model> {
    find_owned::<emergency_contact::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        emergency_contact::Column::OrganizationId,
        NotFound::EmergencyContact,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Support contacts
// ---------------------------------------------------------------------------------------

/// The contact of one support line.
pub struct NewSupportContact {
    pub kind: SupportKind,
    pub contact_name: String,
    pub phone_number: String,
}

/// The fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct SupportContactChanges {
    pub kind: Option<SupportKind>,
    pub contact_name: Option<String>,
    pub phone_number: Option<String>,
}

/// The organization's support contacts (at most one per kind).
pub async fn list_support_contacts<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<support_contact::Model>> {
    Ok(support_contact::Entity::find()
        .filter(support_contact::Column::OrganizationId.eq(organization_id))
        .order_by_asc(support_contact::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_support_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewSupportContact,
) -> DomainResult<support_contact::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let contact_name = checks::text(
        &mut p,
        "contactName",
        &new.contact_name,
        true,
        MAX_NAME_CHARS,
    );
    let phone_number = checks::phone(&mut p, "phoneNumber", &new.phone_number);
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = support_contact::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            kind: Set(new.kind),
            contact_name: Set(contact_name),
            phone_number: Set(phone_number),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "kind", Text::SupportLineHasContact))?;
        let change = Change::of(
            ObjectKind::SupportContact,
            row.id,
            "createSupportContact",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

pub async fn update_support_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: SupportContactId,
    changes: SupportContactChanges,
) -> DomainResult<support_contact::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_support(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let mut active = before.clone().into_active_model();
        if let Some(kind) = changes.kind {
            active.kind = Set(kind);
        }
        if let Some(name) = changes.contact_name {
            active.contact_name = Set(checks::text(
                &mut p,
                "contactName",
                &name,
                true,
                MAX_NAME_CHARS,
            ));
        }
        if let Some(phone) = changes.phone_number {
            active.phone_number = Set(checks::phone(&mut p, "phoneNumber", &phone));
        }
        p.finish()?;
        active.updated_at = Set(now);
        let after = active
            .update(txn)
            .await
            .map_err(|e| checks::duplicate(e, "kind", Text::SupportLineHasContact))?;
        let change = Change::of(
            ObjectKind::SupportContact,
            after.id,
            "updateSupportContact",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_support_contact(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: SupportContactId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_support(txn, actor.viewer, id.get()).await?;
        support_contact::Entity::delete_by_id(row.id)
            .exec(txn)
            .await?;
        let change = Change::of(
            ObjectKind::SupportContact,
            row.id,
            "deleteSupportContact",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

async fn find_support<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<support_contact::Model> {
    find_owned::<support_contact::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        support_contact::Column::OrganizationId,
        NotFound::SupportContact,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Service contact channels
// ---------------------------------------------------------------------------------------

/// Codes whose value has a known format; any other code takes free text.
pub const PHONE_CODES: [&str; 2] = ["phone_number", "whatsapp"];
pub const EMAIL_CODE: &str = "email_address";
pub const WEBSITE_CODE: &str = "website";

/// A channel to create.
pub struct NewServiceChannel {
    pub label: String,
    pub code: String,
    pub value: String,
}

/// The fields to change; `None` keeps the stored value. The value is checked against the
/// resulting code.
#[derive(Default)]
pub struct ServiceChannelChanges {
    pub label: Option<String>,
    pub code: Option<String>,
    pub value: Option<String>,
}

/// The value as the code says it must be: a phone number for `phone_number` and
/// `whatsapp`, an email address for `email_address`, a URL for `website`.
fn channel_value(p: &mut Problems, code: &str, value: &str) -> String {
    match code {
        c if PHONE_CODES.contains(&c) => checks::phone(p, "value", value),
        EMAIL_CODE => checks::email(p, "value", value),
        WEBSITE_CODE => checks::url(p, "value", value, MAX_VALUE_CHARS),
        _ => checks::text(p, "value", value, true, MAX_VALUE_CHARS),
    }
}

/// The organization's service channels, in the order they were created.
pub async fn list_service_channels<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<Vec<service_contact_channel::Model>> {
    Ok(service_contact_channel::Entity::find()
        .filter(service_contact_channel::Column::OrganizationId.eq(organization_id))
        .order_by_asc(service_contact_channel::Column::Id)
        .all(db)
        .await?)
}

pub async fn create_service_channel(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    new: NewServiceChannel,
) -> DomainResult<service_contact_channel::Model> {
    require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let label = checks::text(&mut p, "label", &new.label, true, MAX_NAME_CHARS);
    let code = checks::code(&mut p, "code", Some(&new.code), "");
    let value = channel_value(&mut p, &code, &new.value);
    p.finish()?;
    audit::write(db, actor, now, async |txn| {
        let row = service_contact_channel::ActiveModel {
            organization_id: Set(actor.viewer.organization_id.get()),
            label: Set(label),
            code: Set(code),
            value: Set(value),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| checks::duplicate(e, "code", Text::ChannelCodeTaken))?;
        let change = Change::of(
            ObjectKind::ServiceContactChannel,
            row.id,
            "createServiceContactChannel",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

pub async fn update_service_channel(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: ServiceChannelId,
    changes: ServiceChannelChanges,
) -> DomainResult<service_contact_channel::Model> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let before = find_channel(txn, actor.viewer, id.get()).await?;
        let mut p = Problems::default();
        let code = match &changes.code {
            Some(code) => checks::code(&mut p, "code", Some(code), ""),
            None => before.code.clone(),
        };
        let value = match (&changes.value, changes.code.is_some()) {
            (Some(value), _) => Some(channel_value(&mut p, &code, value)),
            (None, true) => Some(channel_value(&mut p, &code, &before.value)),
            (None, false) => None,
        };
        let mut active = before.clone().into_active_model();
        if let Some(label) = changes.label {
            active.label = Set(checks::text(&mut p, "label", &label, true, MAX_NAME_CHARS));
        }
        p.finish()?;
        active.code = Set(code);
        if let Some(value) = value {
            active.value = Set(value);
        }
        active.updated_at = Set(now);
        let after = active
            .update(txn)
            .await
            .map_err(|e| checks::duplicate(e, "code", Text::ChannelCodeTaken))?;
        let change = Change::of(
            ObjectKind::ServiceContactChannel,
            after.id,
            "updateServiceContactChannel",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

pub async fn delete_service_channel(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    id: ServiceChannelId,
) -> DomainResult<i64> {
    require_admin(actor.viewer)?;
    audit::write(db, actor, now, async |txn| {
        let row = find_channel(txn, actor.viewer, id.get()).await?;
        service_contact_channel::Entity::delete_by_id(row.id)
            .exec(txn)
            .await?;
        let change = Change::of(
            ObjectKind::ServiceContactChannel,
            row.id,
            "deleteServiceContactChannel",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

async fn find_channel<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: i64,
) -> DomainResult<service_contact_channel::Model> {
    find_owned::<service_contact_channel::Entity, _>(
        db,
        Id::new(id),
        viewer.organization_id,
        service_contact_channel::Column::OrganizationId,
        NotFound::ServiceContactChannel,
    )
    .await
}
