//! Per-request DataLoaders: every relation is loaded in one batched statement per level,
//! so the number of SQL statements depends on a query's depth, not on its row count.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use super::{
    books::loaders::{
        AccountBalances, CardCycles, CardOutstanding, CardsByAccount, RecurringSeries,
        StatementRows, StatementTotals, TransactionTags, TransferSides,
    },
    business::loaders::InvoiceEmails,
    contracts::loaders::{Children, InvoicePages, InvoiceTally, OneByParent},
    fast::batch::{Batcher, Scheduler},
    wallet::loaders::{Counts, NewestFirst},
};
use crate::{
    domain::{
        contracts::{InvoiceCountKey, InvoicePageKey},
        reads,
        wallet::history::PageKey,
    },
    entities::{
        api_token, book, book_account, book_category, book_credit_card, book_series, book_tag,
        book_transaction, car, car_document, card, client_phone, client_profile, contract,
        customer, emergency_contact, emergency_contact_group, expense_category, faq, invoice,
        invoice_discount, invoice_type, lead, organization, payment, payment_allocation, plan,
        receipt, recharge, sales_invoice, sales_invoice_item, service_contact_channel,
        support_contact, tip, tip_category, user, wallet_movement,
    },
};

/// Loads rows of one table by primary key ([`reads::by_id`]).
pub struct ById<E> {
    db: DatabaseConnection,
    _entity: std::marker::PhantomData<E>,
}

impl<E> ById<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            _entity: std::marker::PhantomData,
        }
    }
}

impl<E: reads::ById> Loader<i64> for ById<E>
where
    E::Model: Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        reads::by_id::<E, _>(&self.db, keys).await.map_err(Arc::new)
    }
}

/// The loaders of one request; created fresh for each so that nothing is cached across
/// callers.
pub struct Loaders {
    pub organizations: Batcher<i64, ById<organization::Entity>>,
    pub users: Batcher<i64, ById<user::Entity>>,
    pub api_tokens: Batcher<i64, ById<api_token::Entity>>,
    pub plans: Batcher<i64, ById<plan::Entity>>,
    pub invoice_types: Batcher<i64, ById<invoice_type::Entity>>,
    pub contracts: Batcher<i64, ById<contract::Entity>>,
    pub invoices: Batcher<i64, ById<invoice::Entity>>,
    pub leads: Batcher<i64, ById<lead::Entity>>,
    pub profiles: Batcher<i64, OneByParent<client_profile::Entity>>,
    pub cars: Batcher<i64, OneByParent<car::Entity>>,
    pub phones: Batcher<i64, Children<client_phone::Entity>>,
    pub client_contracts: Batcher<i64, Children<contract::Entity>>,
    pub car_documents: Batcher<i64, Children<car_document::Entity>>,
    pub discounts: Batcher<i64, Children<invoice_discount::Entity>>,
    pub invoice_pages: Batcher<InvoicePageKey, InvoicePages>,
    pub invoice_counts: Batcher<InvoiceCountKey, InvoicePages>,
    pub invoice_tally: Batcher<i64, InvoiceTally>,
    pub payments: Batcher<i64, ById<payment::Entity>>,
    pub recharges: Batcher<i64, ById<recharge::Entity>>,
    pub allocations: Batcher<i64, Children<payment_allocation::Entity>>,
    pub recharge_pages: Batcher<PageKey, NewestFirst<recharge::Entity>>,
    pub recharge_counts: Batcher<i64, Counts<recharge::Entity>>,
    pub movement_pages: Batcher<PageKey, NewestFirst<wallet_movement::Entity>>,
    pub movement_counts: Batcher<i64, Counts<wallet_movement::Entity>>,
    pub cards: Batcher<i64, ById<card::Entity>>,
    pub client_cards: Batcher<i64, Children<card::Entity>>,
    pub expense_categories: Batcher<i64, ById<expense_category::Entity>>,
    pub emergency_groups: Batcher<i64, ById<emergency_contact_group::Entity>>,
    pub emergency_contacts: Batcher<i64, ById<emergency_contact::Entity>>,
    pub group_contacts: Batcher<i64, Children<emergency_contact::Entity>>,
    pub support_contacts: Batcher<i64, ById<support_contact::Entity>>,
    pub service_channels: Batcher<i64, ById<service_contact_channel::Entity>>,
    pub faqs: Batcher<i64, ById<faq::Entity>>,
    pub tip_categories: Batcher<i64, ById<tip_category::Entity>>,
    pub tips: Batcher<i64, ById<tip::Entity>>,
    pub books: Batcher<i64, ById<book::Entity>>,
    pub book_accounts: Batcher<i64, ById<book_account::Entity>>,
    pub book_categories: Batcher<i64, ById<book_category::Entity>>,
    pub book_tags: Batcher<i64, ById<book_tag::Entity>>,
    pub book_transactions: Batcher<i64, ById<book_transaction::Entity>>,
    pub transaction_tags: Batcher<i64, TransactionTags>,
    pub recurring_series: Batcher<i64, RecurringSeries>,
    pub book_series: Batcher<i64, ById<book_series::Entity>>,
    pub transfers: Batcher<i64, TransferSides>,
    pub account_balances: Batcher<(i64, chrono::NaiveDate), AccountBalances>,
    pub credit_cards: Batcher<i64, ById<book_credit_card::Entity>>,
    pub cards_by_account: Batcher<i64, CardsByAccount>,
    pub card_cycles: Batcher<i64, CardCycles>,
    pub statement_totals: Batcher<(i64, chrono::NaiveDate), StatementTotals>,
    pub statement_rows: Batcher<(i64, i32), StatementRows>,
    pub card_outstanding: Batcher<(i64, chrono::NaiveDate), CardOutstanding>,
    pub customers: Batcher<i64, ById<customer::Entity>>,
    pub sales_invoices: Batcher<i64, ById<sales_invoice::Entity>>,
    pub invoice_items: Batcher<i64, Children<sales_invoice_item::Entity>>,
    pub invoice_emails: Batcher<i64, InvoiceEmails>,
    pub receipts: Batcher<i64, ById<receipt::Entity>>,
}

