//! Common content as GraphQL types. Public and the same for every reader of an
//! organization, so each type may be cached for five minutes by any cache (the HTTP layer
//! turns the policy into `Cache-Control` for anonymous GETs only).

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    domain::{DomainError, checks, commons::Calendar},
    entities::{
        emergency_contact, emergency_contact_group, expense_category, faq, service_contact_channel,
        support_contact, tip, tip_category,
    },
    graphql::commons::{ContextExt, Date, GlobalId, NodeKind},
};

/// A category drivers file their expenses under (the REST API's expense categories).
pub struct ExpenseCategory(pub expense_category::Model);

/// A category drivers file their expenses under (the REST API's expense categories).
#[Object(cache_control(max_age = 300, public))]
impl ExpenseCategory {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::ExpenseCategory, self.0.id).to_id()
    }
    /// Display name, e.g. "Gastos Personales".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Stable code, e.g. "gastos_personales" (the REST API's `code_name`).
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Icon name or image URL to show with the category; empty when none.
    async fn icon(&self) -> &str {
        &self.0.icon
    }
}

/// When a driver needs an emergency group's contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::emergency_contact_group::EmergencyCase")]
pub enum EmergencyCase {
    /// A traffic accident (the REST API's `accidents`).
    Accident,
    /// The car was blocked for lack of payment (the REST API's `block`).
    Block,
    /// The car was stolen (the REST API's `steal`).
    Theft,
}

/// The contacts to call in one emergency case, with the group's name and description
/// (the REST API's `info`).
pub struct EmergencyContactGroup(pub emergency_contact_group::Model);

/// The contacts to call in one emergency case, with the group's name and description
/// (the REST API's `info`).
#[Object(cache_control(max_age = 300, public))]
impl EmergencyContactGroup {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::EmergencyContactGroup, self.0.id).to_id()
    }
    /// The case the group is for.
    async fn case(&self) -> EmergencyCase {
        self.0.emergency_case.into()
    }
    /// Display name, e.g. "Accidentes".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// When to call, e.g. "En caso de accidentes".
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Who to call, in the order they were added.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<EmergencyContact>> {
        let rows = ctx
            .loaders()
            .group_contacts
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        let case = self.0.emergency_case;
        Ok(rows
            .into_iter()
            .map(|row| EmergencyContact(row, Some(case)))
            .collect())
    }
}

/// Someone to call in an emergency; the case comes with it when its group was loaded.
pub struct EmergencyContact(
    pub emergency_contact::Model,
    pub Option<emergency_contact_group::EmergencyCase>,
);

/// Someone to call in an emergency.
#[Object(cache_control(max_age = 300, public))]
impl EmergencyContact {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::EmergencyContact, self.0.id).to_id()
    }
    /// The case of the contact's group (the REST API's `in_case`).
    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<EmergencyCase> {
        if let Some(case) = self.1 {
            return Ok(case.into());
        }
        ctx.loaders()
            .emergency_groups
            .load_one(Id::new(self.0.group_id))
            .await?
            .map(|g| g.emergency_case.into())
            .ok_or_else(|| {
                async_graphql::Error::from(DomainError::Internal(
                    "an emergency contact's group is gone".into(),
                ))
            })
    }
    /// Who answers, e.g. "Rigoberto".
    async fn contact_name(&self) -> &str {
        &self.0.contact_name
    }
    /// The number to call, as written, e.g. "953884777".
    async fn phone_number(&self) -> &str {
        &self.0.phone_number
    }
    /// A note on the contact; empty when none.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// Which support line a contact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::support_contact::SupportKind")]
pub enum SupportContactKind {
    /// Mechanical support for the car (the REST API's `mechanical`).
    Mechanical,
    /// The emergency line (the REST API's `emergency`).
    Emergency,
    /// Where to ask for affiliation to the ride-hailing platform (the REST API's
    /// "Afiliaciones UBER").
    RideHailingAffiliation,
}

/// A support line: who answers and the number.
pub struct SupportContact(pub support_contact::Model);

/// A support line: who answers and the number.
#[Object(cache_control(max_age = 300, public))]
impl SupportContact {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::SupportContact, self.0.id).to_id()
    }
    /// Which line this is.
    async fn kind(&self) -> SupportContactKind {
        self.0.kind.into()
    }
    /// Who answers, e.g. "Soporte Mecánico".
    async fn contact_name(&self) -> &str {
        &self.0.contact_name
    }
    /// The number to call, e.g. "+51987928878".
    async fn phone_number(&self) -> &str {
        &self.0.phone_number
    }
}

