//! The back office's drivers: ADMINs create their accounts (from a lead or not), change,
//! deactivate, reactivate and re-invite them (see `domain::clients::onboarding`).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::types::Lead;
use crate::{
    domain::{
        clients::onboarding::{self, ClientChanges, Conversion, NewClient},
        commons::UserId,
    },
    graphql::{
        commons::{ContextExt, NodeKind, UserError, payload, target, target_opt},
        identity::types::{Client, Invitation},
    },
};

/// A new driver.
#[derive(InputObject)]
pub struct CreateClientInput {
    /// National identity document (letters and digits): their login, unique in the
    /// organization.
    pub document: String,
    /// Given names.
    pub first_name: String,
    /// Family names.
    pub last_name: String,
    /// Contact email (where password resets go).
    pub email: Option<String>,
    /// Phone numbers, the main one first; at least one, at most 5.
    pub phones: Vec<String>,
    /// Home address.
    #[graphql(default)]
    pub address: String,
    /// The ride-hailing `Plan`, which sets the driver's discount.
    pub plan_id: Option<ID>,
}

/// The driver created and their invitation.
#[derive(SimpleObject, Default)]
pub struct CreateClientPayload {
    /// The new driver, with an empty wallet; null when `userErrors` is not empty.
    pub client: Option<Client>,
    /// The one-time token with which they choose their password.
    pub invitation: Option<Invitation>,
    /// Problems with the input the user can fix (DUPLICATE document, ...).
    pub user_errors: Vec<UserError>,
}

/// A lead to make a driver of; what is omitted comes from the lead.
#[derive(InputObject)]
pub struct ConvertLeadInput {
    /// The `Lead`.
    pub lead_id: ID,
    /// The ride-hailing `Plan`.
    pub plan_id: Option<ID>,
    /// Home address.
    #[graphql(default)]
    pub address: String,
    /// Contact email; the lead's when omitted.
    pub email: Option<String>,
    /// Phone numbers, the main one first; the lead's when omitted.
    pub phones: Option<Vec<String>>,
}

/// The driver the lead became, their invitation and the converted lead.
#[derive(SimpleObject, Default)]
pub struct ConvertLeadPayload {
    /// The new driver; null when `userErrors` is not empty.
    pub client: Option<Client>,
    /// The one-time token with which they choose their password.
    pub invitation: Option<Invitation>,
    /// The lead, now linked to the driver (`Lead.client`).
    pub lead: Option<Lead>,
    /// Problems the user can fix: ALREADY_CONVERTED for a lead converted before,
    /// DUPLICATE when a driver already has the lead's document.
    pub user_errors: Vec<UserError>,
}

/// Changes to a driver; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateClientInput {
    /// The `Client`.
    pub id: ID,
    /// New given names.
    pub first_name: Option<String>,
    /// New family names.
    pub last_name: Option<String>,
    /// A new email; null removes it.
    pub email: MaybeUndefined<String>,
    /// The phone numbers, all of them, the main one first.
    pub phones: Option<Vec<String>>,
    /// A new home address.
    pub address: Option<String>,
    /// A new `Plan`; null removes it.
    pub plan_id: MaybeUndefined<ID>,
}

/// Which driver.
#[derive(InputObject)]
pub struct ClientIdInput {
    /// The `Client`.
    pub id: ID,
}

crate::payload!(
    UpdateClientPayload,
    client,
    Client,
    "The driver as changed.",
    "The driver; null when `userErrors` is not empty."
);
crate::payload!(
    DeactivateClientPayload,
    client,
    Client,
    "The deactivated driver.",
    "The driver, now inactive; null when `userErrors` is not empty."
);
crate::payload!(
    ReactivateClientPayload,
    client,
    Client,
    "The reactivated driver.",
    "The driver, active again; null when `userErrors` is not empty."
);