impl Loaders {
    /// `scheduler` releases the batches; share one across the requests of an HTTP batch.
    pub fn new(db: &DatabaseConnection, scheduler: &Arc<Scheduler>) -> Self {
        let s = scheduler;
        Self {
            organizations: Batcher::new(ById::new(db), s),
            users: Batcher::new(ById::new(db), s),
            api_tokens: Batcher::new(ById::new(db), s),
            plans: Batcher::new(ById::new(db), s),
            invoice_types: Batcher::new(ById::new(db), s),
            contracts: Batcher::new(ById::new(db), s),
            invoices: Batcher::new(ById::new(db), s),
            leads: Batcher::new(ById::new(db), s),
            profiles: Batcher::new(OneByParent::new(db), s),
            cars: Batcher::new(OneByParent::new(db), s),
            phones: Batcher::new(Children::new(db), s),
            client_contracts: Batcher::new(Children::new(db), s),
            car_documents: Batcher::new(Children::new(db), s),
            discounts: Batcher::new(Children::new(db), s),
            invoice_pages: Batcher::new(InvoicePages::new(db), s),
            invoice_counts: Batcher::new(InvoicePages::new(db), s),
            invoice_tally: Batcher::new(InvoiceTally::new(db), s),
            payments: Batcher::new(ById::new(db), s),
            recharges: Batcher::new(ById::new(db), s),
            allocations: Batcher::new(Children::new(db), s),
            recharge_pages: Batcher::new(NewestFirst::new(db), s),
            recharge_counts: Batcher::new(Counts::new(db), s),
            movement_pages: Batcher::new(NewestFirst::new(db), s),
            movement_counts: Batcher::new(Counts::new(db), s),
            cards: Batcher::new(ById::new(db), s),
            client_cards: Batcher::new(Children::new(db), s),
            expense_categories: Batcher::new(ById::new(db), s),
            emergency_groups: Batcher::new(ById::new(db), s),
            emergency_contacts: Batcher::new(ById::new(db), s),
            group_contacts: Batcher::new(Children::new(db), s),
            support_contacts: Batcher::new(ById::new(db), s),
            service_channels: Batcher::new(ById::new(db), s),
            faqs: Batcher::new(ById::new(db), s),
            tip_categories: Batcher::new(ById::new(db), s),
            tips: Batcher::new(ById::new(db), s),
            books: Batcher::new(ById::new(db), s),
            book_accounts: Batcher::new(ById::new(db), s),
            book_categories: Batcher::new(ById::new(db), s),
            book_tags: Batcher::new(ById::new(db), s),
            book_transactions: Batcher::new(ById::new(db), s),
            transaction_tags: Batcher::new(TransactionTags::new(db), s),
            recurring_series: Batcher::new(RecurringSeries::new(db), s),
            book_series: Batcher::new(ById::new(db), s),
            transfers: Batcher::new(TransferSides::new(db), s),
            account_balances: Batcher::new(AccountBalances::new(db), s),
            credit_cards: Batcher::new(ById::new(db), s),
            cards_by_account: Batcher::new(CardsByAccount::new(db), s),
            card_cycles: Batcher::new(CardCycles::new(db), s),
            statement_totals: Batcher::new(StatementTotals::new(db), s),
            statement_rows: Batcher::new(StatementRows::new(db), s),
            card_outstanding: Batcher::new(CardOutstanding::new(db), s),
            customers: Batcher::new(ById::new(db), s),
            sales_invoices: Batcher::new(ById::new(db), s),
            invoice_items: Batcher::new(Children::new(db), s),
            invoice_emails: Batcher::new(InvoiceEmails::new(db), s),
            receipts: Batcher::new(ById::new(db), s),
        }
    }
}
