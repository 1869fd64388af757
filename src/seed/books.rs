//! The demo driver's own book, kept in the app as the weeks went by: three months (the
//! current one to date and the two before) of trips paid into their bank account, fuel,
//! maintenance and personal expenses in cash, a monthly cash withdrawal, budgets, a credit
//! card with purchases, tyres in installments and a phone plan, its statements paid, and
//! one bill still to pay, so that listings, summaries, budgets and statements in the
//! playground show something. The business book is the ADMIN's, in `business`.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{DEMO_REQUEST, Office, SeedError};
use crate::{
    auth::Viewer,
    domain::{
        DomainError,
        audit::Actor,
        books::{
            accounts::{NewAccount, list_accounts},
            book_for,
            budgets::SetBudget,
            cards::{self, NewCard},
            categories::list_categories,
            cycles::{Cycles, Month},
            series::{Periodicity, occurrence_date},
            series_edits::{SeriesRequest, SeriesScope},
            statements::{self, Statement, StatementPayment},
            transactions::{NewTransaction, TransactionChanges},
            transfers::NewTransfer,
            writes,
        },
        commons::{AccountId, Calendar, CategoryId, Id, TransactionId},
    },
    entities::{
        book_account::AccountKind, book_credit_card, book_transaction,
        book_transaction::TransactionKind,
    },
};

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

/// Day of the month the driver takes the month's cash out of the bank.
const WITHDRAWAL_DAY: u32 = 2;

/// (day, category code, amount in cents, description) of the demo card's purchases each
/// month.
const DEMO_CARD_PURCHASES: [(u32, &str, i64, &str); 3] = [
    (8, "gastos_personales", 18_040, "Supermercado Plaza Vea"),
    (18, "combustible", 9_500, "Grifo Primax"),
    (27, "gastos_personales", 4_590, "Farmacia Inkafarma"),
];

/// (day of the first month, category code, amount in cents, description, how it repeats)
/// of the card's series: tyres in six installments and a monthly phone plan.
const DEMO_CARD_SERIES: [(u32, &str, i64, &str, SeriesRequest); 2] = [
    (
        12,
        "mantenimiento",
        120_000,
        "Llantas nuevas",
        SeriesRequest {
            recurrence: None,
            installments: Some((Periodicity::Monthly, 6)),
        },
    ),
    (
        5,
        "gastos_personales",
        5_990,
        "Plan de celular",
        SeriesRequest {
            recurrence: Some(Periodicity::Monthly),
            installments: None,
        },
    ),
];

/// How many months before the current one the driver started keeping their book.
const MONTHS_BACK: u32 = 2;

/// One thing the driver does in their book, on the day it is listed with.
enum Step {
    /// The month's budgets, set on its first day.
    Budgets,
    /// The `n`th of the month's trip incomes (by [`DEMO_TRIP_DAYS`]).
    Trip(usize),
    /// An entry of [`DEMO_MONTHLY_EXPENSES`].
    Expense(usize),
    /// The month's cash withdrawal: a transfer, neither an income nor an expense.
    Withdrawal,
    /// An entry of [`DEMO_CARD_PURCHASES`].
    CardPurchase(usize),
    /// An entry of [`DEMO_CARD_SERIES`].
    CardSeries(usize),
    /// Installment `n + 1` of an entry of [`DEMO_CARD_SERIES`], ticked off as paid the day
    /// the card charges it (recorded on the purchase day, it was still to come).
    Installment { series: usize, n: u32 },
    /// A statement paid on its due date: in full, or 200.00 of it.
    StatementPayment { month: Month, full: bool },
}

/// The driver opens their book in the app on the first day of the month two months back
/// (the `book` query creates it), adds their bank account and credit card, and from then
/// on records everything on the day it happens; today they note the bill due in ten days.
/// Each entry goes through the mutation the app would send, as the driver: a driver's
/// own book leaves no audit record.
pub(super) async fn seed_books(office: &Office<'_>, driver: &Viewer) -> Result<(), SeedError> {
    let mut book = DriverBook::open(office, driver).await?;
    let cycles = cards::card_cycles(office.db, &book.card).await?;
    let mut steps = book_steps(office.today(), &cycles);
    // Stable: the steps of one day keep the order they are listed in.
    steps.sort_by_key(|(date, _)| *date);
    for (date, step) in steps {
        book.take(date, step).await?;
    }
    book.note_bill().await
}

