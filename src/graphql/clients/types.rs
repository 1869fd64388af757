//! Leads as GraphQL types.

use async_graphql::{Enum, ID, Object};
use chrono::{DateTime, Utc};

use crate::{
    entities::lead,
    graphql::commons::{GlobalId, NodeKind},
};

/// How long the person has driven for a ride-hailing app (the REST API's `time_working`,
/// whose Spanish wording each value gives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::lead::TimeWorking")]
pub enum TimeWorking {
    /// Less than 4 months ("Menos de 4 meses").
    LessThan4Months,
    /// More than 4 months ("Más de 4 meses").
    MoreThan4Months,
    /// More than 8 months ("Más de 8 meses").
    MoreThan8Months,
    /// More than 12 months ("Más de 12 meses").
    MoreThan12Months,
    /// More than 18 months ("Más de 18 meses").
    MoreThan18Months,
    /// Does not drive for a ride-hailing app ("No trabajo con aplicativo").
    NotWorkingWithAnApp,
}

/// The kind of car a lead wants (the REST API's `car_of_interest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::lead::CarOfInterest")]
pub enum CarOfInterest {
    /// A new car ("Nuevo").
    New,
    /// A used car in good condition ("Semi nuevo").
    SemiNew,
}

/// Someone who asked to lease a car without an account (the REST API's "Nuevo lead").
/// Only the organization's staff list or fetch leads; `createLead` returns the one just
/// sent.
pub struct Lead(pub lead::Model);

/// Someone who asked to lease a car without an account (the REST API's "Nuevo lead").
/// Only the organization's staff list or fetch leads; `createLead` returns the one just
/// sent.
#[Object]
impl Lead {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Lead, self.0.id).to_id()
    }
    /// Given names, trimmed.
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }
    /// Family names, trimmed.
    async fn last_name(&self) -> &str {
        &self.0.last_name
    }
    /// First and last name together.
    async fn full_name(&self) -> String {
        format!("{} {}", self.0.first_name, self.0.last_name)
    }
    /// National identity document, digits only.
    async fn document(&self) -> &str {
        &self.0.document
    }
    /// Mobile number: 9 digits, without the +51 prefix.
    async fn phone_number(&self) -> &str {
        &self.0.phone_number
    }
    /// Email address, lower-cased.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// How long they have driven for a ride-hailing app; null when not asked.
    async fn time_working(&self) -> Option<TimeWorking> {
        self.0.time_working.map(Into::into)
    }
    /// Campaign source, e.g. "APP".
    async fn utm_source(&self) -> Option<&str> {
        self.0.utm_source.as_deref()
    }
    /// Campaign medium, e.g. "iOs" or "Android".
    async fn utm_medium(&self) -> Option<&str> {
        self.0.utm_medium.as_deref()
    }
    /// The kind of car they want.
    async fn car_of_interest(&self) -> CarOfInterest {
        self.0.car_of_interest.into()
    }
    /// When the request arrived.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The driver this lead became (`convertLead`); null until then.
    async fn client(
        &self,
        ctx: &async_graphql::Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::identity::types::Client>> {
        use crate::graphql::commons::ContextExt;
        let Some(id) = self.0.client_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .users
            .load_one(crate::domain::commons::Id::new(id))
            .await?
            .filter(|u| u.organization_id == self.0.organization_id)
            .map(crate::graphql::identity::types::Client))
    }
    /// When the lead became a driver; null until then.
    async fn converted_at(&self) -> Option<DateTime<Utc>> {
        self.0.converted_at
    }
}

crate::connection!(
    LeadConnection,
    LeadEdge,
    Lead,
    "A page of leads, newest first.",
    "A lead and its cursor."
);
