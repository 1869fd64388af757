//! The benchmark dataset (issue 9): an organization with many drivers, each with two
//! contracts, a car per contract and a year of weekly invoices per contract, and its
//! business book's customers and sales invoices, loaded with
//! batched multi-row inserts so that 100,000 invoices take seconds.
//!
//! The rows are a function of the size and of today's date only (dates are relative to
//! today, hashes are derived from row numbers), so two runs on the same day load the same
//! data. Never loaded in production.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use super::SeedError;
use crate::{
    auth::password::HashLimit,
    config::Config,
    domain::{
        books::books::fill_new_book,
        business::{
            amounts::{self, TaxRule},
            customers, invoices,
        },
        commons::{Calendar, Money},
        identity::hash_password,
    },
    entities::{
        book, book_account, book_category, book_category::CategoryKind, book_tag, book_transaction,
        book_transaction::TransactionKind, book_transaction_tag, car, client_profile, contract,
        customer, invoice, invoice::InvoiceStatus, invoice_discount, invoice_type, organization,
        plan, recharge, sales_invoice, sales_invoice_item, user, user::Role, wallet_movement,
    },
};

pub const BENCH_ORGANIZATION_SLUG: &str = "leasy-bench";
/// The staff member who lists the drivers (ADMIN).
pub const BENCH_STAFF_DOCUMENT: &str = "90000001";
/// Every bench user's password (one hash shared by all: hashing 1,000 passwords would
/// take longer than loading the rest).
pub const BENCH_PASSWORD: &str = "bench1234";
/// The default number of drivers.
pub const DEFAULT_BENCH_CLIENTS: usize = 1_000;
/// More would only measure the loader, not a realistic organization.
pub const MAX_BENCH_CLIENTS: usize = 100_000;
pub const CONTRACTS_PER_CLIENT: usize = 2;
pub const INVOICES_PER_CONTRACT: usize = 52;
/// Transactions of the ledger driver's book (driver 1), one a day back from today.
pub const LEDGER_TRANSACTIONS: usize = 150;
/// Every this-th invoice (by id) has a punctuality discount.
pub const DISCOUNT_EVERY: i64 = 4;
/// The business book's customers and sales invoices (one to three items each, 18 % tax,
/// dated over the last year, unpaid: due in 15 days, or by their date when every
/// seventh has no due date).
pub const BENCH_CUSTOMERS: usize = 200;
pub const BENCH_SALES_INVOICES: usize = 2_000;
/// The newest weekly invoices of each contract are still to pay; older ones are paid.
const PENDING_WEEKS: usize = 3;
/// Rows per INSERT: well under both databases' bound-parameter limits (SQLite 32,766,
/// PostgreSQL 65,535) with a dozen columns.
const CHUNK: usize = 1_000;

/// The document of the `n`th bench driver (0-based). Driver 0 has a book with this
/// month's incomes and expenses: the dashboard operation logs in as them. Driver 1 has
/// a book of [`LEDGER_TRANSACTIONS`] days of transactions in two accounts, with tags: the
/// book page operation reads it.
pub fn driver_document(n: usize) -> String {
    format!("8{n:07}")
}

/// What `seed --bench` loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchReport {
    pub clients: usize,
    pub contracts: usize,
    pub invoices: usize,
}

/// The credentials the bench logs in with, for `seed --bench` to print.
pub fn bench_credentials() -> String {
    format!(
        "  organization {BENCH_ORGANIZATION_SLUG}\n  ADMIN     document {BENCH_STAFF_DOCUMENT:<12} password {BENCH_PASSWORD}\n  CLIENT    document {:<12} password {BENCH_PASSWORD} (the dashboard driver; drivers 8xxxxxxx share the password)",
        driver_document(0)
    )
}

