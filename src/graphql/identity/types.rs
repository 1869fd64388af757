//! Organizations, users (clients and staff) and API tokens as GraphQL types, and `Creator`
//! (who recorded a row: a user or an API token).

use crate::domain::commons::Id;
use async_graphql::{ComplexObject, Context, Enum, ID, Interface, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};

use crate::{
    domain::{DomainError, commons::Money, commons::text::NotFound},
    entities::{api_token, organization, user, user::Role},
    graphql::collections::statement::{StatementOfAccount, statement_of_account},
    graphql::commons::{ContextExt, GlobalId, NodeKind},
    graphql::commons::{Decimal, PeriodInput},
    graphql::contracts::{
        client_fields,
        types::{ClientPhone, Contract, Plan},
    },
    graphql::fast::raw::CompiledOr,
    graphql::wallet::{Card, cards::client_cards},
};

/// The tenant: the leasing company whose data this is. Nothing ever crosses it.
pub struct Organization(pub organization::Model);

/// The tenant: the leasing company whose data this is. Nothing ever crosses it.
#[Object]
impl Organization {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Organization, self.0.id).to_id()
    }
    /// Display name, e.g. "Leasy Demo".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Short unique name, used to pick the organization at login when a document exists
    /// in several.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// IANA time zone in which "today" and "this month" are computed (default America/Lima).
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }
    /// ISO 4217 currency of every amount (default PEN).
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// The language messages (`userErrors`, errors) are said in when a request does not
    /// ask for one with `Accept-Language`.
    async fn language(&self) -> Language {
        crate::domain::Language::from_tag(&self.0.language)
            .unwrap_or_default()
            .into()
    }
    /// When the organization was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A language the API speaks. A request picks one with `Accept-Language` (`es-PE`,
/// `pt-BR;q=0.9`...); without it, messages are said in its organization's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::Language")]
pub enum Language {
    /// English (`en`).
    English,
    /// Spanish (`es`), as the REST APIs of Leasy and Infinanza spoke.
    Spanish,
    /// Brazilian Portuguese (`pt`), as Organizze's API spoke.
    Portuguese,
}

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::user::Role")]
pub enum UserRole {
    /// Staff who manage the organization.
    Admin,
    /// Staff who collect payments; read-only elsewhere.
    Collector,
    /// A driver.
    Client,
}

async fn organization_of(
    ctx: &Context<'_>,
    user: &user::Model,
) -> async_graphql::Result<Organization> {
    ctx.loaders()
        .organizations
        .load_one(Id::new(user.organization_id))
        .await?
        .map(Organization)
        .ok_or_else(|| DomainError::from(NotFound::Organization).into())
}

/// A driver who leases a car: logs in with their document.
pub struct Client(pub user::Model);

/// Someone who works for the organization (ADMIN or COLLECTOR).
pub struct StaffUser(pub user::Model);

