use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::types::{CarOfInterest, Lead, TimeWorking};
use crate::domain::commons::Id;
use crate::{
    domain::clients::{self, LeadInput},
    graphql::commons::{ContextExt, UserError, payload, public_organization},
};

/// A request to lease a car, as the Leasy app's form sends it (the REST API's
/// `clients/new`). Every problem is reported at once in `userErrors`; values are trimmed
/// and normalised before they are stored.
#[derive(InputObject)]
pub struct CreateLeadInput {
    /// Given names: letters (accents included), spaces, apostrophes, hyphens and dots; at
    /// most 100 characters.
    pub first_name: String,
    /// Family names, with the same rules as `firstName`.
    pub last_name: String,
    /// Peruvian identity document: digits only, 8 to 12 of them (DNI 8, RUC 11, foreigner's
    /// card up to 12; the REST API's examples have 10 and 11). The same document twice
    /// within 30 days in one organization is refused (DUPLICATE).
    pub document: String,
    /// Peruvian mobile: 9 digits starting with 9, optionally after +51; spaces, hyphens,
    /// dots and parentheses are ignored. Stored as the 9 digits.
    pub phone_number: String,
    /// Email address (ASCII, at most 254 characters); stored lower-cased.
    pub email: String,
    /// How long they have driven for a ride-hailing app. Optional: the REST API's own
    /// example sends an empty string, so null means "not asked".
    pub time_working: Option<TimeWorking>,
    /// Campaign source: `APP` from the Leasy app. Optional; letters, digits, `.`, `_` and
    /// `-`, at most 50 characters; blank is the same as null.
    pub utm_source: Option<String>,
    /// Campaign medium: `iOs` or `Android` from the Leasy app. Same rules as `utmSource`;
    /// stored with its case.
    pub utm_medium: Option<String>,
    /// The kind of car they want.
    pub car_of_interest: CarOfInterest,
    /// The organization's slug; without it, the caller's organization or the only one.
    pub organization: Option<String>,
}

/// The stored lead, or why it was not stored.
#[derive(SimpleObject, Default)]
pub struct CreateLeadPayload {
    /// The stored lead; null when `userErrors` is not empty.
    pub lead: Option<Lead>,
    /// Every field at fault, one entry each (REQUIRED, INVALID_FORMAT, TOO_SHORT, TOO_LONG,
    /// or DUPLICATE on `document`).
    pub user_errors: Vec<UserError>,
}

/// The push-notification token of the caller's phone.
#[derive(InputObject)]
pub struct UpdateDeviceTokenInput {
    /// The Firebase (or other push service) token: visible ASCII without spaces, at most
    /// 4096 characters. Blank clears it (e.g. on logout). Never returned by any field.
    pub token: String,
}

/// Whether the token was stored.
#[derive(SimpleObject, Default)]
pub struct UpdateDeviceTokenPayload {
    /// True when the token was stored, or cleared when blank; false when `userErrors` says
    /// why not.
    pub ok: bool,
    /// Problems with the token the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(CreateLeadPayload, UpdateDeviceTokenPayload);

#[derive(Default)]
pub struct ClientsMutation;

#[Object]
impl ClientsMutation {
    /// Registers a request to lease a car (the REST API's "Nuevo lead"). Needs no login;
    /// the organization's staff read it in `leads`. Counts as a sensitive field: one per
    /// request.
    async fn create_lead(
        &self,
        ctx: &Context<'_>,
        input: CreateLeadInput,
    ) -> async_graphql::Result<CreateLeadPayload> {
        let organization = public_organization(ctx, input.organization.as_deref()).await?;
        let result = clients::create_lead(
            ctx.db(),
            Id::new(organization.id),
            LeadInput {
                first_name: input.first_name,
                last_name: input.last_name,
                document: input.document,
                phone_number: input.phone_number,
                email: input.email,
                time_working: input.time_working.map(Into::into),
                utm_source: input.utm_source,
                utm_medium: input.utm_medium,
                car_of_interest: input.car_of_interest.into(),
            },
            ctx.now(),
        )
        .await;
        payload(result, |lead| CreateLeadPayload {
            lead: Some(Lead(lead)),
            ..Default::default()
        })
    }

    /// Registers the push-notification token of the caller's phone (`firebase_token` in
    /// the Leasy REST API's profile), replacing any previous one. Drivers only: staff get
    /// FORBIDDEN. Write-only: no field returns it.
    async fn update_device_token(
        &self,
        ctx: &Context<'_>,
        input: UpdateDeviceTokenInput,
    ) -> async_graphql::Result<UpdateDeviceTokenPayload> {
        let viewer = ctx.viewer()?;
        let result = clients::update_device_token(ctx.db(), viewer, &input.token).await;
        payload(result, |()| UpdateDeviceTokenPayload {
            ok: true,
            ..Default::default()
        })
    }
}
