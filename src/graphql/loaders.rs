//! Per-request DataLoaders: every relation is loaded in one batched statement per level,
//! so the number of SQL statements depends on a query's depth, not on its row count.

use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    sync::{Arc, Mutex, OnceLock},
};

use async_graphql::dataloader::Loader;
use sea_orm::{DatabaseConnection, DbErr};

use super::{
    books::loaders::{
        AccountBalances, CardCycles, CardOutstanding, CardsByAccount, RecurringSeries,
        StatementRows, StatementTotals, TransactionTags, TransferSides,
    },
    business::loaders::InvoiceEmails,
    collections::loaders::Statements,
    contracts::loaders::{Children, InvoiceFractions, InvoicePages, InvoiceTally, OneByParent},
    fast::batch::{Batcher, Scheduler},
    wallet::loaders::{Counts, NewestFirst},
};
use crate::{
    db::Access,
    domain::{
        books::budgets::BudgetView,
        collections::statement::StatementKey,
        commons::{
            AccountId, BookId, ContractId, CreditCardId, Id, SalesInvoiceId, TransactionId,
            TransferId, UserId,
        },
        contracts::{InvoiceCountKey, InvoicePageKey},
        reads,
        wallet::history::PageKey,
    },
    entities::{
        api_token, book, book_account, book_budget, book_category, book_credit_card, book_series,
        book_tag, book_transaction, car, car_document, card, client_phone, client_profile,
        contract, customer, emergency_contact, emergency_contact_group, expense_category, faq,
        invoice, invoice_discount, invoice_type, lead, organization, payment, payment_allocation,
        plan, receipt, recharge, sales_invoice, sales_invoice_item, service_contact_channel,
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

impl<E: reads::ById> Loader<Id<E>> for ById<E>
where
    E::Model: Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[Id<E>]) -> Result<HashMap<Id<E>, Self::Value>, Self::Error> {
        reads::by_id::<E, _>(&self.db, keys).await.map_err(Arc::new)
    }
}

/// The SQL of a compiled subtree ([`crate::graphql::fast::compiled`]) and the row of `E`
/// it is read over: a key of [`Subtrees`].
pub type SubtreeKey<E> = (CompiledSql, Id<E>);

/// A compiled subtree's SQL as [`SubtreeSql`] keeps it, one per field of the document:
/// compared and hashed by that identity, not by its text, which is kilobytes long and
/// would be hashed at every step of a batch (perf: 5% of the server's CPU on a page of
/// 100 contracts' invoice subtrees).
#[derive(Clone)]
pub struct CompiledSql(Arc<str>);

impl CompiledSql {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for CompiledSql {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for CompiledSql {}

impl Hash for CompiledSql {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.0).cast::<u8>(), state);
    }
}

/// Loads the JSON text of compiled subtrees over rows of `E` ([`reads::texts_by_id`]):
/// one statement for a batch, each distinct SQL among its keys a column, read for every
/// row the batch names. A field's selection is the same for every parent of one level,
/// and a level's fields are asked of all its parents, so a level costs one statement
/// however many fields (aliases of one included) it compiles.
pub struct Subtrees<E> {
    db: DatabaseConnection,
    _entity: std::marker::PhantomData<E>,
}

impl<E> Subtrees<E> {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            _entity: std::marker::PhantomData,
        }
    }
}

