//! Invoice documents: the PDF route (parsed back with a PDF crate), and emailing an
//! invoice through the outbox to a local SMTP sink started by the test.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{TimeDelta, TimeZone, Utc};
use gateway::{
    domain::outbox::{self, DeliveryReport, Smtp},
    entities::{email_outbox, email_outbox::OutboxStatus},
};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::{
    book_transactions::noon_in_lima,
    business::{create_invoice_mutation, new_invoice},
    common::{ADMIN, DRIVER, TestApp, ok, raw_id, run, smtp::SmtpSink},
    db_test,
};

const SEND: &str = "mutation($input: SendInvoiceInput!) { sendInvoice(input: $input) { email { recipient subject body attachmentName status attempts lastError nextAttemptAt sentAt } userErrors { field code message } } }";

async fn get_pdf(
    app: &TestApp,
    path: &str,
    authorization: Option<&str>,
) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(auth) = authorization {
        request = request.header(header::AUTHORIZATION, auth);
    }
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    let content_type = reply
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    // `send` keeps the body as text; the PDF route's bytes are read again raw.
    let _ = reply.text;
    (reply.status, content_type, Vec::new())
}

/// The raw bytes of a GET through the router.
async fn get_bytes(app: &TestApp, path: &str, authorization: &str) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let router = gateway::http::router(app.app.clone());
    let response = router
        .oneshot(
            Request::get(path)
                .header(header::AUTHORIZATION, authorization)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, bytes.to_vec())
}

fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF a PDF crate can read");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    document.extract_text(&pages).expect("its text")
}

