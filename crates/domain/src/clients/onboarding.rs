//! Onboarding drivers: ADMINs create a driver's account (directly, or from the lead who
//! asked to lease a car), change it, and deactivate or reactivate it. The driver chooses
//! their own password through the invitation the creation returns. Every step is one
//! transaction with its audit record.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, Set, sea_query::Expr,
};
use serde_json::{Value, json};

use super::text::Text;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, Problems},
    commons::{Id, LeadId, PlanId, UserId, begin_write},
    entities::{client_phone, client_profile, lead, plan, user, user::Role},
    identity::{self, OneTimeToken},
    staff, visibility,
};

const MAX_PERSON_NAME_CHARS: usize = 120;
const MAX_ADDRESS_CHARS: usize = 300;
/// Phones a driver has on file at most.
pub const MAX_PHONES: usize = 5;

/// A new driver as an ADMIN enters them.
#[derive(Debug, Clone, Default)]
pub struct NewClient {
    /// National identity document: the login, unique in the organization.
    pub document: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// The first is the main one; at least one.
    pub phones: Vec<String>,
    pub address: String,
    /// The ride-hailing plan, which sets the driver's discount.
    pub plan_id: Option<PlanId>,
}

/// What converting a lead adds to what the lead said; `None` keeps the lead's own.
#[derive(Debug, Clone)]
pub struct Conversion {
    pub lead_id: LeadId,
    pub plan_id: Option<PlanId>,
    pub address: String,
    pub email: Option<String>,
    pub phones: Option<Vec<String>>,
}

/// Changes to a driver; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ClientChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<Option<String>>,
    pub phones: Option<Vec<String>>,
    pub address: Option<String>,
    pub plan_id: Option<Option<PlanId>>,
}

/// A driver just created, with the invitation to hand them.
#[derive(Debug, Clone)]
pub struct CreatedClient {
    pub user: user::Model,
    pub invitation: OneTimeToken,
}

fn phones(p: &mut Problems, values: &[String]) -> Vec<String> {
    if values.iter().all(|v| v.trim().is_empty()) {
        p.add("phones", UserErrorCode::Required, Text::GivePhone);
        return Vec::new();
    }
    if values.len() > MAX_PHONES {
        p.add(
            "phones",
            UserErrorCode::LimitReached,
            Text::TooManyPhones {
                max: MAX_PHONES.to_string(),
            },
        );
    }
    let mut kept: Vec<String> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let phone = checks::phone(p, &format!("phones.{i}"), value);
        if !kept.contains(&phone) {
            kept.push(phone);
        }
    }
    kept
}

fn email(p: &mut Problems, value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| checks::email(p, "email", v))
}

fn name(p: &mut Problems, field: &str, value: &str) -> String {
    checks::text(p, field, value, true, MAX_PERSON_NAME_CHARS)
}

impl NewClient {
    fn check(&self) -> DomainResult<NewClient> {
        let mut p = Problems::default();
        let checked = NewClient {
            document: staff::document(&mut p, "document", &self.document),
            first_name: name(&mut p, "firstName", &self.first_name),
            last_name: name(&mut p, "lastName", &self.last_name),
            email: email(&mut p, self.email.as_deref()),
            phones: phones(&mut p, &self.phones),
            address: checks::text(&mut p, "address", &self.address, false, MAX_ADDRESS_CHARS),
            plan_id: self.plan_id,
        };
        p.finish()?;
        Ok(checked)
    }
}

/// The plan `id` of the actor's organization, NOT_FOUND on `planId` otherwise.
async fn own_plan(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: Option<PlanId>,
) -> DomainResult<Option<plan::Model>> {
    let Some(id) = id else {
        return Ok(None);
    };
    plan::Entity::find_by_id(id.get())
        .filter(plan::Column::OrganizationId.eq(actor.viewer.organization_id))
        .one(txn)
        .await?
        .map(Some)
        .ok_or_else(|| DomainError::invalid("planId", UserErrorCode::NotFound, Text::NoSuchPlan))
}

/// A driver as the trail records them: the account and the profile.
fn audited(user: &user::Model, profile: &client_profile::Model, phones: &[String]) -> Value {
    let mut value = staff::audited(user);
    if let Some(fields) = value.as_object_mut() {
        fields.insert("address".into(), json!(profile.address));
        fields.insert("phones".into(), json!(phones));
        fields.insert("planId".into(), json!(profile.plan_id));
    }
    value
}

async fn record(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    operation: &'static str,
    before: Option<Value>,
    after: Value,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    audit::record_by(
        txn,
        actor,
        Change {
            kind: ObjectKind::Client,
            object_id: id.get(),
            operation,
            before,
            after: Some(after),
        },
        now,
    )
    .await?;
    Ok(())
}

