//! The driver's side, as the back office lived it: the plans, the driver's lead
//! converted and their invitation accepted, their cards, two contracts signed with
//! their cars and papers, and the weeks since (recharges and payments, a frozen, a split
//! and a penalised invoice, discounts). Amounts are fixed; dates are relative to today.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{DEMO_USERS, Office, SeedError, viewer};
use crate::{
    auth::{AuthSettings, Viewer},
    domain::{
        DomainError,
        clients::{
            create_lead,
            leads::LeadInput,
            onboarding::{self, Conversion},
        },
        commons::{Calendar, Id, InvoiceId, Money, begin_write},
        content::plans::{self, NewPlan},
        contracts::{
            lifecycle::{self, NewCarDocument},
            operations::{self, NewPenalty, Part},
            signing::{self, NewCar, NewContract, SignedContract},
        },
        idempotency::IdempotencyKey,
        wallet::{
            cards::{self, NewCard},
            payments::{self, PayOptions, Payer},
            recharges::{self, NewRecharge},
        },
    },
    entities::{car_document::DocumentKind, lead, payment::PaymentSource, user::Role},
};

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

struct DemoDocument {
    kind: DocumentKind,
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
    /// Weekly invoices; the last one is due today.
    weeks: u32,
    /// How long ago the first weekly invoice was due.
    first_due_weeks_ago: i64,
    /// The first weeks, which the driver paid on their due dates.
    paid_weeks: usize,
}

const PROCESSOR_PUBLIC_KEY: &str = "pk_demo_public_key";
const SOAT_FILE: &str = "https://leasy.pe/static/files/soat/ACFrOgAoaFUTD4A4AnpmopQwUz2-S85W3hGtyH4TRioVEZd8TgD2Qag6y7PMXgqLyNEzEA_uyH61fJ.pdf";
const INSURANCE_FILE: &str = "https://leasy.pe/static/files/secure/ACFrOgAoaFUTD4A4AnpmopQwUz2-S85W3hGtyH4TRioVEZd8TgD2Qag6y7PMXgqLyNEz_DAMViCj.pdf";

/// The Leasy REST API's contract and car, its last week due today, then a second, newer
/// one.
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
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 300,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Soat,
                    number: Some("12345678"),
                    owner: None,
                    due_in_days: 10,
                    file_url: Some(SOAT_FILE),
                },
                DemoDocument {
                    kind: DocumentKind::Insurance,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 200,
                    file_url: Some(INSURANCE_FILE),
                },
                DemoDocument {
                    kind: DocumentKind::DriverLicense,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 250,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::TechnicalInspection,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 100,
                    file_url: None,
                },
            ],
        },
        weeks: 12,
        first_due_weeks_ago: 11,
        paid_weeks: 4,
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
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 280,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Soat,
                    number: Some("87654321"),
                    owner: None,
                    due_in_days: 150,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::Insurance,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 120,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::DriverLicense,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: 250,
                    file_url: None,
                },
                DemoDocument {
                    kind: DocumentKind::TechnicalInspection,
                    number: None,
                    owner: Some(DEMO_OWNER),
                    due_in_days: -5,
                    file_url: None,
                },
            ],
        },
        weeks: 6,
        first_due_weeks_ago: 5,
        paid_weeks: 3,
    },
];

/// Days before today the ADMIN set up the plans.
const PLANS_DAYS_AGO: i64 = 119;
/// Days before today the driver asked to drive with Leasy; converted a day later.
const DRIVER_LEAD_DAYS_AGO: i64 = 100;
/// Days before its first due date each contract was signed.
const SIGNED_DAYS_BEFORE: i64 = 2;

