//! Demo data, always the same so that docs, examples and tests can rely on it. Never
//! loaded in production.

pub mod bench;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait,
    Set, TransactionTrait,
};
use uuid::Uuid;

use crate::domain::commons::Id;
use crate::{
    auth::password::HashLimit,
    config::Config,
    domain::{
        clients::leads::{self, LeadInput},
        commons::Calendar,
        identity::hash_password,
    },
    entities::{
        book, book_account, car, car_document, car_document::DocumentKind, card, card::CardBrand,
        client_phone, client_profile, contract, emergency_contact, emergency_contact_group,
        emergency_contact_group::EmergencyCase, expense_category, faq, invoice,
        invoice::InvoiceStatus, invoice_discount, invoice_type, lead, organization, plan, recharge,
        service_contact_channel, support_contact, support_contact::SupportKind, tip, tip_category,
        user, user::Role, wallet_movement,
    },
};

/// The demo credentials printed by the README and the server's start-up log.
pub struct DemoUser {
    pub document: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
}

pub const DEMO_ORGANIZATION_NAME: &str = "Leasy Demo";
pub const DEMO_ORGANIZATION_SLUG: &str = "leasy-demo";

/// The driver is the Leasy REST API's example client, "pruebas apellido".
pub const DEMO_USERS: [DemoUser; 3] = [
    DemoUser {
        document: "10442008642",
        password: "demo1234",
        role: Role::Client,
        first_name: "pruebas",
        last_name: "apellido",
        email: "hola@loualcala.com",
    },
    DemoUser {
        document: "00000001",
        password: "admin1234",
        role: Role::Admin,
        first_name: "Ana",
        last_name: "Administradora",
        email: "admin@leasy.demo",
    },
    DemoUser {
        document: "00000002",
        password: "collector1234",
        role: Role::Collector,
        first_name: "Carlos",
        last_name: "Cobrador",
        email: "cobranzas@leasy.demo",
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("demo data is refused in production (APP_ENV=production)")]
    Production,
    #[error("the database already has data; demo data is only loaded into a new database")]
    NotEmpty,
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("{0}")]
    Domain(String),
}

/// True when no organization exists yet: a new database.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(organization::Entity::find().count(db).await? == 0)
}

