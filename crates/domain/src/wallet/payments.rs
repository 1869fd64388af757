//! Paying invoices from the wallet (the REST API's "pay-summary" and "pay-pool").
//!
//! A payment takes the selected invoices plus the *active fractions* of the same contracts
//! (invoices in status FRACTION, pieces of a split debt, whose due date has come: they
//! are charged with the next payment; later ones wait for their day, or are selected).
//! What an invoice costs is its total minus its discounts, never below zero.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::{
    ledger::{self, Cause},
    text::Text,
};
use crate::commons::{Id, InvoiceId, OrganizationId, PaymentId, UserId};
use crate::events::{self, Event, InvoicePaid, WalletChangeReason, WalletChanged};
use crate::i18n::{Language, Sentence};
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode,
    commons::Money,
    entities::{
        contract, invoice, invoice::InvoiceStatus, invoice_discount, payment,
        payment::PaymentSource, payment_allocation,
    },
    idempotency::{self, IdempotencyKey},
};

/// How many invoices one payment may select.
pub const MAX_INVOICES: usize = 100;

const OPERATION: &str = "payInvoices";

/// An invoice with what it costs now.
#[derive(Debug, Clone)]
pub struct Due {
    pub invoice: invoice::Model,
    pub amount: Money,
}

/// What a payment of the selected invoices would charge (the REST API's pay-summary).
#[derive(Debug, Clone)]
pub struct PaySummary {
    pub selected: Vec<Due>,
    pub active_fractions: Vec<Due>,
    pub invoices_total: Money,
    pub fractions_total: Money,
    pub total_to_pay: Money,
    /// `max(0, total_to_pay - coins)`.
    pub total_to_recharge: Money,
    pub coins: Money,
}

/// The result of a payment, as first returned and as replayed for its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceipt {
    pub payment_id: PaymentId,
    /// Stored under the names it had as minor units, so that receipts kept for a replay
    /// before `Money` read the same.
    #[serde(rename = "amount_minor")]
    pub amount: Money,
    #[serde(rename = "balance_after_minor")]
    pub balance_after: Money,
    pub message: String,
    /// Every invoice the payment settled, selected and fractions, in payment order.
    pub invoice_ids: Vec<InvoiceId>,
    /// True when this is the stored result of an earlier request with the same key.
    #[serde(default)]
    pub replayed: bool,
}

/// Who pays: a driver of an organization.
#[derive(Debug, Clone, Copy)]
pub struct Payer {
    pub client_id: UserId,
    pub organization_id: OrganizationId,
}

/// Checks the requested ids: at least one, at most [`MAX_INVOICES`], without repeats
/// (repeats are dropped: paying an invoice twice in one request is not meant).
pub fn check_selection(ids: &[InvoiceId]) -> Result<Vec<InvoiceId>, FieldError> {
    if ids.is_empty() {
        return Err(FieldError::new(
            "invoiceIds",
            UserErrorCode::Required,
            Text::SelectInvoices,
        ));
    }
    let unique: BTreeSet<InvoiceId> = ids.iter().copied().collect();
    if unique.len() > MAX_INVOICES {
        return Err(FieldError::new(
            "invoiceIds",
            UserErrorCode::TooLong,
            Text::TooManyInvoices {
                max: MAX_INVOICES.to_string(),
            },
        ));
    }
    let mut seen = BTreeSet::new();
    Ok(ids.iter().copied().filter(|id| seen.insert(*id)).collect())
}

