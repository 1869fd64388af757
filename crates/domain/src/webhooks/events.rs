//! The kinds of event an endpoint subscribes to: one per kind of object of the business
//! book's change log and operation (`TRANSACTION_CREATED`, ...), named in bodies as
//! Stripe names its events (`transaction.created`).

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

impl EventKind {
    pub const ALL: [EventKind; 30] = [
        EventKind::TransactionCreated,
        EventKind::TransactionUpdated,
        EventKind::TransactionDeleted,
        EventKind::TransferCreated,
        EventKind::TransferUpdated,
        EventKind::TransferDeleted,
        EventKind::AccountCreated,
        EventKind::AccountUpdated,
        EventKind::AccountDeleted,
        EventKind::CreditCardCreated,
        EventKind::CreditCardUpdated,
        EventKind::CreditCardDeleted,
        EventKind::CategoryCreated,
        EventKind::CategoryUpdated,
        EventKind::CategoryDeleted,
        EventKind::TagCreated,
        EventKind::TagUpdated,
        EventKind::TagDeleted,
        EventKind::BudgetCreated,
        EventKind::BudgetUpdated,
        EventKind::BudgetDeleted,
        EventKind::CustomerCreated,
        EventKind::CustomerUpdated,
        EventKind::CustomerDeleted,
        EventKind::SalesInvoiceCreated,
        EventKind::SalesInvoiceUpdated,
        EventKind::SalesInvoiceDeleted,
        EventKind::ReceiptCreated,
        EventKind::ReceiptUpdated,
        EventKind::ReceiptDeleted,
    ];

    /// The event of a change of the log; `None` for a kind no business book has (a
    /// driver's invoices and wallet movements).
    pub fn of(kind: ChangeKind, operation: ChangeOperation) -> Option<Self> {
        use ChangeKind as K;
        use ChangeOperation as O;
        Some(match (kind, operation) {
            (K::Transaction, O::Created) => EventKind::TransactionCreated,
            (K::Transaction, O::Updated) => EventKind::TransactionUpdated,
            (K::Transaction, O::Deleted) => EventKind::TransactionDeleted,
            (K::Transfer, O::Created) => EventKind::TransferCreated,
            (K::Transfer, O::Updated) => EventKind::TransferUpdated,
            (K::Transfer, O::Deleted) => EventKind::TransferDeleted,
            (K::Account, O::Created) => EventKind::AccountCreated,
            (K::Account, O::Updated) => EventKind::AccountUpdated,
            (K::Account, O::Deleted) => EventKind::AccountDeleted,
            (K::CreditCard, O::Created) => EventKind::CreditCardCreated,
            (K::CreditCard, O::Updated) => EventKind::CreditCardUpdated,
            (K::CreditCard, O::Deleted) => EventKind::CreditCardDeleted,
            (K::Category, O::Created) => EventKind::CategoryCreated,
            (K::Category, O::Updated) => EventKind::CategoryUpdated,
            (K::Category, O::Deleted) => EventKind::CategoryDeleted,
            (K::Tag, O::Created) => EventKind::TagCreated,
            (K::Tag, O::Updated) => EventKind::TagUpdated,
            (K::Tag, O::Deleted) => EventKind::TagDeleted,
            (K::Budget, O::Created) => EventKind::BudgetCreated,
            (K::Budget, O::Updated) => EventKind::BudgetUpdated,
            (K::Budget, O::Deleted) => EventKind::BudgetDeleted,
            (K::Customer, O::Created) => EventKind::CustomerCreated,
            (K::Customer, O::Updated) => EventKind::CustomerUpdated,
            (K::Customer, O::Deleted) => EventKind::CustomerDeleted,
            (K::SalesInvoice, O::Created) => EventKind::SalesInvoiceCreated,
            (K::SalesInvoice, O::Updated) => EventKind::SalesInvoiceUpdated,
            (K::SalesInvoice, O::Deleted) => EventKind::SalesInvoiceDeleted,
            (K::Receipt, O::Created) => EventKind::ReceiptCreated,
            (K::Receipt, O::Updated) => EventKind::ReceiptUpdated,
            (K::Receipt, O::Deleted) => EventKind::ReceiptDeleted,
            (K::Invoice | K::WalletMovement, _) => return None,
        })
    }