db_test!(an_invoice_pdf_has_its_number_customer_and_total, |app| {
    let admin = app.login(ADMIN).await;
    let invoice = new_invoice(
        &app,
        &admin,
        json!({
            "customer": { "name": "Transportes Peru SAC", "nationalId": "20100047218", "address": "Av. Arequipa 123" },
            "items": [
                { "description": "Alquiler semanal de flota", "quantity": "4", "unitAmount": "350" },
                { "description": "Seguro vehicular", "unitAmount": "49.90" }
            ],
            "additionalInfo": "Pago por transferencia"
        }),
    )
    .await;
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on SalesInvoice { pdfPath } } }",
            json!({ "id": invoice["id"] }),
            Some(&admin),
        )
        .await;
    let path = body["data"]["node"]["pdfPath"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        path,
        format!(
            "/documents/invoices/{}.pdf",
            invoice["id"].as_str().unwrap()
        )
    );
    let (status, bytes) = get_bytes(&app, &path, &format!("Bearer {admin}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = pdf_text(&bytes);
    let number = invoice["number"].as_str().unwrap();
    // 4 x 350 + 49.90 = 1449.90; 18 % = 260.982 -> 260.98; total 1710.88.
    assert_eq!(invoice["total"], "1710.88");
    for expected in [
        format!("FACTURA {number}"),
        "Transportes Peru SAC".to_string(),
        "20100047218".to_string(),
        "Alquiler semanal de flota".to_string(),
        "1710.88".to_string(),
        "260.98".to_string(),
        "Leasy Demo".to_string(),
    ] {
        assert!(
            text.contains(&expected),
            "{expected:?} is not in the PDF's text: {text}"
        );
    }

    // Authorized like the API: an API token works; no token, a driver, another
    // organization or another kind of ID do not.
    let created = app
        .gql(
            "mutation { createApiToken(input: { name: \"Archivo\" }) { secret } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .unwrap();
    let (status, bytes) = get_bytes(&app, &path, &format!("Token token={secret}")).await;
    assert_eq!(
        (status, bytes.starts_with(b"%PDF-")),
        (StatusCode::OK, true)
    );
    let (status, _, _) = get_pdf(&app, &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = get_pdf(&app, &path, Some("Bearer not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let driver = app.login(DRIVER).await;
    let (status, _, _) = get_pdf(&app, &path, Some(&format!("Bearer {driver}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.add_user(
        "otra-empresa",
        "99999999",
        "clave1234",
        gateway::entities::user::Role::Admin,
    )
    .await;
    let other = app.login(("99999999", "clave1234")).await;
    let (status, _, _) = get_pdf(&app, &path, Some(&format!("Bearer {other}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, content_type, _) = get_pdf(
        &app,
        &format!(
            "/documents/invoices/{}.pdf",
            invoice["customer"]["id"].as_str().unwrap()
        ),
        Some(&format!("Bearer {admin}")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(content_type.starts_with("text/plain"));
});

db_test!(
    emailed_invoices_wait_in_the_outbox_until_smtp_delivers_them,
    |config| { noon_in_lima(config) },
    |app| {
        let admin = app.login(ADMIN).await;
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 17, 0, 0).unwrap();
        let invoice = new_invoice(
            &app,
            &admin,
            json!({
                "customer": { "name": "Cliente Correo", "nationalId": "40506070", "email": "pagos@cliente.pe" },
                "items": [{ "description": "Servicio", "unitAmount": "100" }]
            }),
        )
        .await;

        // No SMTP server configured (the tests' default): the email is queued and says so.
        let queued = ok(
            &app,
            &admin,
            SEND,
            json!({ "invoiceId": invoice["id"], "message": "Adjuntamos su factura." }),
        )
        .await["email"]
            .clone();
        assert_eq!(queued["recipient"], "pagos@cliente.pe");
        assert_eq!(queued["status"], "QUEUED");
        assert_eq!(queued["attempts"], 0);
        assert_eq!(queued["lastError"], outbox::NOT_CONFIGURED);
        assert_eq!(queued["body"], "Adjuntamos su factura.");
        let number = invoice["number"].as_str().unwrap();
        assert_eq!(queued["attachmentName"], format!("factura-{number}.pdf"));
        assert_eq!(queued["subject"], format!("Factura {number} de Leasy Demo"));

        // The sender delivers it to the sink, the PDF attached.
        let sink = SmtpSink::start().await;
        let smtp = Smtp::new(&sink.url(), "facturacion@leasy.pe").unwrap();
        let report = outbox::deliver_due(&app.app.state.db, &smtp, now)
            .await
            .unwrap();
        assert_eq!(
            report,
            DeliveryReport {
                sent: 1,
                retried: 0,
                failed: 0
            }
        );
        let received = sink.received();
        assert_eq!(received.len(), 1);
        let message = &received[0];
        assert_eq!(message.to, vec!["<pagos@cliente.pe>"]);
        assert_eq!(message.from, "<facturacion@leasy.pe>");
        assert!(
            message
                .data
                .contains(&format!("Subject: Factura {number} de Leasy Demo")),
            "{}",
            message.data
        );
        assert!(
            message.data.contains("Content-Type: application/pdf"),
            "{}",
            message.data
        );
        assert!(
            message
                .data
                .contains(&format!("filename=\"factura-{number}.pdf\"")),
            "{}",
            message.data
        );
        // The attachment is the invoice's PDF.
        let encoded: String = message
            .data
            .split("Content-Transfer-Encoding: base64")
            .nth(1)
            .expect("a base64 part")
            .split("\n\n")
            .nth(1)
            .expect("its body")
            .split("--")
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        let pdf = STANDARD.decode(encoded).expect("base64");
        assert!(pdf_text(&pdf).contains(&format!("FACTURA {number}")));
        let emails = app
            .gql(
                "query($id: ID!) { node(id: $id) { ... on SalesInvoice { emails { status attempts lastError sentAt nextAttemptAt } } } }",
                json!({ "id": invoice["id"] }),
                Some(&admin),
            )
            .await;
        assert_eq!(
            emails["data"]["node"]["emails"],
            json!([{ "status": "SENT", "attempts": 1, "lastError": null, "sentAt": "2026-11-24T17:00:00+00:00", "nextAttemptAt": null }])
        );
        // Sent once: another run finds nothing to do.
        let again = outbox::deliver_due(&app.app.state.db, &smtp, now)
            .await
            .unwrap();
        assert_eq!(again, DeliveryReport::default());
        assert_eq!(sink.received().len(), 1);

        // `sendByEmail` on create queues it with the invoice; a temporary refusal is
        // retried later, a permanent one is FAILED with the reason.
        let created = run(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({
                "customer": { "id": invoice["customer"]["id"] },
                "items": [{ "description": "Otro", "unitAmount": "5" }],
                "sendByEmail": true,
                "emailMessage": "Su factura"
            }),
        )
        .await;
        assert_eq!(created["userErrors"], json!([]), "{created}");
        sink.reply_to_recipients("451 try again later");
        let report = outbox::deliver_due(&app.app.state.db, &smtp, now)
            .await
            .unwrap();
        assert_eq!(
            report,
            DeliveryReport {
                sent: 0,
                retried: 1,
                failed: 0
            }
        );
        let last = last_email(&app).await;
        assert_eq!((last.status, last.attempts), (OutboxStatus::Queued, 1));
        assert!(last.last_error.contains("451"), "{}", last.last_error);
        assert_eq!(last.next_attempt_at, now + TimeDelta::seconds(30));
        // Not due yet: nothing is attempted.
        let early = outbox::deliver_due(&app.app.state.db, &smtp, now + TimeDelta::seconds(29))
            .await
            .unwrap();
        assert_eq!(early, DeliveryReport::default());
        sink.reply_to_recipients("550 no such mailbox");
        let later = now + TimeDelta::seconds(30);
        let report = outbox::deliver_due(&app.app.state.db, &smtp, later)
            .await
            .unwrap();
        assert_eq!(
            report,
            DeliveryReport {
                sent: 0,
                retried: 0,
                failed: 1
            }
        );
        let last = last_email(&app).await;
        assert_eq!((last.status, last.attempts), (OutboxStatus::Failed, 2));
        assert!(last.last_error.contains("550"), "{}", last.last_error);
        assert_eq!(sink.received().len(), 1);

        // An unreachable server is a temporary failure too.
        ok(&app, &admin, SEND, json!({ "invoiceId": invoice["id"] })).await;
        let closed = Smtp::new("smtp://127.0.0.1:1", "facturacion@leasy.pe").unwrap();
        let report = outbox::deliver_due(&app.app.state.db, &closed, later)
            .await
            .unwrap();
        assert_eq!(
            report,
            DeliveryReport {
                sent: 0,
                retried: 1,
                failed: 0
            }
        );

        // A customer without email needs `to`; bad input queues nothing.
        let no_email = new_invoice(
            &app,
            &admin,
            json!({ "customer": { "name": "Sin Correo", "nationalId": "40506071" }, "items": [{ "description": "x", "unitAmount": "1" }] }),
        )
        .await;
        let before = email_outbox::Entity::find()
            .all(&app.app.state.db)
            .await
            .unwrap()
            .len();
        let refused = run(&app, &admin, SEND, json!({ "invoiceId": no_email["id"] })).await;
        assert_eq!(refused["userErrors"][0]["field"], json!(["to"]));
        assert_eq!(refused["userErrors"][0]["code"], "REQUIRED");
        let refused = run(
            &app,
            &admin,
            &create_invoice_mutation(),
            json!({ "customer": { "id": no_email["customer"]["id"] }, "items": [{ "description": "x", "unitAmount": "1" }], "sendByEmail": true }),
        )
        .await;
        assert_eq!(
            refused["userErrors"][0]["field"],
            json!(["customer", "email"])
        );
        assert_eq!(refused["salesInvoice"], Value::Null);
        let sent = ok(
            &app,
            &admin,
            SEND,
            json!({ "invoiceId": no_email["id"], "to": "otro@cliente.pe" }),
        )
        .await;
        assert_eq!(sent["email"]["recipient"], "otro@cliente.pe");
        assert_eq!(
            email_outbox::Entity::find()
                .all(&app.app.state.db)
                .await
                .unwrap()
                .len(),
            before + 1
        );
        assert!(raw_id(&no_email["id"]) > 0);
    }
);

async fn last_email(app: &TestApp) -> email_outbox::Model {
    email_outbox::Entity::find()
        .order_by_desc(email_outbox::Column::Id)
        .one(&app.app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// A 401 of the PDF route carries the RFC 6750 challenge, as `/graphql`'s does: `Bearer`
/// alone without credentials, the error and its description otherwise. Before, it was
/// plain text with no `WWW-Authenticate`.
#[tokio::test]
async fn a_document_refused_for_want_of_credentials_says_how_to_authenticate() {
    let app = TestApp::sqlite(|_| {}).await;
    let challenge = |authorization: Option<&'static str>| {
        let app = &app;
        async move {
            let mut request = Request::get("/documents/invoices/x.pdf");
            if let Some(auth) = authorization {
                request = request.header(header::AUTHORIZATION, auth);
            }
            let reply = app.send(request.body(Body::empty()).unwrap()).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
            reply
                .headers
                .get(header::WWW_AUTHENTICATE)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        }
    };
    assert_eq!(challenge(None).await, "Bearer");
    let forged = challenge(Some("Bearer not-a-token")).await;
    assert!(
        forged.starts_with("Bearer error=\"invalid_token\", error_description=\""),
        "{forged}"
    );
    let malformed = challenge(Some("Basic dXNlcjpwYXNz")).await;
    assert!(
        malformed.starts_with("Bearer error=\"invalid_request\""),
        "{malformed}"
    );
}
