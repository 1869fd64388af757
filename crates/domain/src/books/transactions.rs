//! A book's transactions: incomes (IN) and expenses (OUT) of one account, with the
//! union of the REST APIs' fields. Created, changed (only the fields sent) and deleted
//! here; listed and summed in [`super::listing`] and [`super::summaries`].
//!
//! Rules kept here:
//! - the amount is positive money, at most [`MAX_AMOUNT`]; the kind gives the direction;
//! - the category is of the transaction's kind and of the same book; the account too;
//! - `externalId` (an integration's own id) is unique within the book: a second one is a
//!   DUPLICATE userError, never a second row;
//! - a reconciled transaction's amount, date and account are locked (LOCKED), and it
//!   cannot be deleted until it is unreconciled;
//! - the payment of a document (a sales invoice's income, a receipt's expense) changes
//!   only through its document: what the document says of it (kind, amount, date,
//!   payment, description, contact) is LINKED, and it goes only with the document; the
//!   book's own fields (category, account, tags, notes, reconciliation...) change as
//!   any transaction's;
//! - the two sides of a transfer change together and are deleted together.

use crate::commons::text::NotFound;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QuerySelect, Set, sea_query::OnConflict,
};

pub use super::transaction_rules::{MAX_AMOUNT, account_for, amount, visible_to};
use super::{cards, categories, occurrences, require_writer, tags, text::Text, transfers};
use crate::commons::{AccountId, CategoryId, CreditCardId, Id, TagId, TransactionId};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    auth::Viewer,
    checks::{self, MAX_DESCRIPTION_CHARS, MAX_PARAGRAPH_CHARS, Problems},
    entities::{
        book, book_category, book_category::CategoryKind, book_tag, book_transaction,
        book_transaction::TransactionKind, book_transaction_tag, receipt, sales_invoice,
    },
};

/// Tags one transaction may carry.
pub const MAX_TAGS_PER_TRANSACTION: usize = 20;
pub const MAX_EXTERNAL_ID_CHARS: usize = 100;
const MAX_CONTACT_CHARS: usize = 200;
const MAX_BARCODE_CHARS: usize = 100;
pub const MAX_OFX_ID_CHARS: usize = 100;

/// The category kind that files transactions of `kind`.
pub fn category_kind(kind: TransactionKind) -> CategoryKind {
    match kind {
        TransactionKind::In => CategoryKind::Income,
        TransactionKind::Out => CategoryKind::Expense,
    }
}

/// A transaction to create; `None` takes the default named on each field.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    pub kind: TransactionKind,
    pub amount: Decimal,
    /// Empty when not given.
    pub description: Option<String>,
    /// Today in the organization's timezone when not given.
    pub date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    /// When not given: paid when `paid_on` is given or the date is today or earlier,
    /// pending for a future date.
    pub paid: Option<bool>,
    /// The date itself when paid and not given.
    pub paid_on: Option<NaiveDate>,
    /// The book's default category of the kind when not given.
    pub category_id: Option<CategoryId>,
    /// The book's default account when neither it nor `credit_card_id` is given.
    pub account_id: Option<AccountId>,
    /// A purchase on one of the book's credit cards instead of from an account.
    pub credit_card_id: Option<CreditCardId>,
    pub contact_name: Option<String>,
    pub notes: Option<String>,
    pub barcode: Option<String>,
    pub external_id: Option<String>,
    pub bank_data: Option<String>,
    pub ofx_id: Option<String>,
    pub reconciled_on: Option<NaiveDate>,
    pub excluded: bool,
    pub private: bool,
    /// Tags of the book, by id.
    pub tag_ids: Vec<TagId>,
    /// Tags by name; those the book lacks are created (Organizze takes tags by name).
    pub tag_names: Vec<String>,
}

impl NewTransaction {
    /// A transaction of `kind` and `amount` with every other field defaulted.
    pub fn quick(kind: TransactionKind, amount: Decimal) -> Self {
        Self {
            kind,
            amount,
            description: None,
            date: None,
            due_date: None,
            paid: None,
            paid_on: None,
            category_id: None,
            account_id: None,
            credit_card_id: None,
            contact_name: None,
            notes: None,
            barcode: None,
            external_id: None,
            bank_data: None,
            ofx_id: None,
            reconciled_on: None,
            excluded: false,
            private: false,
            tag_ids: Vec::new(),
            tag_names: Vec::new(),
        }
    }
}