/// Everything the demo driver has, made as the back office made it; returns the driver
/// as the API sees them once logged in.
pub(super) async fn seed_driver(
    office: &Office<'_>,
    auth: &AuthSettings,
) -> Result<Viewer, SeedError> {
    let plans = seed_plans(office).await?;
    let plan = plans
        .iter()
        .find(|p| p.code == DEMO_PLAN_CODE)
        .map(|p| Id::new(p.id));
    let driver = onboard(office, auth, plan).await?;
    seed_cards(office, &driver).await?;
    let [first_terms, second_terms] = &DEMO_CONTRACTS;
    let first = sign(office, &driver, first_terms).await?;
    let weekly = |week: usize| Id::new(first.invoices[week].id);
    discount(office, &first, 0, 1000, "Descuento plan Oro").await?;
    pay_weeks(office, &driver, first_terms, &first).await?;
    // Week 5 is frozen the day before it is due, while the car is in the garage.
    let fifth = &first.invoices[4];
    operations::freeze_invoice(
        office.db,
        office.admin(),
        weekly(4),
        "Vehículo en mantenimiento",
        office.on(fifth.due_date - TimeDelta::days(1)),
    )
    .await?;
    // Week 6 is split in three the day before it is due: two small parts on that week's
    // and the next week's due dates (both owed since), the rest due a week from today.
    let sixth = &first.invoices[5];
    let parts = [
        (2200, sixth.due_date),
        (2200, sixth.due_date + TimeDelta::weeks(1)),
        (48100, office.today() + TimeDelta::weeks(1)),
    ]
    .map(|(minor, due_date)| Part {
        amount: Money::from_minor(minor),
        due_date,
    });
    operations::split_invoice(
        office.db,
        office.admin(),
        weekly(5),
        &parts,
        "El conductor paga la cuota en partes",
        office.on(sixth.due_date - TimeDelta::days(1)),
    )
    .await?;
    let second = sign(office, &driver, second_terms).await?;
    pay_weeks(office, &driver, second_terms, &second).await?;
    recharge(
        office,
        &driver,
        10000,
        "Depósito BCP",
        "Recarga semanal",
        office.days_ago(21),
    )
    .await?;
    recharge(
        office,
        &driver,
        1600,
        "Efectivo",
        "Saldo a favor",
        office.days_ago(7),
    )
    .await?;
    operations::add_penalty(
        office.db,
        office.admin(),
        &NewPenalty {
            contract_id: Id::new(first.contract.id),
            amount: Money::from_minor(3000),
            due_date: office.today() - TimeDelta::days(3),
            reason: "Penalidad por pago tardío".into(),
        },
        office.days_ago(4),
    )
    .await?;
    let current = first.invoices.len() - 1;
    discount(office, &first, current, 1000, "Descuento plan Oro").await?;
    discount(office, &first, current, 550, "Bono puntualidad").await?;
    Ok(driver)
}

async fn seed_plans(office: &Office<'_>) -> Result<Vec<crate::entities::plan::Model>, SeedError> {
    let mut created = Vec::with_capacity(DEMO_PLANS.len());
    for demo in &DEMO_PLANS {
        let new = NewPlan {
            name: demo.name.into(),
            code: Some(demo.code.into()),
            discount_percent: Decimal::new(i64::from(demo.discount_basis_points), 2),
            description: Some(demo.description.into()),
        };
        created.push(
            plans::create_plan(
                office.db,
                office.admin(),
                office.days_ago(PLANS_DAYS_AGO),
                new,
            )
            .await?,
        );
    }
    Ok(created)
}

