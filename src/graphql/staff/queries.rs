use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};

use super::{
    audit::{AuditRecord, AuditRecordConnection},
    text::Text,
};
use crate::{
    domain::{
        audit::{self as trail, AuditFilter, ObjectKind},
        staff,
    },
    graphql::{
        commons::{ContextExt, ErrorCode, GlobalId, NodeKind, PageArgs, list_cost, page_of},
        identity::types::{StaffUser, StaffUserConnection},
    },
};

/// Which staff to list.
#[derive(InputObject, Default)]
pub struct StaffUserFilter {
    /// Part of a document, a name or an email, in any letter case.
    pub search: Option<String>,
}

/// Which audit records to list; every part is optional.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Only the records of this object (any ID the trail records: a `StaffUser`, a
    /// `Client`, the `Organization`).
    pub object_id: Option<ID>,
    /// Only what this user did (a `StaffUser` ID, or a `Client` ID).
    pub user_id: Option<ID>,
    /// From this instant on (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}

impl AuditLogFilter {
    fn decode(self) -> async_graphql::Result<AuditFilter> {
        let object = match &self.object_id {
            None => None,
            Some(id) => {
                let found = GlobalId::parse(id)
                    .and_then(|g| ObjectKind::parse(g.kind.name()).map(|kind| (kind, g.id)));
                Some(found.ok_or_else(|| ErrorCode::BadUserInput.error(Text::NotAuditedObjectId))?)
            }
        };
        let user_id = match &self.user_id {
            None => None,
            Some(id) => Some(
                GlobalId::parse(id)
                    .filter(|g| matches!(g.kind, NodeKind::StaffUser | NodeKind::Client))
                    .map(|g| crate::domain::commons::Id::new(g.id))
                    .ok_or_else(|| ErrorCode::BadUserInput.error(Text::NotUserId))?,
            ),
        };
        Ok(AuditFilter {
            object,
            user_id,
            from: self.from,
            to: self.to,
        })
    }
}

#[derive(Default)]
pub struct StaffQuery;

#[Object]
impl StaffQuery {
    /// The organization's staff (ADMINs and COLLECTORs), by last then first name, active
    /// or not. Staff only.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn staff_users(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list (a search); every staff user without it.")]
        filter: Option<StaffUserFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<StaffUserConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let filter = filter.unwrap_or_default();
        let listing = staff::staff_users(ctx.viewer()?, filter.search.as_deref())?;
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(StaffUserConnection::new(
            window,
            rows.into_iter().map(StaffUser),
        ))
    }

    /// What staff changed, oldest first: every staff write leaves one record, in the
    /// same transaction as the change. ADMINs only.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the records of one object, one user or a period; all without it.")]
        filter: Option<AuditLogFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AuditRecordConnection> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let filter = filter.unwrap_or_default().decode()?;
        let listing = trail::records(ctx.viewer()?, &filter)?;
        let (window, rows) = page_of(ctx.db(), &listing, &args).await?;
        Ok(AuditRecordConnection::new(
            window,
            rows.into_iter().map(AuditRecord),
        ))
    }
}
