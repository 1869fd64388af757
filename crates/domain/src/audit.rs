//! The audit trail: every staff write appends one record, in the transaction of the
//! change itself, saying who wrote (a user, through a session or an API token, or the
//! operator at the command line), when, to which object, by which operation, and which
//! fields changed from what to what. Records are never changed: the database refuses to
//! update or delete one.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, Order, QueryFilter, Set,
};
use serde_json::{Map, Value};

crate::catalogue! {
    /// What reading the audit trail says.
    pub enum Text {
        ToBeforeFrom {
            en: "`to` comes before `from`",
            es: "`to` es anterior a `from`",
            pt: "`to` é anterior a `from`",
        }
    }
}

use crate::{
    DomainError, DomainResult,
    auth::{Credential, Viewer},
    commons::{ApiTokenId, OrganizationId, UserId, begin_write},
    entities::audit_record,
    reads::Listing,
    visibility,
};

/// A staff member writing in one request: who, and the request id that ties the record
/// to the server's logs.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub viewer: &'a Viewer,
    pub request_id: &'a str,
}

/// Who a record names as the writer.
#[derive(Debug, Clone, Default)]
pub struct Author {
    pub user_id: Option<UserId>,
    pub api_token_id: Option<ApiTokenId>,
    pub request_id: Option<String>,
}

impl Author {
    /// The operator running a command of the binary (`gateway organization create`).
    pub fn operator() -> Self {
        Self::default()
    }
}

impl From<Actor<'_>> for Author {
    fn from(actor: Actor<'_>) -> Self {
        let api_token_id = match actor.viewer.credential {
            Credential::ApiToken { token_id } => Some(token_id),
            Credential::AccessToken { .. } => None,
        };
        Self {
            user_id: Some(actor.viewer.user_id),
            api_token_id,
            request_id: Some(actor.request_id.chars().take(64).collect()),
        }
    }
}