    /// The kind of object it is about.
    pub fn change_kind(self) -> ChangeKind {
        match self {
            EventKind::TransactionCreated
            | EventKind::TransactionUpdated
            | EventKind::TransactionDeleted => ChangeKind::Transaction,
            EventKind::TransferCreated
            | EventKind::TransferUpdated
            | EventKind::TransferDeleted => ChangeKind::Transfer,
            EventKind::AccountCreated | EventKind::AccountUpdated | EventKind::AccountDeleted => {
                ChangeKind::Account
            }
            EventKind::CreditCardCreated
            | EventKind::CreditCardUpdated
            | EventKind::CreditCardDeleted => ChangeKind::CreditCard,
            EventKind::CategoryCreated
            | EventKind::CategoryUpdated
            | EventKind::CategoryDeleted => ChangeKind::Category,
            EventKind::TagCreated | EventKind::TagUpdated | EventKind::TagDeleted => {
                ChangeKind::Tag
            }
            EventKind::BudgetCreated | EventKind::BudgetUpdated | EventKind::BudgetDeleted => {
                ChangeKind::Budget
            }
            EventKind::CustomerCreated
            | EventKind::CustomerUpdated
            | EventKind::CustomerDeleted => ChangeKind::Customer,
            EventKind::SalesInvoiceCreated
            | EventKind::SalesInvoiceUpdated
            | EventKind::SalesInvoiceDeleted => ChangeKind::SalesInvoice,
            EventKind::ReceiptCreated | EventKind::ReceiptUpdated | EventKind::ReceiptDeleted => {
                ChangeKind::Receipt
            }
        }
    }

    /// What happened to the object.
    pub fn operation(self) -> ChangeOperation {
        match self {
            EventKind::TransactionCreated
            | EventKind::TransferCreated
            | EventKind::AccountCreated
            | EventKind::CreditCardCreated
            | EventKind::CategoryCreated
            | EventKind::TagCreated
            | EventKind::BudgetCreated
            | EventKind::CustomerCreated
            | EventKind::SalesInvoiceCreated
            | EventKind::ReceiptCreated => ChangeOperation::Created,
            EventKind::TransactionUpdated
            | EventKind::TransferUpdated
            | EventKind::AccountUpdated
            | EventKind::CreditCardUpdated
            | EventKind::CategoryUpdated
            | EventKind::TagUpdated
            | EventKind::BudgetUpdated
            | EventKind::CustomerUpdated
            | EventKind::SalesInvoiceUpdated
            | EventKind::ReceiptUpdated => ChangeOperation::Updated,
            EventKind::TransactionDeleted
            | EventKind::TransferDeleted
            | EventKind::AccountDeleted
            | EventKind::CreditCardDeleted
            | EventKind::CategoryDeleted
            | EventKind::TagDeleted
            | EventKind::BudgetDeleted
            | EventKind::CustomerDeleted
            | EventKind::SalesInvoiceDeleted
            | EventKind::ReceiptDeleted => ChangeOperation::Deleted,
        }
    }