/// The fields to change; `None` keeps the stored value, `Some(None)` clears a field that
/// may be empty.
#[derive(Debug, Clone, Default)]
pub struct TransactionChanges {
    pub kind: Option<TransactionKind>,
    pub amount: Option<Decimal>,
    pub description: Option<String>,
    pub date: Option<NaiveDate>,
    pub due_date: Option<Option<NaiveDate>>,
    pub paid: Option<bool>,
    pub paid_on: Option<Option<NaiveDate>>,
    pub category_id: Option<CategoryId>,
    pub account_id: Option<AccountId>,
    pub contact_name: Option<String>,
    pub notes: Option<String>,
    pub barcode: Option<String>,
    pub external_id: Option<Option<String>>,
    pub bank_data: Option<String>,
    pub ofx_id: Option<String>,
    pub reconciled_on: Option<Option<NaiveDate>>,
    pub excluded: Option<bool>,
    pub private: Option<bool>,
    /// Tags by name (those the book lacks are created). Sending it or `tag_ids` replaces
    /// the whole set of tags with every tag either names, as on create.
    pub tag_names: Option<Vec<String>>,
    /// Replaces the whole set of tags when sent.
    pub tag_ids: Option<Vec<TagId>>,
}

/// One transaction of `book`; any other is "not found", exactly as a missing one. The
/// ID of an occurrence of a recurring series that has no row gives the occurrence as
/// computed from its series (or its row, when it was stored since).
pub async fn own_transaction<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
) -> DomainResult<book_transaction::Model> {
    let found = if occurrences::parse_unstored_id(id.get()).is_some() {
        occurrences::find(db, id.get()).await?
    } else {
        book_transaction::Entity::find_by_id(id.get())
            .one(db)
            .await?
    };
    found
        .filter(|row| row.book_id == book.id && visible_to(viewer, row))
        .ok_or_else(|| DomainError::from(NotFound::Transaction))
}

/// [`own_transaction`] for a change: an occurrence without a row is stored first, so
/// that the change has a row to work on.
pub async fn stored_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    let row = own_transaction(txn, viewer, book, id).await?;
    if occurrences::is_unstored(&row) {
        return occurrences::store(txn, &row, now).await;
    }
    Ok(row)
}

/// The transaction of `book` an integration knows by `external_id`.
pub async fn by_external_id<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    book: &book::Model,
    external_id: &str,
) -> DomainResult<Option<book_transaction::Model>> {
    Ok(book_transaction::Entity::find()
        .filter(book_transaction::Column::BookId.eq(book.id))
        .filter(book_transaction::Column::ExternalId.eq(external_id.trim()))
        .one(db)
        .await?
        .filter(|row| visible_to(viewer, row)))
}

fn external_id(p: &mut Problems, value: Option<&str>) -> Option<String> {
    let value = checks::text(
        p,
        "externalId",
        value.unwrap_or(""),
        false,
        MAX_EXTERNAL_ID_CHARS,
    );
    (!value.is_empty()).then_some(value)
}

/// A category of `book` that files transactions of `kind`; the problem goes on `field`.
pub async fn category_for<C: ConnectionTrait>(
    db: &C,
    book: &book::Model,
    kind: TransactionKind,
    id: Option<CategoryId>,
    field: &str,
) -> DomainResult<book_category::Model> {
    let wanted = category_kind(kind);
    let Some(id) = id else {
        return categories::default_category(db, book, wanted).await;
    };
    let found = book_category::Entity::find_by_id(id.get())
        .filter(book_category::Column::BookId.eq(book.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            DomainError::invalid(field, UserErrorCode::NotFound, Text::NoSuchCategory)
        })?;
    if found.kind != wanted {
        return Err(DomainError::invalid(
            field,
            UserErrorCode::KindMismatch,
            match wanted {
                CategoryKind::Income => Text::IncomeNeedsIncomeCategory,
                CategoryKind::Expense => Text::ExpenseNeedsExpenseCategory,
            },
        ));
    }
    Ok(found)
}

