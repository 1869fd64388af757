//! Staff: the people who run the company through the back office, ADMINs (who change
//! everything) and COLLECTORs (who read everything and record recharges). ADMINs create,
//! change, deactivate and reactivate them; the operator creates the first ADMIN at the
//! command line. An organization always keeps at least one active ADMIN.

pub mod text;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, Order, PaginatorTrait, QueryFilter, Set,
    sea_query::{Expr, Func},
};
use serde_json::{Value, json};

use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Author, Change, ObjectKind},
    auth::password::HashLimit,
    checks::{self, Problems},
    commons::{Id, OrganizationId, UserId, begin_write, lock_organization, organizations, search},
    entities::{user, user::Role},
    identity::{self, OneTimeToken, password_rules},
    reads::Listing,
    visibility,
};
use text::Text;

const MAX_DOCUMENT_CHARS: usize = 32;
const MAX_PERSON_NAME_CHARS: usize = 120;
/// The longest text the staff search looks for.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A new staff member as an ADMIN (or the operator) enters them.
#[derive(Debug, Clone)]
pub struct NewStaffUser {
    pub role: Role,
    /// National identity document: the login name, unique in the organization.
    pub document: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
}

/// Changes to a staff member; `None` leaves a field as it is, `Some(None)` clears the
/// email.
#[derive(Debug, Clone, Default)]
pub struct StaffChanges {
    pub role: Option<Role>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<Option<String>>,
}

/// A staff member just created, with the invitation to hand them (when they do not
/// have a password yet).
#[derive(Debug, Clone)]
pub struct CreatedStaffUser {
    pub user: user::Model,
    pub invitation: Option<OneTimeToken>,
}

fn staff_role(p: &mut Problems, role: Role) {
    if !matches!(role, Role::Admin | Role::Collector) {
        p.add("role", UserErrorCode::InvalidFormat, Text::StaffRole);
    }
}

/// A national document: letters and digits (a DNI, a RUC, a foreigner's card).
pub(crate) fn document(p: &mut Problems, field: &str, value: &str) -> String {
    let value = checks::text(p, field, value, true, MAX_DOCUMENT_CHARS);
    if !value.is_empty() && !value.chars().all(|c| c.is_ascii_alphanumeric()) {
        p.add(field, UserErrorCode::InvalidFormat, Text::DocumentFormat);
    }
    value
}

fn optional_email(p: &mut Problems, value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| checks::email(p, "email", v))
}

impl NewStaffUser {
    fn check(&self) -> DomainResult<NewStaffUser> {
        let mut p = Problems::default();
        staff_role(&mut p, self.role);
        let checked = NewStaffUser {
            role: self.role,
            document: document(&mut p, "document", &self.document),
            first_name: checks::text(
                &mut p,
                "firstName",
                &self.first_name,
                true,
                MAX_PERSON_NAME_CHARS,
            ),
            last_name: checks::text(
                &mut p,
                "lastName",
                &self.last_name,
                true,
                MAX_PERSON_NAME_CHARS,
            ),
            email: optional_email(&mut p, self.email.as_deref()),
        };
        p.finish()?;
        Ok(checked)
    }
}

/// The fields of a user the trail records (never the password hash).
pub(crate) fn audited(user: &user::Model) -> Value {
    json!({
        "role": user.role.to_value(),
        "document": user.document,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "email": user.email,
        "active": user.deactivated_at.is_none(),
    })
}

fn kind_of(user: &user::Model) -> ObjectKind {
    match user.role {
        Role::Client => ObjectKind::Client,
        Role::Admin | Role::Collector => ObjectKind::StaffUser,
    }
}

/// Records `operation` on `user` (before and after) by `author`.
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    author: &Author,
    operation: &'static str,
    before: Option<&user::Model>,
    after: &user::Model,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    audit::record(
        txn,
        Id::new(after.organization_id),
        author,
        Change {
            kind: kind_of(after),
            object_id: after.id,
            operation,
            before: before.map(audited),
            after: Some(audited(after)),
        },
        now,
    )
    .await?;
    Ok(())
}

async fn insert(
    txn: &DatabaseTransaction,
    organization_id: OrganizationId,
    input: NewStaffUser,
    password_hash: String,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    user::ActiveModel {
        organization_id: Set(organization_id.get()),
        role: Set(input.role),
        document: Set(input.document),
        password_hash: Set(password_hash),
        first_name: Set(input.first_name),
        last_name: Set(input.last_name),
        email: Set(input.email),
        created_at: Set(now),
        updated_at: Set(now),
        deactivated_at: Set(None),
        access_ended_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|err| checks::duplicate(err, "document", Text::DocumentTaken))
}