    /// Its name as stored and as the API's enum says it: `TRANSACTION_CREATED`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::TransactionCreated => "TRANSACTION_CREATED",
            EventKind::TransactionUpdated => "TRANSACTION_UPDATED",
            EventKind::TransactionDeleted => "TRANSACTION_DELETED",
            EventKind::TransferCreated => "TRANSFER_CREATED",
            EventKind::TransferUpdated => "TRANSFER_UPDATED",
            EventKind::TransferDeleted => "TRANSFER_DELETED",
            EventKind::AccountCreated => "ACCOUNT_CREATED",
            EventKind::AccountUpdated => "ACCOUNT_UPDATED",
            EventKind::AccountDeleted => "ACCOUNT_DELETED",
            EventKind::CreditCardCreated => "CREDIT_CARD_CREATED",
            EventKind::CreditCardUpdated => "CREDIT_CARD_UPDATED",
            EventKind::CreditCardDeleted => "CREDIT_CARD_DELETED",
            EventKind::CategoryCreated => "CATEGORY_CREATED",
            EventKind::CategoryUpdated => "CATEGORY_UPDATED",
            EventKind::CategoryDeleted => "CATEGORY_DELETED",
            EventKind::TagCreated => "TAG_CREATED",
            EventKind::TagUpdated => "TAG_UPDATED",
            EventKind::TagDeleted => "TAG_DELETED",
            EventKind::BudgetCreated => "BUDGET_CREATED",
            EventKind::BudgetUpdated => "BUDGET_UPDATED",
            EventKind::BudgetDeleted => "BUDGET_DELETED",
            EventKind::CustomerCreated => "CUSTOMER_CREATED",
            EventKind::CustomerUpdated => "CUSTOMER_UPDATED",
            EventKind::CustomerDeleted => "CUSTOMER_DELETED",
            EventKind::SalesInvoiceCreated => "SALES_INVOICE_CREATED",
            EventKind::SalesInvoiceUpdated => "SALES_INVOICE_UPDATED",
            EventKind::SalesInvoiceDeleted => "SALES_INVOICE_DELETED",
            EventKind::ReceiptCreated => "RECEIPT_CREATED",
            EventKind::ReceiptUpdated => "RECEIPT_UPDATED",
            EventKind::ReceiptDeleted => "RECEIPT_DELETED",
        }
    }

    /// Its name in a delivery's body (`type`) and header: `transaction.created`.
    pub fn type_name(self) -> &'static str {
        match self {
            EventKind::TransactionCreated => "transaction.created",
            EventKind::TransactionUpdated => "transaction.updated",
            EventKind::TransactionDeleted => "transaction.deleted",
            EventKind::TransferCreated => "transfer.created",
            EventKind::TransferUpdated => "transfer.updated",
            EventKind::TransferDeleted => "transfer.deleted",
            EventKind::AccountCreated => "account.created",
            EventKind::AccountUpdated => "account.updated",
            EventKind::AccountDeleted => "account.deleted",
            EventKind::CreditCardCreated => "credit_card.created",
            EventKind::CreditCardUpdated => "credit_card.updated",
            EventKind::CreditCardDeleted => "credit_card.deleted",
            EventKind::CategoryCreated => "category.created",
            EventKind::CategoryUpdated => "category.updated",
            EventKind::CategoryDeleted => "category.deleted",
            EventKind::TagCreated => "tag.created",
            EventKind::TagUpdated => "tag.updated",
            EventKind::TagDeleted => "tag.deleted",
            EventKind::BudgetCreated => "budget.created",
            EventKind::BudgetUpdated => "budget.updated",
            EventKind::BudgetDeleted => "budget.deleted",
            EventKind::CustomerCreated => "customer.created",
            EventKind::CustomerUpdated => "customer.updated",
            EventKind::CustomerDeleted => "customer.deleted",
            EventKind::SalesInvoiceCreated => "sales_invoice.created",
            EventKind::SalesInvoiceUpdated => "sales_invoice.updated",
            EventKind::SalesInvoiceDeleted => "sales_invoice.deleted",
            EventKind::ReceiptCreated => "receipt.created",
            EventKind::ReceiptUpdated => "receipt.updated",
            EventKind::ReceiptDeleted => "receipt.deleted",
        }
    }

    /// The kind named `name` ([`EventKind::name`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// The change kind stored as `text` (a delivery's `object_kind`).
pub fn change_kind(text: &str) -> Option<ChangeKind> {
    use sea_orm::{ActiveEnum, Iterable};
    ChangeKind::iter().find(|kind| kind.to_value() == text)
}

/// A set of event kinds as an endpoint stores it: names, comma-separated, in
/// [`EventKind::ALL`]'s order, each once.
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
    fn each_kind_reads_back_and_names_its_change() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.name()), Some(kind));
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
