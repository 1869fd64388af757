//! Customers: who the organization bills. The national id is unique within the
//! organization; a customer with invoices cannot be deleted (IN_USE). A customer given
//! inline with an invoice whose national id the organization has is that customer,
//! unchanged: the other fields sent must match it ([`inline_customer`]).

use crate::commons::text::NotFound;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use super::{in_business, require_writer, text::Text};
use crate::commons::{CustomerId, OrganizationId};
use crate::reads::Listing;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{Actor, Change, ObjectKind},
    auth::Viewer,
    checks::{self, Problems},
    clients::leads::fold,
    commons::search,
    entities::{customer, sales_invoice},
};
use sea_orm::Order;

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_NATIONAL_ID_CHARS: usize = 20;
pub const MAX_ADDRESS_CHARS: usize = 300;
pub const MAX_SEARCH_CHARS: usize = 100;
/// A customer's fields as sent; `None` is "not sent" (on create: empty, but `name` and
/// `national_id` are required).
#[derive(Debug, Clone, Default)]
pub struct CustomerFields {
    pub name: Option<String>,
    pub national_id: Option<String>,
    pub address: Option<String>,
    /// "" clears it.
    pub email: Option<String>,
    /// "" clears it.
    pub phone: Option<String>,
}

impl CustomerFields {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.national_id.is_none()
            && self.address.is_none()
            && self.email.is_none()
            && self.phone.is_none()
    }
}

/// The checked values of the fields sent.
#[derive(Debug, Clone, Default)]
struct Checked {
    name: Option<String>,
    national_id: Option<String>,
    address: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// A national identity or tax number: letters, digits and dashes, 4 to 20 characters
/// ("8744677373", "20100047218", "X-1234567").
fn national_id(p: &mut Problems, value: &str) -> String {
    let value = value.trim().to_uppercase();
    if value.is_empty() {
        p.add(
            "nationalId",
            UserErrorCode::Required,
            checks::Text::Required,
        );
    } else if value.chars().count() > MAX_NATIONAL_ID_CHARS {
        p.add(
            "nationalId",
            UserErrorCode::TooLong,
            checks::Text::AtMostChars {
                max: MAX_NATIONAL_ID_CHARS.to_string(),
            },
        );
    } else if value.chars().count() < 4
        || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        p.add(
            "nationalId",
            UserErrorCode::InvalidFormat,
            Text::NationalIdFormat,
        );
    }
    value
}

fn check(fields: &CustomerFields, creating: bool) -> DomainResult<Checked> {
    let mut p = Problems::default();
    let name = match (&fields.name, creating) {
        (Some(v), _) => Some(checks::text(&mut p, "name", v, true, MAX_NAME_CHARS)),
        (None, true) => Some(checks::text(&mut p, "name", "", true, MAX_NAME_CHARS)),
        (None, false) => None,
    };
    let national = match (&fields.national_id, creating) {
        (Some(v), _) => Some(national_id(&mut p, v)),
        (None, true) => Some(national_id(&mut p, "")),
        (None, false) => None,
    };
    let address = fields
        .address
        .as_deref()
        .map(|v| checks::text(&mut p, "address", v, false, MAX_ADDRESS_CHARS));
    let email = fields.email.as_deref().map(|v| {
        if v.trim().is_empty() {
            String::new()
        } else {
            checks::email(&mut p, "email", v).to_lowercase()
        }
    });
    let phone = fields.phone.as_deref().map(|v| {
        if v.trim().is_empty() {
            String::new()
        } else {
            checks::phone(&mut p, "phone", v)
        }
    });
    p.finish()?;
    Ok(Checked {
        name,
        national_id: national,
        address,
        email,
        phone,
    })
}

/// What a customer search looks in: name, national id and email, folded (lower case,
/// no accents), as stored in `customers.search_text`.
pub fn search_text(name: &str, national_id: &str, email: &str) -> String {
    fold(&format!("{name} {national_id} {email}"))
}

async fn national_id_taken<C: ConnectionTrait>(
    db: &C,
    organization_id: i64,
    national_id: &str,
    except: Option<i64>,
) -> DomainResult<bool> {
    let mut query = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(customer::Column::OrganizationId.eq(organization_id))
        .filter(customer::Column::NationalId.eq(national_id));
    if let Some(id) = except {
        query = query.filter(customer::Column::Id.ne(id));
    }
    Ok(query.into_tuple::<i64>().one(db).await?.is_some())
}

/// One customer of the caller's organization; any other is "not found".
pub async fn own_customer<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    id: CustomerId,
) -> DomainResult<customer::Model> {
    customer::Entity::find_by_id(id.get())
        .filter(customer::Column::OrganizationId.eq(viewer.organization_id))
        .one(db)
        .await?
        .ok_or_else(|| DomainError::from(NotFound::Customer))
}