async fn external_id_taken(
    txn: &DatabaseTransaction,
    book: &book::Model,
    external_id: &str,
    except: Option<i64>,
) -> DomainResult<bool> {
    let mut query = book_transaction::Entity::find()
        .select_only()
        .column(book_transaction::Column::Id)
        .filter(book_transaction::Column::BookId.eq(book.id))
        .filter(book_transaction::Column::ExternalId.eq(external_id));
    if let Some(id) = except {
        query = query.filter(book_transaction::Column::Id.ne(id));
    }
    Ok(query.into_tuple::<i64>().one(txn).await?.is_some())
}

impl TransactionChanges {
    /// Whether the changes replace the transaction's tags (by id, by name or both).
    pub fn retags(&self) -> bool {
        self.tag_ids.is_some() || self.tag_names.is_some()
    }
}

/// The tags of `book` named by id and by name (created when the book lacks them),
/// without repeats.
async fn resolve_tags(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    ids: &[TagId],
    names: &[String],
    now: DateTime<Utc>,
) -> DomainResult<Vec<i64>> {
    let mut resolved: Vec<i64> = Vec::new();
    if !ids.is_empty() {
        let found: Vec<i64> = book_tag::Entity::find()
            .select_only()
            .column(book_tag::Column::Id)
            .filter(book_tag::Column::BookId.eq(book.id))
            .filter(book_tag::Column::Id.is_in(ids.iter().copied()))
            .into_tuple()
            .all(txn)
            .await?;
        if let Some(missing) = ids.iter().find(|id| !found.contains(&id.get())) {
            return Err(DomainError::invalid(
                "tagIds",
                UserErrorCode::NotFound,
                Text::NoSuchTag {
                    position: position(ids, *missing).to_string(),
                },
            ));
        }
        resolved.extend(ids.iter().copied().map(Id::get));
    }
    for name in names {
        let tag = tags::find_or_create(txn, viewer, book, name, now).await?;
        resolved.push(tag.id);
    }
    resolved.sort_unstable();
    resolved.dedup();
    if resolved.len() > MAX_TAGS_PER_TRANSACTION {
        return Err(DomainError::invalid(
            if ids.is_empty() { "tagNames" } else { "tagIds" },
            UserErrorCode::LimitReached,
            Text::TooManyTransactionTags {
                max: MAX_TAGS_PER_TRANSACTION.to_string(),
            },
        ));
    }
    Ok(resolved)
}

fn position(ids: &[TagId], id: TagId) -> usize {
    ids.iter().position(|x| *x == id).map_or(0, |i| i + 1)
}