/// The organization's staff whose document, names or email contain `search` (any letter
/// case), by last name, first name and id. ADMINs and COLLECTORs.
pub fn staff_users(
    viewer: &crate::auth::Viewer,
    search: Option<&str>,
) -> DomainResult<Listing<user::Entity>> {
    visibility::require_staff(viewer)?;
    let mut query = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(viewer.organization_id))
        .filter(user::Column::Role.is_in([Role::Admin, Role::Collector]));
    let text = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    if let Some(text) = text {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(DomainError::invalid(
                "search",
                UserErrorCode::TooLong,
                Text::SearchTooLong {
                    max: MAX_SEARCH_CHARS.to_string(),
                },
            ));
        }
        let like =
            |col: user::Column| search::contains(Expr::expr(Func::lower(col.into_expr())), &text);
        query = query.filter(
            Condition::any()
                .add(like(user::Column::Document))
                .add(like(user::Column::FirstName))
                .add(like(user::Column::LastName))
                .add(like(user::Column::Email)),
        );
    }
    Ok(Listing::new(
        query,
        [
            (user::Column::LastName, Order::Asc),
            (user::Column::FirstName, Order::Asc),
            (user::Column::Id, Order::Asc),
        ],
    ))
}

/// Creates a staff member of the ADMIN's organization, with the invitation that lets
/// them choose their password.
pub async fn create_staff_user(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewStaffUser,
    now: DateTime<Utc>,
) -> DomainResult<CreatedStaffUser> {
    visibility::require_admin(actor.viewer)?;
    let input = input.check()?;
    let txn = begin_write(db).await?;
    let user = insert(
        &txn,
        actor.viewer.organization_id,
        input,
        String::new(),
        now,
    )
    .await?;
    let invitation = identity::invite(&txn, Id::new(user.id), now).await?;
    record(&txn, &actor.into(), "createStaffUser", None, &user, now).await?;
    txn.commit().await?;
    Ok(CreatedStaffUser {
        user,
        invitation: Some(invitation),
    })
}

/// How the operator's new user gets their password.
pub enum FirstPassword<'a> {
    /// An invitation token, printed once.
    Invitation,
    /// A password typed by the operator (from standard input), under the usual rules.
    Given {
        password: &'a str,
        hash_limit: &'a HashLimit,
    },
}

/// The operator's way in on an empty database: a staff member of the organization with
/// `slug`, recorded in the trail as the operator's. Refuses what `createStaffUser` does.
pub async fn bootstrap_user(
    db: &DatabaseConnection,
    slug: &str,
    input: &NewStaffUser,
    password: FirstPassword<'_>,
    now: DateTime<Utc>,
) -> DomainResult<CreatedStaffUser> {
    let input = input.check()?;
    let hash = match password {
        FirstPassword::Invitation => String::new(),
        FirstPassword::Given {
            password,
            hash_limit,
        } => {
            let errors =
                password_rules::check_password_fields(password, password, "password", "password");
            if !errors.is_empty() {
                return Err(DomainError::Invalid(errors));
            }
            identity::hash_password(hash_limit, password).await?
        }
    };
    let organization = organizations::by_slug(db, slug).await?;
    let txn = begin_write(db).await?;
    let invite = hash.is_empty();
    let user = insert(&txn, Id::new(organization.id), input, hash, now).await?;
    let invitation = if invite {
        Some(identity::invite(&txn, Id::new(user.id), now).await?)
    } else {
        None
    };
    record(&txn, &Author::operator(), "createUser", None, &user, now).await?;
    txn.commit().await?;
    Ok(CreatedStaffUser { user, invitation })
}

/// A staff member of the actor's organization, locked with the organization for the
/// rest of `txn`; NOT_FOUND for anyone else.
async fn find_staff(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: UserId,
) -> DomainResult<user::Model> {
    lock_organization(txn, actor.viewer.organization_id).await?;
    user::Entity::find_by_id(id.get())
        .filter(user::Column::OrganizationId.eq(actor.viewer.organization_id))
        .filter(user::Column::Role.is_in([Role::Admin, Role::Collector]))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::invalid("id", UserErrorCode::NotFound, Text::NoSuchStaffMember))
}