/// A new invitation for a driver.
#[derive(SimpleObject, Default)]
pub struct InviteClientPayload {
    /// The driver; null when `userErrors` is not empty.
    pub client: Option<Client>,
    /// The new one-time token; earlier ones stop working.
    pub invitation: Option<Invitation>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(CreateClientPayload, ConvertLeadPayload, InviteClientPayload);

fn client_id(id: &ID) -> async_graphql::Result<UserId> {
    target(id, NodeKind::Client, "id", "a client")
}

#[derive(Default)]
pub struct OnboardingMutation;

#[Object]
impl OnboardingMutation {
    /// Creates a driver's account, with an empty wallet and the invitation with which
    /// they choose their password. ADMIN only.
    async fn create_client(
        &self,
        ctx: &Context<'_>,
        input: CreateClientInput,
    ) -> async_graphql::Result<CreateClientPayload> {
        let plan_id = target_opt(input.plan_id.as_ref(), NodeKind::Plan, "planId", "a plan")?;
        let new = NewClient {
            document: input.document,
            first_name: input.first_name,
            last_name: input.last_name,
            email: input.email,
            phones: input.phones,
            address: input.address,
            plan_id,
        };
        let result = onboarding::create_client(ctx.db(), ctx.actor()?, &new, ctx.now()).await;
        payload(result, |created| CreateClientPayload {
            client: Some(Client(created.user)),
            invitation: Some(created.invitation.into()),
            user_errors: Vec::new(),
        })
    }

    /// Makes a driver of a lead: names, document, email and phone come from the lead
    /// unless given; the lead is linked to the driver. A lead converts once. ADMIN only.
    async fn convert_lead(
        &self,
        ctx: &Context<'_>,
        input: ConvertLeadInput,
    ) -> async_graphql::Result<ConvertLeadPayload> {
        let conversion = Conversion {
            lead_id: target(&input.lead_id, NodeKind::Lead, "leadId", "a lead")?,
            plan_id: target_opt(input.plan_id.as_ref(), NodeKind::Plan, "planId", "a plan")?,
            address: input.address,
            email: input.email,
            phones: input.phones,
        };
        let result = onboarding::convert_lead(ctx.db(), ctx.actor()?, &conversion, ctx.now()).await;
        payload(result, |(created, lead)| ConvertLeadPayload {
            client: Some(Client(created.user)),
            invitation: Some(created.invitation.into()),
            lead: Some(Lead(lead)),
            user_errors: Vec::new(),
        })
    }

    /// Changes a driver's names, email, phones, address or plan. ADMIN only.
    async fn update_client(
        &self,
        ctx: &Context<'_>,
        input: UpdateClientInput,
    ) -> async_graphql::Result<UpdateClientPayload> {
        let id = client_id(&input.id)?;
        let plan_id = match input.plan_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(plan) => {
                Some(Some(target(&plan, NodeKind::Plan, "planId", "a plan")?))
            }
        };
        let changes = ClientChanges {
            first_name: input.first_name,
            last_name: input.last_name,
            email: match input.email {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(email) => Some(Some(email)),
            },
            phones: input.phones,
            address: input.address,
            plan_id,
        };
        let result =
            onboarding::update_client(ctx.db(), ctx.actor()?, id, &changes, ctx.now()).await;
        payload(result, |user| Client(user).into())
    }

    /// Deactivates a driver: they can no longer log in, and every session, API token
    /// and access token of theirs ends at once; contracts, invoices and wallet stay.
    /// ADMIN only.
    async fn deactivate_client(
        &self,
        ctx: &Context<'_>,
        input: ClientIdInput,
    ) -> async_graphql::Result<DeactivateClientPayload> {
        let id = client_id(&input.id)?;
        let result = onboarding::deactivate_client(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |user| {
            ctx.state().announce_access_end(&user);
            Client(user).into()
        })
    }

    /// Lets a deactivated driver log in again with their password. ADMIN only.
    async fn reactivate_client(
        &self,
        ctx: &Context<'_>,
        input: ClientIdInput,
    ) -> async_graphql::Result<ReactivateClientPayload> {
        let id = client_id(&input.id)?;
        let result = onboarding::reactivate_client(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |user| Client(user).into())
    }

    /// Issues a driver a new invitation (for one who lost theirs); the earlier one stops
    /// working. ADMIN only.
    async fn invite_client(
        &self,
        ctx: &Context<'_>,
        input: ClientIdInput,
    ) -> async_graphql::Result<InviteClientPayload> {
        let id = client_id(&input.id)?;
        let result = onboarding::invite_client(ctx.db(), ctx.actor()?, id, ctx.now()).await;
        payload(result, |(user, invitation)| InviteClientPayload {
            client: Some(Client(user)),
            invitation: Some(invitation.into()),
            user_errors: Vec::new(),
        })
    }
}