/// Creates a customer of the caller's organization (`createCustomer`).
pub async fn create_customer(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    fields: CustomerFields,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    in_business(db, actor, now, async |txn, _| {
        let row = insert_customer(txn, actor.viewer, fields, now).await?;
        let change = Change::of(
            ObjectKind::Customer,
            row.id,
            "createCustomer",
            None,
            Some(&row),
        );
        Ok((row, change))
    })
    .await
}

/// Changes the fields sent of a customer of the caller's organization
/// (`updateCustomer`).
pub async fn update_customer(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CustomerId,
    fields: CustomerFields,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    in_business(db, actor, now, async |txn, _| {
        let (before, after) = change_customer(txn, actor.viewer, id, fields, now).await?;
        let change = Change::of(
            ObjectKind::Customer,
            after.id,
            "updateCustomer",
            Some(&before),
            Some(&after),
        );
        Ok((after, change))
    })
    .await
}

/// Deletes a customer without invoices (`deleteCustomer`); one with invoices is IN_USE.
pub async fn delete_customer(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CustomerId,
    now: DateTime<Utc>,
) -> DomainResult<i64> {
    in_business(db, actor, now, async |txn, _| {
        let row = own_customer(txn, actor.viewer, id).await?;
        let invoices = sales_invoice::Entity::find()
            .filter(sales_invoice::Column::CustomerId.eq(row.id))
            .count(txn)
            .await?;
        if invoices > 0 {
            return Err(DomainError::invalid(
                "id",
                UserErrorCode::InUse,
                Text::CustomerHasInvoices {
                    count: invoices.to_string(),
                },
            ));
        }
        customer::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .map_err(checks::in_use)?;
        let change = Change::of(
            ObjectKind::Customer,
            row.id,
            "deleteCustomer",
            Some(&row),
            None,
        );
        Ok((row.id, change))
    })
    .await
}

/// Creates a customer of the caller's organization in `txn` (a customer of its own, or
/// one an invoice is made out to), recording nothing: the operation that calls it records
/// its change.
pub(super) async fn insert_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    fields: CustomerFields,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    require_writer(viewer)?;
    let checked = check(&fields, true)?;
    let national = checked.national_id.clone().unwrap_or_default();
    if national_id_taken(txn, viewer.organization_id.get(), &national, None).await? {
        return Err(DomainError::invalid(
            "nationalId",
            UserErrorCode::Duplicate,
            Text::DuplicateNationalId,
        ));
    }
    insert_checked(txn, viewer, checked, now).await
}

/// Inserts a customer whose fields were checked and whose national id is free; a
/// concurrent insert of the same national id is DUPLICATE.
async fn insert_checked(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    checked: Checked,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    let national = checked.national_id.unwrap_or_default();
    let name = checked.name.unwrap_or_default();
    let email = checked.email.unwrap_or_default();
    customer::ActiveModel {
        organization_id: Set(viewer.organization_id.get()),
        search_text: Set(search_text(&name, &national, &email)),
        name: Set(name),
        national_id: Set(national),
        address: Set(checked.address.unwrap_or_default()),
        email: Set(email),
        phone: Set(checked.phone.unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| checks::duplicate(e, "nationalId", Text::DuplicateNationalId))
}

/// Whether two texts say the same, ignoring letter case, accents and spacing.
fn same_text(a: &str, b: &str) -> bool {
    let words = |text: &str| fold(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    words(a) == words(b)
}

/// The customer an invoice gives inline (without its id), in `txn`: the caller's
/// organization's customer with that national id when there is one, else a new customer.
/// An existing customer is not changed: every other field sent that is not blank must
/// say what it holds (ignoring letter case, accents and spacing), or it is refused with
/// CUSTOMER_MISMATCH on that field, naming the stored value.
pub(super) async fn inline_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    fields: CustomerFields,
    now: DateTime<Utc>,
) -> DomainResult<customer::Model> {
    require_writer(viewer)?;
    let checked = check(&fields, true)?;
    let national = checked.national_id.clone().unwrap_or_default();
    let existing = customer::Entity::find()
        .filter(customer::Column::OrganizationId.eq(viewer.organization_id))
        .filter(customer::Column::NationalId.eq(national.as_str()))
        .one(txn)
        .await?;
    let Some(existing) = existing else {
        return insert_checked(txn, viewer, checked, now).await;
    };
    let sent = [
        ("name", checked.name, &existing.name),
        ("address", checked.address, &existing.address),
        ("email", checked.email, &existing.email),
        ("phone", checked.phone, &existing.phone),
    ];
    let mut p = Problems::default();
    for (field, value, stored) in sent {
        if let Some(value) = value.filter(|v| !v.is_empty())
            && !same_text(&value, stored)
        {
            let message = if stored.is_empty() {
                Text::CustomerMismatchNone {
                    national: national.clone(),
                    field: field.to_string(),
                }
            } else {
                Text::CustomerMismatch {
                    national: national.clone(),
                    field: field.to_string(),
                    stored: stored.clone(),
                }
            };
            p.add(field, UserErrorCode::CustomerMismatch, message);
        }
    }
    p.finish()?;
    Ok(existing)
}

/// Changes the fields sent of a customer of the caller's organization in `txn`; the
/// customer before and after.
pub(super) async fn change_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    id: CustomerId,
    fields: CustomerFields,
    now: DateTime<Utc>,
) -> DomainResult<(customer::Model, customer::Model)> {
    require_writer(viewer)?;
    let checked = check(&fields, false)?;
    let row = own_customer(txn, viewer, id).await?;
    if fields.is_empty() {
        return Ok((row.clone(), row));
    }
    if let Some(national) = &checked.national_id
        && national_id_taken(txn, viewer.organization_id.get(), national, Some(row.id)).await?
    {
        return Err(DomainError::invalid(
            "nationalId",
            UserErrorCode::Duplicate,
            Text::DuplicateNationalId,
        ));
    }
    let text = search_text(
        checked.name.as_deref().unwrap_or(&row.name),
        checked.national_id.as_deref().unwrap_or(&row.national_id),
        checked.email.as_deref().unwrap_or(&row.email),
    );
    let before = row.clone();
    let mut active = row.into_active_model();
    if let Some(v) = checked.name {
        active.name = Set(v);
    }
    if let Some(v) = checked.national_id {
        active.national_id = Set(v);
    }
    if let Some(v) = checked.address {
        active.address = Set(v);
    }
    if let Some(v) = checked.email {
        active.email = Set(v);
    }
    if let Some(v) = checked.phone {
        active.phone = Set(v);
    }
    active.search_text = Set(text);
    active.updated_at = Set(now);
    let after = active
        .update(txn)
        .await
        .map_err(|e| checks::duplicate(e, "nationalId", Text::DuplicateNationalId))?;
    Ok((before, after))
}

