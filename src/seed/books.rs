//! Books: the driver's personal book and the organization's business book, each with its
//! default account and categories (copied from the organization's expense categories,
//! which `seed_content` creates first).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set, TransactionTrait};

use crate::domain::commons::Id;
use crate::entities::{book, book_account, user::Role};

use super::SeedError;

async fn seed_books_rows(
    txn: &DatabaseTransaction,
    organization_id: i64,
    driver_id: i64,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
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
        crate::domain::books::books::fill_new_book(txn, &book, now).await?;
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
            seed_book_entries(txn, &book, &bank, driver_id, now).await?;
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

/// The driver's book and the business book.
pub(super) async fn seed_books(
    office: &super::Office<'_>,
    driver: &crate::auth::Viewer,
) -> Result<(), SeedError> {
    let txn = office.db.begin().await?;
    seed_books_rows(
        &txn,
        office.organization.id,
        driver.user_id.get(),
        office.now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