/// Links `tag_ids` to the transaction, keeping the links it already has.
async fn link_tags(
    txn: &DatabaseTransaction,
    transaction_id: i64,
    tag_ids: &[i64],
) -> DomainResult<()> {
    if tag_ids.is_empty() {
        return Ok(());
    }
    book_transaction_tag::Entity::insert_many(tag_ids.iter().map(|tag_id| {
        book_transaction_tag::ActiveModel {
            transaction_id: Set(transaction_id),
            tag_id: Set(*tag_id),
        }
    }))
    .on_conflict(
        OnConflict::columns([
            book_transaction_tag::Column::TransactionId,
            book_transaction_tag::Column::TagId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Paid flag and paid date from what was sent: a paid date implies paid; paid without a
/// date was paid on the transaction's date; a pending transaction has no paid date.
fn payment_state(
    p: &mut Problems,
    paid: Option<bool>,
    paid_on: Option<NaiveDate>,
    date: NaiveDate,
    today: NaiveDate,
) -> (bool, Option<NaiveDate>) {
    match (paid, paid_on) {
        (Some(false), Some(_)) => {
            p.add(
                "paidOn",
                UserErrorCode::InvalidFormat,
                Text::PendingWithPaidDate,
            );
            (false, None)
        }
        (Some(false), None) => (false, None),
        (_, Some(on)) => (true, Some(on)),
        (Some(true), None) => (true, Some(date)),
        (None, None) if date <= today => (true, Some(date)),
        (None, None) => (false, None),
    }
}

/// Creates a transaction in `book`. `today` is the organization's today.
pub async fn create_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    new: NewTransaction,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    require_writer(viewer)?;
    let mut p = Problems::default();
    let amount = amount(&mut p, "amount", new.amount);
    let date = new.date.unwrap_or(today);
    let (paid, paid_on) = payment_state(&mut p, new.paid, new.paid_on, date, today);
    let description = text(
        &mut p,
        "description",
        &new.description,
        MAX_DESCRIPTION_CHARS,
    );
    let contact_name = text(&mut p, "contactName", &new.contact_name, MAX_CONTACT_CHARS);
    let notes = text(&mut p, "notes", &new.notes, MAX_PARAGRAPH_CHARS);
    let barcode = text(&mut p, "barcode", &new.barcode, MAX_BARCODE_CHARS);
    let bank_data = text(&mut p, "bankData", &new.bank_data, MAX_DESCRIPTION_CHARS);
    let ofx_id = text(&mut p, "ofxId", &new.ofx_id, MAX_OFX_ID_CHARS);
    let external_id = external_id(&mut p, new.external_id.as_deref());
    p.finish()?;
    let category = category_for(txn, book, new.kind, new.category_id, "categoryId").await?;
    let (account_id, statement_month) = match (new.account_id, new.credit_card_id) {
        (Some(_), Some(_)) => {
            return Err(DomainError::invalid(
                "creditCardId",
                UserErrorCode::InvalidFormat,
                Text::AccountOrCard,
            ));
        }
        (_, Some(card_id)) => {
            let card = cards::card_for(txn, book, card_id, "creditCardId").await?;
            let cycles = cards::cycles_by_account(txn, [card.account_id]).await?;
            let month = cycles
                .get(&card.account_id)
                .map(|cycles| cycles.statement_for(date).index());
            (card.account_id, month)
        }
        (account_id, None) => (
            account_for(txn, book, account_id, "accountId").await?.id,
            None,
        ),
    };
    if let Some(external) = &external_id
        && external_id_taken(txn, book, external, None).await?
    {
        return Err(DomainError::invalid(
            "externalId",
            UserErrorCode::Duplicate,
            Text::DuplicateExternalId,
        ));
    }
    let tag_ids = resolve_tags(txn, viewer, book, &new.tag_ids, &new.tag_names, now).await?;
    let (created_by_user_id, created_by_token_id) = viewer.creator();
    let row = book_transaction::ActiveModel {
        organization_id: Set(book.organization_id),
        book_id: Set(book.id),
        kind: Set(new.kind),
        amount_minor: Set(amount.minor()),
        description: Set(description),
        date: Set(date),
        due_date: Set(new.due_date),
        paid: Set(paid),
        paid_on: Set(paid_on),
        category_id: Set(Some(category.id)),
        account_id: Set(account_id),
        statement_month: Set(statement_month),
        contact_name: Set(contact_name),
        notes: Set(notes),
        barcode: Set(barcode),
        external_id: Set(external_id),
        bank_data: Set(bank_data),
        ofx_id: Set(ofx_id),
        reconciled_on: Set(new.reconciled_on),
        excluded: Set(new.excluded),
        private: Set(new.private),
        transfer_id: Set(None),
        created_by_user_id: Set(created_by_user_id),
        created_by_token_id: Set(created_by_token_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| checks::duplicate(e, "externalId", Text::DuplicateExternalId))?;
    link_tags(txn, row.id, &tag_ids).await?;
    Ok(row)
}

fn text(p: &mut Problems, field: &str, value: &Option<String>, max: usize) -> String {
    checks::text(p, field, value.as_deref().unwrap_or(""), false, max)
}

/// The document a transaction is the payment of, by its human reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedDocument {
    /// A sales invoice's income, while the invoice is paid.
    SalesInvoice { number: String },
    /// A receipt's expense, while the receipt is paid.
    Receipt { concept: String, date: NaiveDate },
}

/// The document `row` is the payment of, if any.
pub async fn document_of<C: ConnectionTrait>(
    db: &C,
    row: &book_transaction::Model,
) -> DomainResult<Option<LinkedDocument>> {
    let invoice = sales_invoice::Entity::find()
        .filter(sales_invoice::Column::OrganizationId.eq(row.organization_id))
        .filter(sales_invoice::Column::IncomeTransactionId.eq(row.id))
        .one(db)
        .await?;
    if let Some(invoice) = invoice {
        return Ok(Some(LinkedDocument::SalesInvoice {
            number: invoice.number,
        }));
    }
    let receipt = receipt::Entity::find()
        .filter(receipt::Column::OrganizationId.eq(row.organization_id))
        .filter(receipt::Column::ExpenseTransactionId.eq(row.id))
        .one(db)
        .await?;
    Ok(receipt.map(|r| LinkedDocument::Receipt {
        concept: r.concept,
        date: r.date,
    }))
}

fn linked(field: &str, document: &LinkedDocument) -> DomainError {
    let deleting = field == "id";
    let message = match document.clone() {
        LinkedDocument::SalesInvoice { number } if deleting => {
            Text::InvoicePaymentGoesWithIt { number }
        }
        LinkedDocument::SalesInvoice { number } => Text::InvoicePaymentChangesThroughIt { number },
        LinkedDocument::Receipt { concept, date } if deleting => Text::ReceiptPaymentGoesWithIt {
            concept,
            date: date.to_string(),
        },
        LinkedDocument::Receipt { concept, date } => Text::ReceiptPaymentChangesThroughIt {
            concept,
            date: date.to_string(),
        },
    };
    DomainError::invalid(field, UserErrorCode::Linked, message)
}

/// Who changes a transaction: its book's user (the mutations on transactions), or the
/// document it is the payment of, which keeps it in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Through {
    Book,
    Document,
}

/// The document `row` of `book` is the payment of, when it is one and the change comes
/// through the book. Documents pay into the business book only.
async fn linked_to(
    txn: &DatabaseTransaction,
    book: &book::Model,
    row: &book_transaction::Model,
    through: Through,
) -> DomainResult<Option<LinkedDocument>> {
    if through == Through::Document || book.owner_id.is_some() {
        return Ok(None);
    }
    document_of(txn, row).await
}

pub(super) fn locked(field: &str) -> DomainError {
    DomainError::invalid(field, UserErrorCode::Locked, Text::Reconciled)
}

/// Changes the fields sent of a transaction of `book` and returns it as it is now. On a
/// side of a transfer, amount, date, description, notes, payment, `excluded` and
/// `private` change on both sides; a transfer has no category and keeps its direction.
/// On the payment of a document, what the document says is LINKED.
pub async fn update_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    changes: TransactionChanges,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    change(txn, viewer, book, id, changes, now, Through::Book).await
}

/// [`update_transaction`] for the document the transaction is the payment of (a sales
/// invoice, a receipt), which keeps it in step with itself.
pub async fn update_document_payment(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    changes: TransactionChanges,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    change(txn, viewer, book, id, changes, now, Through::Document).await
}

async fn change(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    changes: TransactionChanges,
    now: DateTime<Utc>,
    through: Through,
) -> DomainResult<book_transaction::Model> {
    require_writer(viewer)?;
    let row = own_transaction(txn, viewer, book, id).await?;
    let mut p = Problems::default();
    let amount = changes.amount.map(|a| amount(&mut p, "amount", a));
    let external = changes
        .external_id
        .as_ref()
        .map(|e| external_id(&mut p, e.as_deref()));
    let text_change = |p: &mut Problems, field: &str, value: &Option<String>, max: usize| {
        value
            .as_deref()
            .map(|v| checks::text(p, field, v, false, max))
    };
    let description = text_change(
        &mut p,
        "description",
        &changes.description,
        MAX_DESCRIPTION_CHARS,
    );
    let contact_name = text_change(
        &mut p,
        "contactName",
        &changes.contact_name,
        MAX_CONTACT_CHARS,
    );
    let notes = text_change(&mut p, "notes", &changes.notes, MAX_PARAGRAPH_CHARS);
    let barcode = text_change(&mut p, "barcode", &changes.barcode, MAX_BARCODE_CHARS);
    let bank_data = text_change(
        &mut p,
        "bankData",
        &changes.bank_data,
        MAX_DESCRIPTION_CHARS,
    );
    let ofx_id = text_change(&mut p, "ofxId", &changes.ofx_id, MAX_OFX_ID_CHARS);
    p.finish()?;

    // What the document says of its payment changes only through the document.
    if let Some(document) = linked_to(txn, book, &row, through).await? {
        let differs = [
            ("kind", changes.kind.is_some_and(|k| k != row.kind)),
            (
                "amount",
                amount.is_some_and(|a| a.minor() != row.amount_minor),
            ),
            ("date", changes.date.is_some_and(|d| d != row.date)),
            ("paid", changes.paid.is_some_and(|p| p != row.paid)),
            (
                "paidOn",
                changes.paid_on.is_some_and(|on| on != row.paid_on),
            ),
            (
                "description",
                description.as_ref().is_some_and(|d| *d != row.description),
            ),
            (
                "contactName",
                contact_name
                    .as_ref()
                    .is_some_and(|c| *c != row.contact_name),
            ),
        ];
        if let Some((field, _)) = differs.iter().find(|(_, differs)| *differs) {
            return Err(linked(field, &document));
        }
    }

    // The lock holds while the stored row is reconciled, even if this same change clears
    // the reconciliation: unreconcile first, then edit, so nothing moves by accident.
    if row.reconciled_on.is_some() {
        if amount.is_some_and(|a| a.minor() != row.amount_minor) {
            return Err(locked("amount"));
        }
        if changes.date.is_some_and(|d| d != row.date) {
            return Err(locked("date"));
        }
        if changes
            .account_id
            .is_some_and(|a| a != Id::new(row.account_id))
        {
            return Err(locked("accountId"));
        }
    }

    let is_transfer = row.transfer_id.is_some();
    if is_transfer {
        if changes.kind.is_some_and(|k| k != row.kind) {
            return Err(DomainError::invalid(
                "kind",
                UserErrorCode::InvalidFormat,
                Text::TransferKeepsDirection,
            ));
        }
        if changes.category_id.is_some() {
            return Err(DomainError::invalid(
                "categoryId",
                UserErrorCode::InvalidFormat,
                Text::TransferHasNoCategory,
            ));
        }
    }

    let kind = changes.kind.unwrap_or(row.kind);
    let mut active = row.clone().into_active_model();
    if !is_transfer && (changes.category_id.is_some() || kind != row.kind) {
        let category = category_for(txn, book, kind, changes.category_id, "categoryId").await?;
        active.category_id = Set(Some(category.id));
    }
    active.kind = Set(kind);
    if let Some(account_id) = changes.account_id {
        let account = account_for(txn, book, Some(account_id), "accountId").await?;
        active.account_id = Set(account.id);
    }
    if let Some(Some(external)) = &external
        && external_id_taken(txn, book, external, Some(row.id)).await?
    {
        return Err(DomainError::invalid(
            "externalId",
            UserErrorCode::Duplicate,
            Text::DuplicateExternalId,
        ));
    }

    // Payment: the new state from what was sent over what is stored.
    let date = changes.date.unwrap_or(row.date);
    let (paid, paid_on) = match (changes.paid, changes.paid_on) {
        (None, None) => (row.paid, row.paid_on),
        (paid, paid_on) => {
            let mut p = Problems::default();
            let paid = paid.or(Some(match paid_on {
                Some(Some(_)) => true,
                Some(None) => false,
                None => row.paid,
            }));
            let on = paid_on.flatten().or(if changes.paid == Some(true) {
                row.paid_on
            } else {
                None
            });
            let state = payment_state(&mut p, paid, on, date, date);
            p.finish()?;
            state
        }
    };

    if let Some(a) = amount {
        active.amount_minor = Set(a.minor());
    }
    if let Some(d) = changes.date {
        active.date = Set(d);
        // A card purchase moved to another day goes to the statement of that day; a
        // payment keeps the statement it paid, an installment its place in the series.
        if d != row.date
            && row.statement_month.is_some()
            && row.transfer_id.is_none()
            && row.series_id.is_none()
            && let Some(cycles) = cards::cycles_by_account(txn, [row.account_id])
                .await?
                .get(&row.account_id)
        {
            active.statement_month = Set(Some(cycles.statement_for(d).index()));
        }
    }
    if let Some(d) = changes.due_date {
        active.due_date = Set(d);
    }
    active.paid = Set(paid);
    active.paid_on = Set(paid_on);
    if let Some(v) = description {
        active.description = Set(v);
    }
    if let Some(v) = contact_name {
        active.contact_name = Set(v);
    }
    if let Some(v) = notes {
        active.notes = Set(v);
    }
    if let Some(v) = barcode {
        active.barcode = Set(v);
    }
    if let Some(v) = bank_data {
        active.bank_data = Set(v);
    }
    if let Some(v) = ofx_id {
        active.ofx_id = Set(v);
    }
    if let Some(v) = external {
        active.external_id = Set(v);
    }
    if let Some(v) = changes.reconciled_on {
        active.reconciled_on = Set(v);
    }
    if let Some(v) = changes.excluded {
        active.excluded = Set(v);
    }
    if let Some(v) = changes.private {
        active.private = Set(v);
    }
    active.updated_at = Set(now);
    let updated = active
        .update(txn)
        .await
        .map_err(|e| checks::duplicate(e, "externalId", Text::DuplicateExternalId))?;

    if changes.retags() {
        let ids = changes.tag_ids.as_deref().unwrap_or_default();
        let names = changes.tag_names.as_deref().unwrap_or_default();
        let tag_ids = resolve_tags(txn, viewer, book, ids, names, now).await?;
        book_transaction_tag::Entity::delete_many()
            .filter(book_transaction_tag::Column::TransactionId.eq(updated.id))
            .exec(txn)
            .await?;
        link_tags(txn, updated.id, &tag_ids).await?;
    }
    if let Some(transfer_id) = updated.transfer_id {
        mirror_to_other_side(txn, &updated, transfer_id, now).await?;
    }
    Ok(updated)
}

/// Copies the shared fields of one side of a transfer to the other side.
async fn mirror_to_other_side(
    txn: &DatabaseTransaction,
    side: &book_transaction::Model,
    transfer_id: i64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let other = book_transaction::Entity::find()
        .filter(book_transaction::Column::TransferId.eq(transfer_id))
        .filter(book_transaction::Column::Id.ne(side.id))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::Internal("a transfer lost one of its sides".into()))?;
    if other.account_id == side.account_id {
        return Err(DomainError::invalid(
            "accountId",
            UserErrorCode::SameRecord,
            Text::SameAccounts,
        ));
    }
    if other.reconciled_on.is_some()
        && (other.amount_minor != side.amount_minor || other.date != side.date)
    {
        return Err(locked("amount"));
    }
    let mut active = other.into_active_model();
    active.amount_minor = Set(side.amount_minor);
    active.date = Set(side.date);
    active.description = Set(side.description.clone());
    active.notes = Set(side.notes.clone());
    active.paid = Set(side.paid);
    active.paid_on = Set(side.paid_on);
    active.excluded = Set(side.excluded);
    // Half a private transfer would show money arriving from nowhere.
    active.private = Set(side.private);
    active.updated_at = Set(now);
    active.update(txn).await?;
    Ok(())
}

