//! Typed IDs: the id of a row of one table, which the compiler refuses where another
//! table's id is expected. A domain function takes `InvoiceId`, not `i64`, so that a
//! contract's id cannot be passed as an invoice's by mistake; the rows themselves keep
//! SeaORM's `i64` columns, and `Id::of` reads a row's id when it is needed as a key.

use std::{fmt, hash::Hash, marker::PhantomData};

use crate::entities::{
    api_token, book, book_account, book_category, book_credit_card, book_tag, book_transaction,
    book_transfer, car, card, contract, customer, emergency_contact, emergency_contact_group,
    expense_category, faq, invoice, invoice_discount, lead, organization, payment, plan, receipt,
    recharge, sales_invoice, service_contact_channel, support_contact, tip, tip_category, user,
    webhook_delivery, webhook_endpoint,
};

/// The id of a row of table `T` (its SeaORM entity).
pub struct Id<T> {
    raw: i64,
    _table: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// The id `raw` of a row of `T`, as read from a column or decoded from an API's ID.
    pub const fn new(raw: i64) -> Self {
        Self {
            raw,
            _table: PhantomData,
        }
    }

    /// The number stored in the table's `id` column (and in its foreign keys).
    pub const fn get(self) -> i64 {
        self.raw
    }
}

// By hand: a derive would ask `T` for each trait, and entities are not all `Ord`.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.raw.cmp(&other.raw)
    }
}
impl<T> Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.raw)
    }
}
impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.raw.fmt(f)
    }
}

/// So that `Column::Id.eq(id)` and `is_in(ids)` take a typed id as they take an `i64`.
impl<T> From<Id<T>> for sea_orm::Value {
    fn from(id: Id<T>) -> Self {
        id.raw.into()
    }
}

/// So that a batch of typed ids binds as numbers (`reads::one_of`).
impl<T> From<Id<T>> for i64 {
    fn from(id: Id<T>) -> Self {
        id.raw
    }
}

/// Stored as its number (a receipt kept for an idempotent replay holds ids).
impl<T> serde::Serialize for Id<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
impl<'de, T> serde::Deserialize<'de> for Id<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        i64::deserialize(deserializer).map(Id::new)
    }
}

pub type OrganizationId = Id<organization::Entity>;
/// A user of any role: a driver (CLIENT) or staff (ADMIN, COLLECTOR).
pub type UserId = Id<user::Entity>;
pub type ApiTokenId = Id<api_token::Entity>;
pub type ContractId = Id<contract::Entity>;
pub type CarId = Id<car::Entity>;
pub type InvoiceId = Id<invoice::Entity>;
pub type InvoiceDiscountId = Id<invoice_discount::Entity>;
pub type PaymentId = Id<payment::Entity>;
pub type RechargeId = Id<recharge::Entity>;
pub type CardId = Id<card::Entity>;
pub type LeadId = Id<lead::Entity>;
pub type PlanId = Id<plan::Entity>;
pub type ExpenseCategoryId = Id<expense_category::Entity>;
pub type EmergencyGroupId = Id<emergency_contact_group::Entity>;
pub type EmergencyContactId = Id<emergency_contact::Entity>;
pub type SupportContactId = Id<support_contact::Entity>;
pub type ServiceChannelId = Id<service_contact_channel::Entity>;
pub type FaqId = Id<faq::Entity>;
pub type TipCategoryId = Id<tip_category::Entity>;
pub type TipId = Id<tip::Entity>;
pub type BookId = Id<book::Entity>;
pub type AccountId = Id<book_account::Entity>;
pub type CategoryId = Id<book_category::Entity>;
pub type TagId = Id<book_tag::Entity>;
pub type TransactionId = Id<book_transaction::Entity>;
pub type TransferId = Id<book_transfer::Entity>;
pub type CreditCardId = Id<book_credit_card::Entity>;
pub type CustomerId = Id<customer::Entity>;
pub type SalesInvoiceId = Id<sales_invoice::Entity>;
pub type ReceiptId = Id<receipt::Entity>;
pub type WebhookEndpointId = Id<webhook_endpoint::Entity>;
pub type WebhookDeliveryId = Id<webhook_delivery::Entity>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_in_sql_and_in_text() {
        let id = InvoiceId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!(sea_orm::Value::from(id), sea_orm::Value::from(42i64));
        assert!(InvoiceId::new(1) < InvoiceId::new(2));
    }
}
