//! A driver's statement of account: every invoice issued to them and everything that
//! lowered what they owe since (discounts, payments, and the invoices split or cancelled),
//! in date order, each with the balance owed after it.
//!
//! The entries are built so that the balance owed is always the sum of what is left to
//! pay on the driver's owed invoices (PENDING, FRACTION and FROZEN, each its total minus
//! its discounts): every invoice enters at its total on the day it was issued, and one
//! that is owed no more leaves at once with whatever was left on it.
//!
//! - ISSUED: an invoice (a weekly fee, a penalty, a fraction of a split), on the day it
//!   was created in the organization's calendar, for its total.
//! - DISCOUNT: a discount, on the day it was granted (the invoice's issue day for
//!   discounts older than the back office, which have no date), for at most what was
//!   left on the invoice: what an invoice costs never goes below zero.
//! - PAYMENT: what a payment allocated to the invoice, on the day of the payment.
//! - SPLIT: the invoice split, for what was left on it (its fractions are issued in its
//!   place), on the day of the split.
//! - CANCELLATION: the invoice cancelled, for what was left on it, on the day the audit
//!   trail recorded the cancellation (the issue day when none was recorded).
//! - SETTLED: a PAID invoice whose payments do not account for it (paid before the
//!   wallet, as the REST API's paid invoices were), for what was left, on its paid date.
//!
//! No entry is dated before its invoice's issue day (the REST API's paid invoices carry
//! a paid date older than their record). Wallet movements are not entries: recharges
//! fill the wallet, not what is owed, and a payment appears once, as what it paid.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait,
};

use super::text::Text;
use crate::{
    DomainError, DomainResult,
    audit::ObjectKind,
    auth::Viewer,
    commons::{Calendar, Id, InvoiceDiscountId, InvoiceId, Money, PaymentId, Period, UserId},
    entities::{
        audit_record, contract, invoice, invoice::InvoiceStatus, invoice_discount, organization,
        payment, payment_allocation, user, user::Role,
    },
    visibility::Visible,
};

/// The operation the audit trail records a cancellation under (`cancelInvoice`).
const CANCEL_OPERATION: &str = "cancelInvoice";

/// What an entry of the statement is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// An invoice issued: the driver owes its total.
    Issued,
    /// A discount on an invoice.
    Discount,
    /// A payment of an invoice.
    Payment,
    /// An invoice split into fractions, which are issued in its place.
    Split,
    /// An invoice cancelled: owed no more.
    Cancellation,
    /// A paid invoice that no payment accounts for.
    Settled,
}

impl EntryKind {
    /// Within an instant: an invoice is issued before anything happens to it, and leaves
    /// after it was discounted and paid.
    fn rank(self) -> u8 {
        match self {
            EntryKind::Issued => 0,
            EntryKind::Discount => 1,
            EntryKind::Payment => 2,
            EntryKind::Split | EntryKind::Cancellation | EntryKind::Settled => 3,
        }
    }
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The day, in the organization's calendar.
    pub date: NaiveDate,
    pub kind: EntryKind,
    /// The invoice the entry is about.
    pub invoice_id: InvoiceId,
    /// The discount, for a DISCOUNT.
    pub discount_id: Option<InvoiceDiscountId>,
    /// The payment, for a PAYMENT.
    pub payment_id: Option<PaymentId>,
    /// How the entry changed the balance owed: positive for an invoice issued, negative
    /// for everything else.
    pub amount: Money,
    /// The balance owed after the entry.
    pub balance: Money,
}

/// A driver's statement of account over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub period: Period,
    /// What the driver owed before the period's first day.
    pub opening: Money,
    /// The entries of the period, in date order.
    pub entries: Vec<Entry>,
    /// What the driver owed at the end of the period's last day.
    pub closing: Money,
}

/// Whose statement, over which days: what a statement is loaded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementKey {
    pub client_id: UserId,
    pub period: Period,
}

/// The statement of `client` is theirs and their organization's staff's to read:
/// FORBIDDEN for anyone else, and for a user who is no driver.
pub fn require_reader(viewer: &Viewer, client: &user::Model) -> DomainResult<()> {
    if client.role == Role::Client && client.visible_to(viewer) {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::StatementReaders.into()))
    }
}

/// Something that happened to an invoice, before its amount is known.
#[derive(Debug, Clone)]
struct Event {
    date: NaiveDate,
    /// When it happened; `None` when only its day is known (it then comes after the
    /// day's timed events).
    at: Option<DateTime<Utc>>,
    kind: EntryKind,
    invoice_id: i64,
    /// The discount's or the allocation's id, to keep equal instants in one order.
    row_id: i64,
    discount_id: Option<i64>,
    payment_id: Option<i64>,
    /// The invoice's total, the discount's or the payment's amount (minor units).
    value: i64,
}