/// Deletes a transaction of `book`, and the other side with it when it is a transfer.
/// Returns the ids deleted. A reconciled transaction is LOCKED; the payment of a
/// document is LINKED (it goes with its document).
pub async fn delete_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
) -> DomainResult<Vec<i64>> {
    remove(txn, viewer, book, id, Through::Book).await
}

/// [`delete_transaction`] for the document the transaction is the payment of, deleted or
/// no longer paid.
pub async fn delete_document_payment(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
) -> DomainResult<Vec<i64>> {
    remove(txn, viewer, book, id, Through::Document).await
}

async fn remove(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    id: TransactionId,
    through: Through,
) -> DomainResult<Vec<i64>> {
    require_writer(viewer)?;
    let row = own_transaction(txn, viewer, book, id).await?;
    if let Some(document) = linked_to(txn, book, &row, through).await? {
        return Err(linked("id", &document));
    }
    if let Some(transfer_id) = row.transfer_id {
        let transfer = transfers::delete_transfer(txn, viewer, book, Id::new(transfer_id)).await?;
        return Ok(vec![transfer.outgoing.id, transfer.incoming.id]);
    }
    if row.reconciled_on.is_some() {
        return Err(locked("id"));
    }
    book_transaction::Entity::delete_by_id(row.id)
        .exec(txn)
        .await?;
    Ok(vec![row.id])
}