macro_rules! user_fields {
    ($ty:ident, $kind:expr, $doc:literal, { $($extra:tt)* }) => {
        #[doc = $doc]
        #[Object]
        impl $ty {
            /// Opaque global ID.
            pub async fn id(&self) -> ID {
                GlobalId::new($kind, self.0.id).to_id()
            }
            /// National identity document, used to log in.
            pub async fn document(&self) -> &str {
                &self.0.document
            }
            /// Given names.
            pub async fn first_name(&self) -> &str {
                &self.0.first_name
            }
            /// Family names.
            pub async fn last_name(&self) -> &str {
                &self.0.last_name
            }
            /// First and last name together.
            pub async fn full_name(&self) -> String {
                format!("{} {}", self.0.first_name, self.0.last_name)
            }
            /// Contact email, when known.
            pub async fn email(&self) -> Option<&str> {
                self.0.email.as_deref()
            }
            /// What this user may do.
            pub async fn role(&self) -> UserRole {
                self.0.role.into()
            }
            /// The organization this user belongs to.
            pub async fn organization(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Organization> {
                organization_of(ctx, &self.0).await
            }
            /// When the user was registered.
            pub async fn created_at(&self) -> DateTime<Utc> {
                self.0.created_at
            }
            /// Whether the user may log in: false once staff deactivated the account.
            pub async fn active(&self) -> bool {
                self.0.deactivated_at.is_none()
            }
            /// When staff deactivated the account; null while it is active.
            pub async fn deactivated_at(&self) -> Option<DateTime<Utc>> {
                self.0.deactivated_at
            }
            $($extra)*
        }
    };
}

user_fields!(
    Client,
    NodeKind::Client,
    "A driver who leases a car; logs in with their document.",
    {
        /// Home address.
        async fn address(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
            Ok(client_fields::profile(ctx, self.0.id)
                .await?
                .map(|p| p.address)
                .unwrap_or_default())
        }
        /// Main phone number.
        async fn phone_number(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
            Ok(client_fields::profile(ctx, self.0.id)
                .await?
                .map(|p| p.phone_number)
                .unwrap_or_default())
        }
        /// Every phone number on file.
        async fn phones(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ClientPhone>> {
            client_fields::phones(ctx, self.0.id).await
        }
        /// The ride-hailing plan, which sets the driver's discount.
        async fn plan(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Plan>> {
            client_fields::plan(ctx, self.0.id).await
        }
        /// Wallet balance in coins (1 coin = 1 unit of the organization's currency).
        async fn coins(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
            let minor = client_fields::profile(ctx, self.0.id)
                .await?
                .map_or(0, |p| p.coins_minor);
            Ok(Money::from_minor(minor).into())
        }
        /// The driver's contracts, oldest first.
        async fn contracts(
            &self,
            ctx: &Context<'_>,
        ) -> async_graphql::Result<CompiledOr<Vec<Contract>>> {
            client_fields::contracts(ctx, self.0.id).await
        }
        /// The driver's wallet: balance, recharges and every movement.
        async fn wallet(&self) -> crate::graphql::wallet::types::Wallet {
            crate::graphql::wallet::types::Wallet(self.0.id)
        }
        /// The driver's saved cards, oldest first (the REST API's `clients/cards`). Staff
        /// of the organization read them too; only the driver changes them.
        async fn cards(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Card>> {
            client_cards(ctx, self.0.id).await
        }
        /// The driver's statement of account over `period` (this month to today when
        /// none is given; at most a year): what they owed before it, every invoice issued
        /// to them and every discount, payment, split and cancellation in date order with
        /// the balance owed after each, and what they owed at its end. Wallet recharges
        /// are not entries: they fill the wallet, not what is owed (see `wallet`). A
        /// removed discount is as if it was never granted. The driver and their
        /// organization's staff only.
        async fn statement_of_account(
            &self,
            ctx: &Context<'_>,
            #[graphql(
                desc = "The dates to list; without it, everything from the first invoice to today."
            )]
            period: Option<PeriodInput>,
        ) -> async_graphql::Result<StatementOfAccount> {
            statement_of_account(ctx, &self.0, period).await
        }
    }
);

user_fields!(
    StaffUser,
    NodeKind::StaffUser,
    "Someone who works for the organization (ADMIN or COLLECTOR).",
    {}
);

/// Anyone who logs in: a driver (`Client`) or staff (`StaffUser`).
// The lint mistakes the repeated `ty = "&str"` of several fields for duplicates.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID", desc = "Opaque global ID."),
    field(
        name = "document",
        ty = "&str",
        desc = "National identity document, used to log in."
    ),
    field(name = "first_name", ty = "&str", desc = "Given names."),
    field(name = "last_name", ty = "&str", desc = "Family names."),
    field(
        name = "full_name",
        ty = "String",
        desc = "First and last name together."
    ),
    field(
        name = "email",
        ty = "Option<&str>",
        desc = "Contact email, when known."
    ),
    field(name = "role", ty = "UserRole", desc = "What this user may do."),
    field(
        name = "organization",
        ty = "Organization",
        desc = "The organization this user belongs to."
    ),
    field(
        name = "created_at",
        ty = "DateTime<Utc>",
        desc = "When the user was registered."
    )
)]
pub enum User {
    Client(Client),
    StaffUser(StaffUser),
}