impl<E: reads::ById> Loader<SubtreeKey<E>> for Subtrees<E>
where
    E::Model: Send + Sync,
{
    type Value = String;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[SubtreeKey<E>],
    ) -> Result<HashMap<SubtreeKey<E>, Self::Value>, Self::Error> {
        // Each distinct SQL and row once, in linear time: a level may hold thousands.
        let mut sqls: Vec<&CompiledSql> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut ids: Vec<Id<E>> = Vec::new();
        for (sql, _) in keys {
            if seen.insert(sql) {
                sqls.push(sql);
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (_, id) in keys {
            if seen.insert(*id) {
                ids.push(*id);
            }
        }
        let texts: Vec<&str> = sqls.iter().map(|sql| sql.as_str()).collect();
        let rows = reads::texts_by_id::<E, _>(&self.db, &texts, &ids)
            .await
            .map_err(Arc::new)?;
        let wanted: std::collections::HashSet<&SubtreeKey<E>> = keys.iter().collect();
        Ok(rows
            .into_iter()
            .flat_map(|(id, texts)| {
                sqls.iter()
                    .zip(texts)
                    .map(move |(sql, text)| (((*sql).clone(), id), text))
            })
            .filter(|(key, _)| wanted.contains(key))
            .collect())
    }
}

/// The SQL of each compiled subtree by the place of its field in the document: a field
/// under a list is resolved once per parent, and its selection (so its SQL, the
/// operation's variables being fixed) is the same for every parent, so it is compiled once.
#[derive(Default)]
pub struct SubtreeSql(Mutex<HashMap<async_graphql::Pos, Option<CompiledSql>>>);

impl SubtreeSql {
    /// The SQL of the field at `at`, compiled by `compile` the first time it is asked;
    /// `None` when it does not compile.
    pub fn get(
        &self,
        at: async_graphql::Pos,
        compile: impl FnOnce() -> Option<String>,
    ) -> Option<CompiledSql> {
        let mut known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        known
            .entry(at)
            .or_insert_with(|| compile().map(|sql| CompiledSql(Arc::from(sql))))
            .clone()
    }
}

/// The loaders of one operation (over WebSocket, of one connection), made when first
/// used for the kind of operation that uses them: a query's read through the read-only
/// pool, a mutation's or a subscription's through the read-write one, which sees what
/// the mutation just wrote. An operation is of one kind, so it makes one set.
pub struct OperationLoaders {
    read_write: DatabaseConnection,
    read_only: DatabaseConnection,
    scheduler: Arc<Scheduler>,
    reading: OnceLock<Loaders>,
    writing: OnceLock<Loaders>,
}

impl OperationLoaders {
    /// Over the two pools; `scheduler` releases the batches (see [`Loaders::new`]).
    pub fn new(
        read_write: &DatabaseConnection,
        read_only: &DatabaseConnection,
        scheduler: &Arc<Scheduler>,
    ) -> Self {
        Self {
            read_write: read_write.clone(),
            read_only: read_only.clone(),
            scheduler: scheduler.clone(),
            reading: OnceLock::new(),
            writing: OnceLock::new(),
        }
    }

    /// The loaders of an operation that has `access`.
    pub fn of(&self, access: Access) -> &Loaders {
        match access {
            Access::ReadOnly => self
                .reading
                .get_or_init(|| Loaders::new(&self.read_only, &self.scheduler)),
            Access::ReadWrite => self
                .writing
                .get_or_init(|| Loaders::new(&self.read_write, &self.scheduler)),
        }
    }
}

/// The loaders of one request; created fresh for each so that nothing is cached across
/// callers.
/// Values computed once per operation by key, however many resolvers ask for the same
/// key at once: for computations that are no batched statement (a month's budgets, which
/// each budget of that month on a page would otherwise compute again).
pub struct Memo<K, V>(Mutex<HashMap<K, Arc<tokio::sync::OnceCell<V>>>>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The value of `key`, computed by `init` by the first caller; the others wait for it.
    /// A failure is not kept: the next caller computes again.
    pub async fn get<E, F, Fut>(&self, key: K, init: F) -> Result<V, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let cell = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(key)
            .or_default()
            .clone();
        cell.get_or_try_init(init).await.cloned()
    }
}