async fn replace_phones(
    txn: &DatabaseTransaction,
    user_id: UserId,
    phones: &[String],
) -> DomainResult<()> {
    client_phone::Entity::delete_many()
        .filter(client_phone::Column::UserId.eq(user_id))
        .exec(txn)
        .await?;
    for phone in phones {
        client_phone::ActiveModel {
            user_id: Set(user_id.get()),
            phone_number: Set(phone.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Inserts the driver's account, profile and phones, and their invitation; the audit
/// record is the caller's, who knows the operation.
async fn insert(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    input: &NewClient,
    now: DateTime<Utc>,
) -> DomainResult<(user::Model, client_profile::Model, OneTimeToken)> {
    let plan = own_plan(txn, actor, input.plan_id).await?;
    let user = user::ActiveModel {
        organization_id: Set(actor.viewer.organization_id.get()),
        role: Set(Role::Client),
        document: Set(input.document.clone()),
        password_hash: Set(String::new()),
        first_name: Set(input.first_name.clone()),
        last_name: Set(input.last_name.clone()),
        email: Set(input.email.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        deactivated_at: Set(None),
        access_ended_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|err| checks::duplicate(err, "document", staff::text::Text::DocumentTaken))?;
    let profile = client_profile::ActiveModel {
        user_id: Set(user.id),
        address: Set(input.address.clone()),
        phone_number: Set(input.phones.first().cloned().unwrap_or_default()),
        plan_id: Set(plan.map(|p| p.id)),
        coins_minor: Set(0),
        firebase_token: Set(None),
    }
    .insert(txn)
    .await?;
    replace_phones(txn, Id::new(user.id), &input.phones).await?;
    let invitation = identity::invite(txn, Id::new(user.id), now).await?;
    Ok((user, profile, invitation))
}

/// Creates a driver's account with an empty wallet, and the invitation with which they
/// choose their password. ADMIN only; the document is unique in the organization.
pub async fn create_client(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewClient,
    now: DateTime<Utc>,
) -> DomainResult<CreatedClient> {
    visibility::require_admin(actor.viewer)?;
    let input = input.check()?;
    let txn = begin_write(db).await?;
    let (user, profile, invitation) = insert(&txn, actor, &input, now).await?;
    let after = audited(&user, &profile, &input.phones);
    record(
        &txn,
        actor,
        "createClient",
        None,
        after,
        Id::new(user.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedClient { user, invitation })
}

/// Makes a driver of a lead: their names, document, email and phone come from the lead
/// unless `conversion` says otherwise; the lead keeps which driver it became. A lead
/// converts once (ALREADY_CONVERTED), even when two ADMINs try at once. ADMIN only.
pub async fn convert_lead(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    conversion: &Conversion,
    now: DateTime<Utc>,
) -> DomainResult<(CreatedClient, lead::Model)> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let found = lead::Entity::find_by_id(conversion.lead_id.get())
        .filter(lead::Column::OrganizationId.eq(actor.viewer.organization_id))
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::invalid("leadId", UserErrorCode::NotFound, Text::NoSuchLead))?;
    if found.client_id.is_some() {
        return Err(already_converted());
    }
    let input = NewClient {
        document: found.document.clone(),
        first_name: found.first_name.clone(),
        last_name: found.last_name.clone(),
        email: conversion
            .email
            .clone()
            .or_else(|| Some(found.email.clone())),
        phones: conversion
            .phones
            .clone()
            .unwrap_or_else(|| vec![found.phone_number.clone()]),
        address: conversion.address.clone(),
        plan_id: conversion.plan_id,
    }
    .check()?;
    let (user, profile, invitation) = insert(&txn, actor, &input, now).await?;
    // Conditional: of two conversions racing past the check above, one wins.
    let marked = lead::Entity::update_many()
        .col_expr(lead::Column::ClientId, Expr::value(user.id))
        .col_expr(lead::Column::ConvertedAt, Expr::value(now))
        .filter(lead::Column::Id.eq(found.id))
        .filter(lead::Column::ClientId.is_null())
        .exec(&txn)
        .await?;
    if marked.rows_affected != 1 {
        return Err(already_converted());
    }
    let after = audited(&user, &profile, &input.phones);
    record(
        &txn,
        actor,
        "convertLead",
        None,
        after,
        Id::new(user.id),
        now,
    )
    .await?;
    audit::record_by(
        &txn,
        actor,
        Change {
            kind: ObjectKind::Lead,
            object_id: found.id,
            operation: "convertLead",
            before: Some(json!({ "clientId": null })),
            after: Some(json!({ "clientId": user.id })),
        },
        now,
    )
    .await?;
    let converted = lead::Entity::find_by_id(found.id)
        .one(&txn)
        .await?
        .ok_or_else(|| DomainError::Internal("the converted lead is gone".into()))?;
    txn.commit().await?;
    Ok((CreatedClient { user, invitation }, converted))
}

fn already_converted() -> DomainError {
    DomainError::invalid(
        "leadId",
        UserErrorCode::AlreadyConverted,
        Text::LeadConverted,
    )
}

/// A driver of the actor's organization with their profile and phones; NOT_FOUND on
/// `id` for anyone else.
async fn find_client(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: UserId,
) -> DomainResult<(user::Model, client_profile::Model, Vec<String>)> {
    let found = user::Entity::find_by_id(id.get())
        .filter(user::Column::OrganizationId.eq(actor.viewer.organization_id))
        .filter(user::Column::Role.eq(Role::Client))
        .find_also_related(client_profile::Entity)
        .one(txn)
        .await?;
    let Some((user, Some(profile))) = found else {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::NotFound,
            Text::NoSuchDriver,
        ));
    };
    let phones = client_phone::Entity::find()
        .filter(client_phone::Column::UserId.eq(user.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.phone_number)
        .collect();
    Ok((user, profile, phones))
}

/// Changes a driver's names, email, phones, address or plan. ADMIN only.
pub async fn update_client(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    changes: &ClientChanges,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let first_name = changes
        .first_name
        .as_deref()
        .map(|v| name(&mut p, "firstName", v));
    let last_name = changes
        .last_name
        .as_deref()
        .map(|v| name(&mut p, "lastName", v));
    let new_email = changes.email.as_ref().map(|v| email(&mut p, v.as_deref()));
    let new_phones = changes.phones.as_deref().map(|v| phones(&mut p, v));
    let address = changes
        .address
        .as_deref()
        .map(|v| checks::text(&mut p, "address", v, false, MAX_ADDRESS_CHARS));
    p.finish()?;
    let txn = begin_write(db).await?;
    let (user, profile, old_phones) = find_client(&txn, actor, id).await?;
    let before = audited(&user, &profile, &old_phones);
    let mut account = user.into_active_model();
    if let Some(first_name) = first_name {
        account.first_name = Set(first_name);
    }
    if let Some(last_name) = last_name {
        account.last_name = Set(last_name);
    }
    if let Some(email) = new_email {
        account.email = Set(email);
    }
    account.updated_at = Set(now);
    let user = account.update(&txn).await?;
    let mut details = profile.into_active_model();
    if let Some(address) = address {
        details.address = Set(address);
    }
    if let Some(plan_id) = changes.plan_id {
        details.plan_id = Set(own_plan(&txn, actor, plan_id).await?.map(|p| p.id));
    }
    let phones = match new_phones {
        Some(phones) => {
            details.phone_number = Set(phones.first().cloned().unwrap_or_default());
            replace_phones(&txn, Id::new(user.id), &phones).await?;
            phones
        }
        None => old_phones,
    };
    let profile = details.update(&txn).await?;
    let after = audited(&user, &profile, &phones);
    record(
        &txn,
        actor,
        "updateClient",
        Some(before),
        after,
        Id::new(user.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Deactivates a driver: they cannot log in, and every session, API token and access
/// token of theirs ends now; their contracts, invoices and wallet stay as they are.
/// ADMIN only; twice changes nothing the second time.
pub async fn deactivate_client(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    set_active(db, actor, id, false, now).await
}

/// Lets a deactivated driver log in again with their password. ADMIN only.
pub async fn reactivate_client(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    set_active(db, actor, id, true, now).await
}

async fn set_active(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    active: bool,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let (user, profile, phones) = find_client(&txn, actor, id).await?;
    if user.deactivated_at.is_none() == active {
        return Ok(user);
    }
    let before = audited(&user, &profile, &phones);
    let mut account = user.into_active_model();
    if active {
        account.deactivated_at = Set(None);
    } else {
        account.deactivated_at = Set(Some(now));
        // Compared with the tokens' `iat`, which the system clock dates.
        account.access_ended_at = Set(Some(Utc::now()));
    }
    account.updated_at = Set(now);
    let user = account.update(&txn).await?;
    if !active {
        identity::end_access(&txn, &user, now).await?;
    }
    let operation = if active {
        "reactivateClient"
    } else {
        "deactivateClient"
    };
    let after = audited(&user, &profile, &phones);
    record(
        &txn,
        actor,
        operation,
        Some(before),
        after,
        Id::new(user.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Issues a driver a new invitation (the earlier one stops working). ADMIN only.
pub async fn invite_client(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<(user::Model, OneTimeToken)> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let (user, profile, phones) = find_client(&txn, actor, id).await?;
    if user.deactivated_at.is_some() {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::Deactivated,
            staff::text::Text::AccountDeactivated,
        ));
    }
    let invitation = identity::invite(&txn, Id::new(user.id), now).await?;
    let snapshot = audited(&user, &profile, &phones);
    record(
        &txn,
        actor,
        "inviteClient",
        Some(snapshot.clone()),
        snapshot,
        Id::new(user.id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((user, invitation))
}
