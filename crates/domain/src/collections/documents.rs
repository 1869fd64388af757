//! The car papers about to expire across the organization's fleet (SOAT, insurance,
//! technical inspection...): a driver with an expired SOAT gets blocked, so the back
//! office renews them before. Those already expired come first.

use chrono::{NaiveDate, TimeDelta};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};

use super::text::Text;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    commons::OrganizationId,
    entities::{car, car_document, contract},
    visibility,
};

/// The farthest a look ahead goes, in days (ten years).
pub const MAX_DAYS: i32 = 3650;

/// A paper with the car it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringDocument {
    pub document: car_document::Model,
    pub car: car::Model,
    /// Days from today to its due date: negative once it has expired.
    pub expires_in_days: i64,
}

/// The papers of the fleet due on or before a day, by due date (the expired first), then
/// by id.
#[derive(Debug, Clone)]
pub struct Expiring {
    organization_id: OrganizationId,
    today: NaiveDate,
    latest: NaiveDate,
}

/// The papers of `viewer`'s organization's cars whose due date is at most `days` days
/// after `today` (a date of its calendar), already expired ones included. Staff only
/// (COLLECTORs read too); `days` goes from 0 to [`MAX_DAYS`] (OUT_OF_RANGE otherwise).
pub fn expiring_documents(viewer: &Viewer, days: i32, today: NaiveDate) -> DomainResult<Expiring> {
    visibility::require_staff(viewer)?;
    if !(0..=MAX_DAYS).contains(&days) {
        return Err(DomainError::invalid(
            "days",
            UserErrorCode::OutOfRange,
            Text::DaysRange {
                max: MAX_DAYS.to_string(),
            },
        ));
    }
    let latest = today
        .checked_add_signed(TimeDelta::days(i64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    Ok(Expiring {
        organization_id: viewer.organization_id,
        today,
        latest,
    })
}

impl Expiring {
    /// `query` (papers with their cars joined) narrowed to the organization's papers due
    /// by the last day. A terminated contract's car has left the fleet: its papers are
    /// no one's to renew.
    fn scoped<Q: QueryFilter + QuerySelect>(&self, query: Q) -> Q {
        query
            .join(JoinType::InnerJoin, car::Relation::Contract.def())
            .filter(contract::Column::OrganizationId.eq(self.organization_id))
            .filter(contract::Column::TerminatedOn.is_null())
            .filter(car_document::Column::DueDate.is_not_null())
            .filter(car_document::Column::DueDate.lte(self.latest))
    }

    /// How many papers the listing holds.
    pub async fn count<C: ConnectionTrait>(&self, db: &C) -> Result<u64, DbErr> {
        self.scoped(car_document::Entity::find().inner_join(car::Entity))
            .count(db)
            .await
    }

    /// The `limit` papers after the first `offset`, each with its car: one statement.
    pub async fn page<C: ConnectionTrait>(
        &self,
        db: &C,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<ExpiringDocument>, DbErr> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let rows = self
            .scoped(car_document::Entity::find().find_also_related(car::Entity))
            .order_by_asc(car_document::Column::DueDate)
            .order_by_asc(car_document::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(document, car)| {
                let car = car?;
                let due = document.due_date?;
                Some(ExpiringDocument {
                    expires_in_days: (due - self.today).num_days(),
                    document,
                    car,
                })
            })
            .collect())
    }
}