/// Puts a tag of the book on a transaction; nothing changes when it is already there.
pub async fn tag_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    transaction_id: TransactionId,
    tag_id: TagId,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    require_writer(viewer)?;
    let row = own_transaction(txn, viewer, book, transaction_id).await?;
    let tag_ids = resolve_tags(txn, viewer, book, &[tag_id], &[], now)
        .await
        .map_err(|e| rename_field(e, "tagIds", "tagId"))?;
    let current = book_transaction_tag::Entity::find()
        .filter(book_transaction_tag::Column::TransactionId.eq(row.id))
        .count(txn)
        .await?;
    if current >= MAX_TAGS_PER_TRANSACTION as u64 && !has_tag(txn, row.id, tag_id.get()).await? {
        return Err(DomainError::invalid(
            "tagId",
            UserErrorCode::LimitReached,
            Text::TooManyTransactionTags {
                max: MAX_TAGS_PER_TRANSACTION.to_string(),
            },
        ));
    }
    link_tags(txn, row.id, &tag_ids).await?;
    Ok(row)
}

/// Takes a tag off a transaction; nothing changes when it was not there.
pub async fn untag_transaction(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    book: &book::Model,
    transaction_id: TransactionId,
    tag_id: TagId,
) -> DomainResult<book_transaction::Model> {
    require_writer(viewer)?;
    let row = own_transaction(txn, viewer, book, transaction_id).await?;
    book_transaction_tag::Entity::delete_many()
        .filter(book_transaction_tag::Column::TransactionId.eq(row.id))
        .filter(book_transaction_tag::Column::TagId.eq(tag_id))
        .exec(txn)
        .await?;
    Ok(row)
}