/// The amount each invoice costs: total minus discounts, never below zero. The back
/// office's operations read what is left to pay through it too, so that a discount,
/// a split and a payment agree on it.
pub(crate) async fn with_amounts(
    db: &impl ConnectionTrait,
    invoices: Vec<invoice::Model>,
) -> DomainResult<Vec<Due>> {
    let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
    let mut discounts: BTreeMap<i64, i64> = BTreeMap::new();
    for d in invoice_discount::Entity::find()
        .filter(crate::reads::one_of(
            db.get_database_backend(),
            invoice_discount::Column::InvoiceId,
            ids,
        ))
        .all(db)
        .await?
    {
        *discounts.entry(d.invoice_id).or_default() += d.amount_minor;
    }
    Ok(invoices
        .into_iter()
        .map(|invoice| {
            let off = discounts.get(&invoice.id).copied().unwrap_or(0);
            let amount = Money::from_minor((invoice.total_minor - off).max(0));
            Due { invoice, amount }
        })
        .collect())
}

/// How a message names one of the driver's invoices: what it is for and when it is due,
/// e.g. "Cuota semanal 3" due 2026-11-16; never its row number.
pub fn reference(invoice: &invoice::Model) -> Text {
    let due = invoice.due_date.to_string();
    match invoice.observations.trim() {
        "" => Text::UndescribedInvoice { due },
        what => Text::DescribedInvoice {
            what: what.to_string(),
            due,
        },
    }
}

/// A sentence about some of the payer's invoices, each named by [`reference`] in the
/// language the sentence is said in.
#[derive(Debug)]
struct AboutInvoices {
    sentence: fn(String) -> Text,
    invoices: Vec<Text>,
}

impl Sentence for AboutInvoices {
    fn say(&self, language: Language) -> String {
        let invoices: Vec<String> = self.invoices.iter().map(|i| i.say(language)).collect();
        (self.sentence)(invoices.join(", ")).say(language)
    }
}

/// The same in the REST API's Spanish, for the payment's confirmation: "Cuota semanal 3
/// (vence 16/11/2026)".
fn referencia(invoice: &invoice::Model) -> String {
    let due = invoice.due_date.format("%d/%m/%Y");
    match invoice.observations.trim() {
        "" => format!("la que vence el {due}"),
        what => format!("{what} (vence {due})"),
    }
}

/// That `ids` do not exist or are not the payer's, naming them by their places (counting
/// from 1) in the list `sent`: "number 2", "numbers 1, 3 and 4"; `None` for no `ids`.
fn not_yours(sent: &[InvoiceId], ids: &[InvoiceId]) -> Option<Text> {
    let numbers: Vec<String> = ids
        .iter()
        .map(|id| sent.iter().position(|s| s == id).map_or(0, |i| i + 1))
        .map(|n| n.to_string())
        .collect();
    match numbers.split_last()? {
        (last, []) => Some(Text::NotYoursOne {
            number: last.clone(),
        }),
        (last, rest) => Some(Text::NotYoursMany {
            numbers: rest.join(", "),
            last: last.clone(),
        }),
    }
}

