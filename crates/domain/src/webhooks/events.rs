//! The kinds of event an endpoint subscribes to: one per kind of object of the business
//! book's change log and operation (`TRANSACTION_CREATED`, ...), named in bodies as
//! Stripe names its events (`transaction.created`).

use sea_orm::ActiveEnum;

use crate::entities::book_change::{ChangeKind, ChangeOperation};

/// A kind of event: a kind of object of the business book and what happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    TransactionCreated,
    TransactionUpdated,
    TransactionDeleted,
    TransferCreated,
    TransferUpdated,
    TransferDeleted,
    AccountCreated,
    AccountUpdated,
    AccountDeleted,
    CreditCardCreated,
    CreditCardUpdated,
    CreditCardDeleted,
    CategoryCreated,
    CategoryUpdated,
    CategoryDeleted,
    TagCreated,
    TagUpdated,
    TagDeleted,
    BudgetCreated,
    BudgetUpdated,
    BudgetDeleted,
    CustomerCreated,
    CustomerUpdated,
    CustomerDeleted,
    SalesInvoiceCreated,
    SalesInvoiceUpdated,
    SalesInvoiceDeleted,
    ReceiptCreated,
    ReceiptUpdated,
    ReceiptDeleted,
}

/// Each kind of event with the object it is about and what happened to it: the one
/// place they are paired; every name below is made from them.
const EVENTS: [(EventKind, ChangeKind, ChangeOperation); 30] = [
    (
        EventKind::TransactionCreated,
        ChangeKind::Transaction,
        ChangeOperation::Created,
    ),
    (
        EventKind::TransactionUpdated,
        ChangeKind::Transaction,
        ChangeOperation::Updated,
    ),
    (
        EventKind::TransactionDeleted,
        ChangeKind::Transaction,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::TransferCreated,
        ChangeKind::Transfer,
        ChangeOperation::Created,
    ),
    (
        EventKind::TransferUpdated,
        ChangeKind::Transfer,
        ChangeOperation::Updated,
    ),
    (
        EventKind::TransferDeleted,
        ChangeKind::Transfer,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::AccountCreated,
        ChangeKind::Account,
        ChangeOperation::Created,
    ),
    (
        EventKind::AccountUpdated,
        ChangeKind::Account,
        ChangeOperation::Updated,
    ),
    (
        EventKind::AccountDeleted,
        ChangeKind::Account,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::CreditCardCreated,
        ChangeKind::CreditCard,
        ChangeOperation::Created,
    ),
    (
        EventKind::CreditCardUpdated,
        ChangeKind::CreditCard,
        ChangeOperation::Updated,
    ),
    (
        EventKind::CreditCardDeleted,
        ChangeKind::CreditCard,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::CategoryCreated,
        ChangeKind::Category,
        ChangeOperation::Created,
    ),
    (
        EventKind::CategoryUpdated,
        ChangeKind::Category,
        ChangeOperation::Updated,
    ),
    (
        EventKind::CategoryDeleted,
        ChangeKind::Category,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::TagCreated,
        ChangeKind::Tag,
        ChangeOperation::Created,
    ),
    (
        EventKind::TagUpdated,
        ChangeKind::Tag,
        ChangeOperation::Updated,
    ),
    (
        EventKind::TagDeleted,
        ChangeKind::Tag,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::BudgetCreated,
        ChangeKind::Budget,
        ChangeOperation::Created,
    ),
    (
        EventKind::BudgetUpdated,
        ChangeKind::Budget,
        ChangeOperation::Updated,
    ),
    (
        EventKind::BudgetDeleted,
        ChangeKind::Budget,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::CustomerCreated,
        ChangeKind::Customer,
        ChangeOperation::Created,
    ),
    (
        EventKind::CustomerUpdated,
        ChangeKind::Customer,
        ChangeOperation::Updated,
    ),
    (
        EventKind::CustomerDeleted,
        ChangeKind::Customer,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::SalesInvoiceCreated,
        ChangeKind::SalesInvoice,
        ChangeOperation::Created,
    ),
    (
        EventKind::SalesInvoiceUpdated,
        ChangeKind::SalesInvoice,
        ChangeOperation::Updated,
    ),
    (
        EventKind::SalesInvoiceDeleted,
        ChangeKind::SalesInvoice,
        ChangeOperation::Deleted,
    ),
    (
        EventKind::ReceiptCreated,
        ChangeKind::Receipt,
        ChangeOperation::Created,
    ),
    (
        EventKind::ReceiptUpdated,
        ChangeKind::Receipt,
        ChangeOperation::Updated,
    ),
    (
        EventKind::ReceiptDeleted,
        ChangeKind::Receipt,
        ChangeOperation::Deleted,
    ),
];