/// The driver asks through the public form (the REST API's example client), the ADMIN
/// converts the lead the next day with their plan, address and second phone, and the
/// driver accepts the invitation.
async fn onboard(
    office: &Office<'_>,
    auth: &AuthSettings,
    plan: Option<crate::domain::commons::PlanId>,
) -> Result<Viewer, SeedError> {
    let demo = DEMO_USERS
        .iter()
        .find(|u| u.role == Role::Client)
        .unwrap_or_else(|| unreachable!("DEMO_USERS has a driver"));
    let asked = create_lead(
        office.db,
        Id::new(office.organization.id),
        LeadInput {
            first_name: demo.first_name.into(),
            last_name: demo.last_name.into(),
            document: demo.document.into(),
            phone_number: DEMO_PHONE.into(),
            email: demo.email.into(),
            time_working: Some(lead::TimeWorking::MoreThan12Months),
            utm_source: Some("APP".into()),
            utm_medium: Some("iOs".into()),
            car_of_interest: lead::CarOfInterest::New,
        },
        office.days_ago(DRIVER_LEAD_DAYS_AGO),
    )
    .await?;
    let converted_at = office.days_ago(DRIVER_LEAD_DAYS_AGO - 1);
    let (created, _) = onboarding::convert_lead(
        office.db,
        office.admin(),
        &Conversion {
            lead_id: Id::new(asked.id),
            plan_id: plan,
            address: "PRUEBAS".into(),
            email: None,
            phones: Some(vec![DEMO_PHONE.into(), demo.document.into()]),
        },
        converted_at,
    )
    .await?;
    super::accept(
        office.db,
        auth,
        Some(&created.invitation),
        demo.password,
        converted_at,
    )
    .await?;
    Ok(viewer(&created.user))
}

/// Signs `demo` two days before its first week is due, and sets its car's papers.
async fn sign(
    office: &Office<'_>,
    driver: &Viewer,
    demo: &DemoContract,
) -> Result<SignedContract, SeedError> {
    let first_due_date = office.today() - TimeDelta::weeks(demo.first_due_weeks_ago);
    let at = office.on(first_due_date - TimeDelta::days(SIGNED_DAYS_BEFORE));
    let hash = Uuid::parse_str(demo.hash)
        .map_err(|e| DomainError::Internal(format!("demo contract hash: {e}")))?;
    let signed = signing::create_contract(
        office.db,
        office.admin(),
        &NewContract {
            client_id: driver.user_id,
            weekly_amount: Money::from_minor(demo.weekly_amount_minor),
            first_due_date,
            weeks: demo.weeks,
            auto_charge: demo.auto_charge,
            processor_public_key: PROCESSOR_PUBLIC_KEY.into(),
            car: NewCar {
                brand: demo.car.brand.into(),
                model: demo.car.model.into(),
                license_plate: demo.car.license_plate.into(),
                year: demo.car.year,
                photos: demo.car.photos.iter().map(|p| (*p).into()).collect(),
            },
            hash: Some(hash),
        },
        at,
    )
    .await?;
    for doc in &demo.car.documents {
        lifecycle::set_car_document(
            office.db,
            office.admin(),
            &NewCarDocument {
                car_id: Id::new(signed.car.id),
                kind: doc.kind,
                number: doc.number.map(Into::into),
                owner: doc.owner.map(Into::into),
                due_date: Some(office.today() + TimeDelta::days(doc.due_in_days)),
                file_url: doc.file_url.map(Into::into),
            },
            at,
        )
        .await?;
    }
    Ok(signed)
}

/// The ADMIN takes `minor` cents off week `week` of `signed`, the day before it is due.
async fn discount(
    office: &Office<'_>,
    signed: &SignedContract,
    week: usize,
    minor: i64,
    why: &str,
) -> Result<(), SeedError> {
    let invoice = &signed.invoices[week];
    operations::add_discount(
        office.db,
        office.admin(),
        Id::new(invoice.id),
        Money::from_minor(minor),
        why,
        office.on(invoice.due_date - TimeDelta::days(1)),
    )
    .await?;
    Ok(())
}

/// On each of the first weeks' due dates the driver asks the app what the week costs,
/// deposits exactly that (the collector records it), and pays it from the app.
async fn pay_weeks(
    office: &Office<'_>,
    driver: &Viewer,
    demo: &DemoContract,
    signed: &SignedContract,
) -> Result<(), SeedError> {
    let payer = Payer {
        client_id: driver.user_id,
        organization_id: driver.organization_id,
    };
    for invoice in &signed.invoices[..demo.paid_weeks] {
        let at = office.on(invoice.due_date);
        let ids: [InvoiceId; 1] = [Id::new(invoice.id)];
        let today = Calendar::of(&office.organization).date_of(at);
        let cost = payments::summary(office.db, payer, &ids, today).await?;
        let deposit = cost.total_to_pay.minor();
        recharge(
            office,
            driver,
            deposit,
            "Depósito BCP",
            "Recarga semanal",
            at,
        )
        .await?;
        let key = demo_key(&format!("demo-payment-{}", invoice.id))?;
        let options = PayOptions {
            key: &key,
            source: PaymentSource::Wallet,
            with_fractions: true,
            currency: &office.organization.currency,
            now: at,
            today,
        };
        payments::pay(office.db, payer, &ids, options).await?;
    }
    Ok(())
}