/// Loads the payer's selected invoices and the active fractions of their contracts (due
/// on or before `today`). Invoices that are not the payer's, already paid, frozen,
/// cancelled or split are userErrors naming them: the payer's by [`reference`], the
/// others by their place in `sent`, the list as sent (`ids` is it without repeats).
async fn select(
    db: &impl ConnectionTrait,
    payer: Payer,
    sent: &[InvoiceId],
    ids: &[InvoiceId],
    today: NaiveDate,
) -> DomainResult<(Vec<Due>, Vec<Due>)> {
    let found: Vec<invoice::Model> = invoice::Entity::find()
        .inner_join(contract::Entity)
        .filter(invoice::Column::Id.is_in(ids.iter().copied()))
        .filter(contract::Column::ClientId.eq(payer.client_id))
        .filter(contract::Column::OrganizationId.eq(payer.organization_id))
        .all(db)
        .await?;
    let by_id: BTreeMap<InvoiceId, &invoice::Model> =
        found.iter().map(|i| (Id::new(i.id), i)).collect();
    let about = |ids: Vec<InvoiceId>, sentence: fn(String) -> Text| AboutInvoices {
        sentence,
        invoices: ids
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|invoice| reference(invoice))
            .collect(),
    };
    let missing: Vec<InvoiceId> = ids
        .iter()
        .copied()
        .filter(|id| !by_id.contains_key(id))
        .collect();
    let with_status = |status: InvoiceStatus| -> Vec<InvoiceId> {
        ids.iter()
            .copied()
            .filter(|id| by_id.get(id).is_some_and(|i| i.status == status))
            .collect()
    };
    let mut errors = Vec::new();
    if let Some(sentence) = not_yours(sent, &missing) {
        errors.push(FieldError::new(
            "invoiceIds",
            UserErrorCode::NotFound,
            sentence,
        ));
    }
    let paid = with_status(InvoiceStatus::Paid);
    if !paid.is_empty() {
        errors.push(FieldError::new(
            "invoiceIds",
            UserErrorCode::InvoiceAlreadyPaid,
            about(paid, |invoices| Text::AlreadyPaid { invoices }),
        ));
    }
    let frozen = with_status(InvoiceStatus::Frozen);
    if !frozen.is_empty() {
        errors.push(FieldError::new(
            "invoiceIds",
            UserErrorCode::InvoiceFrozen,
            about(frozen, |invoices| Text::Frozen { invoices }),
        ));
    }
    let cancelled = with_status(InvoiceStatus::Cancelled);
    if !cancelled.is_empty() {
        errors.push(FieldError::new(
            "invoiceIds",
            UserErrorCode::InvoiceCancelled,
            about(cancelled, |invoices| Text::Cancelled { invoices }),
        ));
    }
    let split = with_status(InvoiceStatus::Split);
    if !split.is_empty() {
        errors.push(FieldError::new(
            "invoiceIds",
            UserErrorCode::InvoiceSplit,
            about(split, |invoices| Text::Split { invoices }),
        ));
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let contracts: BTreeSet<i64> = found.iter().map(|i| i.contract_id).collect();
    let fractions = invoice::Entity::find()
        .filter(invoice::Column::ContractId.is_in(contracts))
        .filter(invoice::Column::Status.eq(InvoiceStatus::Fraction))
        .filter(invoice::Column::DueDate.lte(today))
        .filter(invoice::Column::Id.is_not_in(ids.iter().copied()))
        .order_by_asc(invoice::Column::Priority)
        .order_by_asc(invoice::Column::DueDate)
        .order_by_asc(invoice::Column::Id)
        .all(db)
        .await?;
    let mut selected = found;
    selected.sort_by_key(|i| (i.priority, i.due_date, i.id));
    // One discount query for both lists.
    let count = selected.len();
    let mut dues = with_amounts(db, selected.into_iter().chain(fractions).collect()).await?;
    let fractions = dues.split_off(count);
    Ok((dues, fractions))
}

fn total(dues: &[Due]) -> DomainResult<Money> {
    Money::sum(dues.iter().map(|d| d.amount)).ok_or_else(|| {
        DomainError::invalid(
            "invoiceIds",
            UserErrorCode::InvalidAmount,
            Text::AmountToPayTooLarge,
        )
    })
}

/// What paying `ids` would cost the payer on `today`, and how much they would have to
/// recharge.
pub async fn summary(
    db: &DatabaseConnection,
    payer: Payer,
    ids: &[InvoiceId],
    today: NaiveDate,
) -> DomainResult<PaySummary> {
    let sent = ids;
    let ids = check_selection(sent).map_err(|e| DomainError::Invalid(vec![e]))?;
    let txn = db.begin().await?;
    let coins = ledger::balance(&txn, payer.client_id).await?;
    let (selected, active_fractions) = select(&txn, payer, sent, &ids, today).await?;
    txn.commit().await?;
    let invoices_total = total(&selected)?;
    let fractions_total = total(&active_fractions)?;
    let total_to_pay = invoices_total.checked_add(fractions_total).ok_or_else(|| {
        DomainError::invalid(
            "invoiceIds",
            UserErrorCode::InvalidAmount,
            Text::AmountToPayTooLarge,
        )
    })?;
    let total_to_recharge = Money::from_minor((total_to_pay.minor() - coins.minor()).max(0));
    Ok(PaySummary {
        selected,
        active_fractions,
        invoices_total,
        fractions_total,
        total_to_pay,
        total_to_recharge,
        coins,
    })
}

