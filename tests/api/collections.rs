//! Issue 19 §6, collections: the overdue invoices by age, the money received per day and
//! source, the car papers about to expire across the fleet, and a driver's statement of
//! account. Staff read them (a driver only their own statement); another organization
//! sees none of these rows. Days are the demo organization's, in Lima: the clocks stand
//! in the evening there while it is already the next day in UTC, where an answer in UTC
//! days would differ.

use chrono::{DateTime, TimeZone, Utc};
use gateway::{
    domain::commons::{Clock, ManualClock},
    entities::user::Role,
};
use serde_json::{Value, json};

use crate::{
    common::{
        ADMIN, COLLECTOR, DRIVER, TestApp,
        back_office::{NewDriver, Onboarded, onboard_driver, owed, pay, recharge},
        mutation, ok, raw_id,
    },
    db_test,
};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// The clock of every test here: 10:00 in Lima on 20 November 2031.
fn standing_clock(config: &mut gateway::config::Config) {
    config.clock = Clock::Manual(ManualClock::new(utc(2031, 11, 20, 15, 0)));
}

/// Moves the test's clock to `at` (later than where it stands).
fn move_to(app: &TestApp, at: DateTime<Utc>) {
    let clock = app.manual_clock();
    clock.advance(at - clock.now());
}