impl EventKind {
    /// Every kind, in the order endpoints store them.
    pub fn all() -> impl Iterator<Item = EventKind> {
        EVENTS.iter().map(|(kind, _, _)| *kind)
    }

    fn entry(self) -> (ChangeKind, ChangeOperation) {
        EVENTS
            .iter()
            .find(|(kind, _, _)| *kind == self)
            .map(|(_, object, operation)| (*object, *operation))
            .expect("every kind is in EVENTS")
    }

    /// The event of a change of the log; `None` for a kind no business book has (a
    /// driver's invoices and wallet movements).
    pub fn of(object: ChangeKind, operation: ChangeOperation) -> Option<Self> {
        EVENTS
            .iter()
            .find(|(_, o, op)| *o == object && *op == operation)
            .map(|(kind, _, _)| *kind)
    }

    /// The kind of object it is about.
    pub fn change_kind(self) -> ChangeKind {
        self.entry().0
    }

    /// What happened to the object.
    pub fn operation(self) -> ChangeOperation {
        self.entry().1
    }

    /// Its name as stored and as the API's enum says it: `TRANSACTION_CREATED`.
    pub fn name(self) -> String {
        let (object, operation) = self.entry();
        format!("{}_{}", object.to_value(), operation.to_value())
    }

    /// Its name in a delivery's body (`type`) and header: `transaction.created`.
    pub fn type_name(self) -> String {
        let (object, operation) = self.entry();
        format!("{}.{}", object.to_value(), operation.to_value()).to_lowercase()
    }

    /// The kind named `name` ([`EventKind::name`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::all().find(|kind| kind.name() == name)
    }
}

/// The change kind stored as `text` (a delivery's `object_kind`).
pub fn change_kind(text: &str) -> Option<ChangeKind> {
    use sea_orm::Iterable;
    ChangeKind::iter().find(|kind| kind.to_value() == text)
}

/// A set of event kinds as an endpoint stores it: names, comma-separated, in
/// [`EventKind::all`]'s order, each once.
pub fn store(kinds: &[EventKind]) -> String {
    let mut kinds = kinds.to_vec();
    kinds.sort();
    kinds.dedup();
    kinds
        .iter()
        .map(|kind| kind.name())
        .collect::<Vec<_>>()
        .join(",")
}

/// The kinds an endpoint stored ([`store`]); names it does not know are skipped.
pub fn stored(text: &str) -> Vec<EventKind> {
    text.split(',').filter_map(EventKind::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_paired_once() {
        let kinds: std::collections::HashSet<EventKind> = EventKind::all().collect();
        let names: std::collections::HashSet<String> =
            EventKind::all().map(EventKind::name).collect();
        assert_eq!((kinds.len(), names.len()), (EVENTS.len(), EVENTS.len()));
    }

    #[test]
    fn each_kind_reads_back_and_names_its_change() {
        for kind in EventKind::all() {
            assert_eq!(EventKind::parse(&kind.name()), Some(kind));
            assert_eq!(
                EventKind::of(kind.change_kind(), kind.operation()),
                Some(kind)
            );
        }
        assert_eq!(
            EventKind::TransactionCreated.type_name(),
            "transaction.created"
        );
        assert_eq!(
            EventKind::SalesInvoiceDeleted.name(),
            "SALES_INVOICE_DELETED"
        );
        assert_eq!(
            EventKind::of(ChangeKind::Invoice, ChangeOperation::Created),
            None
        );
        assert_eq!(change_kind("SALES_INVOICE"), Some(ChangeKind::SalesInvoice));
        assert_eq!(change_kind("NOPE"), None);
    }

    #[test]
    fn a_set_is_stored_once_each_in_order() {
        let text = store(&[
            EventKind::TagDeleted,
            EventKind::TransactionCreated,
            EventKind::TagDeleted,
        ]);
        assert_eq!(text, "TRANSACTION_CREATED,TAG_DELETED");
        assert_eq!(
            stored(&text),
            vec![EventKind::TransactionCreated, EventKind::TagDeleted]
        );
    }
}
