//! Issue 19's proof: a leasing company run from an empty database in production, on
//! SQLite and PostgreSQL. The operator's CLI creates the organization and its ADMIN;
//! from then on everything goes through GraphQL: a COLLECTOR joins, a lead asks for a
//! car and becomes a driver who logs in, a 52-week contract is signed, the COLLECTOR
//! records cash, the driver pays two invoices, the ADMIN freezes, splits, penalises and
//! discounts; overdue invoices, collections and the driver's statement of account add up
//! to the cent, and the audit log lists every staff step in order.

use chrono::{TimeZone, Utc};
use gateway::domain::commons::Clock;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::{
    bootstrap::{gateway, json_out, production},
    common::{TestApp, back_office::pay, ok},
    db_test,
};

/// 10:00 in Lima on Wednesday 2027-03-10.
fn at_ten_in_lima(config: &mut gateway::config::Config) {
    production(config);
    config.clock = Clock::Fixed(Utc.with_ymd_and_hms(2027, 3, 10, 15, 0, 0).unwrap());
}

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not an amount: {value}"))
        .parse()
        .unwrap()
}

async fn accept(app: &TestApp, token: &Value, password: &str) -> String {
    let body = app
        .gql(
            "mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { session { accessToken } userErrors { code } } }",
            json!({ "input": { "token": token, "password": password, "confirmation": password } }),
            None,
        )
        .await;
    body["data"]["acceptInvitation"]["session"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn query(app: &TestApp, token: &str, document: &str, variables: Value) -> Value {
    let body = app.gql(document, variables, Some(token)).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

db_test!(
    a_leasing_company_runs_from_an_empty_database,
    |config| { at_ten_in_lima(config) },
    |app| {
        // The operator, at the command line.
        json_out(
            &gateway(
                &app,
                &[
                    "organization",
                    "create",
                    "--name",
                    "Leasy Lima",
                    "--slug",
                    "leasy-lima",
                ],
                None,
            )
            .await,
        );
        json_out(
            &gateway(
                &app,
                &[
                    "user",
                    "create",
                    "--organization",
                    "leasy-lima",
                    "--role",
                    "ADMIN",
                    "--document",
                    "40404040",
                    "--first-name",
                    "Ana",
                    "--last-name",
                    "Ruiz",
                    "--password-stdin",
                ],
                Some("jefa2027\n"),
            )
            .await,
        );
        let admin = app.login(("40404040", "jefa2027")).await;

        // A COLLECTOR joins.
        let member = ok(
            &app,
            &admin,
            "mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { invitation { token } userErrors { code } } }",
            json!({ "role": "COLLECTOR", "document": "60606060", "firstName": "Rosa", "lastName": "Paz" }),
        )
        .await;
        let collector = accept(&app, &member["invitation"]["token"], "cobra2027").await;

        // A lead asks for a car, anonymously, and becomes a driver who logs in.
        let lead = app
            .gql(
                "mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } userErrors { field code } } }",
                json!({ "input": {
                    "organization": "leasy-lima", "firstName": "Jorge", "lastName": "Ramos",
                    "document": "45454545", "phoneNumber": "987654321",
                    "email": "jorge@correo.pe", "carOfInterest": "NEW",
                } }),
                None,
            )
            .await;
        let lead_id = lead["data"]["createLead"]["lead"]["id"].clone();
        assert!(lead_id.is_string(), "{lead}");
        let converted = ok(
            &app,
            &admin,
            "mutation($input: ConvertLeadInput!) { convertLead(input: $input) { client { id } invitation { token } userErrors { code } } }",
            json!({ "leadId": lead_id, "address": "Av. Arequipa 123" }),
        )
        .await;
        let client = converted["client"]["id"].clone();
        accept(&app, &converted["invitation"]["token"], "maneja2027").await;
        let driver = app.login(("45454545", "maneja2027")).await;

        // A 52-week contract of 525.00, the first week due on Monday 2027-01-04.
        let signed = ok(
            &app,
            &admin,
            "mutation($input: CreateContractInput!) { createContract(input: $input) { contract { id invoices(first: 100) { nodes { id dueDate total } } } userErrors { code } } }",
            json!({
                "clientId": client, "weeklyAmount": "525.00", "firstDueDate": "2027-01-04", "weeks": 52,
                "car": { "brand": "Toyota", "model": "Yaris", "licensePlate": "BXK-123", "year": 2025 },
            }),
        )
        .await;
        let contract = signed["contract"]["id"].clone();
        let mut weeks: Vec<(String, String)> = signed["contract"]["invoices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["dueDate"].as_str().unwrap().into(),
                    i["id"].as_str().unwrap().into(),
                )
            })
            .collect();
        weeks.sort();
        assert_eq!(weeks.len(), 52);
        let week = |n: usize| weeks[n].1.clone();

        // Cash in, then the driver pays the first two weeks.
        ok(
            &app,
            &collector,
            "mutation($input: RecordRechargeInput!) { recordRecharge(input: $input) { balance userErrors { code } } }",
            json!({ "clientId": client, "amount": "1200.00", "method": "Efectivo", "idempotencyKey": "journey-recharge-0001" }),
        )
        .await;
        for n in [0, 1] {
            let paid = pay(&app, &driver, &week(n)).await;
            assert_eq!(
                paid["data"]["payInvoices"]["payment"]["amount"], "525.00",
                "{paid}"
            );
        }

        // The back office: week 3 frozen, week 4 split in three, a penalty, week 5
        // discounted.
        let reason = |invoice: String| json!({ "invoiceId": invoice, "reason": "Auto en taller" });
        ok(
            &app,
            &admin,
            "mutation($input: InvoiceReasonInput!) { freezeInvoice(input: $input) { invoice { id } userErrors { code } } }",
            reason(week(2)),
        )
        .await;
        ok(
            &app,
            &admin,
            "mutation($input: SplitInvoiceInput!) { splitInvoice(input: $input) { invoice { id } userErrors { field code } } }",
            json!({ "invoiceId": week(3), "reason": "Acuerdo de pago", "parts": [
                { "amount": "175.00", "dueDate": "2027-03-15" },
                { "amount": "175.00", "dueDate": "2027-03-22" },
                { "amount": "175.00", "dueDate": "2027-03-29" },
            ] }),
        )
        .await;
        ok(
            &app,
            &admin,
            "mutation($input: AddPenaltyInput!) { addPenalty(input: $input) { invoice { id } userErrors { field code } } }",
            json!({ "contractId": contract, "amount": "80.00", "dueDate": "2027-03-12", "reason": "Papeleta" }),
        )
        .await;
        ok(
            &app,
            &admin,
            "mutation($input: AddInvoiceDiscountInput!) { addInvoiceDiscount(input: $input) { invoice { id } userErrors { field code } } }",
            json!({ "invoiceId": week(4), "amount": "25.00", "reason": "Bono de puntualidad" }),
        )
        .await;

        // Overdue, counted in Lima days: week 5 (due 02-01, 37 days, 500.00 after its
        // discount), weeks 6 to 9 (8 to 30 days) and week 10 (due 03-08, 2 days). The
        // frozen and the split invoices are not; the fractions and the penalty are not
        // due yet.
        let overdue = query(
            &app,
            &collector,
            "{ overdueInvoices(first: 50) { totalCount nodes { daysOverdue amountToPay bucket invoice { dueDate } } totals { count amount buckets { bucket count amount } } } }",
            json!({}),
        )
        .await;
        let overdue = &overdue["overdueInvoices"];
        assert_eq!(overdue["totalCount"], 6, "{overdue}");
        assert_eq!(overdue["totals"]["count"], 6);
        assert_eq!(overdue["totals"]["amount"], "3125.00");
        let bucket = |name: &str| -> (i64, Decimal) {
            overdue["totals"]["buckets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["bucket"] == name)
                .map(|b| (b["count"].as_i64().unwrap(), money(&b["amount"])))
                .unwrap_or((0, Decimal::ZERO))
        };
        assert_eq!(bucket("DAYS_1_TO_7"), (1, Decimal::new(52_500, 2)));
        assert_eq!(bucket("DAYS_8_TO_30"), (4, Decimal::new(210_000, 2)));
        assert_eq!(bucket("DAYS_31_TO_60"), (1, Decimal::new(50_000, 2)));
        assert_eq!(bucket("OVER_60"), (0, Decimal::ZERO));
        let oldest = &overdue["nodes"][0];
        assert_eq!(oldest["invoice"]["dueDate"], "2027-02-01");
        assert_eq!(oldest["daysOverdue"], 37);
        assert_eq!(oldest["amountToPay"], "500.00");

        // Collections of March: the cash recharged and the two payments, today.
        let collected = query(
            &app,
            &admin,
            "{ collections(period: { from: \"2027-03-01\", to: \"2027-03-31\" }) { days { date amounts { walletPayments autoCharges cashRecharges total } } totals { walletPayments autoCharges cashRecharges total } } }",
            json!({}),
        )
        .await;
        let collected = &collected["collections"];
        let march = json!({ "walletPayments": "1050.00", "autoCharges": "0.00", "cashRecharges": "1200.00", "total": "2250.00" });
        assert_eq!(collected["totals"], march, "{collected}");
        assert_eq!(
            collected["days"],
            json!([{ "date": "2027-03-10", "amounts": march }])
        );

        // The statement of account closes on what is left to pay on the owed invoices:
        // 52 weeks, less the two paid and the split one, plus its three fractions and the
        // penalty, less the discount.
        let statement = query(
            &app,
            &admin,
            "query($id: ID!) { node(id: $id) { ... on Client { statementOfAccount(period: { from: \"2027-03-01\", to: \"2027-03-10\" }) { openingBalance closingBalance entries { kind amount balance } } } } }",
            json!({ "id": client }),
        )
        .await;
        let statement = &statement["node"]["statementOfAccount"];
        let expected = Decimal::new(
            52 * 52_500 - 2 * 52_500 - 52_500 + 3 * 17_500 + 8_000 - 2_500,
            2,
        );
        assert_eq!(money(&statement["closingBalance"]), expected, "{statement}");
        let entries = statement["entries"].as_array().unwrap();
        let mut running = money(&statement["openingBalance"]);
        for entry in entries {
            running += money(&entry["amount"]);
            assert_eq!(money(&entry["balance"]), running, "{entry}");
        }
        assert_eq!(running, expected);
        let owed = query(
            &app,
            &driver,
            "query($id: ID!) { node(id: $id) { ... on Contract { invoices(first: 100) { nodes { status totalWithDiscount } } } } }",
            json!({ "id": contract }),
        )
        .await;
        let owed: Decimal = owed["node"]["invoices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                matches!(
                    i["status"].as_str(),
                    Some("PENDING" | "FRACTION" | "FROZEN")
                )
            })
            .map(|i| money(&i["totalWithDiscount"]))
            .sum();
        assert_eq!(owed, expected, "what the driver sees they owe");

        // The audit log: every staff step, in order, by whom.
        let trail = query(
            &app,
            &admin,
            "{ auditLog(first: 50) { nodes { operation author { __typename ... on StaffUser { document } } } } }",
            json!({}),
        )
        .await;
        let steps: Vec<(String, String)> = trail["auditLog"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["operation"].as_str().unwrap().to_string(),
                    n["author"]["document"]
                        .as_str()
                        .unwrap_or("cli")
                        .to_string(),
                )
            })
            .collect();
        let expected_steps: Vec<(String, String)> = [
            ("createOrganization", "cli"),
            ("createUser", "cli"),
            ("createStaffUser", "40404040"),
            // The lead marked converted, and the driver it became.
            ("convertLead", "40404040"),
            ("convertLead", "40404040"),
            ("createContract", "40404040"),
            ("recordRecharge", "60606060"),
            ("freezeInvoice", "40404040"),
            ("splitInvoice", "40404040"),
            ("addPenalty", "40404040"),
            ("addInvoiceDiscount", "40404040"),
        ]
        .iter()
        .map(|(o, a)| (o.to_string(), a.to_string()))
        .collect();
        assert_eq!(steps, expected_steps);
    }
);