impl Event {
    fn order(&self) -> (NaiveDate, bool, Option<DateTime<Utc>>, u8, i64, i64) {
        (
            self.date,
            self.at.is_none(),
            self.at,
            self.kind.rank(),
            self.invoice_id,
            self.row_id,
        )
    }
}

/// Everything one driver's statements are made of.
#[derive(Default)]
struct History {
    calendar: Option<Calendar>,
    invoices: Vec<invoice::Model>,
    discounts: Vec<invoice_discount::Model>,
    allocations: Vec<(payment_allocation::Model, DateTime<Utc>)>,
}

/// The statement of each key's driver over its period: five statements for any number
/// of keys (four when no invoice was cancelled).
pub async fn statements<C: ConnectionTrait>(
    db: &C,
    keys: &[StatementKey],
) -> Result<HashMap<StatementKey, Statement>, DbErr> {
    let mut clients: Vec<i64> = keys.iter().map(|k| k.client_id.get()).collect();
    clients.sort_unstable();
    clients.dedup();
    let mut histories: HashMap<i64, History> = HashMap::new();
    let mut organizations: HashSet<i64> = HashSet::new();
    for (client, organization) in user::Entity::find()
        .find_also_related(organization::Entity)
        .filter(user::Column::Id.is_in(clients.iter().copied()))
        .all(db)
        .await?
    {
        organizations.insert(client.organization_id);
        histories.entry(client.id).or_default().calendar = organization.as_ref().map(Calendar::of);
    }
    let mut owner_of: HashMap<i64, i64> = HashMap::new();
    for (row, owner) in invoice::Entity::find()
        .find_also_related(contract::Entity)
        .filter(contract::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?
    {
        if let Some(owner) = owner {
            owner_of.insert(row.id, owner.client_id);
            histories
                .entry(owner.client_id)
                .or_default()
                .invoices
                .push(row);
        }
    }
    for discount in invoice_discount::Entity::find()
        .inner_join(invoice::Entity)
        .join(JoinType::InnerJoin, invoice::Relation::Contract.def())
        .filter(contract::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?
    {
        if let Some(client) = owner_of.get(&discount.invoice_id) {
            histories
                .entry(*client)
                .or_default()
                .discounts
                .push(discount);
        }
    }
    for (allocation, paid) in payment_allocation::Entity::find()
        .find_also_related(payment::Entity)
        .filter(payment::Column::ClientId.is_in(clients.iter().copied()))
        .all(db)
        .await?
    {
        if let (Some(paid), Some(client)) = (paid, owner_of.get(&allocation.invoice_id)) {
            histories
                .entry(*client)
                .or_default()
                .allocations
                .push((allocation, paid.created_at));
        }
    }
    let cancelled: Vec<i64> = histories
        .values()
        .flat_map(|h| h.invoices.iter())
        .filter(|i| i.status == InvoiceStatus::Cancelled)
        .map(|i| i.id)
        .collect();
    let mut cancelled_at: HashMap<i64, DateTime<Utc>> = HashMap::new();
    if !cancelled.is_empty() {
        let records: Vec<(i64, DateTime<Utc>)> = audit_record::Entity::find()
            .select_only()
            .column(audit_record::Column::ObjectId)
            .column(audit_record::Column::OccurredAt)
            .filter(audit_record::Column::OrganizationId.is_in(organizations))
            .filter(audit_record::Column::ObjectKind.eq(ObjectKind::Invoice.as_str()))
            .filter(audit_record::Column::Operation.eq(CANCEL_OPERATION))
            .filter(audit_record::Column::ObjectId.is_in(cancelled))
            .into_tuple()
            .all(db)
            .await?;
        for (invoice_id, at) in records {
            let latest = cancelled_at.entry(invoice_id).or_insert(at);
            *latest = (*latest).max(at);
        }
    }
    let mut entries_of: HashMap<i64, Vec<Entry>> = HashMap::new();
    for (client, history) in &histories {
        entries_of.insert(*client, entries(history, &cancelled_at));
    }
    Ok(keys
        .iter()
        .map(|key| {
            let all = entries_of
                .get(&key.client_id.get())
                .map(Vec::as_slice)
                .unwrap_or_default();
            (*key, within(all, key.period))
        })
        .collect())
}

/// Every entry of a driver's history, oldest first, with the running balance owed.
fn entries(history: &History, cancelled_at: &HashMap<i64, DateTime<Utc>>) -> Vec<Entry> {
    let calendar = history
        .calendar
        .unwrap_or_else(|| Calendar::new(crate::commons::calendar::DEFAULT_ZONE));
    let issued: HashMap<i64, &invoice::Model> =
        history.invoices.iter().map(|i| (i.id, i)).collect();
    // The instant an event of `invoice` happened: never before its issue.
    let after_issue = |invoice: &invoice::Model, at: DateTime<Utc>| at.max(invoice.created_at);
    let mut split_at: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for fraction in &history.invoices {
        if let Some(parent) = fraction.parent_id {
            let first = split_at.entry(parent).or_insert(fraction.created_at);
            *first = (*first).min(fraction.created_at);
        }
    }
    let timed = |kind, invoice: &invoice::Model, at: DateTime<Utc>| {
        let at = after_issue(invoice, at);
        Event {
            date: calendar.date_of(at),
            at: Some(at),
            kind,
            invoice_id: invoice.id,
            row_id: 0,
            discount_id: None,
            payment_id: None,
            value: 0,
        }
    };
    let mut events: Vec<Event> = Vec::new();
    for invoice in &history.invoices {
        events.push(Event {
            value: invoice.total_minor,
            ..timed(EntryKind::Issued, invoice, invoice.created_at)
        });
    }
    for discount in &history.discounts {
        if let Some(invoice) = issued.get(&discount.invoice_id) {
            let at = discount.created_at.unwrap_or(invoice.created_at);
            events.push(Event {
                row_id: discount.id,
                discount_id: Some(discount.id),
                value: discount.amount_minor,
                ..timed(EntryKind::Discount, invoice, at)
            });
        }
    }
    for (allocation, paid_at) in &history.allocations {
        if let Some(invoice) = issued.get(&allocation.invoice_id) {
            events.push(Event {
                row_id: allocation.id,
                payment_id: Some(allocation.payment_id),
                value: allocation.amount_minor,
                ..timed(EntryKind::Payment, invoice, *paid_at)
            });
        }
    }
    // An invoice leaves after everything else that happened to it, whatever its dates
    // say, so that what it takes off is what was really left on it.
    let mut last_event: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for event in &events {
        if let Some(at) = event.at {
            let last = last_event.entry(event.invoice_id).or_insert(at);
            *last = (*last).max(at);
        }
    }
    for invoice in &history.invoices {
        let last = last_event
            .get(&invoice.id)
            .copied()
            .unwrap_or(invoice.created_at);
        let leaves =
            |kind, at: Option<DateTime<Utc>>| timed(kind, invoice, at.unwrap_or(last).max(last));
        match invoice.status {
            InvoiceStatus::Split => {
                events.push(leaves(EntryKind::Split, split_at.get(&invoice.id).copied()));
            }
            InvoiceStatus::Cancelled => {
                events.push(leaves(
                    EntryKind::Cancellation,
                    cancelled_at.get(&invoice.id).copied(),
                ));
            }
            InvoiceStatus::Paid => {
                // Only its day is known: the end of it.
                let last_day = calendar.date_of(last);
                events.push(Event {
                    date: invoice.paid_date.unwrap_or(last_day).max(last_day),
                    at: None,
                    ..leaves(EntryKind::Settled, None)
                });
            }
            InvoiceStatus::Pending | InvoiceStatus::Fraction | InvoiceStatus::Frozen => {}
        }
    }
    events.sort_by_key(Event::order);

    // What is left to pay on each invoice as the events go by.
    let mut left: HashMap<i64, i64> = HashMap::new();
    let mut balance: i64 = 0;
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let left = left.entry(event.invoice_id).or_insert(0);
        let change = match event.kind {
            EntryKind::Issued => event.value,
            EntryKind::Discount => -event.value.min((*left).max(0)),
            EntryKind::Payment => -event.value,
            EntryKind::Split | EntryKind::Cancellation => -*left,
            // Paid as its payments say: nothing more to settle.
            EntryKind::Settled if *left == 0 => continue,
            EntryKind::Settled => -*left,
        };
        *left = left.saturating_add(change);
        balance = balance.saturating_add(change);
        out.push(Entry {
            date: event.date,
            kind: event.kind,
            invoice_id: Id::new(event.invoice_id),
            discount_id: event.discount_id.map(Id::new),
            payment_id: event.payment_id.map(Id::new),
            amount: Money::from_minor(change),
            balance: Money::from_minor(balance),
        });
    }
    out
}

/// The statement of `period` out of a driver's whole history: what came before is the
/// opening balance, what comes after is left out.
fn within(all: &[Entry], period: Period) -> Statement {
    let opening = all
        .iter()
        .take_while(|e| e.date < period.from())
        .last()
        .map_or(Money::ZERO, |e| e.balance);
    let entries: Vec<Entry> = all
        .iter()
        .filter(|e| period.contains(e.date))
        .cloned()
        .collect();
    let closing = entries.last().map_or(opening, |e| e.balance);
    Statement {
        period,
        opening,
        entries,
        closing,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn invoice(
        id: i64,
        status: InvoiceStatus,
        total: i64,
        created: DateTime<Utc>,
    ) -> invoice::Model {
        invoice::Model {
            id,
            contract_id: 1,
            hash: format!("h{id}"),
            status,
            priority: 1,
            due_date: d(20),
            paid_date: None,
            total_minor: total,
            observations: String::new(),
            type_id: 1,
            created_at: created,
            parent_id: None,
        }
    }

    fn discount(
        id: i64,
        invoice_id: i64,
        amount: i64,
        created: Option<DateTime<Utc>>,
    ) -> invoice_discount::Model {
        invoice_discount::Model {
            id,
            invoice_id,
            amount_minor: amount,
            observations: String::new(),
            kind: "staff".into(),
            created_at: created,
        }
    }

    fn lima() -> Calendar {
        Calendar::new(crate::commons::calendar::DEFAULT_ZONE)
    }

    fn amounts(entries: &[Entry]) -> Vec<(EntryKind, i64, i64)> {
        entries
            .iter()
            .map(|e| (e.kind, e.amount.minor(), e.balance.minor()))
            .collect()
    }

    #[test]
    fn the_balance_is_what_is_left_to_pay_on_the_owed_invoices() {
        let mut paid = invoice(1, InvoiceStatus::Paid, 1000, at(2, 15));
        paid.paid_date = Some(d(3));
        let mut parent = invoice(3, InvoiceStatus::Split, 1000, at(2, 15));
        parent.due_date = d(9);
        let mut fraction = invoice(4, InvoiceStatus::Fraction, 600, at(5, 15));
        fraction.parent_id = Some(3);
        let mut other = invoice(5, InvoiceStatus::Fraction, 300, at(5, 15));
        other.parent_id = Some(3);
        let history = History {
            calendar: Some(lima()),
            invoices: vec![
                paid,
                invoice(2, InvoiceStatus::Cancelled, 1000, at(2, 15)),
                parent,
                fraction,
                other,
                invoice(6, InvoiceStatus::Frozen, 1000, at(2, 15)),
            ],
            discounts: vec![
                discount(1, 1, 250, Some(at(3, 15))),
                discount(2, 3, 100, None),
                // More than was left: only what was left counts.
                discount(3, 6, 5000, Some(at(6, 15))),
            ],
            allocations: vec![(
                payment_allocation::Model {
                    id: 1,
                    payment_id: 7,
                    invoice_id: 1,
                    amount_minor: 750,
                },
                at(4, 15),
            )],
        };
        let cancelled = HashMap::from([(2, at(7, 15))]);
        let all = entries(&history, &cancelled);
        use EntryKind::*;
        assert_eq!(
            amounts(&all),
            vec![
                (Issued, 1000, 1000),
                (Issued, 1000, 2000),
                (Issued, 1000, 3000),
                (Issued, 1000, 4000),
                (Discount, -100, 3900),
                (Discount, -250, 3650),
                (Payment, -750, 2900),
                (Issued, 600, 3500),
                (Issued, 300, 3800),
                (Split, -900, 2900),
                (Discount, -1000, 1900),
                (Cancellation, -1000, 900),
            ]
        );
        // What is still owed: the two fractions (the frozen invoice is all discounted).
        assert_eq!(all.last().unwrap().balance.minor(), 900);

        let period = Period::new(d(4), d(6)).unwrap();
        let statement = within(&all, period);
        assert_eq!(statement.opening.minor(), 3650);
        assert_eq!(statement.entries.len(), 5);
        assert_eq!(statement.closing.minor(), 1900);
        assert_eq!(statement.entries[0].payment_id, Some(Id::new(7)));
    }

    #[test]
    fn a_paid_invoice_no_payment_accounts_for_is_settled_on_its_paid_date() {
        // Issued in the evening in Lima: the UTC date is the next day.
        let mut old = invoice(1, InvoiceStatus::Paid, 1000, at(10, 2));
        old.paid_date = Some(d(1));
        let history = History {
            calendar: Some(lima()),
            invoices: vec![old],
            discounts: vec![discount(1, 1, 100, None)],
            allocations: vec![],
        };
        let all = entries(&history, &HashMap::new());
        use EntryKind::*;
        assert_eq!(
            amounts(&all),
            vec![
                (Issued, 1000, 1000),
                (Discount, -100, 900),
                (Settled, -900, 0)
            ]
        );
        assert!(all.iter().all(|e| e.date == d(9)), "{all:?}");
    }
}