/// Loads the demo organization, its users and the driver's plan, contracts, cars,
/// invoices and saved cards, in one transaction.
pub async fn seed_demo(db: &DatabaseConnection, config: &Config) -> Result<(), SeedError> {
    if config.is_production() {
        return Err(SeedError::Production);
    }
    if !is_empty(db).await? {
        return Err(SeedError::NotEmpty);
    }
    // Seeding runs before the server serves: its hashes take turns of their own.
    let limit = HashLimit::new(config.limits.max_password_hashes);
    let mut hashes = Vec::with_capacity(DEMO_USERS.len());
    for demo in &DEMO_USERS {
        hashes.push(
            hash_password(&limit, demo.password)
                .await
                .map_err(|e| SeedError::Domain(e.to_string()))?,
        );
    }
    let now = config.clock.now();
    let txn = db.begin().await?;
    let org = organization::ActiveModel {
        name: Set(DEMO_ORGANIZATION_NAME.into()),
        slug: Set(DEMO_ORGANIZATION_SLUG.into()),
        timezone: Set("America/Lima".into()),
        currency: Set("PEN".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut users = Vec::with_capacity(DEMO_USERS.len());
    for (demo, hash) in DEMO_USERS.iter().zip(hashes) {
        let inserted = user::ActiveModel {
            organization_id: Set(org.id),
            role: Set(demo.role),
            document: Set(demo.document.into()),
            password_hash: Set(hash),
            first_name: Set(demo.first_name.into()),
            last_name: Set(demo.last_name.into()),
            email: Set(Some(demo.email.into())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        users.push(inserted);
    }
    let driver = users
        .iter()
        .find(|u| u.role == Role::Client)
        .ok_or_else(|| SeedError::Domain("the demo users have no driver".into()))?;
    seed_driver(&txn, org.id, driver.id, now).await?;
    seed_cards(&txn, org.id, driver.id, now).await?;
    seed_leads(&txn, org.id, now).await?;
    seed_content(&txn, org.id, now).await?;
    seed_books(&txn, org.id, driver.id, now).await?;
    let admin = users
        .iter()
        .find(|u| u.role == Role::Admin)
        .ok_or_else(|| SeedError::Domain("the demo users have no admin".into()))?;
    seed_business(&txn, org.id, admin.id, now)
        .await
        .map_err(|e| SeedError::Domain(e.to_string()))?;
    txn.commit().await?;
    Ok(())
}

/// One line per demo user, for the start-up log and `seed`.
pub fn demo_credentials() -> String {
    DEMO_USERS
        .iter()
        .map(|u| {
            format!(
                "  {:<9} document {:<12} password {}",
                crate::auth::jwt::role_name(u.role),
                u.document,
                u.password
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------
// The driver's side: plans, profile, contracts, cars with their papers, and invoices.
// Everything is fixed except dates, which are relative to today, and invoice hashes.
// ---------------------------------------------------------------------------------------

/// The driver's owner name on the car papers.
const DEMO_OWNER: &str = "Pruebas Apellido";
/// The driver's main phone, also the first of their extra phones.
const DEMO_PHONE: &str = "987928878";
/// The plan the demo driver is on.
const DEMO_PLAN_CODE: &str = "oro";

struct DemoPlan {
    name: &'static str,
    code: &'static str,
    discount_basis_points: i32,
    description: &'static str,
}

/// Leasy's ride-hailing plans.
const DEMO_PLANS: [DemoPlan; 4] = [
    DemoPlan {
        name: "Azul",
        code: "azul",
        discount_basis_points: 0,
        description: "Plan de inicio, sin descuento en la cuota semanal.",
    },
    DemoPlan {
        name: "Oro",
        code: "oro",
        discount_basis_points: 500,
        description: "5% de descuento en la cuota semanal.",
    },
    DemoPlan {
        name: "Platino",
        code: "platino",
        discount_basis_points: 700,
        description: "7% de descuento en la cuota semanal.",
    },
    DemoPlan {
        name: "Diamante",
        code: "diamante",
        discount_basis_points: 1000,
        description: "10% de descuento en la cuota semanal, para los mejores conductores.",
    },
];

/// (name, code) of each invoice type.
const DEMO_INVOICE_TYPES: [(&str, &str); 3] = [
    ("Cuota semanal", "weekly"),
    ("Penalidad", "penalty"),
    ("Fraccionamiento", "fraction"),
];

struct DemoDocument {
    kind: DocumentKind,
    label: &'static str,
    number: Option<&'static str>,
    owner: Option<&'static str>,
    /// Days from today to the due date; negative when already expired.
    due_in_days: i64,
    file_url: Option<&'static str>,
}

struct DemoCar {
    brand: &'static str,
    model: &'static str,
    license_plate: &'static str,
    year: i32,
    photos: &'static [&'static str],
    documents: [DemoDocument; 5],
}

struct DemoContract {
    hash: &'static str,
    weekly_amount_minor: i64,
    auto_charge: bool,
    car: DemoCar,
    /// Status of each weekly invoice, oldest first; the last one is due today.
    schedule: &'static [InvoiceStatus],
}

const FRACTION_TOTAL_MINOR: i64 = 2200;
const PENALTY_TOTAL_MINOR: i64 = 3000;
const PROCESSOR_PUBLIC_KEY: &str = "pk_demo_public_key";

const SOAT_FILE: &str = "https://leasy.pe/static/files/soat/ACFrOgAoaFUTD4A4AnpmopQwUz2-S85W3hGtyH4TRioVEZd8TgD2Qag6y7PMXgqLyNEzEA_uyH61fJ.pdf";
const INSURANCE_FILE: &str = "https://leasy.pe/static/files/secure/ACFrOgAoaFUTD4A4AnpmopQwUz2-S85W3hGtyH4TRioVEZd8TgD2Qag6y7PMXgqLyNEz_DAMViCj.pdf";

/// The Leasy REST API's contract and car, then a second, newer one.
const DEMO_CONTRACTS: [DemoContract; 2] = [
    DemoContract {
        hash: "0b935679-d439-4463-b24a-1c9d54ce7542",
        weekly_amount_minor: 52500,
        auto_charge: true,
        car: DemoCar {
            brand: "Chevrolet",
            model: "Cobalt",
            license_plate: "PRUEBAS",
            year: 2018,
            photos: &[
                "https://leasy.pe/static/files/va_5dd8e6101a2947c1be5b91c0434fbb85_S9SJqOV.jpg",
            ],
            documents: [
                DemoDocument {
                    kind: DocumentKind::OwnershipCard,
                    label: "Tarjeta de propiedad",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 300,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Soat,
                    label: "SOAT",
                    number: Some("12345678"),
                    owner: None,
                    due_in_days: 10,
                    file_url: Some(SOAT_FILE),
                },
                DemoDocument {
                    kind: DocumentKind::Insurance,
                    label: "Seguro",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 200,
                    file_url: Some(INSURANCE_FILE),
                },
                DemoDocument {
                    kind: DocumentKind::DriverLicense,
                    label: "Licencia de conducir",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 250,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::TechnicalInspection,
                    label: "Revisión técnica",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 100,
                    file_url: None,
                },
            ],
        },
        schedule: &[
            InvoiceStatus::Paid,
            InvoiceStatus::Paid,
            InvoiceStatus::Paid,
            InvoiceStatus::Paid,
            InvoiceStatus::Frozen,
            InvoiceStatus::Fraction,
            InvoiceStatus::Fraction,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
        ],
    },
    DemoContract {
        hash: "6f1c2d3e-8a47-4b59-9c0d-2e7f4a1b5c83",
        weekly_amount_minor: 49900,
        auto_charge: false,
        car: DemoCar {
            brand: "Kia",
            model: "Rio",
            license_plate: "ABC-123",
            year: 2021,
            photos: &[],
            documents: [
                DemoDocument {
                    kind: DocumentKind::OwnershipCard,
                    label: "Tarjeta de propiedad",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 280,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Soat,
                    label: "SOAT",
                    number: Some("87654321"),
                    owner: None,
                    due_in_days: 150,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Insurance,
                    label: "Seguro",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 120,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::DriverLicense,
                    label: "Licencia de conducir",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 250,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::TechnicalInspection,
                    label: "Revisión técnica",
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: -5,
                    file_url: None,
                },
            ],
        },
        schedule: &[
            InvoiceStatus::Paid,
            InvoiceStatus::Paid,
            InvoiceStatus::Paid,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
            InvoiceStatus::Pending,
        ],
    },
];

/// Ids of the demo invoice types, by code.
struct InvoiceTypeIds {
    weekly: i64,
    penalty: i64,
    fraction: i64,
}

/// An invoice to insert.
struct NewInvoice {
    contract_id: i64,
    type_id: i64,
    status: InvoiceStatus,
    priority: i32,
    due_date: NaiveDate,
    total_minor: i64,
    observations: String,
}

/// Everything the demo driver has: profile and phones, two contracts with their cars and
/// invoices, plus the organization's plans and invoice types.
async fn seed_driver(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Demo dates are relative to today in the demo organization (America/Lima).
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let plans = seed_plans(txn, organization_id).await?;
    let plan_id = plans
        .iter()
        .find(|p| p.code == DEMO_PLAN_CODE)
        .map(|p| p.id);
    seed_profile(txn, driver_id, plan_id).await?;
    seed_wallet(txn, organization_id, driver_id, now).await?;
    let types = seed_invoice_types(txn, organization_id).await?;
    let mut contracts = Vec::with_capacity(DEMO_CONTRACTS.len());
    for demo in &DEMO_CONTRACTS {
        let contract = seed_contract(txn, organization_id, driver_id, demo, now).await?;
        seed_car(txn, contract.id, &demo.car, today).await?;
        let invoices = seed_weekly_invoices(txn, &contract, demo.schedule, &types, now).await?;
        contracts.push((contract, invoices));
    }
    let (first, first_invoices) = &contracts[0];
    insert_invoice(
        txn,
        NewInvoice {
            contract_id: first.id,
            type_id: types.penalty,
            status: InvoiceStatus::Pending,
            priority: 0,
            due_date: today - TimeDelta::days(3),
            total_minor: PENALTY_TOTAL_MINOR,
            observations: "Penalidad por pago tardío".into(),
        },
        now,
    )
    .await?;
    seed_discounts(txn, first_invoices).await?;
    Ok(())
}

async fn seed_plans(
    txn: &DatabaseTransaction,
    organization_id: i64,
) -> Result<Vec<plan::Model>, DbErr> {
    let mut plans = Vec::with_capacity(DEMO_PLANS.len());
    for demo in &DEMO_PLANS {
        let plan = plan::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(demo.name.into()),
            code: Set(demo.code.into()),
            discount_basis_points: Set(demo.discount_basis_points),
            description: Set(demo.description.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        plans.push(plan);
    }
    Ok(plans)
}

/// The Leasy REST API's profile: address, phones, plan Oro and S/ 116.00 in coins.
async fn seed_profile(
    txn: &DatabaseTransaction,
    driver_id: i64,
    plan_id: Option<i64>,
) -> Result<(), DbErr> {
    client_profile::ActiveModel {
        user_id: Set(driver_id),
        address: Set("PRUEBAS".into()),
        phone_number: Set(DEMO_PHONE.into()),
        plan_id: Set(plan_id),
        coins_minor: Set(11600),
        firebase_token: Set(None),
    }
    .insert(txn)
    .await?;
    for phone in [DEMO_PHONE, "10442008642"] {
        client_phone::ActiveModel {
            user_id: Set(driver_id),
            phone_number: Set(phone.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The recharges behind the demo driver's S/ 116.00, so that the balance equals the sum
/// of the wallet's movements from the start.
async fn seed_wallet(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut balance = 0;
    for (days_ago, amount, method, observation) in [
        (21, 10000, "Depósito BCP", "Recarga semanal"),
        (7, 1600, "Efectivo", "Saldo a favor"),
    ] {
        let at = now - TimeDelta::days(days_ago);
        let recharge = recharge::ActiveModel {
            organization_id: Set(organization_id),
            client_id: Set(driver_id),
            amount_minor: Set(amount),
            method: Set(method.into()),
            observation: Set(observation.into()),
            kind: Set("CASH_IN".into()),
            recorded_by: Set(None),
            idempotency_key: Set(None),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        balance += amount;
        wallet_movement::ActiveModel {
            organization_id: Set(organization_id),
            client_id: Set(driver_id),
            amount_minor: Set(amount),
            balance_after_minor: Set(balance),
            recharge_id: Set(Some(recharge.id)),
            payment_id: Set(None),
            created_at: Set(at),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn seed_invoice_types(
    txn: &DatabaseTransaction,
    organization_id: i64,
) -> Result<InvoiceTypeIds, DbErr> {
    let mut ids = Vec::with_capacity(DEMO_INVOICE_TYPES.len());
    for (name, code) in DEMO_INVOICE_TYPES {
        let row = invoice_type::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(name.into()),
            code: Set(code.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        ids.push(row.id);
    }
    Ok(InvoiceTypeIds {
        weekly: ids[0],
        penalty: ids[1],
        fraction: ids[2],
    })
}

async fn seed_contract(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    demo: &DemoContract,
    now: DateTime<Utc>,
) -> Result<contract::Model, DbErr> {
    contract::ActiveModel {
        organization_id: Set(organization_id),
        client_id: Set(driver_id),
        hash: Set(demo.hash.into()),
        status: Set("contract_active".into()),
        weekly_amount_minor: Set(demo.weekly_amount_minor),
        auto_charge: Set(demo.auto_charge),
        processor_public_key: Set(PROCESSOR_PUBLIC_KEY.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
}

/// The contract's car and its five papers, due relative to `today`.
async fn seed_car(
    txn: &DatabaseTransaction,
    contract_id: i64,
    demo: &DemoCar,
    today: NaiveDate,
) -> Result<(), DbErr> {
    let photos = serde_json::to_string(demo.photos)
        .map_err(|e| DbErr::Custom(format!("demo car photos: {e}")))?;
    let car = car::ActiveModel {
        contract_id: Set(contract_id),
        brand: Set(demo.brand.into()),
        model: Set(demo.model.into()),
        license_plate: Set(demo.license_plate.into()),
        year: Set(demo.year),
        photos: Set(photos),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for doc in &demo.documents {
        car_document::ActiveModel {
            car_id: Set(car.id),
            kind: Set(doc.kind),
            label: Set(doc.label.into()),
            number: Set(doc.number.map(Into::into)),
            owner: Set(doc.owner.map(Into::into)),
            due_date: Set(Some(today + TimeDelta::days(doc.due_in_days))),
            file_url: Set(doc.file_url.map(Into::into)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// One invoice a week, oldest first, the last one due today. Fractions are small
/// fraction-type invoices; paid ones were paid on their due date.
async fn seed_weekly_invoices(
    txn: &DatabaseTransaction,
    contract: &contract::Model,
    schedule: &[InvoiceStatus],
    types: &InvoiceTypeIds,
    now: DateTime<Utc>,
) -> Result<Vec<invoice::Model>, DbErr> {
    let today = now.date_naive();
    let mut invoices = Vec::with_capacity(schedule.len());
    for (week, &status) in schedule.iter().enumerate() {
        let weeks_ago = (schedule.len() - 1 - week) as i64;
        let (type_id, total_minor, observations) = match status {
            InvoiceStatus::Fraction => (
                types.fraction,
                FRACTION_TOTAL_MINOR,
                "Fraccionamiento de cuota vencida".to_owned(),
            ),
            InvoiceStatus::Frozen => (
                types.weekly,
                contract.weekly_amount_minor,
                "Cuota congelada: vehículo en mantenimiento".to_owned(),
            ),
            InvoiceStatus::Pending
            | InvoiceStatus::Paid
            | InvoiceStatus::Split
            | InvoiceStatus::Cancelled => (
                types.weekly,
                contract.weekly_amount_minor,
                format!("Cuota semanal {}", week + 1),
            ),
        };
        let new = NewInvoice {
            contract_id: contract.id,
            type_id,
            status,
            priority: 1,
            due_date: today - TimeDelta::weeks(weeks_ago),
            total_minor,
            observations,
        };
        invoices.push(insert_invoice(txn, new, now).await?);
    }
    Ok(invoices)
}

async fn insert_invoice(
    txn: &DatabaseTransaction,
    new: NewInvoice,
    now: DateTime<Utc>,
) -> Result<invoice::Model, DbErr> {
    let paid_date = (new.status == InvoiceStatus::Paid).then_some(new.due_date);
    invoice::ActiveModel {
        contract_id: Set(new.contract_id),
        hash: Set(Uuid::new_v4().to_string()),
        status: Set(new.status),
        priority: Set(new.priority),
        due_date: Set(new.due_date),
        paid_date: Set(paid_date),
        total_minor: Set(new.total_minor),
        observations: Set(new.observations),
        type_id: Set(new.type_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
}

/// The plan discount on the first paid weekly invoice, and the plan discount plus a
/// punctuality bonus on the one due today.
async fn seed_discounts(
    txn: &DatabaseTransaction,
    invoices: &[invoice::Model],
) -> Result<(), DbErr> {
    let first_paid = invoices.iter().find(|i| i.status == InvoiceStatus::Paid);
    let current = invoices.last();
    let discounts = [
        (first_paid, 1000, "Descuento plan Oro", "plan"),
        (current, 1000, "Descuento plan Oro", "plan"),
        (current, 550, "Bono puntualidad", "bonus"),
    ];
    for (invoice, amount_minor, observations, kind) in discounts {
        let Some(invoice) = invoice else { continue };
        invoice_discount::ActiveModel {
            invoice_id: Set(invoice.id),
            amount_minor: Set(amount_minor),
            observations: Set(observations.into()),
            kind: Set(kind.into()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Leads: the Leasy REST API's example request and two more, for the staff's list.
// ---------------------------------------------------------------------------------------

/// (first name, last name, document, phone, email, time working, utm source, utm medium,
/// car of interest, days ago). The last is older than the duplicate window.
type DemoLead = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<lead::TimeWorking>,
    Option<&'static str>,
    Option<&'static str>,
    lead::CarOfInterest,
    i64,
);

const DEMO_LEADS: [DemoLead; 3] = [
    (
        "Lou",
        "Alcalá",
        "1044200864",
        "987928878",
        "hola@loualcala.com",
        None,
        Some("APP"),
        Some("iOs"),
        lead::CarOfInterest::New,
        1,
    ),
    (
        "Rosa",
        "Quispe Mamani",
        "45678912",
        "+51 956 123 456",
        "rosa.quispe@correo.pe",
        Some(lead::TimeWorking::MoreThan12Months),
        Some("APP"),
        Some("Android"),
        lead::CarOfInterest::SemiNew,
        6,
    ),
    (
        "Jorge",
        "Huamán Torres",
        "70123456",
        "912345678",
        "jorge.huaman@correo.pe",
        Some(lead::TimeWorking::NotWorkingWithAnApp),
        None,
        None,
        lead::CarOfInterest::New,
        45,
    ),
];

/// The demo leads, checked and normalised by the same rules as `createLead`.
async fn seed_leads(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    for (first, last, document, phone, email, time_working, source, medium, car, days_ago) in
        DEMO_LEADS
    {
        let valid = leads::validate(LeadInput {
            first_name: first.into(),
            last_name: last.into(),
            document: document.into(),
            phone_number: phone.into(),
            email: email.into(),
            time_working,
            utm_source: source.map(Into::into),
            utm_medium: medium.map(Into::into),
            car_of_interest: car,
        })
        .map_err(|errors| SeedError::Domain(format!("demo lead {document}: {errors:?}")))?;
        valid
            .into_active_model(Id::new(organization_id), now - TimeDelta::days(days_ago))
            .insert(txn)
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The driver's saved cards: the Leasy REST API's two.
// ---------------------------------------------------------------------------------------

/// A stand-in for the processor's token of the demo Mastercard; real tokens come from
/// Kushki when the app tokenises a card.
const DEMO_CARD_TOKEN: &str = "demo_kushki_token_545195_5480";

/// The REST API's `clients/cards` answer: a Kushki Mastercard (the default) and an older
/// visa saved outside the processor, which therefore has no token.
async fn seed_cards(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let base = card::ActiveModel {
        organization_id: Set(organization_id),
        client_id: Set(driver_id),
        created_at: Set(now),
        ..Default::default()
    };
    card::ActiveModel {
        brand: Set(CardBrand::Mastercard),
        brand_name: Set("MASTERCARD".into()),
        bin: Set(Some("545195".into())),
        last4: Set("5480".into()),
        expiration_month: Set(None),
        expiration_year: Set(None),
        processor_token: Set(Some(DEMO_CARD_TOKEN.into())),
        processor_subscription_id: Set(Some("1676385575463000".into())),
        is_processor_card: Set(true),
        is_default: Set(true),
        ..base.clone()
    }
    .insert(txn)
    .await?;
    card::ActiveModel {
        brand: Set(CardBrand::Visa),
        brand_name: Set("visa".into()),
        bin: Set(Some("454775".into())),
        last4: Set("6006".into()),
        expiration_month: Set(Some(3)),
        expiration_year: Set(Some(2022)),
        processor_token: Set(None),
        processor_subscription_id: Set(None),
        is_processor_card: Set(false),
        is_default: Set(false),
        ..base
    }
    .insert(txn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Common content: the Leasy REST API's "Commons" examples, in Spanish as the REST API has
// them. Tips are dated relative to today so that "today's tips" always has some.
// ---------------------------------------------------------------------------------------

/// (name, code) of the REST API's expense categories.
const DEMO_EXPENSE_CATEGORIES: [(&str, &str); 4] = [
    ("Mantenimiento", "mantenimiento"),
    ("Gastos Personales", "gastos_personales"),
    ("Combustible", "combustible"),
    ("Otros", "otros"),
];

/// (case, name, description, [(contact name, phone)]) of the REST API's emergency
/// contacts.
type DemoEmergencyGroup = (
    EmergencyCase,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const DEMO_EMERGENCY_GROUPS: [DemoEmergencyGroup; 3] = [
    (
        EmergencyCase::Accident,
        "Accidentes",
        "En caso de accidentes",
        &[("Rigoberto", "953884777")],
    ),
    (
        EmergencyCase::Block,
        "Bloqueo de vehículo",
        "En caso de bloqueos por falta de pago",
        &[("Cobranzas", "991337801")],
    ),
    (
        EmergencyCase::Theft,
        "Robo",
        "En caso de robo de vehículo",
        &[("Luis Gómez", "965448883")],
    ),
];

/// The REST API's mechanical, emergency and ride-hailing affiliation lines.
const DEMO_SUPPORT_CONTACTS: [(SupportKind, &str, &str); 3] = [
    (SupportKind::Mechanical, "Soporte Mecánico", "+51987928878"),
    (SupportKind::Emergency, "Emergencias", "+51987928878"),
    (
        SupportKind::RideHailingAffiliation,
        "Afiliaciones UBER",
        "+51987928878",
    ),
];

/// (label, code, value) of the REST API's service contacts.
const DEMO_SERVICE_CHANNELS: [(&str, &str, &str); 2] = [
    ("Teléfono", "phone_number", "947 947 158"),
    (
        "Correo electrónico",
        "email_address",
        "ventas@leasyauto.com",
    ),
];

/// The REST API's FAQs, oldest first (the REST API lists them newest first).
const DEMO_FAQS: [(&str, &[&str]); 2] = [
    ("Hola a todos", &["Si, esto es el primero content"]),
    (
        "Esto no lo es",
        &["Hola a todos", "Hola a todos 2", "Hola a todos 3"],
    ),
];

/// (name, code) of the REST API's tip categories.
const DEMO_TIP_CATEGORIES: [(&str, &str); 6] = [
    ("Mantenimiento", "mantenimiento"),
    ("Reparaciones", "reparaciones"),
    ("Limpieza", "limpieza"),
    ("Multas y tránsito", "multas_y_transito"),
    ("Seguridad vehicular", "seguridad_vehicular"),
    ("Presupuesto vehicular", "presupuesto_vehicular"),
];

struct DemoTip {
    category: &'static str,
    title: Option<&'static str>,
    paragraphs: &'static [&'static str],
    popular: bool,
    /// Days from today to the publication date; positive schedules it.
    published_in_days: i64,
}

/// The REST API's tips show `"content": ["...", "..."]`; these fill that shape with real
/// text.
const DEMO_TIPS: [DemoTip; 8] = [
    DemoTip {
        category: "mantenimiento",
        title: None,
        paragraphs: &[
            "Revisa la presión de las llantas cada semana, con el auto frío.",
            "Una llanta baja gasta más combustible y se desgasta antes.",
        ],
        popular: true,
        published_in_days: -10,
    },
    DemoTip {
        category: "presupuesto_vehicular",
        title: None,
        paragraphs: &[
            "Separa cada día una parte de tus ganancias para la cuota semanal.",
            "Registra tus gastos de combustible para saber cuánto ganas de verdad.",
        ],
        popular: false,
        published_in_days: -7,
    },
    DemoTip {
        category: "seguridad_vehicular",
        title: None,
        paragraphs: &["Estaciona en lugares iluminados y no dejes objetos a la vista."],
        popular: false,
        published_in_days: -5,
    },
    DemoTip {
        category: "reparaciones",
        title: Some("Ruidos extraños"),
        paragraphs: &[
            "Si escuchas un ruido nuevo al frenar, no esperes: llama a Soporte Mecánico.",
            "Una reparación a tiempo cuesta menos que una grúa.",
        ],
        popular: true,
        published_in_days: -3,
    },
    DemoTip {
        category: "multas_y_transito",
        title: None,
        paragraphs: &[
            "Respeta los límites de velocidad: las papeletas graves pueden suspender tu licencia.",
            "Consulta tus papeletas en la web del SAT antes de renovar tus documentos.",
        ],
        popular: true,
        published_in_days: -1,
    },
    DemoTip {
        category: "mantenimiento",
        title: None,
        paragraphs: &[
            "Cambia el aceite cada 5 000 km o cuando lo indique el manual de tu auto.",
            "Anota el kilometraje del último cambio para no pasarte.",
        ],
        popular: false,
        published_in_days: 0,
    },
    DemoTip {
        category: "limpieza",
        title: None,
        paragraphs: &[
            "Limpia el interior al terminar la jornada: los pasajeros califican mejor un auto limpio.",
        ],
        popular: false,
        published_in_days: 0,
    },
    DemoTip {
        category: "mantenimiento",
        title: Some("Antes de salir de viaje"),
        paragraphs: &["Antes de un viaje largo revisa frenos, luces y niveles de agua y aceite."],
        popular: false,
        published_in_days: 2,
    },
];

// ---------------------------------------------------------------------------------------
// Books: the driver's personal book and the organization's business book, each with its
// default account and categories (copied from the organization's expense categories,
// which `seed_content` creates first).
// ---------------------------------------------------------------------------------------

async fn seed_books(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let domain = |e: crate::domain::DomainError| SeedError::Domain(e.to_string());
    for owner_id in [Some(driver_id), None] {
        let book = book::ActiveModel {
            organization_id: Set(organization_id),
            owner_id: Set(owner_id),
            owner_key: Set(owner_id.unwrap_or(book::BUSINESS_OWNER_KEY)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        crate::domain::books::books::fill_new_book(txn, &book, now)
            .await
            .map_err(domain)?;
        if owner_id.is_some() {
            let bank = book_account::ActiveModel {
                organization_id: Set(organization_id),
                book_id: Set(book.id),
                kind: Set(book_account::AccountKind::Checking),
                name: Set("Cuenta BCP".into()),
                description: Set("Cuenta corriente donde cobro los viajes".into()),
                archived: Set(false),
                is_default: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            seed_book_entries(txn, &book, &bank, driver_id, now)
                .await
                .map_err(domain)?;
        }
    }
    Ok(())
}

/// Days of the month the demo driver records their trips on.
const DEMO_TRIP_DAYS: [u32; 13] = [1, 3, 6, 8, 10, 13, 15, 17, 20, 22, 24, 27, 29];

/// (day, category code, amount in cents, description) of the demo driver's monthly
/// expenses, paid in cash.
const DEMO_MONTHLY_EXPENSES: [(u32, &str, i64, &str); 7] = [
    (2, "combustible", 6_000, "Grifo Primax"),
    (9, "combustible", 6_850, "Grifo Repsol"),
    (16, "combustible", 7_220, "Grifo Primax"),
    (23, "combustible", 6_480, "Grifo Pecsa"),
    (12, "mantenimiento", 12_000, "Cambio de aceite"),
    (7, "gastos_personales", 3_550, "Almuerzo"),
    (21, "gastos_personales", 2_280, "Recarga de celular"),
];

/// (category code, amount in cents) of the demo driver's monthly budgets.
const DEMO_BUDGETS: [(&str, i64); 3] = [
    ("combustible", 25_000),
    ("mantenimiento", 15_000),
    ("gastos_personales", 5_000),
];

/// Three months (the current one to date and the two before) of the demo driver's
/// incomes and expenses, so that listings, summaries and budgets in the playground show
/// something: trips paid into the bank account, fuel, maintenance and personal expenses
/// in cash, a monthly cash withdrawal (a transfer), budgets, and one bill still to pay.
async fn seed_book_entries(
    txn: &DatabaseTransaction,
    book: &book::Model,
    bank: &book_account::Model,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), crate::domain::DomainError> {
    use crate::{
        auth::{Credential, Viewer},
        domain::{
            books::{
                accounts::list_accounts,
                budgets::{SetBudget, set_budget},
                categories::list_categories,
                transactions::{NewTransaction, create_transaction},
                transfers::{NewTransfer, create_transfer},
            },
            commons::Calendar,
        },
        entities::book_transaction::TransactionKind,
    };
    use chrono::{Datelike, Days, Months};
    use rust_decimal::Decimal;

    let viewer = Viewer {
        user_id: Id::new(driver_id),
        organization_id: Id::new(book.organization_id),
        role: Role::Client,
        credential: Credential::AccessToken {
            session: "demo-data".into(),
        },
    };
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let this_month = Calendar::month_start(today);
    let categories = list_categories(txn, book, None, false).await?;
    let cash = list_accounts(txn, book, false)
        .await?
        .into_iter()
        .find(|a| a.is_default)
        .ok_or_else(|| crate::domain::DomainError::Internal("no demo cash account".into()))?;
    let category = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| Id::new(c.id))
    };
    for back in (0..3u32).rev() {
        let Some(month) = this_month.checked_sub_months(Months::new(back)) else {
            continue;
        };
        let on = |day: u32| month.with_day(day).filter(|d| *d <= today);
        for (i, day) in DEMO_TRIP_DAYS.iter().enumerate() {
            let Some(date) = on(*day) else { continue };
            let cents = 15_050 + i64::from(*day * 7 % 60) * 100 + (i as i64 % 4) * 25;
            let mut income = NewTransaction::quick(TransactionKind::In, Decimal::new(cents, 2));
            income.date = Some(date);
            income.description = Some("Viajes de la semana".into());
            income.account_id = Some(Id::new(bank.id));
            income.tag_names = vec![if i % 3 == 0 { "Cabify" } else { "Uber" }.into()];
            create_transaction(txn, &viewer, book, income, today, now).await?;
        }
        for (day, code, cents, description) in DEMO_MONTHLY_EXPENSES {
            let Some(date) = on(day) else { continue };
            let mut expense = NewTransaction::quick(TransactionKind::Out, Decimal::new(cents, 2));
            expense.date = Some(date);
            expense.description = Some(description.into());
            expense.category_id = category(code);
            create_transaction(txn, &viewer, book, expense, today, now).await?;
        }
        // Cash for the month's expenses, withdrawn from the bank: a transfer, neither an
        // income nor an expense.
        if let Some(date) = on(2) {
            let withdrawal = NewTransfer {
                from_account_id: Id::new(bank.id),
                to_account_id: Id::new(cash.id),
                amount: Decimal::new(30_000, 2),
                date: Some(date),
                description: Some("Retiro en cajero".into()),
                paid: None,
            };
            create_transfer(txn, &viewer, book, withdrawal, today, now).await?;
        }
        for (code, cents) in DEMO_BUDGETS {
            let Some(category_id) = category(code) else {
                continue;
            };
            let budget = SetBudget {
                category_id,
                year: month.year(),
                month: i32::try_from(month.month()).unwrap_or(1),
                amount: Decimal::new(cents, 2),
            };
            set_budget(txn, &viewer, book, budget, now).await?;
        }
    }
    let mut bill = NewTransaction::quick(TransactionKind::Out, Decimal::new(45_000, 2));
    bill.description = Some("Renovación del SOAT".into());
    bill.date = today.checked_add_days(Days::new(10));
    bill.due_date = bill.date;
    bill.category_id = category("mantenimiento");
    bill.contact_name = Some("Rímac Seguros".into());
    create_transaction(txn, &viewer, book, bill, today, now).await?;
    seed_credit_card(txn, &viewer, book, bank, today, now).await
}

/// (day, category code, amount in cents, description) of the demo card's purchases each
/// month.
const DEMO_CARD_PURCHASES: [(u32, &str, i64, &str); 3] = [
    (8, "gastos_personales", 18_040, "Supermercado Plaza Vea"),
    (18, "combustible", 9_500, "Grifo Primax"),
    (27, "gastos_personales", 4_590, "Farmacia Inkafarma"),
];

/// The demo driver's credit card: purchases over the last three months, tyres in six
/// installments, a monthly phone plan, the statement before last paid in full and the
/// last one in part.
async fn seed_credit_card(
    txn: &DatabaseTransaction,
    viewer: &crate::auth::Viewer,
    book: &book::Model,
    bank: &book_account::Model,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), crate::domain::DomainError> {
    use crate::{
        domain::{
            books::{
                cards::{self, NewCard},
                categories::list_categories,
                cycles::Month,
                series::Periodicity,
                series_edits::{self, SeriesRequest},
                statements::{self, Statement, StatementPayment},
                transactions::{NewTransaction, create_transaction},
            },
            commons::Calendar,
        },
        entities::book_transaction::TransactionKind,
    };
    use chrono::{Datelike, Months};
    use rust_decimal::Decimal;

    let card = NewCard {
        name: "Visa BCP".into(),
        description: Some("Tarjeta de crédito del banco".into()),
        network: Some("visa".into()),
        closing_day: 25,
        due_day: 10,
        limit: Some(Decimal::new(300_000, 2)),
        make_default: true,
    };
    let card = cards::create_card(txn, viewer, book, card, today, now).await?;
    let categories = list_categories(txn, book, None, false).await?;
    let category = |code: &str| {
        categories
            .iter()
            .find(|c| c.code == code)
            .map(|c| Id::new(c.id))
    };
    let this_month = Calendar::month_start(today);
    let month_back = |n: u32| this_month.checked_sub_months(Months::new(n));
    for back in (0..3u32).rev() {
        let Some(month) = month_back(back) else {
            continue;
        };
        for (day, code, cents, description) in DEMO_CARD_PURCHASES {
            let Some(date) = month.with_day(day).filter(|d| *d <= today) else {
                continue;
            };
            let mut purchase = NewTransaction::quick(TransactionKind::Out, Decimal::new(cents, 2));
            purchase.date = Some(date);
            purchase.description = Some(description.into());
            purchase.category_id = category(code);
            purchase.credit_card_id = Some(Id::new(card.id));
            create_transaction(txn, viewer, book, purchase, today, now).await?;
        }
    }
    let series = [
        (
            month_back(2).and_then(|m| m.with_day(12)),
            "mantenimiento",
            120_000,
            "Llantas nuevas",
            SeriesRequest {
                recurrence: None,
                installments: Some((Periodicity::Monthly, 6)),
            },
        ),
        (
            month_back(2).and_then(|m| m.with_day(5)),
            "gastos_personales",
            5_990,
            "Plan de celular",
            SeriesRequest {
                recurrence: Some(Periodicity::Monthly),
                installments: None,
            },
        ),
    ];
    for (date, code, cents, description, request) in series {
        let mut first = NewTransaction::quick(TransactionKind::Out, Decimal::new(cents, 2));
        first.date = date;
        first.description = Some(description.into());
        first.category_id = category(code);
        first.credit_card_id = Some(Id::new(card.id));
        series_edits::create(txn, viewer, book, first, request, today, now).await?;
    }

    // The statement before last paid in full on its due date, the last one in part.
    let cycles = cards::card_cycles(txn, &card).await?;
    let current = Month::of(today);
    for (back, full) in [(2, true), (1, false)] {
        let month = current.plus(-back);
        let dates = cycles.dates(month);
        statements::ensure_card_occurrences(txn, &[(Id::new(card.account_id), dates.closing)])
            .await?;
        let totals = statements::month_totals(txn, &[Id::new(card.account_id)])
            .await?
            .remove(&Id::new(card.account_id))
            .unwrap_or_default();
        let balance = Statement::compute(Id::new(card.id), &cycles, &totals, month).balance;
        let amount = if full {
            balance.to_decimal()
        } else {
            Decimal::new(20_000, 2)
        };
        if amount <= Decimal::ZERO {
            continue;
        }
        let payment = StatementPayment {
            card_id: Id::new(card.id),
            month,
            account_id: Some(Id::new(bank.id)),
            amount,
            date: Some(dates.due.min(today)),
            description: None,
            key: None,
        };
        statements::pay_statement(txn, viewer, book, payment, today, now).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Business (Infinanza): customers, sales invoices paid, pending and overdue, and
// receipts, so that the playground's business queries show something. Paid ones are
// paid before this month, so that this month's listings of the business book start
// empty.
// ---------------------------------------------------------------------------------------

/// (name, national id, address, email, phone) of the demo customers.
const DEMO_CUSTOMERS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "Transportes Rápidos SAC",
        "20512345678",
        "Av. Javier Prado Este 1234, San Isidro",
        "facturas@transportesrapidos.pe",
        "+51987654321",
    ),
    (
        "Square Inc",
        "100003876464",
        "Av Boulevard 14 76643",
        "billing@square.example",
        "",
    ),
    (
        "Cliente 1",
        "8744677373",
        "Av Boulevard 23455",
        "cliente1@correo.pe",
        "953884777",
    ),
];

async fn seed_business(
    txn: &DatabaseTransaction,
    organization_id: i64,
    admin_id: i64,
    now: DateTime<Utc>,
) -> Result<(), crate::domain::DomainError> {
    use crate::{
        auth::{Credential, Viewer},
        domain::{
            books::lock_book,
            business::{
                customers::{CustomerFields, insert_customer},
                invoices::{
                    CustomerRef, NewInvoice, NewItem, insert_invoice as insert_sales_invoice,
                },
                receipts::{NewReceipt, insert_receipt},
            },
        },
    };
    use chrono::Days;
    use rust_decimal::Decimal;

    let viewer = Viewer {
        user_id: Id::new(admin_id),
        organization_id: Id::new(organization_id),
        role: Role::Admin,
        credential: Credential::AccessToken {
            session: "demo-data".into(),
        },
    };
    use sea_orm::{ColumnTrait, QueryFilter};
    let book = book::Entity::find()
        .filter(book::Column::OrganizationId.eq(organization_id))
        .filter(book::Column::OwnerKey.eq(book::BUSINESS_OWNER_KEY))
        .one(txn)
        .await?
        .ok_or_else(|| crate::domain::DomainError::Internal("no demo business book".into()))?;
    lock_book(txn, &book).await?;
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let month_start = Calendar::month_start(today);
    let before = |days: u64| today.checked_sub_days(Days::new(days));
    let after = |days: u64| today.checked_add_days(Days::new(days));
    // Paid some days before this month began.
    let paid_before_month = |days: u64| month_start.checked_sub_days(Days::new(days));

    let mut customers = Vec::new();
    for (name, national_id, address, email, phone) in DEMO_CUSTOMERS {
        let fields = CustomerFields {
            name: Some(name.into()),
            national_id: Some(national_id.into()),
            address: Some(address.into()),
            email: Some(email.into()),
            phone: Some(phone.into()),
        };
        customers.push(insert_customer(txn, &viewer, fields, now).await?.id);
    }
    let item = |description: &str, quantity: i64, cents: i64| NewItem {
        description: description.into(),
        quantity: Some(Decimal::new(quantity, 0)),
        unit_amount: Decimal::new(cents, 2),
    };
    // (customer, date, due date, items, paid on, additional info)
    let invoices = [
        (
            0,
            paid_before_month(40),
            paid_before_month(10),
            vec![item("Alquiler semanal de flota (4 autos)", 4, 35_000)],
            paid_before_month(5),
            "Semana 1",
        ),
        (
            1,
            paid_before_month(20),
            paid_before_month(5),
            vec![item("Product 1", 1, 600_000), item("Product 2", 1, 400_000)],
            paid_before_month(2),
            "Información adicional",
        ),
        (
            0,
            before(45),
            before(15),
            vec![item("Mantenimiento preventivo", 2, 18_050)],
            None,
            "",
        ),
        (
            2,
            before(3),
            after(27),
            vec![
                item("Alquiler semanal", 1, 35_000),
                item("Seguro vehicular", 1, 4_990),
            ],
            None,
            "Pago por transferencia BCP",
        ),
    ];
    for (customer, date, due_date, items, paid_on, info) in invoices {
        let new = NewInvoice {
            number: None,
            date,
            due_date,
            customer: CustomerRef::Existing {
                id: Id::new(customers[customer]),
                changes: CustomerFields::default(),
            },
            items,
            tax_percentage: None,
            tax: None,
            paid: Some(paid_on.is_some()),
            paid_on,
            additional_info: Some(info.into()),
            send_by_email: None,
        };
        insert_sales_invoice(txn, &viewer, &book, new, today, now).await?;
    }
    // (concept, date, due date, amount in cents, paid on)
    let receipts = [
        (
            "Agua",
            paid_before_month(25),
            paid_before_month(10),
            13_200,
            paid_before_month(12),
        ),
        ("Internet", before(40), before(10), 2_200, None),
        ("Alquiler de oficina", before(2), after(12), 250_000, None),
    ];
    for (concept, date, due_date, cents, paid_on) in receipts {
        let new = NewReceipt {
            date,
            due_date,
            concept: concept.into(),
            amount: Decimal::new(cents, 2),
            paid: Some(paid_on.is_some()),
            paid_on,
        };
        insert_receipt(txn, &viewer, &book, new, today, now).await?;
    }
    Ok(())
}

/// Every list of common content, from the Leasy REST API's examples.
async fn seed_content(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    for (name, code) in DEMO_EXPENSE_CATEGORIES {
        expense_category::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(name.into()),
            code: Set(code.into()),
            icon: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (case, name, description, contacts) in DEMO_EMERGENCY_GROUPS {
        let group = emergency_contact_group::ActiveModel {
            organization_id: Set(organization_id),
            emergency_case: Set(case),
            name: Set(name.into()),
            description: Set(description.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        for (contact_name, phone_number) in contacts {
            emergency_contact::ActiveModel {
                organization_id: Set(organization_id),
                group_id: Set(group.id),
                contact_name: Set((*contact_name).into()),
                phone_number: Set((*phone_number).into()),
                description: Set(String::new()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    for (kind, contact_name, phone_number) in DEMO_SUPPORT_CONTACTS {
        support_contact::ActiveModel {
            organization_id: Set(organization_id),
            kind: Set(kind),
            contact_name: Set(contact_name.into()),
            phone_number: Set(phone_number.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    for (label, code, value) in DEMO_SERVICE_CHANNELS {
        service_contact_channel::ActiveModel {
            organization_id: Set(organization_id),
            label: Set(label.into()),
            code: Set(code.into()),
            value: Set(value.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    seed_faqs(txn, organization_id).await?;
    seed_tips(txn, organization_id, now).await
}

/// The REST API's FAQs, both written on 2023-07-19 (noon in Lima).
async fn seed_faqs(txn: &DatabaseTransaction, organization_id: i64) -> Result<(), DbErr> {
    let written = Utc
        .with_ymd_and_hms(2023, 7, 19, 17, 0, 0)
        .single()
        .ok_or_else(|| DbErr::Custom("demo FAQ date".into()))?;
    for (title, paragraphs) in DEMO_FAQS {
        let paragraphs = serde_json::to_string(paragraphs)
            .map_err(|e| DbErr::Custom(format!("demo FAQ paragraphs: {e}")))?;
        faq::ActiveModel {
            organization_id: Set(organization_id),
            title: Set(title.into()),
            paragraphs: Set(paragraphs),
            created_at: Set(written),
            updated_at: Set(written),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn seed_tips(
    txn: &DatabaseTransaction,
    organization_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let today = Calendar::new(chrono_tz::America::Lima).date_of(now);
    let mut categories = Vec::with_capacity(DEMO_TIP_CATEGORIES.len());
    for (name, code) in DEMO_TIP_CATEGORIES {
        let category = tip_category::ActiveModel {
            organization_id: Set(organization_id),
            name: Set(name.into()),
            code: Set(code.into()),
            description: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        categories.push(category);
    }
    for demo in &DEMO_TIPS {
        let category = categories
            .iter()
            .find(|c| c.code == demo.category)
            .ok_or_else(|| DbErr::Custom(format!("demo tip category {}", demo.category)))?;
        let paragraphs = serde_json::to_string(demo.paragraphs)
            .map_err(|e| DbErr::Custom(format!("demo tip paragraphs: {e}")))?;
        tip::ActiveModel {
            organization_id: Set(organization_id),
            category_id: Set(category.id),
            title: Set(demo.title.map(Into::into)),
            paragraphs: Set(paragraphs),
            is_popular: Set(demo.popular),
            published_on: Set(today + TimeDelta::days(demo.published_in_days)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