/// Loads a bench organization (`seed --bench` uses [`BENCH_ORGANIZATION_SLUG`]) with
/// `clients` drivers in one transaction. Refused in production, for a size of 0 or above
/// [`MAX_BENCH_CLIENTS`], and when an organization with that slug already exists (other
/// data in the database is left alone).
pub async fn seed_bench(
    db: &DatabaseConnection,
    config: &Config,
    slug: &str,
    clients: usize,
) -> Result<BenchReport, SeedError> {
    if config.is_production() {
        return Err(SeedError::Production);
    }
    if clients == 0 || clients > MAX_BENCH_CLIENTS {
        return Err(SeedError::Refused(format!(
            "the bench size must be between 1 and {MAX_BENCH_CLIENTS} clients, got {clients}"
        )));
    }
    let exists = organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Err(SeedError::Refused(format!(
            "the organization {slug} already exists; use a new database"
        )));
    }
    let limit = HashLimit::new(config.limits.max_password_hashes);
    let password_hash = hash_password(&limit, BENCH_PASSWORD).await?;
    let now = config.clock.now();
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let txn = db.begin().await?;
    let org = organization::ActiveModel {
        name: Set(format!("Leasy Bench ({clients} drivers)")),
        slug: Set(slug.into()),
        timezone: Set("America/Lima".into()),
        currency: Set("PEN".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ids = Ids::load(&txn, org.id).await?;
    let staff = new_user(
        org.id,
        Role::Admin,
        BENCH_STAFF_DOCUMENT.into(),
        &password_hash,
        ("Bruno", "Benchmark"),
        now,
    )
    .insert(&txn)
    .await?;
    let drivers = insert_drivers(&txn, org.id, clients, &password_hash, &ids, now).await?;
    insert_opening_recharges(&txn, org.id, staff.id, &drivers, now).await?;
    let contracts = insert_contracts(&txn, org.id, &drivers, now).await?;
    let invoices = insert_invoices(&txn, &contracts, ids.weekly_type, today, now).await?;
    if let Some(&first) = drivers.first() {
        seed_dashboard_book(&txn, org.id, first, today, now).await?;
    }
    if let Some(&second) = drivers.get(1) {
        seed_ledger_book(&txn, org.id, second, today, now).await?;
    }
    insert_discounts(&txn, org.id, now).await?;
    insert_sales_invoices(&txn, org.id, staff.id, today, now).await?;
    txn.commit().await?;
    Ok(BenchReport {
        clients,
        contracts: contracts.len(),
        invoices,
    })
}

/// The organization's plans and invoice type.
struct Ids {
    plans: Vec<i64>,
    weekly_type: i64,
}

impl Ids {
    async fn load(txn: &DatabaseTransaction, organization_id: i64) -> Result<Self, SeedError> {
        let mut plans = Vec::new();
        for (name, code, bp) in [("Azul", "azul", 0), ("Oro", "oro", 500)] {
            let row = plan::ActiveModel {
                organization_id: Set(organization_id),
                name: Set(name.into()),
                code: Set(code.into()),
                discount_basis_points: Set(bp),
                description: Set(String::new()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            plans.push(row.id);
        }
        let weekly = invoice_type::ActiveModel {
            organization_id: Set(organization_id),
            name: Set("Cuota semanal".into()),
            code: Set("weekly".into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(Self {
            plans,
            weekly_type: weekly.id,
        })
    }
}

fn new_user(
    organization_id: i64,
    role: Role,
    document: String,
    password_hash: &str,
    (first_name, last_name): (&str, &str),
    now: DateTime<Utc>,
) -> user::ActiveModel {
    user::ActiveModel {
        organization_id: Set(organization_id),
        role: Set(role),
        document: Set(document),
        password_hash: Set(password_hash.to_owned()),
        first_name: Set(first_name.to_owned()),
        last_name: Set(last_name.to_owned()),
        email: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

const FIRST_NAMES: [&str; 8] = [
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gina", "Hugo",
];
const LAST_NAMES: [&str; 10] = [
    "Quispe", "Flores", "Sánchez", "Rojas", "Díaz", "Torres", "Vargas", "Castillo", "Ramos",
    "Mendoza",
];

/// Inserts the drivers and their profiles; returns their ids, driver 0 first.
async fn insert_drivers(
    txn: &DatabaseTransaction,
    organization_id: i64,
    clients: usize,
    password_hash: &str,
    ids: &Ids,
    now: DateTime<Utc>,
) -> Result<Vec<i64>, SeedError> {
    let users: Vec<user::ActiveModel> = (0..clients)
        .map(|n| {
            new_user(
                organization_id,
                Role::Client,
                driver_document(n),
                password_hash,
                (
                    FIRST_NAMES[n % FIRST_NAMES.len()],
                    LAST_NAMES[(n / FIRST_NAMES.len()) % LAST_NAMES.len()],
                ),
                now,
            )
        })
        .collect();
    insert_chunked(txn, users).await?;
    let by_document: HashMap<String, i64> = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(organization_id))
        .filter(user::Column::Role.eq(Role::Client))
        .all(txn)
        .await?
        .into_iter()
        .map(|u| (u.document, u.id))
        .collect();
    let drivers = (0..clients)
        .map(|n| {
            by_document
                .get(&driver_document(n))
                .copied()
                .ok_or_else(|| SeedError::Refused(format!("bench driver {n} was not inserted")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let profiles = drivers
        .iter()
        .enumerate()
        .map(|(n, &id)| client_profile::ActiveModel {
            user_id: Set(id),
            address: Set(format!("Av. Benchmark {}", n + 1)),
            phone_number: Set(format!("9{n:08}")),
            plan_id: Set(Some(ids.plans[n % ids.plans.len()])),
            coins_minor: Set(bench_coins_minor(n)),
            firebase_token: Set(None),
        });
    insert_chunked(txn, profiles.collect()).await?;
    Ok(drivers)
}

/// Driver `n`'s coins: 0.00 to 499.00, spread over the drivers.
fn bench_coins_minor(n: usize) -> i64 {
    ((n * 137) % 500) as i64 * 100
}

/// How many recharges brought each driver's coins in: enough for a page of a wallet's
/// history (`benches/queries/wallets.graphql`) to have rows.
const OPENING_RECHARGES: i64 = 6;

/// The amounts of the recharges that brought in `coins` (in minor units): equal parts,
/// the first also taking what is left over; they add up to `coins` exactly.
fn opening_parts(coins: i64) -> Vec<i64> {
    let part = coins / OPENING_RECHARGES;
    let mut parts = vec![part; OPENING_RECHARGES as usize];
    parts[0] += coins - part * OPENING_RECHARGES;
    parts.retain(|p| *p > 0);
    parts
}

/// Each driver's coins came in as cash recharges recorded by the bench's staff member,
/// each with its wallet movement, as every credit does: a wallet's balance is the sum of
/// its movements, in the bench as anywhere.
async fn insert_opening_recharges(
    txn: &DatabaseTransaction,
    organization_id: i64,
    staff_id: i64,
    drivers: &[i64],
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    // (driver's number, driver, part's number, amount)
    let credited: Vec<(usize, i64, usize, i64)> = drivers
        .iter()
        .enumerate()
        .flat_map(|(n, &id)| {
            opening_parts(bench_coins_minor(n))
                .into_iter()
                .enumerate()
                .map(move |(part, amount)| (n, id, part, amount))
        })
        .collect();
    let key = |n: usize, part: usize| format!("bench-opening-{organization_id}-{n}-{part}");
    let recharges = credited
        .iter()
        .map(|&(n, driver, part, amount)| recharge::ActiveModel {
            organization_id: Set(organization_id),
            client_id: Set(driver),
            amount_minor: Set(amount),
            method: Set("Efectivo".into()),
            observation: Set("Saldo inicial".into()),
            kind: Set("CASH_IN".into()),
            recorded_by: Set(Some(staff_id)),
            idempotency_key: Set(Some(key(n, part))),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    insert_chunked(txn, recharges).await?;
    let by_key: HashMap<String, i64> = recharge::Entity::find()
        .filter(recharge::Column::OrganizationId.eq(organization_id))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|r| r.idempotency_key.map(|k| (k, r.id)))
        .collect();
    let mut balances: HashMap<i64, i64> = HashMap::new();
    let movements = credited
        .iter()
        .map(|&(n, driver, part, amount)| {
            let recharge_id = by_key.get(&key(n, part)).copied().ok_or_else(|| {
                SeedError::Refused(format!("bench recharge {n}-{part} was not inserted"))
            })?;
            let balance = balances.entry(driver).or_default();
            *balance += amount;
            Ok(wallet_movement::ActiveModel {
                organization_id: Set(organization_id),
                client_id: Set(driver),
                amount_minor: Set(amount),
                balance_after_minor: Set(*balance),
                recharge_id: Set(Some(recharge_id)),
                payment_id: Set(None),
                created_at: Set(now),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>, SeedError>>()?;
    insert_chunked(txn, movements).await
}

/// The hash of a bench row: a UUID derived from its organization, kind and number, the
/// same every run (hashes are unique across organizations, and two bench organizations
/// may share a database).
fn bench_hash(organization_id: i64, kind: u16, n: u64) -> String {
    let organization = u128::from(organization_id as u64 & 0xffff_ffff);
    Uuid::from_u128(
        (0xbe4c_u128 << 112) | (organization << 80) | (u128::from(kind) << 64) | u128::from(n),
    )
    .to_string()
}

/// Inserts two contracts and their cars per driver; returns the contracts, in driver order.
async fn insert_contracts(
    txn: &DatabaseTransaction,
    organization_id: i64,
    drivers: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<contract::Model>, SeedError> {
    let numbered = drivers.iter().enumerate().flat_map(|(n, &driver)| {
        (0..CONTRACTS_PER_CLIENT).map(move |k| (n * CONTRACTS_PER_CLIENT + k, driver))
    });
    let rows = numbered
        .clone()
        .map(|(i, driver)| contract::ActiveModel {
            organization_id: Set(organization_id),
            client_id: Set(driver),
            hash: Set(bench_hash(organization_id, 1, i as u64)),
            status: Set("contract_active".into()),
            // S/ 400.00 to S/ 600.00 a week.
            weekly_amount_minor: Set(40_000 + (i % 5) as i64 * 5_000),
            auto_charge: Set(false),
            processor_public_key: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    insert_chunked(txn, rows).await?;
    let mut by_hash: HashMap<String, contract::Model> = contract::Entity::find()
        .filter(contract::Column::OrganizationId.eq(organization_id))
        .order_by_asc(contract::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.hash.clone(), c))
        .collect();
    let contracts = numbered
        .map(|(i, _)| {
            by_hash
                .remove(&bench_hash(organization_id, 1, i as u64))
                .ok_or_else(|| SeedError::Refused(format!("bench contract {i} was not inserted")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    const MODELS: [(&str, &str); 4] = [
        ("Kia", "Rio"),
        ("Hyundai", "Accent"),
        ("Toyota", "Yaris"),
        ("Chevrolet", "Sail"),
    ];
    let cars = contracts.iter().enumerate().map(|(i, c)| {
        let (brand, model) = MODELS[i % MODELS.len()];
        car::ActiveModel {
            contract_id: Set(c.id),
            brand: Set(brand.into()),
            model: Set(model.into()),
            license_plate: Set(format!("B{i:05}")),
            year: Set(2020 + (i % 5) as i32),
            photos: Set("[]".into()),
            ..Default::default()
        }
    });
    insert_chunked(txn, cars.collect()).await?;
    Ok(contracts)
}

/// A year of weekly invoices per contract, the newest due today; returns how many.
async fn insert_invoices(
    txn: &DatabaseTransaction,
    contracts: &[contract::Model],
    type_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, SeedError> {
    let mut count = 0;
    let mut batch = Vec::with_capacity(CHUNK);
    for (i, contract) in contracts.iter().enumerate() {
        for week in 0..INVOICES_PER_CONTRACT {
            let weeks_ago = (INVOICES_PER_CONTRACT - 1 - week) as i64;
            let due_date = today - TimeDelta::weeks(weeks_ago);
            let paid = (weeks_ago as usize) >= PENDING_WEEKS;
            batch.push(invoice::ActiveModel {
                contract_id: Set(contract.id),
                hash: Set(bench_hash(
                    contract.organization_id,
                    2,
                    (i * INVOICES_PER_CONTRACT + week) as u64,
                )),
                status: Set(if paid {
                    InvoiceStatus::Paid
                } else {
                    InvoiceStatus::Pending
                }),
                priority: Set(1),
                due_date: Set(due_date),
                paid_date: Set(paid.then_some(due_date)),
                total_minor: Set(contract.weekly_amount_minor),
                observations: Set(format!("Cuota semanal {}", week + 1)),
                type_id: Set(type_id),
                created_at: Set(now),
                ..Default::default()
            });
            if batch.len() == CHUNK {
                count += batch.len();
                invoice::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(txn)
                    .await?;
            }
        }
    }
    count += batch.len();
    insert_chunked(txn, batch).await?;
    Ok(count)
}

/// Inserts rows [`CHUNK`] at a time.
/// [`BENCH_CUSTOMERS`] customers and [`BENCH_SALES_INVOICES`] sales invoices with their
/// items, priced as `createSalesInvoice` prices them (`business::amounts`).
async fn insert_sales_invoices(
    txn: &DatabaseTransaction,
    organization_id: i64,
    staff_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let customers: Vec<customer::ActiveModel> = (0..BENCH_CUSTOMERS)
        .map(|n| {
            let name = format!("Cliente {n:03} SAC");
            let national_id = format!("2010{n:07}");
            let email = format!("pagos{n}@cliente.pe");
            customer::ActiveModel {
                organization_id: Set(organization_id),
                search_text: Set(customers::search_text(&name, &national_id, &email)),
                name: Set(name),
                national_id: Set(national_id),
                address: Set(format!("Av. Arequipa {n}, Lima")),
                email: Set(email),
                phone: Set(format!("+51 9{n:08}")),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    insert_chunked(txn, customers).await?;
    let customers: Vec<customer::Model> = customer::Entity::find()
        .filter(customer::Column::OrganizationId.eq(organization_id))
        .order_by_asc(customer::Column::Id)
        .all(txn)
        .await?;
    let mut invoices = Vec::with_capacity(BENCH_SALES_INVOICES);
    let mut lines = Vec::new();
    for n in 0..BENCH_SALES_INVOICES {
        let customer = &customers[n % customers.len()];
        let items: Vec<(i64, Money)> = (0..1 + n % 3)
            .map(|i| {
                let quantity_centi = if (n + i) % 4 == 0 { 250 } else { 100 };
                let unit = Money::from_minor(1_000 + ((n * 37 + i * 101) % 50_000) as i64);
                (quantity_centi, unit)
            })
            .collect();
        let amounts: Vec<Money> = items
            .iter()
            .map(|(q, unit)| amounts::item_amount(*q, *unit))
            .collect::<Option<_>>()
            .ok_or_else(|| SeedError::Refused("a bench item's amount overflowed".into()))?;
        let totals = amounts::totals(&amounts, TaxRule::Rate(1_800))
            .ok_or_else(|| SeedError::Refused("a bench invoice's total overflowed".into()))?;
        let date = today - TimeDelta::days((n % 365) as i64);
        let number = (n + 1).to_string();
        invoices.push(sales_invoice::ActiveModel {
            organization_id: Set(organization_id),
            concept: Set(invoices::concept(&number, &customer.name)),
            number: Set(number),
            date: Set(date),
            due_date: Set((n % 7 != 0).then(|| date + TimeDelta::days(15))),
            customer_id: Set(customer.id),
            subtotal_minor: Set(totals.subtotal.minor()),
            tax_rate_bp: Set(totals.tax_rate_bp),
            tax_minor: Set(totals.tax.minor()),
            total_minor: Set(totals.total.minor()),
            paid: Set(false),
            paid_on: Set(None),
            additional_info: Set(String::new()),
            income_transaction_id: Set(None),
            created_by_user_id: Set(Some(staff_id)),
            created_by_token_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        lines.push(items.into_iter().zip(amounts).collect::<Vec<_>>());
    }
    insert_chunked(txn, invoices).await?;
    let ids: Vec<i64> = sales_invoice::Entity::find()
        .filter(sales_invoice::Column::OrganizationId.eq(organization_id))
        .order_by_asc(sales_invoice::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    let items: Vec<sales_invoice_item::ActiveModel> = ids
        .iter()
        .zip(lines)
        .flat_map(|(invoice_id, lines)| {
            lines.into_iter().enumerate().map(
                move |(position, ((quantity_centi, unit), amount))| {
                    sales_invoice_item::ActiveModel {
                        invoice_id: Set(*invoice_id),
                        position: Set(position as i32),
                        description: Set(["Alquiler semanal", "Seguro", "Mantenimiento"]
                            [position % 3]
                            .into()),
                        quantity_centi: Set(quantity_centi),
                        unit_amount_minor: Set(unit.minor()),
                        amount_minor: Set(amount.minor()),
                        ..Default::default()
                    }
                },
            )
        })
        .collect();
    insert_chunked(txn, items).await
}

async fn insert_chunked<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<(), SeedError>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// A new book of `driver_id`, with a new book's default rows (`fill_new_book`).
async fn new_driver_book(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<book::Model, SeedError> {
    let book = book::ActiveModel {
        organization_id: Set(organization_id),
        owner_id: Set(Some(driver_id)),
        owner_key: Set(driver_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    fill_new_book(txn, &book, now).await?;
    Ok(book)
}

/// The ids of `book`'s categories of `kind`, oldest first.
async fn category_ids(
    txn: &DatabaseTransaction,
    book: &book::Model,
    kind: CategoryKind,
) -> Result<Vec<i64>, SeedError> {
    Ok(book_category::Entity::find()
        .filter(book_category::Column::BookId.eq(book.id))
        .filter(book_category::Column::Kind.eq(kind))
        .order_by_asc(book_category::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// A transaction of the bench books: paid when its day is before `today`.
struct Entry<'a> {
    kind: TransactionKind,
    amount_minor: i64,
    description: String,
    date: NaiveDate,
    category_id: Option<i64>,
    account_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
    book: &'a book::Model,
}

impl Entry<'_> {
    fn row(self) -> book_transaction::ActiveModel {
        let paid = self.date < self.today;
        book_transaction::ActiveModel {
            organization_id: Set(self.book.organization_id),
            book_id: Set(self.book.id),
            kind: Set(self.kind),
            amount_minor: Set(self.amount_minor),
            description: Set(self.description),
            date: Set(self.date),
            due_date: Set(None),
            paid: Set(paid),
            paid_on: Set(paid.then_some(self.date)),
            category_id: Set(self.category_id),
            account_id: Set(self.account_id),
            contact_name: Set(String::new()),
            notes: Set(String::new()),
            barcode: Set(String::new()),
            external_id: Set(None),
            bank_data: Set(String::new()),
            ofx_id: Set(String::new()),
            reconciled_on: Set(None),
            excluded: Set(false),
            private: Set(false),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        }
    }
}

/// The dashboard driver's book: a trip income every other day and a fuel expense every
/// third day of this month so far (paid until yesterday, today's pending).
async fn seed_dashboard_book(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let book = new_driver_book(txn, organization_id, driver_id, now).await?;
    let account = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .filter(book_account::Column::IsDefault.eq(true))
        .one(txn)
        .await?
        .ok_or_else(|| SeedError::Refused("the new book has no default account".into()))?;
    let income = category_ids(txn, &book, CategoryKind::Income)
        .await?
        .first()
        .copied();
    let expense = category_ids(txn, &book, CategoryKind::Expense)
        .await?
        .first()
        .copied();
    let mut rows = Vec::new();
    for day in 1..=today.day() {
        let Some(date) = today.with_day(day) else {
            continue;
        };
        let entries = [
            (day % 2 == 1, TransactionKind::In, 15_000, income, "Viajes"),
            (
                day % 3 == 0,
                TransactionKind::Out,
                6_000,
                expense,
                "Combustible",
            ),
        ];
        for (due, kind, amount_minor, category_id, description) in entries {
            if !due {
                continue;
            }
            rows.push(
                Entry {
                    kind,
                    amount_minor,
                    description: description.into(),
                    date,
                    category_id,
                    account_id: account.id,
                    today,
                    now,
                    book: &book,
                }
                .row(),
            );
        }
    }
    insert_chunked(txn, rows).await
}

/// A punctuality discount of 5.00 on every [`DISCOUNT_EVERY`]th invoice of the
/// organization, in one statement.
async fn insert_discounts(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let select = Query::select()
        .column((invoice::Entity, invoice::Column::Id))
        .expr(Expr::val(500_i64))
        .expr(Expr::val("Bono puntualidad"))
        .expr(Expr::val("bonus"))
        .expr(Expr::val(now))
        .from(invoice::Entity)
        .inner_join(
            contract::Entity,
            Expr::col((contract::Entity, contract::Column::Id))
                .equals((invoice::Entity, invoice::Column::ContractId)),
        )
        .and_where(
            Expr::col((contract::Entity, contract::Column::OrganizationId)).eq(organization_id),
        )
        .and_where(
            Expr::col((invoice::Entity, invoice::Column::Id))
                .modulo(DISCOUNT_EVERY)
                .eq(0),
        )
        .to_owned();
    let insert = Query::insert()
        .into_table(invoice_discount::Entity)
        .columns([
            invoice_discount::Column::InvoiceId,
            invoice_discount::Column::AmountMinor,
            invoice_discount::Column::Observations,
            invoice_discount::Column::Kind,
            invoice_discount::Column::CreatedAt,
        ])
        .select_from(select)
        .map_err(|e| SeedError::Refused(e.to_string()))?
        .to_owned();
    txn.execute(&insert).await?;
    Ok(())
}

/// The ledger driver's book (driver 1): one transaction a day for
/// [`LEDGER_TRANSACTIONS`] days back from today, alternately incomes and expenses, over
/// two accounts and the book's categories, with none, one or two of three tags.
async fn seed_ledger_book(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let book = new_driver_book(txn, organization_id, driver_id, now).await?;
    book_account::ActiveModel {
        organization_id: Set(organization_id),
        book_id: Set(book.id),
        kind: Set(book_account::AccountKind::Checking),
        name: Set("Banco".into()),
        description: Set(String::new()),
        archived: Set(false),
        is_default: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let accounts: Vec<i64> = book_account::Entity::find()
        .filter(book_account::Column::BookId.eq(book.id))
        .order_by_asc(book_account::Column::Id)
        .all(txn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let incomes = category_ids(txn, &book, CategoryKind::Income).await?;
    let expenses = category_ids(txn, &book, CategoryKind::Expense).await?;
    let mut tags = Vec::new();
    for name in ["Uber", "Cabify", "Personal"] {
        let tag = book_tag::ActiveModel {
            organization_id: Set(organization_id),
            book_id: Set(book.id),
            name: Set(name.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        tags.push(tag.id);
    }
    let rows: Vec<book_transaction::ActiveModel> = (0..LEDGER_TRANSACTIONS)
        .map(|n| {
            let (kind, pool, description) = if n % 2 == 0 {
                (TransactionKind::In, &incomes, format!("Viajes del día {n}"))
            } else {
                (TransactionKind::Out, &expenses, format!("Gasto {n}"))
            };
            Entry {
                kind,
                amount_minor: 1_000 + 37 * n as i64,
                description,
                date: today - TimeDelta::days(n as i64),
                category_id: pool.get(n % pool.len().max(1)).copied(),
                account_id: accounts[n % accounts.len()],
                today,
                now,
                book: &book,
            }
            .row()
        })
        .collect();
    let created = book_transaction::Entity::insert_many(rows)
        .exec_with_returning(txn)
        .await?;
    let links: Vec<book_transaction_tag::ActiveModel> = created
        .iter()
        .enumerate()
        .flat_map(|(n, transaction)| {
            tags.iter()
                .skip(n % 2)
                .take(n % 3)
                .map(|tag| book_transaction_tag::ActiveModel {
                    transaction_id: Set(transaction.id),
                    tag_id: Set(*tag),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    insert_chunked(txn, links).await
}

/// Refreshes PostgreSQL's planner statistics after the bulk load, so that the first
/// measured queries are planned for 100,000 invoices rather than for an empty table.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), SeedError> {
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_recharges_add_up_to_the_coins() {
        for coins in [0, 100, 13_700, 49_900, 7] {
            let parts = opening_parts(coins);
            assert_eq!(parts.iter().sum::<i64>(), coins, "{parts:?}");
            assert!(parts.iter().all(|p| *p > 0), "{parts:?}");
            assert!(parts.len() as i64 <= OPENING_RECHARGES, "{parts:?}");
        }
        assert_eq!(opening_parts(100), [20, 16, 16, 16, 16, 16]);
    }
}
