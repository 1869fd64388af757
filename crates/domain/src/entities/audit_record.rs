//! One staff write, as the audit trail keeps it (see `crate::audit`). Append-only: the
//! database refuses to update or delete a record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    /// Who wrote: the user (through a session or one of their API tokens); null for the
    /// operator at the command line.
    pub user_id: Option<i64>,
    /// The API token the write came through, if any.
    pub api_token_id: Option<i64>,
    pub occurred_at: DateTimeUtc,
    /// What kind of object changed (`crate::audit::ObjectKind`'s name).
    pub object_kind: String,
    pub object_id: i64,
    /// The operation, named as the API names it (e.g. `createStaffUser`).
    pub operation: String,
    /// JSON `{"before": {...}, "after": {...}}` of the fields that changed.
    pub changes: String,
    pub request_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