pub struct Loaders {
    pub organizations: Batcher<Id<organization::Entity>, ById<organization::Entity>>,
    pub users: Batcher<Id<user::Entity>, ById<user::Entity>>,
    pub api_tokens: Batcher<Id<api_token::Entity>, ById<api_token::Entity>>,
    pub plans: Batcher<Id<plan::Entity>, ById<plan::Entity>>,
    pub invoice_types: Batcher<Id<invoice_type::Entity>, ById<invoice_type::Entity>>,
    pub contracts: Batcher<Id<contract::Entity>, ById<contract::Entity>>,
    pub invoices: Batcher<Id<invoice::Entity>, ById<invoice::Entity>>,
    pub leads: Batcher<Id<lead::Entity>, ById<lead::Entity>>,
    pub profiles: Batcher<Id<user::Entity>, OneByParent<client_profile::Entity>>,
    pub cars: Batcher<Id<contract::Entity>, OneByParent<car::Entity>>,
    pub cars_by_id: Batcher<Id<car::Entity>, ById<car::Entity>>,
    pub phones: Batcher<Id<user::Entity>, Children<client_phone::Entity>>,
    pub client_contracts: Batcher<Id<user::Entity>, Children<contract::Entity>>,
    /// Compiled subtrees read over drivers' rows (a driver's `contracts`, a wallet's
    /// histories).
    pub client_subtrees: Batcher<SubtreeKey<user::Entity>, Subtrees<user::Entity>>,
    /// Compiled subtrees read over contracts' rows (a contract's `car` and `invoices`).
    pub contract_subtrees: Batcher<SubtreeKey<contract::Entity>, Subtrees<contract::Entity>>,
    pub subtree_sql: SubtreeSql,
    pub car_documents: Batcher<Id<car::Entity>, Children<car_document::Entity>>,
    pub discounts: Batcher<Id<invoice::Entity>, Children<invoice_discount::Entity>>,
    pub invoice_discounts: Batcher<Id<invoice_discount::Entity>, ById<invoice_discount::Entity>>,
    pub invoice_fractions: Batcher<Id<invoice::Entity>, InvoiceFractions>,
    pub invoice_pages: Batcher<InvoicePageKey, InvoicePages>,
    pub invoice_counts: Batcher<InvoiceCountKey, InvoicePages>,
    pub invoice_tally: Batcher<ContractId, InvoiceTally>,
    pub payments: Batcher<Id<payment::Entity>, ById<payment::Entity>>,
    pub recharges: Batcher<Id<recharge::Entity>, ById<recharge::Entity>>,
    pub allocations: Batcher<Id<payment::Entity>, Children<payment_allocation::Entity>>,
    pub recharge_pages: Batcher<PageKey, NewestFirst<recharge::Entity>>,
    pub recharge_counts: Batcher<UserId, Counts<recharge::Entity>>,
    pub movement_pages: Batcher<PageKey, NewestFirst<wallet_movement::Entity>>,
    pub movement_counts: Batcher<UserId, Counts<wallet_movement::Entity>>,
    pub wallet_movements: Batcher<Id<wallet_movement::Entity>, ById<wallet_movement::Entity>>,
    pub cards: Batcher<Id<card::Entity>, ById<card::Entity>>,
    pub client_cards: Batcher<Id<user::Entity>, Children<card::Entity>>,
    pub expense_categories: Batcher<Id<expense_category::Entity>, ById<expense_category::Entity>>,
    pub emergency_groups:
        Batcher<Id<emergency_contact_group::Entity>, ById<emergency_contact_group::Entity>>,
    pub emergency_contacts: Batcher<Id<emergency_contact::Entity>, ById<emergency_contact::Entity>>,
    pub group_contacts:
        Batcher<Id<emergency_contact_group::Entity>, Children<emergency_contact::Entity>>,
    pub support_contacts: Batcher<Id<support_contact::Entity>, ById<support_contact::Entity>>,
    pub service_channels:
        Batcher<Id<service_contact_channel::Entity>, ById<service_contact_channel::Entity>>,
    pub faqs: Batcher<Id<faq::Entity>, ById<faq::Entity>>,
    pub tip_categories: Batcher<Id<tip_category::Entity>, ById<tip_category::Entity>>,
    pub tips: Batcher<Id<tip::Entity>, ById<tip::Entity>>,
    pub books: Batcher<Id<book::Entity>, ById<book::Entity>>,
    pub book_accounts: Batcher<Id<book_account::Entity>, ById<book_account::Entity>>,
    pub book_categories: Batcher<Id<book_category::Entity>, ById<book_category::Entity>>,
    pub book_tags: Batcher<Id<book_tag::Entity>, ById<book_tag::Entity>>,
    pub book_budgets: Batcher<Id<book_budget::Entity>, ById<book_budget::Entity>>,
    /// A book's budgets of a month with what the month reached, by (book, year, month).
    pub budget_months: Memo<(i64, i32, u32), Vec<BudgetView>>,
    pub book_transactions: Batcher<Id<book_transaction::Entity>, ById<book_transaction::Entity>>,
    pub transaction_tags: Batcher<TransactionId, TransactionTags>,
    pub recurring_series: Batcher<BookId, RecurringSeries>,
    pub book_series: Batcher<Id<book_series::Entity>, ById<book_series::Entity>>,
    pub transfers: Batcher<TransferId, TransferSides>,
    pub account_balances: Batcher<(AccountId, chrono::NaiveDate), AccountBalances>,
    pub credit_cards: Batcher<Id<book_credit_card::Entity>, ById<book_credit_card::Entity>>,
    pub cards_by_account: Batcher<AccountId, CardsByAccount>,
    pub card_cycles: Batcher<CreditCardId, CardCycles>,
    pub statement_totals: Batcher<(AccountId, chrono::NaiveDate), StatementTotals>,
    pub statement_rows: Batcher<(AccountId, i32), StatementRows>,
    pub card_outstanding: Batcher<(AccountId, chrono::NaiveDate), CardOutstanding>,
    pub customers: Batcher<Id<customer::Entity>, ById<customer::Entity>>,
    pub sales_invoices: Batcher<Id<sales_invoice::Entity>, ById<sales_invoice::Entity>>,
    pub invoice_items: Batcher<Id<sales_invoice::Entity>, Children<sales_invoice_item::Entity>>,
    pub invoice_emails: Batcher<SalesInvoiceId, InvoiceEmails>,
    pub receipts: Batcher<Id<receipt::Entity>, ById<receipt::Entity>>,
    pub statements: Batcher<StatementKey, Statements>,
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
            cars_by_id: Batcher::new(ById::new(db), s),
            phones: Batcher::new(Children::new(db), s),
            client_contracts: Batcher::new(Children::new(db), s),
            client_subtrees: Batcher::new(Subtrees::new(db), s),
            contract_subtrees: Batcher::new(Subtrees::new(db), s),
            subtree_sql: SubtreeSql::default(),
            car_documents: Batcher::new(Children::new(db), s),
            discounts: Batcher::new(Children::new(db), s),
            invoice_discounts: Batcher::new(ById::new(db), s),
            invoice_fractions: Batcher::new(InvoiceFractions::new(db), s),
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
            wallet_movements: Batcher::new(ById::new(db), s),
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
            book_budgets: Batcher::new(ById::new(db), s),
            budget_months: Memo::default(),
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
            statements: Batcher::new(Statements::new(db), s),
        }
    }
}