/// Every step of the three months, with its day; none after today.
fn book_steps(today: NaiveDate, cycles: &Cycles) -> Vec<(NaiveDate, Step)> {
    let this_month = Calendar::month_start(today);
    let months: Vec<NaiveDate> = (0..=MONTHS_BACK)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
        .collect();
    let on_day = |month: NaiveDate, day: u32| month.with_day(day).filter(|d| *d <= today);
    let mut steps = Vec::new();
    for &month in &months {
        steps.push((month, Step::Budgets));
        for (i, day) in DEMO_TRIP_DAYS.iter().enumerate() {
            steps.extend(on_day(month, *day).map(|date| (date, Step::Trip(i))));
        }
        for (i, (day, ..)) in DEMO_MONTHLY_EXPENSES.iter().enumerate() {
            steps.extend(on_day(month, *day).map(|date| (date, Step::Expense(i))));
        }
        steps.extend(on_day(month, WITHDRAWAL_DAY).map(|date| (date, Step::Withdrawal)));
        for (i, (day, ..)) in DEMO_CARD_PURCHASES.iter().enumerate() {
            steps.extend(on_day(month, *day).map(|date| (date, Step::CardPurchase(i))));
        }
    }
    if let Some(&first) = months.first() {
        for (i, (day, .., request)) in DEMO_CARD_SERIES.iter().enumerate() {
            let Some(start) = on_day(first, *day) else {
                continue;
            };
            steps.push((start, Step::CardSeries(i)));
            let Some((periodicity, total)) = request.installments else {
                continue;
            };
            for n in 1..u32::try_from(total).unwrap_or(0) {
                let charged = occurrence_date(start, periodicity, n).filter(|d| *d <= today);
                steps.extend(charged.map(|date| (date, Step::Installment { series: i, n })));
            }
        }
    }
    // The statement before last paid in full on its due date, the last one in part.
    let current = Month::of(today);
    for (back, full) in [(2, true), (1, false)] {
        let month = current.plus(-back);
        let date = cycles.dates(month).due.min(today);
        steps.push((date, Step::StatementPayment { month, full }));
    }
    steps
}

/// The driver's book as the app shows it: what the steps need to name.
struct DriverBook<'a> {
    office: &'a Office<'a>,
    driver: &'a Viewer,
    cash: AccountId,
    bank: AccountId,
    card: book_credit_card::Model,
    categories: Vec<(String, CategoryId)>,
    /// The series each entry of [`DEMO_CARD_SERIES`] started, once recorded.
    series: [Option<i64>; DEMO_CARD_SERIES.len()],
}

impl<'a> DriverBook<'a> {
    async fn open(office: &'a Office<'a>, driver: &'a Viewer) -> Result<Self, SeedError> {
        let first_day = Calendar::month_start(office.today())
            .checked_sub_months(Months::new(MONTHS_BACK))
            .ok_or_else(|| DomainError::Internal("the demo book's first month".into()))?;
        let at = office.on(first_day);
        let book = book_for(office.db, driver, at).await?;
        let actor = Actor {
            viewer: driver,
            request_id: DEMO_REQUEST,
        };
        let bank = NewAccount {
            kind: AccountKind::Checking,
            name: "Cuenta BCP".into(),
            description: Some("Cuenta corriente donde cobro los viajes".into()),
            make_default: false,
        };
        let bank = writes::create_account(office.db, actor, bank, at).await?;
        let card = NewCard {
            name: "Visa BCP".into(),
            description: Some("Tarjeta de crédito del banco".into()),
            network: Some("visa".into()),
            closing_day: 25,
            due_day: 10,
            limit: Some(Decimal::new(300_000, 2)),
            make_default: true,
        };
        let card = writes::create_credit_card(office.db, actor, card, first_day, at).await?;
        let cash = list_accounts(office.db, &book, false)
            .await?
            .into_iter()
            .find(|a| a.is_default)
            .ok_or_else(|| DomainError::Internal("the demo book has no cash account".into()))?;
        let categories = list_categories(office.db, &book, None, false)
            .await?
            .into_iter()
            .map(|c| (c.code, Id::new(c.id)))
            .collect();
        Ok(Self {
            office,
            driver,
            cash: Id::new(cash.id),
            bank: Id::new(bank.id),
            card,
            categories,
            series: [None; DEMO_CARD_SERIES.len()],
        })
    }