/// Refuses a change that leaves no active ADMIN besides `leaving`.
async fn keep_an_admin<C: ConnectionTrait>(
    db: &C,
    leaving: &user::Model,
    field: &str,
) -> DomainResult<()> {
    if leaving.role != Role::Admin || leaving.deactivated_at.is_some() {
        return Ok(());
    }
    let others = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(leaving.organization_id))
        .filter(user::Column::Role.eq(Role::Admin))
        .filter(user::Column::DeactivatedAt.is_null())
        .filter(user::Column::Id.ne(leaving.id))
        .count(db)
        .await?;
    if others == 0 {
        return Err(DomainError::invalid(
            field,
            UserErrorCode::LastAdmin,
            Text::LastAdmin,
        ));
    }
    Ok(())
}

/// Changes a staff member's role, names or email. Demoting the last active ADMIN is
/// refused (LAST_ADMIN).
pub async fn update_staff_user(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    changes: &StaffChanges,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    if let Some(role) = changes.role {
        staff_role(&mut p, role);
    }
    let first_name = changes
        .first_name
        .as_deref()
        .map(|v| checks::text(&mut p, "firstName", v, true, MAX_PERSON_NAME_CHARS));
    let last_name = changes
        .last_name
        .as_deref()
        .map(|v| checks::text(&mut p, "lastName", v, true, MAX_PERSON_NAME_CHARS));
    let email = changes
        .email
        .as_ref()
        .map(|v| optional_email(&mut p, v.as_deref()));
    p.finish()?;
    let txn = begin_write(db).await?;
    let before = find_staff(&txn, actor, id).await?;
    if changes.role.is_some_and(|role| role != Role::Admin) {
        keep_an_admin(&txn, &before, "role").await?;
    }
    let mut row = before.clone().into_active_model();
    if let Some(role) = changes.role {
        row.role = Set(role);
    }
    if let Some(first_name) = first_name {
        row.first_name = Set(first_name);
    }
    if let Some(last_name) = last_name {
        row.last_name = Set(last_name);
    }
    if let Some(email) = email {
        row.email = Set(email);
    }
    // Access tokens carry the role: a changed role is a new login.
    let new_role = changes.role.is_some_and(|role| role != before.role);
    if new_role {
        row.access_ended_at = Set(Some(Utc::now()));
    }
    row.updated_at = Set(now);
    let after = row.update(&txn).await?;
    if new_role {
        identity::end_access(&txn, &after, now).await?;
    }
    record(
        &txn,
        &actor.into(),
        "updateStaffUser",
        Some(&before),
        &after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Deactivates a staff member: they cannot log in, and every session and API token of
/// theirs ends now. The last active ADMIN cannot be deactivated (LAST_ADMIN).
/// Deactivating twice changes nothing the second time.
pub async fn deactivate_user(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let before = find_staff(&txn, actor, id).await?;
    if before.deactivated_at.is_some() {
        return Ok(before);
    }
    keep_an_admin(&txn, &before, "id").await?;
    let mut row = before.clone().into_active_model();
    row.deactivated_at = Set(Some(now));
    // Compared with the tokens' `iat`, which the system clock dates.
    row.access_ended_at = Set(Some(Utc::now()));
    row.updated_at = Set(now);
    let after = row.update(&txn).await?;
    identity::end_access(&txn, &after, now).await?;
    record(
        &txn,
        &actor.into(),
        "deactivateUser",
        Some(&before),
        &after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Reactivates a staff member; they log in again with their password (their old sessions
/// and API tokens stay ended). Reactivating an active user changes nothing.
pub async fn reactivate_user(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<user::Model> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let before = find_staff(&txn, actor, id).await?;
    if before.deactivated_at.is_none() {
        return Ok(before);
    }
    let mut row = before.clone().into_active_model();
    row.deactivated_at = Set(None);
    row.updated_at = Set(now);
    let after = row.update(&txn).await?;
    record(
        &txn,
        &actor.into(),
        "reactivateUser",
        Some(&before),
        &after,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Issues a staff member a new invitation (the earlier one stops working), for one who
/// lost theirs or never used it.
pub async fn invite_staff_user(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: UserId,
    now: DateTime<Utc>,
) -> DomainResult<(user::Model, OneTimeToken)> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let user = find_staff(&txn, actor, id).await?;
    if user.deactivated_at.is_some() {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::Deactivated,
            Text::AccountDeactivated,
        ));
    }
    let invitation = identity::invite(&txn, Id::new(user.id), now).await?;
    record(&txn, &actor.into(), "inviteUser", Some(&user), &user, now).await?;
    txn.commit().await?;
    Ok((user, invitation))
}
