//! Business (Infinanza): customers, sales invoices paid, pending and overdue, and
//! receipts, so that the playground's business queries show something. The ADMIN keeps
//! them through the business mutations, each on its day: a customer on the day of their
//! first invoice, an invoice or a bill on its date, its payment on the day it was paid.
//! Paid ones are paid before this month, so that this month's listings of the business
//! book start empty.

use chrono::{NaiveDate, TimeDelta};
use rust_decimal::Decimal;

use super::{Office, SeedError};
use crate::domain::{
    DomainError,
    business::{
        customers::{self, CustomerFields},
        invoices::{self, CustomerRef, NewInvoice, NewItem},
        receipts::{self, NewReceipt},
    },
    commons::{Calendar, CustomerId, Id, ReceiptId, SalesInvoiceId},
};

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

/// A sales invoice: (customer, date, due date, items as (description, quantity, unit
/// amount in cents), paid on, additional info).
type DemoInvoice = (
    usize,
    NaiveDate,
    NaiveDate,
    &'static [(&'static str, i64, i64)],
    Option<NaiveDate>,
    &'static str,
);

/// A receipt: (concept, date, due date, amount in cents, paid on).
type DemoReceipt = (&'static str, NaiveDate, NaiveDate, i64, Option<NaiveDate>);

/// Two invoices paid before this month, one overdue and one pending; Infinanza's example
/// invoice (10000 before tax) is the second.
fn demo_invoices(today: NaiveDate) -> [DemoInvoice; 4] {
    let d = Days::new(today);
    [
        (
            0,
            d.before_month(40),
            d.before_month(10),
            &[("Alquiler semanal de flota (4 autos)", 4, 35_000)],
            Some(d.before_month(5)),
            "Semana 1",
        ),
        (
            1,
            d.before_month(20),
            d.before_month(5),
            &[("Product 1", 1, 600_000), ("Product 2", 1, 400_000)],
            Some(d.before_month(2)),
            "Información adicional",
        ),
        (
            0,
            d.before(45),
            d.before(15),
            &[("Mantenimiento preventivo", 2, 18_050)],
            None,
            "",
        ),
        (
            2,
            d.before(3),
            d.after(27),
            &[
                ("Alquiler semanal", 1, 35_000),
                ("Seguro vehicular", 1, 4_990),
            ],
            None,
            "Pago por transferencia BCP",
        ),
    ]
}

/// A bill paid before this month, one overdue and one pending.
fn demo_receipts(today: NaiveDate) -> [DemoReceipt; 3] {
    let d = Days::new(today);
    [
        (
            "Agua",
            d.before_month(25),
            d.before_month(10),
            13_200,
            Some(d.before_month(12)),
        ),
        ("Internet", d.before(40), d.before(10), 2_200, None),
        (
            "Alquiler de oficina",
            d.before(2),
            d.after(12),
            250_000,
            None,
        ),
    ]
}

/// Days counted from today, as the demo's documents are dated.
struct Days {
    today: NaiveDate,
    month_start: NaiveDate,
}

impl Days {
    fn new(today: NaiveDate) -> Self {
        Self {
            today,
            month_start: Calendar::month_start(today),
        }
    }

    fn before(&self, days: i64) -> NaiveDate {
        self.today - TimeDelta::days(days)
    }

    fn after(&self, days: i64) -> NaiveDate {
        self.today + TimeDelta::days(days)
    }

    /// `days` days before this month began.
    fn before_month(&self, days: i64) -> NaiveDate {
        self.month_start - TimeDelta::days(days)
    }
}

/// One thing the ADMIN does, on the day it is listed with.
#[derive(Clone, Copy)]
enum Step {
    Customer(usize),
    Invoice(usize),
    InvoicePaid(usize),
    Receipt(usize),
    ReceiptPaid(usize),
}

/// Each document is made on its day by the mutation the back office sends, as the ADMIN
/// (the first one creates the business book), so that numbers, incomes and expenses in
/// the business book, and the audit trail, are what the API itself would have left.
pub(super) async fn seed_business(office: &Office<'_>) -> Result<(), SeedError> {
    let invoices = demo_invoices(office.today());
    let receipts = demo_receipts(office.today());
    let mut steps = Vec::new();
    for i in 0..DEMO_CUSTOMERS.len() {
        let first = invoices
            .iter()
            .filter(|inv| inv.0 == i)
            .map(|inv| inv.1)
            .min();
        steps.extend(first.map(|date| (date, Step::Customer(i))));
    }
    for (i, (_, date, _, _, paid_on, _)) in invoices.iter().enumerate() {
        steps.push((*date, Step::Invoice(i)));
        steps.extend(paid_on.map(|on| (on, Step::InvoicePaid(i))));
    }
    for (i, (_, date, _, _, paid_on)) in receipts.iter().enumerate() {
        steps.push((*date, Step::Receipt(i)));
        steps.extend(paid_on.map(|on| (on, Step::ReceiptPaid(i))));
    }
    // Stable: a customer comes before their invoice of the same day, a document before
    // its payment.
    steps.sort_by_key(|(date, _)| *date);

    let mut customer_ids: Vec<Option<CustomerId>> = vec![None; DEMO_CUSTOMERS.len()];
    let mut invoice_ids: Vec<Option<SalesInvoiceId>> = vec![None; invoices.len()];
    let mut receipt_ids: Vec<Option<ReceiptId>> = vec![None; receipts.len()];
    for (date, step) in steps {
        let (db, actor, at) = (office.db, office.admin(), office.on(date));
        match step {
            Step::Customer(i) => {
                let (name, national_id, address, email, phone) = DEMO_CUSTOMERS[i];
                let fields = CustomerFields {
                    name: Some(name.into()),
                    national_id: Some(national_id.into()),
                    address: Some(address.into()),
                    email: Some(email.into()),
                    phone: Some(phone.into()),
                };
                let customer = customers::create_customer(db, actor, fields, at).await?;
                customer_ids[i] = Some(Id::new(customer.id));
            }
            Step::Invoice(i) => {
                let (customer, _, due_date, items, _, info) = invoices[i];
                let new = NewInvoice {
                    number: None,
                    date: Some(date),
                    due_date: Some(due_date),
                    customer: CustomerRef::Existing {
                        id: made(&customer_ids, customer)?,
                        changes: CustomerFields::default(),
                    },
                    items: items
                        .iter()
                        .map(|(description, quantity, cents)| NewItem {
                            description: (*description).into(),
                            quantity: Some(Decimal::new(*quantity, 0)),
                            unit_amount: Decimal::new(*cents, 2),
                        })
                        .collect(),
                    tax_percentage: None,
                    tax: None,
                    paid: None,
                    paid_on: None,
                    additional_info: Some(info.into()),
                    send_by_email: None,
                };
                // No email is sent, so whether a sender would pick one up is moot.
                let invoice = invoices::create_invoice(db, actor, new, false, date, at).await?;
                invoice_ids[i] = Some(Id::new(invoice.id));
            }
            Step::InvoicePaid(i) => {
                let id = made(&invoice_ids, i)?;
                invoices::mark_paid(db, actor, id, Some(date), date, at).await?;
            }
            Step::Receipt(i) => {
                let (concept, _, due_date, cents, _) = receipts[i];
                let new = NewReceipt {
                    date: Some(date),
                    due_date: Some(due_date),
                    concept: concept.into(),
                    amount: Decimal::new(cents, 2),
                    paid: None,
                    paid_on: None,
                };
                let receipt = receipts::create_receipt(db, actor, new, date, at).await?;
                receipt_ids[i] = Some(Id::new(receipt.id));
            }
            Step::ReceiptPaid(i) => {
                let id = made(&receipt_ids, i)?;
                receipts::mark_paid(db, actor, id, Some(date), date, at).await?;
            }
        }
    }
    Ok(())
}

/// The id of the `i`th document made by an earlier step.
fn made<T: Copy>(ids: &[Option<T>], i: usize) -> Result<T, SeedError> {
    ids.get(i).copied().flatten().ok_or_else(|| {
        SeedError::Domain(DomainError::Internal(format!(
            "demo business step {i} refers to a document not made yet"
        )))
    })
}