/// The organization's customers whose name, national id or email contains `search`
/// (case- and accent-insensitive), by name.
pub fn search(
    organization_id: OrganizationId,
    search: Option<&str>,
) -> DomainResult<Listing<customer::Entity>> {
    let text = search.map(|s| fold(s.trim())).filter(|s| !s.is_empty());
    let mut query =
        customer::Entity::find().filter(customer::Column::OrganizationId.eq(organization_id));
    if let Some(text) = text {
        if text.chars().count() > MAX_SEARCH_CHARS {
            return Err(DomainError::invalid(
                "search",
                UserErrorCode::TooLong,
                Text::CustomerSearchTooLong {
                    max: MAX_SEARCH_CHARS.to_string(),
                },
            ));
        }
        query = query.filter(search::contains(
            customer::Column::SearchText.into_expr(),
            &text,
        ));
    }
    Ok(Listing::new(
        query,
        [
            (customer::Column::Name, Order::Asc),
            (customer::Column::Id, Order::Asc),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: DomainResult<Checked>) -> Vec<(String, UserErrorCode)> {
        match result {
            Ok(_) => vec![],
            Err(DomainError::Invalid(e)) => {
                e.into_iter().map(|e| (e.field.join("."), e.code)).collect()
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn a_new_customer_needs_a_name_and_a_national_id() {
        let got = codes(check(&CustomerFields::default(), true));
        assert_eq!(
            got,
            vec![
                ("name".into(), UserErrorCode::Required),
                ("nationalId".into(), UserErrorCode::Required)
            ]
        );
        assert!(codes(check(&CustomerFields::default(), false)).is_empty());
        let fields = CustomerFields {
            name: Some(" Square Inc ".into()),
            national_id: Some(" 100003876464 ".into()),
            email: Some("Ventas@Square.com".into()),
            ..Default::default()
        };
        let ok = check(&fields, true).unwrap();
        assert_eq!(ok.name.as_deref(), Some("Square Inc"));
        assert_eq!(ok.national_id.as_deref(), Some("100003876464"));
        assert_eq!(ok.email.as_deref(), Some("ventas@square.com"));
    }

    #[test]
    fn each_field_is_checked() {
        let fields = CustomerFields {
            name: Some("x".repeat(MAX_NAME_CHARS + 1)),
            national_id: Some("12 34".into()),
            address: None,
            email: Some("nope".into()),
            phone: Some("12".into()),
        };
        assert_eq!(
            codes(check(&fields, false)),
            vec![
                ("name".into(), UserErrorCode::TooLong),
                ("nationalId".into(), UserErrorCode::InvalidFormat),
                ("email".into(), UserErrorCode::InvalidFormat),
                ("phone".into(), UserErrorCode::InvalidFormat),
            ]
        );
    }
}
