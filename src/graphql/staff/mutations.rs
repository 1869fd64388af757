use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::{
    domain::{
        identity::{self, Acceptance},
        staff::{self, NewStaffUser, StaffChanges},
    },
    graphql::{
        commons::{ContextExt, NodeKind, UserError, payload, target},
        identity::{
            mutations::Session,
            types::{Invitation, StaffUser, UserRole},
        },
    },
};

/// A new staff member.
#[derive(InputObject)]
pub struct CreateStaffUserInput {
    /// ADMIN or COLLECTOR.
    pub role: UserRole,
    /// National identity document (letters and digits): their login, unique in the
    /// organization.
    pub document: String,
    /// Given names.
    pub first_name: String,
    /// Family names.
    pub last_name: String,
    /// Contact email.
    pub email: Option<String>,
}

/// The staff member created and their invitation.
#[derive(SimpleObject, Default)]
pub struct CreateStaffUserPayload {
    /// The new staff member; null when `userErrors` is not empty.
    pub staff_user: Option<StaffUser>,
    /// The one-time token with which they choose their password.
    pub invitation: Option<Invitation>,
    /// Problems with the input the user can fix (DUPLICATE document, ...).
    pub user_errors: Vec<UserError>,
}

/// Changes to a staff member; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateStaffUserInput {
    /// The `StaffUser` to change.
    pub id: ID,
    /// A new role. Their sessions end (the role is part of every access token), and the
    /// last active ADMIN cannot be demoted (LAST_ADMIN).
    pub role: Option<UserRole>,
    /// New given names.
    pub first_name: Option<String>,
    /// New family names.
    pub last_name: Option<String>,
    /// A new email; null removes it.
    pub email: MaybeUndefined<String>,
}

/// Which staff member.
#[derive(InputObject)]
pub struct StaffUserIdInput {
    /// The `StaffUser`.
    pub id: ID,
}

crate::payload!(
    UpdateStaffUserPayload,
    staff_user,
    StaffUser,
    "The staff member as changed.",
    "The staff member; null when `userErrors` is not empty."
);
crate::payload!(
    DeactivateUserPayload,
    staff_user,
    StaffUser,
    "The deactivated staff member.",
    "The staff member, now inactive; null when `userErrors` is not empty."
);
crate::payload!(
    ReactivateUserPayload,
    staff_user,
    StaffUser,
    "The reactivated staff member.",
    "The staff member, active again; null when `userErrors` is not empty."
);

/// A new invitation for a staff member.
#[derive(SimpleObject, Default)]
pub struct InviteUserPayload {
    /// The staff member; null when `userErrors` is not empty.
    pub staff_user: Option<StaffUser>,
    /// The new one-time token; earlier ones stop working.
    pub invitation: Option<Invitation>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

/// An invitation's token and the password its holder chooses.
#[derive(InputObject)]
pub struct AcceptInvitationInput {
    /// The token from the invitation.
    pub token: String,
    /// The new password (at least 6 characters, with a letter and a digit).
    pub password: String,
    /// The same password again.
    pub confirmation: String,
}

/// The new session.
#[derive(SimpleObject, Default)]
pub struct AcceptInvitationPayload {
    /// A session as `login` gives; null when `userErrors` is not empty.
    pub session: Option<Session>,
    /// Problems the user can fix: the password rules, or INVALID_TOKEN for a token that
    /// is unknown, expired, replaced or used.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(
    CreateStaffUserPayload,
    InviteUserPayload,
    AcceptInvitationPayload
);

fn staff_id(id: &ID) -> async_graphql::Result<crate::domain::commons::UserId> {
    target(id, NodeKind::StaffUser, "id", "a staff user")
}

#[derive(Default)]
pub struct StaffMutation;

#[Object]
impl StaffMutation {
    /// Creates a staff member and the invitation with which they choose their password.
    /// ADMIN only.
    async fn create_staff_user(
        &self,
        ctx: &Context<'_>,
        input: CreateStaffUserInput,
    ) -> async_graphql::Result<CreateStaffUserPayload> {
        let new = NewStaffUser {
            role: input.role.into(),
            document: input.document,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
        };
        let result = staff::create_staff_user(ctx.db(), ctx.actor()?, &new, ctx.now()).await;
        payload(result, |created| CreateStaffUserPayload {
            staff_user: Some(StaffUser(created.user)),
            invitation: created.invitation.map(Into::into),
            user_errors: Vec::new(),
        })
    }

    /// Changes a staff member's role, names or email. ADMIN only.
    async fn update_staff_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateStaffUserInput,
    ) -> async_graphql::Result<UpdateStaffUserPayload> {
        let id = staff_id(&input.id)?;
        let changes = StaffChanges {
            role: input.role.map(Into::into),
            first_name: input.first_name,
            last_name: input.last_name,
            email: match input.email {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(email) => Some(Some(email)),
            },
        };
        let result =
            staff::update_staff_user(ctx.db(), ctx.actor()?, id, &changes, ctx.now()).await;
        payload(result, |user| {
            ctx.state().announce_access_end(&user);
            StaffUser(user).into()
        })
    }

    /// Deactivates a staff member: they can no longer log in, and every session and API
    /// token of theirs ends at once. The last active ADMIN cannot be deactivated
    /// (LAST_ADMIN). ADMIN only.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        input: StaffUserIdInput,
    ) -> async_graphql::Result<DeactivateUserPayload> {
        let id = staff_id(&input.id)?;
        let result = staff::deactivate_user(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |user| {
            ctx.state().announce_access_end(&user);
            StaffUser(user).into()
        })
    }

    /// Lets a deactivated staff member log in again (with their password; their old
    /// sessions and API tokens stay ended). ADMIN only.
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        input: StaffUserIdInput,
    ) -> async_graphql::Result<ReactivateUserPayload> {
        let id = staff_id(&input.id)?;
        let result = staff::reactivate_user(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |user| StaffUser(user).into())
    }

    /// Issues a staff member a new invitation (for one who lost theirs); the earlier one
    /// stops working. ADMIN only.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: StaffUserIdInput,
    ) -> async_graphql::Result<InviteUserPayload> {
        let id = staff_id(&input.id)?;
        let result = staff::invite_staff_user(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |(user, invitation)| InviteUserPayload {
            staff_user: Some(StaffUser(user)),
            invitation: Some(invitation.into()),
            user_errors: Vec::new(),
        })
    }

    /// Sets the password of an invited account and logs its holder in. No login needed:
    /// the token is the proof.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> async_graphql::Result<AcceptInvitationPayload> {
        let acceptance = Acceptance {
            token: &input.token,
            password: &input.password,
            confirmation: &input.confirmation,
        };
        let state = ctx.state();
        let result =
            identity::accept_invitation(ctx.db(), &state.auth, acceptance, ctx.now()).await;
        payload(result, |session| AcceptInvitationPayload {
            session: Some(session.into()),
            user_errors: Vec::new(),
        })
    }
}