async fn has_tag(
    txn: &DatabaseTransaction,
    transaction_id: i64,
    tag_id: i64,
) -> DomainResult<bool> {
    Ok(book_transaction_tag::Entity::find()
        .filter(book_transaction_tag::Column::TransactionId.eq(transaction_id))
        .filter(book_transaction_tag::Column::TagId.eq(tag_id))
        .count(txn)
        .await?
        > 0)
}

fn rename_field(err: DomainError, from: &str, to: &str) -> DomainError {
    match err {
        DomainError::Invalid(mut errors) => {
            for e in &mut errors {
                if e.field.first().is_some_and(|f| f == from) {
                    e.field = vec![to.to_string()];
                }
            }
            DomainError::Invalid(errors)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("a day of November")
    }

    #[test]
    fn payment_state_defaults_from_the_date() {
        let today = day(15);
        let mut p = Problems::default();
        assert_eq!(
            payment_state(&mut p, None, None, day(10), today),
            (true, Some(day(10)))
        );
        assert_eq!(
            payment_state(&mut p, None, None, day(20), today),
            (false, None)
        );
        assert_eq!(
            payment_state(&mut p, None, Some(day(21)), day(20), today),
            (true, Some(day(21)))
        );
        assert_eq!(
            payment_state(&mut p, Some(true), None, day(20), today),
            (true, Some(day(20)))
        );
        assert_eq!(
            payment_state(&mut p, Some(false), None, day(10), today),
            (false, None)
        );
        assert!(p.is_empty());
        payment_state(&mut p, Some(false), Some(day(10)), day(10), today);
        assert!(!p.is_empty());
    }

    #[test]
    fn amounts_are_positive_and_bounded() {
        let mut p = Problems::default();
        assert_eq!(
            amount(&mut p, "amount", Decimal::new(1240, 2)).minor(),
            1240
        );
        assert!(p.is_empty());
        amount(&mut p, "amount", Decimal::ZERO);
        amount(&mut p, "amount", Decimal::new(-1, 2));
        amount(&mut p, "amount", Decimal::new(100_000_000_001, 2));
        amount(&mut p, "amount", Decimal::new(1, 3));
        assert!(matches!(p.finish(), Err(DomainError::Invalid(e)) if e.len() == 4));
    }
}