/// The REST API's confirmation, naming each invoice paid by what it is for and its due
/// date (the REST API named row numbers): "Se pagan las facturas: Cuota semanal 1 (vence
/// 02/11/2026), Cuota semanal 2 (vence 09/11/2026) . Por el monto de S/ 499".
pub fn confirmation(invoices: &[&invoice::Model], amount: Money, currency: &str) -> String {
    let symbol = match currency {
        "PEN" => "S/",
        "USD" => "US$",
        "BRL" => "R$",
        other => other,
    };
    let amount = if amount.minor() % 100 == 0 {
        (amount.minor() / 100).to_string()
    } else {
        amount.to_string()
    };
    let paid: Vec<String> = invoices.iter().map(|invoice| referencia(invoice)).collect();
    format!(
        "Se pagan las facturas: {} . Por el monto de {symbol} {amount}",
        paid.join(", ")
    )
}

/// What a payment needs besides the invoices.
#[derive(Debug, Clone)]
pub struct PayOptions<'a> {
    pub key: &'a IdempotencyKey,
    pub source: PaymentSource,
    /// Charge the contracts' active fractions along (always, except the auto-charge job,
    /// which settles whole invoices one at a time).
    pub with_fractions: bool,
    pub currency: &'a str,
    pub now: DateTime<Utc>,
    /// The paid date: today in the organization's timezone.
    pub today: NaiveDate,
}

/// Pays the selected invoices (and active fractions) from the wallet, atomically.
///
/// In one write transaction: lock the wallet, replay the key if this request was already
/// done, check the invoices, check the balance, mark the invoices paid (only those still
/// unpaid: a concurrent payment cannot pay one twice), write the payment and its
/// allocations, debit the wallet with its movement, remember the key.
pub async fn pay(
    db: &DatabaseConnection,
    payer: Payer,
    ids: &[InvoiceId],
    options: PayOptions<'_>,
) -> DomainResult<PaymentReceipt> {
    let txn = crate::commons::begin_write(db).await?;
    let receipt = pay_within(&txn, payer, ids, options).await?;
    txn.commit().await?;
    Ok(receipt)
}