impl From<user::Model> for User {
    fn from(model: user::Model) -> Self {
        match model.role {
            Role::Client => User::Client(Client(model)),
            Role::Admin | Role::Collector => User::StaffUser(StaffUser(model)),
        }
    }
}

/// A per-application API token. Send it as `Authorization: Token token=<secret>` or
/// `Authorization: Bearer <secret>`; it acts for the user who created it.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ApiToken {
    #[graphql(skip)]
    pub model: api_token::Model,
    /// The application this token is for.
    pub name: String,
    /// The first characters of the secret, to tell tokens apart. The secret itself is
    /// shown once, when the token is created.
    pub prefix: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

#[ComplexObject]
impl ApiToken {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::ApiToken, self.model.id).to_id()
    }
}

impl From<api_token::Model> for ApiToken {
    fn from(model: api_token::Model) -> Self {
        Self {
            name: model.name.clone(),
            prefix: model.token_prefix.clone(),
            created_at: model.created_at,
            last_used_at: model.last_used_at,
            revoked_at: model.revoked_at,
            model,
        }
    }
}

/// Who recorded a row: a logged-in user (a `Client` or a `StaffUser`), or the `ApiToken`
/// of the application it came through (Infinanza's `user_id` / `api_key_id`).
#[derive(Union)]
pub enum Creator {
    StaffUser(StaffUser),
    Client(Client),
    ApiToken(ApiToken),
}

/// The creator of a row of `organization_id`: its API token when it came through one,
/// otherwise its user; null when neither exists any more.
pub async fn creator_of(
    ctx: &Context<'_>,
    organization_id: i64,
    user_id: Option<i64>,
    token_id: Option<i64>,
) -> async_graphql::Result<Option<Creator>> {
    if let Some(id) = token_id
        && let Some(token) = ctx
            .loaders()
            .api_tokens
            .load_one(Id::new(id))
            .await?
            .filter(|t| t.organization_id == organization_id)
    {
        return Ok(Some(Creator::ApiToken(token.into())));
    }
    let Some(id) = user_id else {
        return Ok(None);
    };
    Ok(ctx
        .loaders()
        .users
        .load_one(Id::new(id))
        .await?
        .filter(|u| u.organization_id == organization_id)
        .map(|u| match User::from(u) {
            User::Client(c) => Creator::Client(c),
            User::StaffUser(s) => Creator::StaffUser(s),
        }))
}

crate::connection!(
    ApiTokenConnection,
    ApiTokenEdge,
    ApiToken,
    "A page of API tokens, newest first.",
    "An API token and its cursor."
);

crate::connection!(
    StaffUserConnection,
    StaffUserEdge,
    StaffUser,
    "A page of the organization's staff.",
    "A staff member and their cursor."
);

crate::connection!(
    ClientConnection,
    ClientEdge,
    Client,
    "A page of the organization's drivers.",
    "A driver and their cursor."
);

/// A one-time token that lets its holder choose their password: hand it to them (for
/// example as a link); it is shown only here.
#[derive(SimpleObject)]
pub struct Invitation {
    /// The token, for `acceptInvitation`. Single use.
    pub token: String,
    /// When it stops working (72 hours after it was issued). A newer invitation of the
    /// same person replaces it sooner.
    pub expires_at: DateTime<Utc>,
}

impl From<crate::domain::identity::OneTimeToken> for Invitation {
    fn from(token: crate::domain::identity::OneTimeToken) -> Self {
        Self {
            token: token.token,
            expires_at: token.expires_at,
        }
    }
}
