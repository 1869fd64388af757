//! Business (Infinanza): customers, sales invoices paid, pending and overdue, and
//! receipts, so that the playground's business queries show something. Paid ones are
//! paid before this month, so that this month's listings of the business book start
//! empty.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, EntityTrait, TransactionTrait};

use crate::domain::commons::Id;
use crate::{
    domain::commons::Calendar,
    entities::{book, user::Role},
};

use super::SeedError;

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

async fn seed_business_rows(
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

/// The business book's documents.
pub(super) async fn seed_business(office: &super::Office<'_>) -> Result<(), SeedError> {
    let txn = office.db.begin().await?;
    seed_business_rows(
        &txn,
        office.organization.id,
        office.admin.user_id.get(),
        office.now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