async fn recharge(
    office: &Office<'_>,
    driver: &Viewer,
    minor: i64,
    method: &str,
    observation: &str,
    at: DateTime<Utc>,
) -> Result<(), SeedError> {
    let key = demo_key(&format!("demo-recharge-{}-{minor}", at.timestamp()))?;
    recharges::record(
        office.db,
        office.collector(),
        &NewRecharge {
            client_id: driver.user_id,
            amount: Money::from_minor(minor),
            method: method.into(),
            observation: observation.into(),
        },
        &key,
        at,
    )
    .await?;
    Ok(())
}

fn demo_key(raw: &str) -> Result<IdempotencyKey, SeedError> {
    IdempotencyKey::parse("idempotencyKey", raw)
        .map_err(|e| SeedError::Domain(DomainError::Invalid(vec![e])))
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

/// The demo leads, sent through the public form on their days.
pub(super) async fn seed_leads(office: &Office<'_>) -> Result<(), SeedError> {
    for (first, last, document, phone, email, time_working, source, medium, car, days_ago) in
        DEMO_LEADS
    {
        create_lead(
            office.db,
            Id::new(office.organization.id),
            LeadInput {
                first_name: first.into(),
                last_name: last.into(),
                document: document.into(),
                phone_number: phone.into(),
                email: email.into(),
                time_working,
                utm_source: source.map(Into::into),
                utm_medium: medium.map(Into::into),
                car_of_interest: car,
            },
            office.days_ago(days_ago),
        )
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The driver's saved cards: the Leasy REST API's two, saved from the app.
// ---------------------------------------------------------------------------------------

/// A card as the app sends it to `saveCardToken`.
struct DemoCard {
    /// A stand-in for the processor's token; real ones come from Kushki when the app
    /// tokenises a card.
    token: &'static str,
    brand: &'static str,
    bin: &'static str,
    last4: &'static str,
    /// (month, year)
    expiration: Option<(&'static str, &'static str)>,
    subscription_id: Option<&'static str>,
}

const DEMO_CARDS: [DemoCard; 2] = [
    DemoCard {
        token: "demo_kushki_token_545195_5480",
        brand: "MASTERCARD",
        bin: "545195",
        last4: "5480",
        expiration: None,
        subscription_id: Some("1676385575463000"),
    },
    DemoCard {
        token: "demo_kushki_token_454775_6006",
        brand: "visa",
        bin: "454775",
        last4: "6006",
        expiration: Some(("03", "2022")),
        subscription_id: None,
    },
];

/// The REST API's `clients/cards` answer: a Mastercard (the first, so the default) and an
/// older visa, saved from the app the day the driver got their access.
async fn seed_cards(office: &Office<'_>, driver: &Viewer) -> Result<(), SeedError> {
    let at = office.days_ago(DRIVER_LEAD_DAYS_AGO - 1);
    for card in &DEMO_CARDS {
        let txn = begin_write(office.db).await?;
        let new = NewCard {
            token: card.token.into(),
            brand: Some(card.brand.into()),
            bin: Some(card.bin.into()),
            last4: card.last4.into(),
            expiration_month: card.expiration.map(|(month, _)| month.into()),
            expiration_year: card.expiration.map(|(_, year)| year.into()),
            subscription_id: card.subscription_id.map(Into::into),
            make_default: false,
        };
        cards::save_card(&txn, driver, new, at).await?;
        txn.commit().await?;
    }
    Ok(())
}