    fn actor(&self) -> Actor<'a> {
        Actor {
            viewer: self.driver,
            request_id: DEMO_REQUEST,
        }
    }

    fn category(&self, code: &str) -> Option<CategoryId> {
        self.categories
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, id)| *id)
    }

    /// `createTransaction` on `date`, sent that day; the transaction it answers.
    async fn record(
        &self,
        date: NaiveDate,
        mut new: NewTransaction,
        request: SeriesRequest,
    ) -> Result<book_transaction::Model, SeedError> {
        new.date = Some(date);
        let at = self.office.on(date);
        let created =
            writes::create_transaction(self.office.db, self.actor(), new, request, date, at)
                .await?;
        Ok(created.transaction)
    }

    /// An expense of `cents` under `code`.
    fn expense(&self, code: &str, cents: i64, description: &str) -> NewTransaction {
        let mut expense = NewTransaction::quick(TransactionKind::Out, Decimal::new(cents, 2));
        expense.description = Some(description.into());
        expense.category_id = self.category(code);
        expense
    }

    async fn take(&mut self, date: NaiveDate, step: Step) -> Result<(), SeedError> {
        let (db, at) = (self.office.db, self.office.on(date));
        match step {
            Step::Budgets => {
                for (code, cents) in DEMO_BUDGETS {
                    let Some(category_id) = self.category(code) else {
                        continue;
                    };
                    let budget = SetBudget {
                        category_id,
                        year: date.year(),
                        month: i32::try_from(date.month()).unwrap_or(1),
                        amount: Decimal::new(cents, 2),
                    };
                    writes::set_budget(db, self.actor(), budget, at).await?;
                }
            }
            Step::Trip(i) => {
                let day = date.day();
                let cents = 15_050 + i64::from(day * 7 % 60) * 100 + (i as i64 % 4) * 25;
                let mut income = NewTransaction::quick(TransactionKind::In, Decimal::new(cents, 2));
                income.description = Some("Viajes de la semana".into());
                income.account_id = Some(self.bank);
                income.tag_names = vec![if i % 3 == 0 { "Cabify" } else { "Uber" }.into()];
                self.record(date, income, SeriesRequest::default()).await?;
            }
            Step::Expense(i) => {
                let (_, code, cents, description) = DEMO_MONTHLY_EXPENSES[i];
                let expense = self.expense(code, cents, description);
                self.record(date, expense, SeriesRequest::default()).await?;
            }
            Step::Withdrawal => {
                let withdrawal = NewTransfer {
                    from_account_id: self.bank,
                    to_account_id: self.cash,
                    amount: Decimal::new(30_000, 2),
                    date: Some(date),
                    description: Some("Retiro en cajero".into()),
                    paid: None,
                };
                writes::create_transfer(db, self.actor(), withdrawal, date, at).await?;
            }
            Step::CardPurchase(i) => {
                let (_, code, cents, description) = DEMO_CARD_PURCHASES[i];
                let mut purchase = self.expense(code, cents, description);
                purchase.credit_card_id = Some(Id::new(self.card.id));
                self.record(date, purchase, SeriesRequest::default())
                    .await?;
            }
            Step::CardSeries(i) => {
                let (_, code, cents, description, request) = DEMO_CARD_SERIES[i];
                let mut first = self.expense(code, cents, description);
                first.credit_card_id = Some(Id::new(self.card.id));
                self.series[i] = self.record(date, first, request).await?.series_id;
            }
            Step::Installment { series, n } => {
                let id = self.installment(series, n).await?;
                let paid = TransactionChanges {
                    paid: Some(true),
                    ..Default::default()
                };
                writes::update_transaction(db, self.actor(), id, paid, SeriesScope::This, date, at)
                    .await?;
            }
            Step::StatementPayment { month, full } => {
                let amount = if full {
                    self.statement_balance(month).await?
                } else {
                    Decimal::new(20_000, 2)
                };
                if amount <= Decimal::ZERO {
                    return Ok(());
                }
                let payment = StatementPayment {
                    card_id: Id::new(self.card.id),
                    month,
                    account_id: Some(self.bank),
                    amount,
                    date: Some(date),
                    description: None,
                    key: None,
                };
                writes::pay_statement(db, self.actor(), payment, date, at).await?;
            }
        }
        Ok(())
    }

    /// Installment `n + 1` of the series started by entry `series` of
    /// [`DEMO_CARD_SERIES`], as the driver finds it among the card's purchases.
    async fn installment(&self, series: usize, n: u32) -> Result<TransactionId, SeedError> {
        let series_id = self.series.get(series).copied().flatten();
        let found = book_transaction::Entity::find()
            .filter(book_transaction::Column::SeriesId.eq(series_id))
            .filter(book_transaction::Column::Occurrence.eq(i32::try_from(n).ok()))
            .one(self.office.db)
            .await?
            .ok_or_else(|| DomainError::Internal("a demo installment is missing".into()))?;
        Ok(Id::new(found.id))
    }

    /// What the statement of `month` asks for, as the app reads it before paying.
    async fn statement_balance(&self, month: Month) -> Result<Decimal, SeedError> {
        let db = self.office.db;
        let account = Id::new(self.card.account_id);
        let cycles = cards::card_cycles(db, &self.card).await?;
        let closing = cycles.dates(month).closing;
        let totals = statements::month_totals_through(db, &[(account, closing)])
            .await?
            .remove(&(account, closing))
            .unwrap_or_default();
        let statement = Statement::compute(Id::new(self.card.id), &cycles, &totals, month);
        Ok(statement.balance.to_decimal())
    }

    /// The SOAT renewal due in ten days, noted today so that the book has a bill to pay.
    async fn note_bill(&self) -> Result<(), SeedError> {
        let today = self.office.today();
        let mut bill = self.expense("mantenimiento", 45_000, "Renovación del SOAT");
        bill.date = today.checked_add_days(chrono::Days::new(10));
        bill.due_date = bill.date;
        bill.contact_name = Some("Rímac Seguros".into());
        writes::create_transaction(
            self.office.db,
            self.actor(),
            bill,
            SeriesRequest::default(),
            today,
            self.office.now,
        )
        .await?;
        Ok(())
    }
}