/// The organization's support lines (the REST API's `mechanical-contacts` and
/// `uber-contacts`); each is null until an ADMIN sets it up.
#[derive(SimpleObject)]
#[graphql(cache_control(max_age = 300, public))]
pub struct SupportContacts {
    /// Mechanical support for the car.
    pub mechanical: Option<SupportContact>,
    /// The emergency line.
    pub emergency: Option<SupportContact>,
    /// Where to ask for affiliation to the ride-hailing platform.
    pub ride_hailing_affiliation: Option<SupportContact>,
}

/// A way to reach the company about a problem with the service (the REST API's service
/// contacts).
pub struct ServiceContactChannel(pub service_contact_channel::Model);

/// A way to reach the company about a problem with the service (the REST API's service
/// contacts).
#[Object(cache_control(max_age = 300, public))]
impl ServiceContactChannel {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::ServiceContactChannel, self.0.id).to_id()
    }
    /// What to show, e.g. "Teléfono".
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// What the value is, for apps to branch on (the REST API's `code_name`):
    /// `phone_number`, `whatsapp`, `email_address`, `website`, or another code with free
    /// text.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The number, address or link, e.g. "947 947 158".
    async fn value(&self) -> &str {
        &self.0.value
    }
}

/// A frequently asked question and its answer.
pub struct Faq(pub faq::Model);

/// A frequently asked question and its answer.
#[Object(cache_control(max_age = 300, public))]
impl Faq {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Faq, self.0.id).to_id()
    }
    /// The question.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The answer, one string per paragraph (the REST API's `content`).
    async fn paragraphs(&self) -> Vec<String> {
        checks::from_json(&self.0.paragraphs)
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The day it was written, in the organization's timezone (the REST API's
    /// `created_at`).
    async fn created_on(&self, ctx: &Context<'_>) -> async_graphql::Result<Date> {
        let organization = ctx
            .loaders()
            .organizations
            .load_one(Id::new(self.0.organization_id))
            .await?
            .ok_or_else(|| {
                async_graphql::Error::from(DomainError::Internal(
                    "a FAQ's organization is gone".into(),
                ))
            })?;
        Ok(Date(Calendar::of(&organization).date_of(self.0.created_at)))
    }
}

/// A theme of driving tips, e.g. "Mantenimiento".
pub struct TipCategory(pub tip_category::Model);

/// A theme of driving tips, e.g. "Mantenimiento".
#[Object(cache_control(max_age = 300, public))]
impl TipCategory {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::TipCategory, self.0.id).to_id()
    }
    /// Display name, e.g. "Multas y tránsito".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Stable code, e.g. "multas_y_transito" (the REST API's `code_name`).
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// What the category covers; empty when nothing needs saying.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// A driving tip.
pub struct Tip(pub tip::Model);

/// A driving tip.
#[Object(cache_control(max_age = 300, public))]
impl Tip {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Tip, self.0.id).to_id()
    }
    /// Heading; null when the tip has none.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// The tip, one string per paragraph (the REST API's `content`).
    async fn paragraphs(&self) -> Vec<String> {
        checks::from_json(&self.0.paragraphs)
    }
    /// Whether it is among the popular tips (the REST API's `is_popular`).
    async fn is_popular(&self) -> bool {
        self.0.is_popular
    }
    /// The day it is shown from, in the organization's timezone; "today's tips" are those
    /// published today.
    async fn published_on(&self) -> Date {
        Date(self.0.published_on)
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Its category.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<TipCategory> {
        ctx.loaders()
            .tip_categories
            .load_one(Id::new(self.0.category_id))
            .await?
            .map(TipCategory)
            .ok_or_else(|| {
                async_graphql::Error::from(DomainError::Internal("a tip's category is gone".into()))
            })
    }
}

/// Which tips to list; every field given narrows the list.
#[derive(InputObject, Default)]
pub struct TipFilter {
    /// Only the tips of this category (a `TipCategory` ID).
    pub category: Option<ID>,
    /// Only the tips of the category with this code, e.g. "mantenimiento" (the REST API's
    /// `tips/category/<category_codename>`).
    pub category_code: Option<String>,
    /// `true`: only popular tips (the REST API's `tips/popular`); `false`: only the
    /// others.
    pub popular: Option<bool>,
    /// `true`: only tips published today in the organization's timezone (the REST API's
    /// `tips/today`); `false`: only those published before today.
    pub today: Option<bool>,
}

crate::connection!(
    FaqConnection,
    FaqEdge,
    Faq,
    "A page of the organization's FAQs, newest first.",
    "A FAQ and its cursor."
);

crate::connection!(
    TipConnection,
    TipEdge,
    Tip,
    "A page of tips, newest publication first.",
    "A tip and its cursor."
);