/// [`pay`] on the caller's write transaction, for a caller that writes its own record of
/// the payment with it (the auto-charge job's attempt): both commit, or neither does.
/// On an error the caller rolls back.
pub async fn pay_within(
    txn: &DatabaseTransaction,
    payer: Payer,
    ids: &[InvoiceId],
    options: PayOptions<'_>,
) -> DomainResult<PaymentReceipt> {
    let sent = ids;
    let ids = check_selection(sent).map_err(|e| DomainError::Invalid(vec![e]))?;
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    let fingerprint = format!("{sorted:?}|{}", options.with_fractions);
    let hash = idempotency::request_hash(OPERATION, &fingerprint);

    let coins = ledger::lock(txn, payer.client_id).await?;
    if let Some(mut first) =
        idempotency::replay::<PaymentReceipt>(txn, payer.client_id, options.key, OPERATION, &hash)
            .await?
    {
        first.replayed = true;
        return Ok(first);
    }
    let (selected, fractions) = select(txn, payer, sent, &ids, options.today).await?;
    let mut dues = selected;
    if options.with_fractions {
        dues.extend(fractions);
    }
    let amount = total(&dues)?;
    if !amount.is_positive() {
        return Err(DomainError::invalid(
            "invoiceIds",
            UserErrorCode::InvalidAmount,
            Text::AmountToPayInvalid {
                amount: (amount.minor() / 100).to_string(),
            },
        ));
    }
    if coins < amount {
        return Err(DomainError::invalid(
            "invoiceIds",
            UserErrorCode::InsufficientFunds,
            Text::NotEnoughCoinsHaving {
                coins: coins.to_string(),
            },
        ));
    }
    let invoice_ids: Vec<InvoiceId> = dues.iter().map(|d| Id::new(d.invoice.id)).collect();
    let marked = invoice::Entity::update_many()
        .col_expr(invoice::Column::Status, Expr::value(InvoiceStatus::Paid))
        .col_expr(invoice::Column::PaidDate, Expr::value(Some(options.today)))
        .filter(invoice::Column::Id.is_in(invoice_ids.iter().copied()))
        .filter(invoice::Column::Status.is_in([InvoiceStatus::Pending, InvoiceStatus::Fraction]))
        .exec(txn)
        .await?;
    if marked.rows_affected != invoice_ids.len() as u64 {
        return Err(DomainError::Conflict(
            Text::InvoicesChangedWhilePaying.into(),
        ));
    }
    let paid: Vec<&invoice::Model> = dues.iter().map(|d| &d.invoice).collect();
    let message = confirmation(&paid, amount, options.currency);
    let payment = payment::ActiveModel {
        organization_id: Set(payer.organization_id.get()),
        client_id: Set(payer.client_id.get()),
        amount_minor: Set(amount.minor()),
        source: Set(options.source),
        message: Set(message.clone()),
        idempotency_key: Set(Some(options.key.as_str().to_string())),
        created_at: Set(options.now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    payment_allocation::Entity::insert_many(dues.iter().map(|d| payment_allocation::ActiveModel {
        payment_id: Set(payment.id),
        invoice_id: Set(d.invoice.id),
        amount_minor: Set(d.amount.minor()),
        ..Default::default()
    }))
    .exec(txn)
    .await?;
    let balance = ledger::apply(
        txn,
        payer.organization_id,
        payer.client_id,
        Money::from_minor(-amount.minor()),
        Cause::Payment(payment.id),
        options.now,
    )
    .await?;
    let receipt = PaymentReceipt {
        payment_id: Id::new(payment.id),
        amount,
        balance_after: balance,
        message,
        invoice_ids,
        replayed: false,
    };
    for event in announcements(payer, &receipt) {
        events::announce(txn, event).await?;
    }
    idempotency::remember(
        txn,
        payer.client_id,
        options.key,
        OPERATION,
        &hash,
        &receipt,
        options.now,
    )
    .await?;
    Ok(receipt)
}

/// What subscribers hear of a payment: the payer's new balance and each invoice it
/// settled; nothing of a replay, which moved nothing.
pub fn announcements(payer: Payer, receipt: &PaymentReceipt) -> Vec<Event> {
    if receipt.replayed {
        return Vec::new();
    }
    let (organization_id, client_id) = (payer.organization_id.get(), payer.client_id.get());
    let payment_id = receipt.payment_id.get();
    let balance = Event::WalletChanged(WalletChanged {
        organization_id,
        client_id,
        balance_minor: receipt.balance_after.minor(),
        reason: WalletChangeReason::Payment(payment_id),
    });
    let invoices = receipt.invoice_ids.iter().map(|invoice| {
        Event::InvoicePaid(InvoicePaid {
            organization_id,
            client_id,
            invoice_id: invoice.get(),
            payment_id,
        })
    });
    std::iter::once(balance).chain(invoices).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(raw: &[i64]) -> Vec<InvoiceId> {
        raw.iter().copied().map(Id::new).collect()
    }

    fn weekly(id: i64, observations: &str, due: (i32, u32, u32)) -> invoice::Model {
        invoice::Model {
            id,
            contract_id: 1,
            hash: String::new(),
            status: InvoiceStatus::Pending,
            priority: 1,
            due_date: NaiveDate::from_ymd_opt(due.0, due.1, due.2).expect("a date"),
            paid_date: None,
            total_minor: 49_900,
            observations: observations.into(),
            type_id: 1,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            parent_id: None,
        }
    }

    #[test]
    fn the_confirmation_reads_like_the_rest_api_and_names_no_row() {
        let (first, second) = (
            weekly(1005, "Cuota semanal 1", (2026, 11, 2)),
            weekly(19, "", (2026, 11, 9)),
        );
        assert_eq!(
            confirmation(&[&first, &second], Money::from_minor(49_900), "PEN"),
            "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026), la que vence el 09/11/2026 . Por el monto de S/ 499"
        );
        assert_eq!(
            confirmation(&[&first], Money::from_minor(52_450), "PEN"),
            "Se pagan las facturas: Cuota semanal 1 (vence 02/11/2026) . Por el monto de S/ 524.50"
        );
        assert_eq!(
            reference(&first).say(Language::English),
            "\"Cuota semanal 1\" due 2026-11-02"
        );
        assert_eq!(
            reference(&second).say(Language::Spanish),
            "la factura que vence el 2026-11-09"
        );
    }

    #[test]
    fn a_list_of_invoices_is_said_in_the_language_of_its_sentence() {
        let (first, second) = (
            weekly(1005, "Cuota semanal 1", (2026, 11, 2)),
            weekly(19, "", (2026, 11, 9)),
        );
        let paid = crate::Message::from(AboutInvoices {
            sentence: |invoices| Text::AlreadyPaid { invoices },
            invoices: vec![reference(&first), reference(&second)],
        });
        assert_eq!(
            paid.english(),
            "These invoices are already paid: \"Cuota semanal 1\" due 2026-11-02, the invoice due 2026-11-09"
        );
        assert_eq!(
            paid.say(Language::Spanish),
            "Estas facturas ya están pagadas: \"Cuota semanal 1\" (vence el 2026-11-02), la factura que vence el 2026-11-09"
        );
    }

    #[test]
    fn invoices_not_found_are_named_by_their_place_in_the_list_sent() {
        let sent = ids(&[1005, 7, 7, 19]);
        let said =
            |missing: &[i64]| not_yours(&sent, &ids(missing)).map(|s| s.say(Language::English));
        assert_eq!(
            said(&[19]).as_deref(),
            Some("These invoices do not exist or are not yours: number 4 of those sent")
        );
        assert_eq!(
            said(&[1005, 7, 19]).as_deref(),
            Some("These invoices do not exist or are not yours: numbers 1, 2 and 4 of those sent")
        );
        assert_eq!(said(&[]), None);
    }

    #[test]
    fn a_selection_has_one_to_a_hundred_distinct_invoices() {
        assert_eq!(
            check_selection(&[]).unwrap_err().code,
            UserErrorCode::Required
        );
        assert_eq!(check_selection(&ids(&[3, 1, 3])).unwrap(), ids(&[3, 1]));
        let many = ids(&(0..101).collect::<Vec<_>>());
        assert_eq!(
            check_selection(&many).unwrap_err().code,
            UserErrorCode::TooLong
        );
    }

    /// A receipt kept for a replay before amounts were `Money` reads the same.
    #[test]
    fn a_stored_receipt_keeps_its_minor_units_and_ids() {
        let stored = r#"{"payment_id":9,"amount_minor":52450,"balance_after_minor":-100,"message":"m","invoice_ids":[7,8]}"#;
        let receipt: PaymentReceipt = serde_json::from_str(stored).unwrap();
        assert_eq!(receipt.payment_id, Id::new(9));
        assert_eq!(receipt.amount, Money::from_minor(52_450));
        assert_eq!(receipt.balance_after, Money::from_minor(-100));
        assert_eq!(receipt.invoice_ids, ids(&[7, 8]));
        assert!(!receipt.replayed);
        let again: serde_json::Value = serde_json::to_value(&receipt).unwrap();
        assert_eq!(again["amount_minor"], 52_450);
        assert_eq!(again["balance_after_minor"], -100);
        assert_eq!(again["invoice_ids"], serde_json::json!([7, 8]));
    }
}