/// Runs a query that must not fail; returns its `data`.
async fn read(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let body = app.gql(query, variables, Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

/// The error code of a refused query.
async fn refusal(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> String {
    let body = app.gql(query, variables, token).await;
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code: {body}"))
        .to_string()
}

const OVERDUE: &str = "query($filter: OverdueInvoiceFilter, $first: Int, $after: String) { overdueInvoices(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } totals { count amount buckets { bucket count amount } } nodes { daysOverdue bucket amountToPay invoice { id status dueDate } client { id fullName } contract { id } } } }";

async fn overdue(app: &TestApp, token: &str, filter: Value, first: i32) -> Value {
    read(
        app,
        token,
        OVERDUE,
        json!({ "filter": filter, "first": first }),
    )
    .await["overdueInvoices"]
        .clone()
}

/// An aging bucket's total: (bucket, count, amount).
type Bucket = (String, u64, String);

/// `totals` as (bucket, count, amount) per bucket, then the whole set's.
fn totals(page: &Value) -> (Vec<Bucket>, (u64, String)) {
    let totals = &page["totals"];
    let buckets = totals["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["bucket"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
                b["amount"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let all = (
        totals["count"].as_u64().unwrap(),
        totals["amount"].as_str().unwrap().to_string(),
    );
    (buckets, all)
}

fn buckets(rows: [(&str, u64, &str); 4]) -> Vec<Bucket> {
    rows.iter()
        .map(|(b, n, a)| (b.to_string(), *n, a.to_string()))
        .collect()
}

/// A column of every node of a page, as text.
fn column(page: &Value, pick: impl Fn(&Value) -> &Value) -> Vec<String> {
    page["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| match pick(n) {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn split() -> String {
    mutation("splitInvoice", "fractions { id dueDate }")
}
fn discount() -> String {
    mutation("addInvoiceDiscount", "discount { id }")
}
const CANCEL: &str = "mutation($input: InvoiceReasonInput!) { cancelInvoice(input: $input) { invoice { id status } userErrors { field code message } } }";
const FREEZE: &str = "mutation($input: InvoiceReasonInput!) { freezeInvoice(input: $input) { invoice { id status } userErrors { field code message } } }";

/// The demo driver's `Client` ID, as staff find them.
async fn demo_driver_id(app: &TestApp, staff: &str) -> Value {
    read(
        app,
        staff,
        "{ clients(filter: {search: \"10442008642\"}) { nodes { id } } }",
        json!({}),
    )
    .await["clients"]["nodes"][0]["id"]
        .clone()
}

db_test!(
    overdue_invoices_age_in_the_organizations_calendar,
    |config| {
        standing_clock(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        let ana = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "61000001",
                first_name: "Ana",
                last_name: "Quispe",
                coins: "50.00",
                weeks: 10,
                first_due_date: "2031-09-29",
                ..NewDriver::default()
            },
        )
        .await;
        let beto = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "61000002",
                first_name: "Beto",
                last_name: "Rojas",
                coins: "0.00",
                weeks: 2,
                weekly_amount: "20.00",
                first_due_date: "2031-11-25",
                ..NewDriver::default()
            },
        )
        .await;
        // Ana's invoices are due every Monday from 29 September to 1 December.
        let i = &ana.invoices;
        ok(
            &app,
            &admin,
            FREEZE,
            json!({ "invoiceId": i[1], "reason": "Taller" }),
        )
        .await;
        ok(
            &app,
            &admin,
            CANCEL,
            json!({ "invoiceId": i[3], "reason": "Error" }),
        )
        .await;
        ok(
            &app,
            &admin,
            &discount(),
            json!({ "invoiceId": i[2], "amount": "2.50", "reason": "Bono" }),
        )
        .await;
        let paid = pay(&app, &ana.token, &i[5]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["userErrors"],
            json!([]),
            "{paid}"
        );
        let parts = json!([
            { "amount": "4.00", "dueDate": "2031-11-25" },
            { "amount": "6.00", "dueDate": "2031-11-26" },
        ]);
        ok(
            &app,
            &admin,
            &split(),
            json!({ "invoiceId": i[8], "parts": parts, "reason": "Dos partes" }),
        )
        .await;

        // 22:30 on 2 December in Lima: already the 3rd in UTC.
        move_to(&app, utc(2031, 12, 3, 3, 30));
        let admin = app.login(ADMIN).await;
        let page = overdue(&app, &admin, json!({ "clientId": ana.client_id }), 20).await;
        assert_eq!(page["totalCount"], 8, "{page}");
        // Frozen (suspended), cancelled, paid and split invoices are not chased; the
        // fractions of the split one are.
        assert_eq!(
            column(&page, |n| &n["invoice"]["dueDate"]),
            [
                "2031-09-29",
                "2031-10-13",
                "2031-10-27",
                "2031-11-10",
                "2031-11-17",
                "2031-11-25",
                "2031-11-26",
                "2031-12-01"
            ]
        );
        assert_eq!(
            column(&page, |n| &n["daysOverdue"]),
            ["64", "50", "36", "22", "15", "7", "6", "1"]
        );
        assert_eq!(
            column(&page, |n| &n["bucket"]),
            [
                "OVER_60",
                "DAYS_31_TO_60",
                "DAYS_31_TO_60",
                "DAYS_8_TO_30",
                "DAYS_8_TO_30",
                "DAYS_1_TO_7",
                "DAYS_1_TO_7",
                "DAYS_1_TO_7"
            ]
        );
        assert_eq!(
            column(&page, |n| &n["amountToPay"]),
            [
                "10.00", "7.50", "10.00", "10.00", "10.00", "4.00", "6.00", "10.00"
            ]
        );
        assert_eq!(
            column(&page, |n| &n["invoice"]["status"]),
            [
                "PENDING", "PENDING", "PENDING", "PENDING", "PENDING", "FRACTION", "FRACTION",
                "PENDING"
            ]
        );
        for node in page["nodes"].as_array().unwrap() {
            assert_eq!(node["client"]["id"], ana.client_id);
            assert_eq!(node["client"]["fullName"], "Ana Quispe");
            assert_eq!(node["contract"]["id"], ana.contract_id.as_str());
        }
        assert_eq!(
            totals(&page),
            (
                buckets([
                    ("DAYS_1_TO_7", 3, "20.00"),
                    ("DAYS_8_TO_30", 2, "20.00"),
                    ("DAYS_31_TO_60", 2, "17.50"),
                    ("OVER_60", 1, "10.00"),
                ]),
                (8, "67.50".to_string())
            )
        );

        // Beto's first invoice, due 7 days ago in Lima (8 in UTC), is in the first
        // bucket; his second, due today in Lima (yesterday in UTC), is not overdue yet.
        let page = overdue(&app, &admin, json!({ "clientId": beto.client_id }), 20).await;
        assert_eq!(page["totalCount"], 1, "{page}");
        assert_eq!(page["nodes"][0]["daysOverdue"], 7);
        assert_eq!(page["nodes"][0]["bucket"], "DAYS_1_TO_7");
        assert_eq!(page["nodes"][0]["amountToPay"], "20.00");
        assert_eq!(page["nodes"][0]["invoice"]["id"], beto.invoices[0].as_str());

        // One bucket.
        let page = overdue(
            &app,
            &admin,
            json!({ "clientId": ana.client_id, "bucket": "DAYS_31_TO_60" }),
            20,
        )
        .await;
        assert_eq!(column(&page, |n| &n["daysOverdue"]), ["50", "36"]);
        assert_eq!(
            totals(&page),
            (
                buckets([
                    ("DAYS_1_TO_7", 0, "0.00"),
                    ("DAYS_8_TO_30", 0, "0.00"),
                    ("DAYS_31_TO_60", 2, "17.50"),
                    ("OVER_60", 0, "0.00"),
                ]),
                (2, "17.50".to_string())
            )
        );

        // The search finds a name, a whole name, a document, in any letter case; its
        // wildcards are taken literally.
        for (search, count) in [
            ("quispe", 8),
            ("ANA Q", 8),
            ("rojas", 1),
            ("%", 0),
            ("_", 0),
        ] {
            let page = overdue(&app, &admin, json!({ "search": search }), 20).await;
            assert_eq!(page["totalCount"], count, "{search}: {page}");
        }
        // Both drivers' documents start with 6100000: the totals of the two together.
        let both = overdue(&app, &admin, json!({ "search": "6100000" }), 3).await;
        assert_eq!(both["totalCount"], 9);
        assert_eq!(
            totals(&both),
            (
                buckets([
                    ("DAYS_1_TO_7", 4, "40.00"),
                    ("DAYS_8_TO_30", 2, "20.00"),
                    ("DAYS_31_TO_60", 2, "17.50"),
                    ("OVER_60", 1, "10.00"),
                ]),
                (9, "87.50".to_string())
            )
        );
        // Pages cut the same list; the totals are always the whole set's.
        assert_eq!(both["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(both["pageInfo"]["hasNextPage"], true);
        let rest = read(
            &app,
            &admin,
            OVERDUE,
            json!({ "filter": { "search": "6100000" }, "first": 20, "after": both["pageInfo"]["endCursor"] }),
        )
        .await["overdueInvoices"]
            .clone();
        assert_eq!(rest["nodes"].as_array().unwrap().len(), 6);
        assert_eq!(rest["pageInfo"]["hasNextPage"], false);
        assert_eq!(totals(&rest), totals(&both));
        // Beto's invoice and Ana's first fraction are both due on the 25th: by id.
        let due: Vec<String> = column(&both, |n| &n["invoice"]["dueDate"])
            .into_iter()
            .chain(column(&rest, |n| &n["invoice"]["dueDate"]))
            .collect();
        let mut sorted = due.clone();
        sorted.sort();
        assert_eq!(due, sorted);
        assert_eq!(rest["nodes"][2]["invoice"]["id"], beto.invoices[0].as_str());

        // Unfiltered, the organization's list is Ana's, Beto's and the demo driver's:
        // the totals of the three.
        let demo = demo_driver_id(&app, &admin).await;
        let demo_page = overdue(&app, &admin, json!({ "clientId": demo }), 1).await;
        let all = overdue(&app, &admin, json!(null), 1).await;
        let (mine, _) = totals(&both);
        let (theirs, _) = totals(&demo_page);
        let (everyone, (count, _)) = totals(&all);
        for ((a, b), c) in mine.iter().zip(&theirs).zip(&everyone) {
            assert_eq!(c.1, a.1 + b.1, "{c:?}");
            let sum = a.2.parse::<rust_decimal::Decimal>().unwrap()
                + b.2.parse::<rust_decimal::Decimal>().unwrap();
            assert_eq!(c.2, sum.to_string(), "{c:?}");
        }
        assert_eq!(all["totalCount"], count);
        assert!(count > 9, "the demo driver owes overdue invoices too");

        // A COLLECTOR reads it as well.
        let collector = app.login(COLLECTOR).await;
        let page = overdue(&app, &collector, json!({ "clientId": ana.client_id }), 1).await;
        assert_eq!(page["totalCount"], 8);
    }
);

db_test!(
    collections_add_up_the_money_received_per_day_and_source,
    |config| {
        standing_clock(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        // Recharged 50.00 at 10:00 in Lima on the 20th, and under an auto-charge contract.
        let carla = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "62000001",
                first_name: "Carla",
                last_name: "Paz",
                coins: "50.00",
                weeks: 4,
                first_due_date: "2031-11-16",
                auto_charge: true,
                ..NewDriver::default()
            },
        )
        .await;
        let paid = pay(&app, &carla.token, &carla.invoices[0]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "10.00",
            "{paid}"
        );
        // 23:30 in Lima on the 20th is the 21st in UTC: the recharge counts on the 20th.
        move_to(&app, utc(2031, 11, 21, 4, 30));
        let collector = app.login(COLLECTOR).await;
        recharge(&app, &collector, &carla.client_id, "15.00").await;
        // On the 23rd the auto-charge job pays the invoice due that day, and Carla pays one
        // due later from her wallet.
        move_to(&app, utc(2031, 11, 23, 15, 0));
        let report = gateway::jobs::auto_charge_once(&app.app.state)
            .await
            .unwrap();
        assert_eq!(report.paid, 1, "{report:?}");
        let driver = app.login_session(("62000001", "maneja2027")).await["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
        let paid = pay(&app, &driver, &carla.invoices[3]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "10.00",
            "{paid}"
        );

        const COLLECTIONS: &str = "query($period: PeriodInput!) { collections(period: $period) { from to days { date amounts { walletPayments autoCharges cashRecharges total } } totals { walletPayments autoCharges cashRecharges total } } }";
        let admin = app.login(ADMIN).await;
        let collections = |period: Value| {
            let app = &app;
            let admin = admin.clone();
            async move {
                read(app, &admin, COLLECTIONS, json!({ "period": period })).await["collections"]
                    .clone()
            }
        };
        let amounts = |wallet: &str, auto: &str, cash: &str, total: &str| json!({ "walletPayments": wallet, "autoCharges": auto, "cashRecharges": cash, "total": total });
        let week = collections(json!({ "from": "2031-11-20", "to": "2031-11-30" })).await;
        assert_eq!(week["from"], "2031-11-20");
        assert_eq!(week["to"], "2031-11-30");
        assert_eq!(
            week["days"],
            json!([
                { "date": "2031-11-20", "amounts": amounts("10.00", "0.00", "65.00", "75.00") },
                { "date": "2031-11-23", "amounts": amounts("10.00", "10.00", "0.00", "20.00") },
            ])
        );
        assert_eq!(week["totals"], amounts("20.00", "10.00", "65.00", "95.00"));

        // What Carla's wallet says: 65.00 in, 30.00 out.
        let wallet = read(
        &app,
        &driver,
        "{ me { ... on Client { wallet { balance movements(first: 20) { nodes { direction amount } } } } } }",
        json!({}),
    )
    .await;
        let movements = wallet["me"]["wallet"]["movements"]["nodes"]
            .as_array()
            .unwrap()
            .clone();
        let sum = |direction: &str| -> rust_decimal::Decimal {
            movements
                .iter()
                .filter(|m| m["direction"] == direction)
                .map(|m| {
                    m["amount"]
                        .as_str()
                        .unwrap()
                        .parse::<rust_decimal::Decimal>()
                        .unwrap()
                })
                .sum()
        };
        assert_eq!(sum("CREDIT").to_string(), "65.00");
        assert_eq!(sum("DEBIT").to_string(), "30.00");
        assert_eq!(wallet["me"]["wallet"]["balance"], "35.00");

        // The 21st in Lima: nothing, though the evening recharge was made on the 21st in UTC.
        let day = collections(json!({ "from": "2031-11-21", "to": "2031-11-21" })).await;
        assert_eq!(day["days"], json!([]));
        assert_eq!(day["totals"], amounts("0.00", "0.00", "0.00", "0.00"));
        // Since October the demo driver's money counts too: the second contract's three
        // weeks of 499.00, each deposited and paid on its due date (16, 23 and 30
        // October), then 100.00 on 30 October and 16.00 on 13 November.
        let autumn = collections(json!({ "from": "2031-10-01", "to": "2031-11-30" })).await;
        assert_eq!(
            autumn["totals"],
            amounts("1517.00", "10.00", "1678.00", "3205.00")
        );
        let dates: Vec<&str> = autumn["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["date"].as_str().unwrap())
            .collect();
        assert_eq!(
            dates[..4],
            ["2031-10-16", "2031-10-23", "2031-10-30", "2031-11-13"]
        );
        assert_eq!(
            autumn["days"][2]["amounts"],
            amounts("499.00", "0.00", "599.00", "1098.00")
        );
        // An empty period is this month to today.
        let month = collections(json!({})).await;
        assert_eq!(
            (month["from"].clone(), month["to"].clone()),
            (json!("2031-11-01"), json!("2031-11-23"))
        );
        assert_eq!(month["totals"]["total"], "111.00");

        // PeriodInput's limits: a year at most, a month or days but not both.
        for period in [
            json!({ "from": "2030-11-01", "to": "2031-11-30" }),
            json!({ "from": "2031-11-30", "to": "2031-11-01" }),
            json!({ "month": 11, "from": "2031-11-01" }),
            json!({ "month": 13 }),
        ] {
            assert_eq!(
                refusal(
                    &app,
                    Some(admin.as_str()),
                    COLLECTIONS,
                    json!({ "period": period })
                )
                .await,
                "BAD_USER_INPUT",
                "{period}"
            );
        }
        let collector = app.login(COLLECTOR).await;
        assert_eq!(
            read(
                &app,
                &collector,
                COLLECTIONS,
                json!({ "period": { "from": "2031-11-20", "to": "2031-11-30" } })
            )
            .await["collections"]["totals"],
            week["totals"]
        );
    }
);

const EXPIRING: &str = "query($days: Int!, $first: Int) { carDocumentsExpiring(days: $days, first: $first) { totalCount nodes { expiresInDays document { kind label dueDate } car { licensePlate } contract { id } client { id } } } }";

/// Papers for the car of `driver`'s contract, written straight into the database: no
/// mutation writes car papers yet.
async fn add_papers(app: &TestApp, driver: &Onboarded, papers: &[(&str, Option<&str>)]) {
    use gateway::entities::{car, car_document};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let db = &app.app.state.db;
    let contract_id = raw_id(&json!(driver.contract_id));
    let car = car::Entity::find()
        .filter(car::Column::ContractId.eq(contract_id))
        .one(db)
        .await
        .unwrap()
        .expect("the contract's car");
    for (kind, due) in papers {
        let kind = match *kind {
            "SOAT" => car_document::DocumentKind::Soat,
            "INSURANCE" => car_document::DocumentKind::Insurance,
            "TECHNICAL_INSPECTION" => car_document::DocumentKind::TechnicalInspection,
            "DRIVER_LICENSE" => car_document::DocumentKind::DriverLicense,
            _ => car_document::DocumentKind::OwnershipCard,
        };
        car_document::ActiveModel {
            car_id: Set(car.id),
            kind: Set(kind),
            label: Set(format!("{kind:?}")),
            number: Set(None),
            owner: Set(None),
            due_date: Set(due.map(|d| d.parse().unwrap())),
            file_url: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
}

db_test!(
    car_documents_expiring_come_expired_first_across_the_fleet,
    // 22:00 in Lima on 20 November, the 21st in UTC.
    |config| {
        config.clock = Clock::Manual(ManualClock::new(utc(2031, 11, 21, 3, 0)));
    },
    |app| {
        let admin = app.login(ADMIN).await;
        let eva = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "64000001",
                first_name: "Eva",
                last_name: "Soto",
                ..NewDriver::default()
            },
        )
        .await;
        add_papers(
            &app,
            &eva,
            &[
                ("SOAT", Some("2031-11-19")),
                ("INSURANCE", Some("2031-11-20")),
                ("TECHNICAL_INSPECTION", Some("2031-12-20")),
                ("DRIVER_LICENSE", Some("2031-12-21")),
                ("OWNERSHIP_CARD", None),
            ],
        )
        .await;
        let page = read(&app, &admin, EXPIRING, json!({ "days": 30, "first": 20 })).await["carDocumentsExpiring"].clone();
        // The demo's cars: ABC-123's technical inspection expired 5 days ago, PRUEBAS's
        // SOAT expires in 10 days; Eva's papers are counted from today in Lima.
        assert_eq!(page["totalCount"], 5, "{page}");
        assert_eq!(
            column(&page, |n| &n["expiresInDays"]),
            ["-5", "-1", "0", "10", "30"]
        );
        assert_eq!(
            column(&page, |n| &n["document"]["kind"]),
            [
                "TECHNICAL_INSPECTION",
                "SOAT",
                "INSURANCE",
                "SOAT",
                "TECHNICAL_INSPECTION"
            ]
        );
        assert_eq!(
            column(&page, |n| &n["car"]["licensePlate"]),
            ["ABC-123", "C3X-456", "C3X-456", "PRUEBAS", "C3X-456"]
        );
        assert_eq!(page["nodes"][1]["document"]["dueDate"], "2031-11-19");
        assert_eq!(page["nodes"][1]["client"]["id"], eva.client_id);
        assert_eq!(page["nodes"][1]["contract"]["id"], eva.contract_id.as_str());
        let demo = demo_driver_id(&app, &admin).await;
        assert_eq!(page["nodes"][0]["client"]["id"], demo);

        // Today only: what has expired and what expires today.
        let today = read(&app, &admin, EXPIRING, json!({ "days": 0, "first": 20 })).await["carDocumentsExpiring"].clone();
        assert_eq!(column(&today, |n| &n["expiresInDays"]), ["-5", "-1", "0"]);
        // Ten years: every paper with a due date, the demo's ten and Eva's four.
        let all = read(&app, &admin, EXPIRING, json!({ "days": 3650, "first": 2 })).await["carDocumentsExpiring"].clone();
        assert_eq!(all["totalCount"], 14);
        assert_eq!(all["nodes"].as_array().unwrap().len(), 2);

        for days in [-1, 3651] {
            assert_eq!(
                refusal(
                    &app,
                    Some(admin.as_str()),
                    EXPIRING,
                    json!({ "days": days })
                )
                .await,
                "BAD_USER_INPUT",
                "{days}"
            );
        }
        let collector = app.login(COLLECTOR).await;
        let page =
            read(&app, &collector, EXPIRING, json!({ "days": 30 })).await["carDocumentsExpiring"]
                .clone();
        assert_eq!(page["totalCount"], 5);
    }
);

const STATEMENT: &str = "query($id: ID!, $period: PeriodInput) { node(id: $id) { ... on Client { statementOfAccount(period: $period) { from to openingBalance closingBalance entries { date kind amount balance invoice { id } discount { id amount } payment { id amount source } } } } } }";

async fn statement(app: &TestApp, token: &str, client: &Value, period: Value) -> Value {
    read(
        app,
        token,
        STATEMENT,
        json!({ "id": client, "period": period }),
    )
    .await["node"]["statementOfAccount"]
        .clone()
}

/// The entries as (date, kind, amount, balance).
fn lines(statement: &Value) -> Vec<(String, String, String, String)> {
    statement["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("{statement}"))
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap().to_string();
            (text("date"), text("kind"), text("amount"), text("balance"))
        })
        .collect()
}

fn line(date: &str, kind: &str, amount: &str, balance: &str) -> (String, String, String, String) {
    (date.into(), kind.into(), amount.into(), balance.into())
}

/// Each entry's balance is the one before plus its amount, from the opening balance to
/// the closing one.
fn assert_runs(statement: &Value) {
    let decimal = |v: &Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    let mut balance = decimal(&statement["openingBalance"]);
    for entry in statement["entries"].as_array().unwrap() {
        balance += decimal(&entry["amount"]);
        assert_eq!(balance, decimal(&entry["balance"]), "{entry}");
    }
    assert_eq!(balance, decimal(&statement["closingBalance"]));
}

db_test!(
    a_statement_of_account_runs_to_what_is_still_owed,
    |config| {
        standing_clock(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        // Five weekly invoices of 10.00, issued at 10:00 in Lima on the 20th.
        let sara = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "63000001",
                first_name: "Sara",
                last_name: "Vega",
                coins: "100.00",
                weeks: 5,
                first_due_date: "2031-11-23",
                ..NewDriver::default()
            },
        )
        .await;
        let i = &sara.invoices;
        let next_day = |day: u32| {
            move_to(&app, utc(2031, 11, day, 15, 0));
        };
        next_day(21);
        let admin = app.login(ADMIN).await;
        let granted = ok(
            &app,
            &admin,
            &discount(),
            json!({ "invoiceId": i[0], "amount": "2.50", "reason": "Bono" }),
        )
        .await;
        next_day(22);
        let admin = app.login(ADMIN).await;
        let parts = json!([
            { "amount": "4.00", "dueDate": "2031-11-29" },
            { "amount": "6.00", "dueDate": "2031-12-06" },
        ]);
        let fractions = ok(
            &app,
            &admin,
            &split(),
            json!({ "invoiceId": i[1], "parts": parts, "reason": "" }),
        )
        .await["fractions"]
            .clone();
        next_day(23);
        let admin = app.login(ADMIN).await;
        ok(
            &app,
            &admin,
            CANCEL,
            json!({ "invoiceId": i[2], "reason": "Acuerdo" }),
        )
        .await;
        next_day(24);
        let driver = app.login_session(("63000001", "maneja2027")).await["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
        let paid = pay(&app, &driver, &i[0]).await;
        assert_eq!(
            paid["data"]["payInvoices"]["payment"]["amount"], "7.50",
            "{paid}"
        );
        next_day(25);
        let admin = app.login(ADMIN).await;
        ok(
            &app,
            &admin,
            &discount(),
            json!({ "invoiceId": fractions[1]["id"], "amount": "1.00", "reason": "Bono" }),
        )
        .await;
        // 23:00 in Lima on the 26th (the 27th in UTC): a frozen invoice is still owed, and a
        // penalty is issued on the 26th.
        move_to(&app, utc(2031, 11, 27, 4, 0));
        let admin = app.login(ADMIN).await;
        ok(
            &app,
            &admin,
            FREEZE,
            json!({ "invoiceId": i[3], "reason": "Taller" }),
        )
        .await;
        ok(
        &app,
        &admin,
        &mutation("addPenalty", "invoice { id }"),
        json!({ "contractId": sara.contract_id, "amount": "5.00", "dueDate": "2031-11-30", "reason": "Mora" }),
    )
    .await;
        next_day(28);
        let admin = app.login(ADMIN).await;

        let week = statement(
            &app,
            &admin,
            &sara.client_id,
            json!({ "from": "2031-11-21", "to": "2031-11-28" }),
        )
        .await;
        assert_eq!(week["from"], "2031-11-21");
        assert_eq!(week["to"], "2031-11-28");
        assert_eq!(week["openingBalance"], "50.00", "{week}");
        assert_eq!(
            lines(&week),
            vec![
                line("2031-11-21", "DISCOUNT", "-2.50", "47.50"),
                line("2031-11-22", "ISSUED", "4.00", "51.50"),
                line("2031-11-22", "ISSUED", "6.00", "57.50"),
                line("2031-11-22", "SPLIT", "-10.00", "47.50"),
                line("2031-11-23", "CANCELLATION", "-10.00", "37.50"),
                line("2031-11-24", "PAYMENT", "-7.50", "30.00"),
                line("2031-11-25", "DISCOUNT", "-1.00", "29.00"),
                line("2031-11-26", "ISSUED", "5.00", "34.00"),
            ]
        );
        assert_eq!(week["closingBalance"], "34.00");
        assert_runs(&week);
        let entries = week["entries"].as_array().unwrap();
        assert_eq!(entries[0]["invoice"]["id"], i[0].as_str());
        assert_eq!(entries[0]["discount"]["id"], granted["discount"]["id"]);
        assert_eq!(entries[1]["invoice"]["id"], fractions[0]["id"]);
        assert_eq!(entries[3]["invoice"]["id"], i[1].as_str());
        assert_eq!(entries[4]["invoice"]["id"], i[2].as_str());
        assert_eq!(entries[5]["payment"]["amount"], "7.50");
        assert_eq!(entries[5]["payment"]["source"], "WALLET");
        assert!(entries[1]["discount"].is_null() && entries[1]["payment"].is_null());

        // The closing balance is what is left to pay on the owed invoices: the fractions
        // (4.00 and 6.00 less 1.00), the frozen invoice, the last one and the penalty.
        assert_eq!(
            owed(&app, &admin, &sara.contract_id).await.to_string(),
            "34.00"
        );

        // The default period is this month to today: everything, from nothing owed.
        let month = statement(&app, &admin, &sara.client_id, json!(null)).await;
        assert_eq!(
            (month["from"].clone(), month["to"].clone()),
            (json!("2031-11-01"), json!("2031-11-28"))
        );
        assert_eq!(month["openingBalance"], "0.00");
        assert_eq!(month["entries"].as_array().unwrap().len(), 13);
        assert_eq!(
            lines(&month)[4],
            line("2031-11-20", "ISSUED", "10.00", "50.00")
        );
        assert_eq!(month["closingBalance"], "34.00");
        assert_runs(&month);
        // A period that ends earlier closes earlier.
        let early = statement(
            &app,
            &admin,
            &sara.client_id,
            json!({ "from": "2031-11-20", "to": "2031-11-22" }),
        )
        .await;
        assert_eq!(early["closingBalance"], "47.50");
        assert_runs(&early);

        // The driver reads their own, as staff do.
        let driver = app.login_session(("63000001", "maneja2027")).await["accessToken"]
            .as_str()
            .unwrap()
            .to_string();
        let own = read(
        &app,
        &driver,
        "query($period: PeriodInput) { me { ... on Client { statementOfAccount(period: $period) { openingBalance closingBalance entries { date kind amount balance } } } } }",
        json!({ "period": { "from": "2031-11-21", "to": "2031-11-28" } }),
    )
    .await["me"]["statementOfAccount"].clone();
        assert_eq!(lines(&own), lines(&week));
        assert_eq!(own["closingBalance"], "34.00");
        let collector = app.login(COLLECTOR).await;
        let seen = statement(
            &app,
            &collector,
            &sara.client_id,
            json!({ "from": "2031-11-21", "to": "2031-11-28" }),
        )
        .await;
        assert_eq!(seen, week);

        // The demo driver's, made of the demo data (paid invoices without payments,
        // discounts without a date, fractions without a parent): the same invariant.
        let demo = demo_driver_id(&app, &admin).await;
        let theirs = statement(&app, &admin, &demo, json!({})).await;
        assert_runs(&theirs);
        let contracts = read(
            &app,
            &admin,
            "query($id: ID!) { node(id: $id) { ... on Client { contracts { id } } } }",
            json!({ "id": demo }),
        )
        .await;
        let mut still_owed = rust_decimal::Decimal::ZERO;
        for contract in contracts["node"]["contracts"].as_array().unwrap() {
            still_owed += owed(&app, &admin, contract["id"].as_str().unwrap()).await;
        }
        assert_eq!(theirs["closingBalance"], still_owed.to_string(), "{theirs}");
        // A period of more than a year is refused.
        assert_eq!(
        refusal(&app, Some(admin.as_str()), STATEMENT, json!({ "id": sara.client_id, "period": { "from": "2030-01-01", "to": "2031-11-28" } })).await,
        "BAD_USER_INPUT"
    );
    }
);

db_test!(
    collections_are_for_the_organizations_staff_only,
    |config| {
        standing_clock(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        let ana = onboard_driver(
            &app,
            &admin,
            &NewDriver {
                document: "65000001",
                first_name: "Ana",
                last_name: "Quispe",
                weeks: 2,
                first_due_date: "2031-11-10",
                ..NewDriver::default()
            },
        )
        .await;
        let queries = [
            (OVERDUE, json!({})),
            (
                "query($period: PeriodInput!) { collections(period: $period) { totals { total } } }",
                json!({ "period": {} }),
            ),
            (EXPIRING, json!({ "days": 30 })),
        ];
        // A driver: FORBIDDEN, whatever the arguments; nobody logged in: UNAUTHENTICATED.
        let driver = app.login(DRIVER).await;
        for (query, variables) in &queries {
            assert_eq!(
                refusal(&app, Some(driver.as_str()), query, variables.clone()).await,
                "FORBIDDEN",
                "{query}"
            );
            assert_eq!(
                refusal(&app, None, query, variables.clone()).await,
                "UNAUTHENTICATED",
                "{query}"
            );
        }
        assert_eq!(
            refusal(&app, Some(driver.as_str()), EXPIRING, json!({ "days": -1 })).await,
            "FORBIDDEN"
        );
        // A driver reads no other driver's statement: their Client is not found.
        let other = read(&app, &driver, STATEMENT, json!({ "id": ana.client_id })).await;
        assert!(other["node"].is_null(), "{other}");
        assert_eq!(
            refusal(&app, None, STATEMENT, json!({ "id": ana.client_id })).await,
            "UNAUTHENTICATED"
        );

        // Another organization's ADMIN sees none of this organization's rows.
        app.add_user("otra-flota", "99000001", "clave1234", Role::Admin)
            .await;
        let stranger = app.login(("99000001", "clave1234")).await;
        let page = overdue(&app, &stranger, json!(null), 20).await;
        assert_eq!(page["totalCount"], 0);
        assert_eq!(totals(&page).1, (0, "0.00".to_string()));
        let page = overdue(&app, &stranger, json!({ "clientId": ana.client_id }), 20).await;
        assert_eq!(page["totalCount"], 0);
        let received = read(&app, &stranger, "query($period: PeriodInput!) { collections(period: $period) { days { date } totals { total } } }", json!({ "period": { "from": "2031-10-01", "to": "2031-11-30" } })).await;
        assert_eq!(received["collections"]["days"], json!([]));
        assert_eq!(received["collections"]["totals"]["total"], "0.00");
        let papers = read(&app, &stranger, EXPIRING, json!({ "days": 3650 })).await;
        assert_eq!(papers["carDocumentsExpiring"]["totalCount"], 0);
        let node = read(&app, &stranger, STATEMENT, json!({ "id": ana.client_id })).await;
        assert!(node["node"].is_null(), "{node}");
        // The same organization's staff see Ana's overdue invoices.
        let page = overdue(&app, &admin, json!({ "clientId": ana.client_id }), 20).await;
        assert_eq!(page["totalCount"], 2);

        // Bad arguments: BAD_USER_INPUT, never INTERNAL.
        for (query, variables) in [
            (
                OVERDUE,
                json!({ "filter": { "clientId": ana.contract_id } }),
            ),
            (OVERDUE, json!({ "filter": { "clientId": "nope" } })),
            (OVERDUE, json!({ "filter": { "search": "x".repeat(101) } })),
            (OVERDUE, json!({ "first": 101 })),
            (OVERDUE, json!({ "after": "nope" })),
            (EXPIRING, json!({ "days": 30, "first": -1 })),
        ] {
            assert_eq!(
                refusal(&app, Some(admin.as_str()), query, variables.clone()).await,
                "BAD_USER_INPUT",
                "{variables}"
            );
        }
    }
);

db_test!(
    a_page_of_many_costs_the_statements_of_a_page_of_one,
    |config| {
        standing_clock(config);
    },
    |app| {
        let admin = app.login(ADMIN).await;
        // Named to come first among the drivers, each with a discount and a payment.
        for (document, last_name) in [
            ("66000001", "Aaron"),
            ("66000002", "Abad"),
            ("66000003", "Acosta"),
        ] {
            let d = onboard_driver(
                &app,
                &admin,
                &NewDriver {
                    document,
                    last_name,
                    weeks: 4,
                    first_due_date: "2031-11-03",
                    ..NewDriver::default()
                },
            )
            .await;
            ok(
                &app,
                &admin,
                &discount(),
                json!({ "invoiceId": d.invoices[0], "amount": "1.00", "reason": "Bono" }),
            )
            .await;
            let paid = pay(&app, &d.token, &d.invoices[1]).await;
            assert_eq!(
                paid["data"]["payInvoices"]["userErrors"],
                json!([]),
                "{paid}"
            );
        }
        let admin = app.login(ADMIN).await;
        let cost = |query: &'static str, n: i32| {
            let app = &app;
            let admin = admin.clone();
            async move {
                let before = app.statements();
                let data = read(app, &admin, query, json!({ "n": n })).await;
                (app.statements() - before, data)
            }
        };
        let cases: [(&str, &str, [i32; 2]); 3] = [
            (
                "query($n: Int!) { overdueInvoices(first: $n) { totalCount totals { count } nodes { daysOverdue amountToPay client { fullName } contract { hash } invoice { type { code } discounts { amount } } } } }",
                "overdueInvoices",
                // Theirs and the demo driver's.
                [1, 15],
            ),
            (
                "query($n: Int!) { carDocumentsExpiring(days: 3650, first: $n) { totalCount nodes { expiresInDays document { kind expiresInDays } car { licensePlate } contract { hash } client { fullName } } } }",
                "carDocumentsExpiring",
                [1, 10],
            ),
            (
                "query($n: Int!) { clients(first: $n) { nodes { statementOfAccount { closingBalance entries { kind invoice { dueDate } discount { amount } payment { amount } } } } } }",
                "clients",
                [1, 3],
            ),
        ];
        for (query, field, [few, many]) in cases {
            let (one, small) = cost(query, few).await;
            let (all, large) = cost(query, many).await;
            assert_eq!(
                small[field]["nodes"].as_array().unwrap().len(),
                few as usize,
                "{small}"
            );
            assert_eq!(
                large[field]["nodes"].as_array().unwrap().len(),
                many as usize,
                "{large}"
            );
            assert_eq!(one, all, "{field}: statements for {few} and {many} rows");
            assert!(all <= 10, "{field}: {all} statements");
        }
    }
);