/// The kinds of object staff change, as records name them: the API's type names, so
/// that a record's object reads back as a global ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Organization,
    /// A user with the ADMIN or COLLECTOR role.
    StaffUser,
    /// A driver's account.
    Client,
    ApiToken,
    Lead,
    Contract,
    Invoice,
    Car,
    /// Money staff recorded into a driver's wallet.
    Recharge,
    Plan,
    ExpenseCategory,
    EmergencyContactGroup,
    EmergencyContact,
    SupportContact,
    ServiceContactChannel,
    Faq,
    TipCategory,
    Tip,
    Customer,
    SalesInvoice,
    Receipt,
    /// The organization's invoicing settings (its id is the organization's).
    InvoicingSettings,
    /// An account of the business book.
    Account,
    /// A category of the business book's transactions.
    Category,
    /// A tag of the business book.
    Tag,
    /// An income or an expense of the business book (a side of a transfer included).
    Transaction,
    /// Money moved between two accounts of the business book (a card payment included).
    Transfer,
    /// A credit card of the business book.
    CreditCard,
    /// A category's budget for one month in the business book.
    Budget,
    /// A URL the business book's changes are sent to.
    WebhookEndpoint,
    /// One event sent (or to be sent) to a webhook endpoint.
    WebhookDelivery,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 31] = [
        ObjectKind::Organization,
        ObjectKind::StaffUser,
        ObjectKind::Client,
        ObjectKind::ApiToken,
        ObjectKind::Lead,
        ObjectKind::Contract,
        ObjectKind::Invoice,
        ObjectKind::Car,
        ObjectKind::Recharge,
        ObjectKind::Plan,
        ObjectKind::ExpenseCategory,
        ObjectKind::EmergencyContactGroup,
        ObjectKind::EmergencyContact,
        ObjectKind::SupportContact,
        ObjectKind::ServiceContactChannel,
        ObjectKind::Faq,
        ObjectKind::TipCategory,
        ObjectKind::Tip,
        ObjectKind::Customer,
        ObjectKind::SalesInvoice,
        ObjectKind::Receipt,
        ObjectKind::InvoicingSettings,
        ObjectKind::Account,
        ObjectKind::Category,
        ObjectKind::Tag,
        ObjectKind::Transaction,
        ObjectKind::Transfer,
        ObjectKind::CreditCard,
        ObjectKind::Budget,
        ObjectKind::WebhookEndpoint,
        ObjectKind::WebhookDelivery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Organization => "Organization",
            ObjectKind::StaffUser => "StaffUser",
            ObjectKind::Client => "Client",
            ObjectKind::ApiToken => "ApiToken",
            ObjectKind::Lead => "Lead",
            ObjectKind::Contract => "Contract",
            ObjectKind::Invoice => "Invoice",
            ObjectKind::Car => "Car",
            ObjectKind::Recharge => "Recharge",
            ObjectKind::Plan => "Plan",
            ObjectKind::ExpenseCategory => "ExpenseCategory",
            ObjectKind::EmergencyContactGroup => "EmergencyContactGroup",
            ObjectKind::EmergencyContact => "EmergencyContact",
            ObjectKind::SupportContact => "SupportContact",
            ObjectKind::ServiceContactChannel => "ServiceContactChannel",
            ObjectKind::Faq => "Faq",
            ObjectKind::TipCategory => "TipCategory",
            ObjectKind::Tip => "Tip",
            ObjectKind::Customer => "Customer",
            ObjectKind::SalesInvoice => "SalesInvoice",
            ObjectKind::Receipt => "Receipt",
            ObjectKind::InvoicingSettings => "InvoicingSettings",
            ObjectKind::Account => "Account",
            ObjectKind::Category => "Category",
            ObjectKind::Tag => "Tag",
            ObjectKind::Transaction => "Transaction",
            ObjectKind::Transfer => "Transfer",
            ObjectKind::CreditCard => "CreditCard",
            ObjectKind::Budget => "Budget",
            ObjectKind::WebhookEndpoint => "WebhookEndpoint",
            ObjectKind::WebhookDelivery => "WebhookDelivery",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// One write to record: the object, the operation, and the object's audited fields
/// before (null for a creation) and after (null for a removal).
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ObjectKind,
    pub object_id: i64,
    pub operation: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Columns a snapshot leaves out: keys and bookkeeping every row has (a book's rows, the
/// book they never leave), and secrets.
const UNAUDITED: [&str; 7] = [
    "id",
    "organization_id",
    "book_id",
    "created_at",
    "updated_at",
    "password_hash",
    "token_hash",
];

/// A row's audited fields: its columns as JSON (named as stored), without [`UNAUDITED`].
pub fn snapshot<M: serde::Serialize>(row: &M) -> Value {
    let mut value = serde_json::to_value(row).unwrap_or(Value::Null);
    if let Some(fields) = value.as_object_mut() {
        for name in UNAUDITED {
            fields.remove(name);
        }
    }
    value
}

impl Change {
    /// A change of one row, recorded by its columns (see [`snapshot`]): `before` is
    /// `None` for a creation, `after` for a removal.
    pub fn of<M: serde::Serialize>(
        kind: ObjectKind,
        object_id: i64,
        operation: &'static str,
        before: Option<&M>,
        after: Option<&M>,
    ) -> Self {
        Self {
            kind,
            object_id,
            operation,
            before: before.map(snapshot),
            after: after.map(snapshot),
        }
    }
}

/// The part of `before` and `after` that differs, as `{"before": {...}, "after": {...}}`
/// with only the fields that changed (every field for a creation or a removal).
fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Value {
    let empty = Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut kept_old = Map::new();
    let mut kept_new = Map::new();
    for (name, value) in old {
        if new.get(name) != Some(value) {
            kept_old.insert(name.clone(), value.clone());
        }
    }
    for (name, value) in new {
        if old.get(name) != Some(value) {
            kept_new.insert(name.clone(), value.clone());
        }
    }
    let side = |present: bool, kept: Map<String, Value>| {
        if present {
            Value::Object(kept)
        } else {
            Value::Null
        }
    };
    serde_json::json!({
        "before": side(before.is_some(), kept_old),
        "after": side(after.is_some(), kept_new),
    })
}

/// Appends the record of `change` by `author` in `organization_id`; call it on the
/// transaction that makes the change, so that both commit or neither does.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    author: &Author,
    change: Change,
    now: DateTime<Utc>,
) -> DomainResult<audit_record::Model> {
    let changes = changed_fields(change.before.as_ref(), change.after.as_ref());
    Ok(audit_record::ActiveModel {
        organization_id: Set(organization_id.get()),
        user_id: Set(author.user_id.map(|id| id.get())),
        api_token_id: Set(author.api_token_id.map(|id| id.get())),
        occurred_at: Set(now),
        object_kind: Set(change.kind.as_str().to_string()),
        object_id: Set(change.object_id),
        operation: Set(change.operation.to_string()),
        changes: Set(changes.to_string()),
        request_id: Set(author.request_id.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// [`record`] of `change` by the actor of the request, in their organization.
pub async fn record_by<C: ConnectionTrait>(
    db: &C,
    actor: Actor<'_>,
    change: Change,
    now: DateTime<Utc>,
) -> DomainResult<audit_record::Model> {
    record(db, actor.viewer.organization_id, &actor.into(), change, now).await
}

/// Runs one staff write in a transaction of its own: `write` makes the change on the
/// transaction and says what it changed, the record of it is appended on the same
/// transaction, and both commit together. When `write` fails (a refused input, a missing
/// row), everything it wrote is rolled back and nothing is recorded.
pub async fn write<T, F>(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    now: DateTime<Utc>,
    write: F,
) -> DomainResult<T>
where
    F: AsyncFnOnce(&DatabaseTransaction) -> DomainResult<(T, Change)>,
{
    let txn = begin_write(db).await?;
    match write(&txn).await {
        Ok((value, change)) => {
            record_by(&txn, actor, change, now).await?;
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}

/// Which records an ADMIN asks for; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub object: Option<(ObjectKind, i64)>,
    pub user_id: Option<UserId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The records of the viewer's organization that match `filter`, in the order they were
/// written. ADMINs only: the trail shows every staff member's work.
pub fn records(
    viewer: &Viewer,
    filter: &AuditFilter,
) -> DomainResult<Listing<audit_record::Entity>> {
    visibility::require_admin(viewer)?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(DomainError::invalid(
            "filter.to",
            crate::UserErrorCode::OutOfRange,
            Text::ToBeforeFrom,
        ));
    }
    let mut query = audit_record::Entity::find()
        .filter(audit_record::Column::OrganizationId.eq(viewer.organization_id));
    if let Some((kind, id)) = filter.object {
        query = query
            .filter(audit_record::Column::ObjectKind.eq(kind.as_str()))
            .filter(audit_record::Column::ObjectId.eq(id));
    }
    if let Some(user_id) = filter.user_id {
        query = query.filter(audit_record::Column::UserId.eq(user_id));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_record::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_record::Column::OccurredAt.lt(to));
    }
    Ok(Listing::new(
        query,
        [(audit_record::Column::Id, Order::Asc)],
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_only_the_fields_that_changed() {
        let before = json!({"role": "COLLECTOR", "firstName": "Ana", "email": null});
        let after = json!({"role": "ADMIN", "firstName": "Ana", "email": "ana@example.com"});
        assert_eq!(
            changed_fields(Some(&before), Some(&after)),
            json!({
                "before": {"role": "COLLECTOR", "email": null},
                "after": {"role": "ADMIN", "email": "ana@example.com"},
            })
        );
    }

    #[test]
    fn a_creation_has_no_before_and_every_field_after() {
        let after = json!({"role": "ADMIN", "firstName": "Ana"});
        assert_eq!(
            changed_fields(None, Some(&after)),
            json!({"before": null, "after": {"role": "ADMIN", "firstName": "Ana"}})
        );
    }

    #[test]
    fn kinds_read_back_by_name() {
        for kind in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ObjectKind::parse("Nope"), None);
    }
}
