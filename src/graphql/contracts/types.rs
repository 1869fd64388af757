//! Contracts and what hangs from them, as GraphQL types. Every relation goes through a
//! per-request DataLoader.

use crate::domain::commons::Id;
use async_graphql::{Context, Enum, ID, Object, SelectionField, SimpleObject, Value};
use chrono::{DateTime, Utc};

use super::columns::{INVOICE_COLUMNS, PENALTY, SUMMARY_PAID, SUMMARY_PENDING};
use super::text::Text;
use crate::domain::contracts::{InvoiceCountKey, InvoicePage, InvoicePageKey, InvoiceRow};
use crate::{
    domain::commons::Money,
    entities::{
        car, car_document, client_phone, contract, invoice, invoice_discount, invoice_type, plan,
    },
    graphql::{
        commons::{
            ContextExt, Date, Decimal, ErrorCode, GlobalId, NodeKind, PageArgs, connection::Window,
            list_cost, today,
        },
        fast::{columns, compiled, fleet, raw::CompiledOr},
    },
};

fn money(minor: i64) -> Decimal {
    Money::from_minor(minor).into()
}

/// A ride-hailing plan (the REST API's `uber_plan`): drivers on better plans get a
/// discount.
pub struct Plan(pub plan::Model);

/// A ride-hailing plan (the REST API's `uber_plan`): drivers on better plans get a
/// discount.
#[Object(cache_control(max_age = 300, public))]
impl Plan {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Plan, self.0.id).to_id()
    }
    /// Display name, e.g. "Oro".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Stable code, e.g. "oro".
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Discount in percent, e.g. "5.00".
    async fn discount_percent(&self) -> Decimal {
        Decimal(rust_decimal::Decimal::new(
            i64::from(self.0.discount_basis_points),
            2,
        ))
    }
    /// What the plan offers.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// One of a driver's phone numbers.
#[derive(SimpleObject)]
pub struct ClientPhone {
    /// The number as registered.
    pub phone_number: String,
}

impl From<client_phone::Model> for ClientPhone {
    fn from(m: client_phone::Model) -> Self {
        Self {
            phone_number: m.phone_number,
        }
    }
}

/// Counts of a contract's invoices, computed from the invoices themselves.
#[derive(SimpleObject)]
pub struct ContractSummary {
    /// All invoices of the contract.
    pub total_invoices: u64,
    /// Invoices paid.
    pub total_invoices_paid: u64,
    /// Invoices still to pay (PENDING or FRACTION).
    pub total_invoices_pending: u64,
    /// Penalty invoices still to pay.
    pub pending_penalties: u64,
}

/// Which invoices of a contract to list (the REST API's pendings, fractions, freezed,
/// paid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::invoice::InvoiceStatus")]
pub enum InvoiceStatus {
    /// Due and not paid.
    Pending,
    /// A part of a debt split into fractions, charged with the next payment.
    Fraction,
    /// Suspended: not payable for now.
    Frozen,
    /// Paid.
    Paid,
    /// Split into fractions (`Invoice.fractions`), which are paid instead: not payable
    /// itself, and out of every total owed.
    Split,
    /// Cancelled by the leasing company: owed no more, out of every total owed.
    Cancelled,
}

/// Where a contract is in its life, read from its invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::contracts::lifecycle::ContractState")]
pub enum ContractState {
    /// Running: something is still owed on it (the REST API's `contract_active`).
    Active,
    /// Everything is paid, cancelled, or split into fractions that are.
    Finished,
    /// Ended early by the leasing company (`terminateContract`).
    Terminated,
}

/// A driver's lease contract (the REST API's contract).
pub struct Contract(pub contract::Model);

/// A driver's lease contract (the REST API's contract).
#[Object]
impl Contract {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Contract, self.0.id).to_id()
    }
    /// The contract's public hash (a UUID), as the Leasy app knows it.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
    /// The stored lifecycle code as the leasing system names it: "contract_active", or
    /// "contract_terminated" once terminated. It never says that a contract is finished.
    #[graphql(deprecation = "Use `state`, an enum that also tells a FINISHED contract.")]
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// Where the contract is in its life: ACTIVE while something is owed on it, FINISHED
    /// once everything is paid or cancelled, TERMINATED once the leasing company ended it.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<ContractState> {
        let tally = ctx
            .loaders()
            .invoice_tally
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(crate::domain::contracts::lifecycle::ContractState::of(&self.0, &tally).into())
    }
    /// The day the leasing company ended the contract, when it did.
    async fn terminated_on(&self) -> Option<Date> {
        self.0.terminated_on.map(Date)
    }
    /// Why it was ended; null while it runs.
    async fn termination_reason(&self) -> Option<&str> {
        self.0
            .terminated_on
            .map(|_| self.0.termination_reason.as_str())
    }
    /// When the contract was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The weekly instalment.
    async fn weekly_amount(&self) -> Decimal {
        money(self.0.weekly_amount_minor)
    }
    /// Whether due invoices are paid from the wallet automatically.
    async fn auto_charge(&self) -> bool {
        self.0.auto_charge
    }
    /// Public key of the payment processor for this contract's card payments.
    async fn processor_public_key(&self) -> &str {
        &self.0.processor_public_key
    }
    /// Counts of the contract's invoices.
    async fn summary(&self, ctx: &Context<'_>) -> async_graphql::Result<ContractSummary> {
        use crate::entities::invoice::InvoiceStatus as S;
        let tally = ctx
            .loaders()
            .invoice_tally
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        let count = |f: &dyn Fn(S, &str) -> bool| {
            tally
                .iter()
                .filter(|(s, c, _)| f(*s, c))
                .map(|(_, _, n)| n)
                .sum()
        };
        Ok(ContractSummary {
            total_invoices: count(&|_, _| true),
            total_invoices_paid: count(&|s, _| SUMMARY_PAID.contains(&s)),
            total_invoices_pending: count(&|s, _| SUMMARY_PENDING.contains(&s)),
            pending_penalties: count(&|s, c| SUMMARY_PENDING.contains(&s) && c == PENALTY),
        })
    }
    /// The leased car.
    async fn car(&self, ctx: &Context<'_>) -> async_graphql::Result<CompiledOr<Option<Car>>> {
        let id = Id::new(self.0.id);
        if let Some(json) = compiled::subtree(ctx, id, fleet::car, |l| &l.contract_subtrees).await?
        {
            return Ok(CompiledOr::Json(json));
        }
        Ok(CompiledOr::Resolved(
            ctx.loaders().cars.load_one(id).await?.map(Car),
        ))
    }
    /// The contract's invoices, by priority (lower first) then due date; optionally only
    /// those of one status.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn invoices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the invoices of this status; all of them without it.")]
        status: Option<InvoiceStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<CompiledOr<InvoiceConnection>> {
        let args = PageArgs::new(first, after, last, before);
        args.validate()?;
        let id = Id::new(self.0.id);
        if let Some(json) =
            compiled::subtree(ctx, id, fleet::invoices, |l| &l.contract_subtrees).await?
        {
            return Ok(CompiledOr::Json(json));
        }
        let status = status.map(Into::into);
        let loaders = ctx.loaders();
        let count = InvoiceCountKey {
            contract_id: Id::new(self.0.id),
            status,
        };
        let look_ahead = ctx.look_ahead();
        let with_relations = look_ahead.selection_fields().into_iter().any(|page| {
            page.selection_set().any(|f| match f.name() {
                "nodes" => reads_relations(f),
                "edges" => f
                    .selection_set()
                    .any(|e| e.name() == "node" && reads_relations(e)),
                _ => false,
            })
        });
        let page = |offset: u64, limit: u64, counted: bool| InvoicePageKey {
            contract_id: Id::new(self.0.id),
            status,
            offset,
            limit,
            with_relations,
            counted,
        };
        // Paging forward, the page is read with one invoice more (is there a next page?)
        // and counted in the same statement only when `totalCount` is asked: one
        // statement and no count-then-page round for the usual `invoices(first: n)`.
        if let Some((offset, limit)) = args.forward()? {
            let wants_total = look_ahead.field("totalCount").exists();
            let InvoicePage { mut rows, total } = loaders
                .invoice_pages
                .load_one(page(offset, limit + 1, wants_total))
                .await?
                .unwrap_or_default();
            let window = Window::forward_trimming(offset, limit, &mut rows, total);
            return Ok(CompiledOr::Resolved(InvoiceConnection::new(
                window,
                rows.into_iter().map(Invoice::from),
            )));
        }
        let total = loaders.invoice_counts.load_one(count).await?.unwrap_or(0);
        let window = args.window(total)?;
        let rows = loaders
            .invoice_pages
            .load_one(page(window.offset, window.limit, false))
            .await?
            .unwrap_or_default()
            .rows;
        Ok(CompiledOr::Resolved(InvoiceConnection::new(
            window,
            rows.into_iter().map(Invoice::from),
        )))
    }
}

/// The leased car.
pub struct Car(pub car::Model);

/// The leased car.
#[Object]
impl Car {
    /// Opaque global ID (what `updateCar` and `setCarDocument` take).
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Car, self.0.id).to_id()
    }
    /// Make, e.g. "Chevrolet".
    async fn brand(&self) -> &str {
        &self.0.brand
    }
    /// Model, e.g. "Cobalt".
    async fn model(&self) -> &str {
        &self.0.model
    }
    /// Licence plate.
    async fn license_plate(&self) -> &str {
        &self.0.license_plate
    }
    /// Model year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Photo URLs.
    async fn photos(&self) -> Vec<String> {
        serde_json::from_str(&self.0.photos).unwrap_or_default()
    }
    /// The car's documents: ownership card, SOAT, insurance, driver licence, technical
    /// inspection.
    async fn documents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CarDocument>> {
        let docs = ctx
            .loaders()
            .car_documents
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(docs.into_iter().map(CarDocument).collect())
    }
    /// Documents that expire within `days` days from today (or already have): a driver
    /// with an expired SOAT gets blocked.
    async fn documents_expiring_within(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How many days from today, 0 to 3650; 0 lists only documents already expired or expiring today."
        )]
        days: i32,
    ) -> async_graphql::Result<Vec<CarDocument>> {
        if !(0..=3650).contains(&days) {
            return Err(ErrorCode::BadUserInput.error(Text::DaysRange));
        }
        let today = today(ctx).await?;
        let docs = ctx
            .loaders()
            .car_documents
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(docs
            .into_iter()
            .filter(|d| {
                d.due_date
                    .is_some_and(|due| (due - today).num_days() <= i64::from(days))
            })
            .map(CarDocument)
            .collect())
    }
}

/// Kinds of car document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::entities::car_document::DocumentKind")]
pub enum CarDocumentKind {
    /// Tarjeta de propiedad.
    OwnershipCard,
    /// Mandatory traffic accident insurance.
    Soat,
    /// The car's insurance policy.
    Insurance,
    /// The driver's licence.
    DriverLicense,
    /// Revisión técnica.
    TechnicalInspection,
}

/// A document of a car, with its due date.
pub struct CarDocument(pub car_document::Model);

/// A document of a car, with its due date.
#[Object]
impl CarDocument {
    /// Which document this is.
    async fn kind(&self) -> CarDocumentKind {
        self.0.kind.into()
    }
    /// Label to show, e.g. "SOAT".
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// Document number, when it has one.
    async fn number(&self) -> Option<&str> {
        self.0.number.as_deref()
    }
    /// Whose name is on it.
    async fn owner(&self) -> Option<&str> {
        self.0.owner.as_deref()
    }
    /// When it expires.
    async fn due_date(&self) -> Option<Date> {
        self.0.due_date.map(Date)
    }
    /// Where the scanned document is.
    async fn file_url(&self) -> Option<&str> {
        self.0.file_url.as_deref()
    }
    /// Days until it expires (negative once expired), counted from today in the
    /// organization's timezone.
    async fn expires_in_days(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i64>> {
        let today = today(ctx).await?;
        Ok(self.0.due_date.map(|due| (due - today).num_days()))
    }
}

/// A weekly instalment or other charge of a contract.
pub struct Invoice(pub invoice::Model, pub Option<Prefetched>);

/// An invoice's type and discounts when its page already loaded them.
pub struct Prefetched {
    kind: Option<invoice_type::Model>,
    discounts: Vec<invoice_discount::Model>,
}

impl From<InvoiceRow> for Invoice {
    fn from(row: InvoiceRow) -> Self {
        Invoice(
            row.invoice,
            row.relations.map(|r| Prefetched {
                kind: r.kind,
                discounts: r.discounts,
            }),
        )
    }
}

/// Whether a selection of invoice fields reads an invoice's type or discounts.
fn reads_relations(invoice: SelectionField<'_>) -> bool {
    invoice
        .selection_set()
        .any(|f| matches!(f.name(), "type" | "discounts" | "totalWithDiscount"))
}

impl Invoice {
    async fn discount_rows(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<invoice_discount::Model>> {
        if let Some(pre) = &self.1 {
            return Ok(pre.discounts.clone());
        }
        Ok(ctx
            .loaders()
            .discounts
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default())
    }
}

impl Invoice {
    /// The fields read straight from the row: its [`INVOICE_COLUMNS`] (see `fast::plain`).
    pub fn plain(&self, field: &str) -> Option<Value> {
        columns::value(INVOICE_COLUMNS, &self.0, field)
    }
}

/// A weekly instalment or other charge of a contract.
#[Object]
impl Invoice {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::Invoice, self.0.id).to_id()
    }
    /// The invoice's public hash.
    async fn hash(&self) -> &str {
        &self.0.hash
    }
    /// Where it stands.
    async fn status(&self) -> InvoiceStatus {
        self.0.status.into()
    }
    /// Order of payment: lower first.
    async fn priority(&self) -> i32 {
        self.0.priority
    }
    /// When it is due.
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }
    /// When it was paid.
    async fn paid_date(&self) -> Option<Date> {
        self.0.paid_date.map(Date)
    }
    /// Amount before discounts.
    async fn total(&self) -> Decimal {
        money(self.0.total_minor)
    }
    /// Amount after discounts, exact, never below zero.
    async fn total_with_discount(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        let discounts = self.discount_rows(ctx).await?;
        let discounted: i64 = discounts.iter().map(|d| d.amount_minor).sum();
        Ok(money(self.0.total_minor.saturating_sub(discounted).max(0)))
    }
    /// When it was issued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Notes from the leasing company.
    async fn observations(&self) -> &str {
        &self.0.observations
    }
    /// What the invoice charges for.
    async fn r#type(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<InvoiceType>> {
        if let Some(pre) = &self.1 {
            return Ok(pre.kind.clone().map(InvoiceType::from));
        }
        Ok(ctx
            .loaders()
            .invoice_types
            .load_one(Id::new(self.0.type_id))
            .await?
            .map(InvoiceType::from))
    }
    /// Discounts applied to it.
    async fn discounts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<InvoiceDiscount>> {
        let rows = self.discount_rows(ctx).await?;
        Ok(rows.into_iter().map(InvoiceDiscount::from).collect())
    }
    /// The invoice this one is a fraction of (see `splitInvoice`); null for any other.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Invoice>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(ctx
            .loaders()
            .invoices
            .load_one(Id::new(parent))
            .await?
            .map(|row| Invoice(row, None)))
    }
    /// The fractions a SPLIT invoice became, in order; empty for any other.
    async fn fractions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Invoice>> {
        if self.0.status != crate::entities::invoice::InvoiceStatus::Split {
            return Ok(Vec::new());
        }
        Ok(ctx
            .loaders()
            .invoice_fractions
            .load_one(Id::new(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|row| Invoice(row, None))
            .collect())
    }
}

/// What an invoice charges for.
#[derive(SimpleObject)]
pub struct InvoiceType {
    /// Display name, e.g. "Cuota semanal".
    pub name: String,
    /// Stable code, e.g. "weekly" or "penalty".
    pub code: String,
}

impl From<invoice_type::Model> for InvoiceType {
    fn from(m: invoice_type::Model) -> Self {
        Self {
            name: m.name,
            code: m.code,
        }
    }
}

/// A discount on an invoice.
pub struct InvoiceDiscount(pub invoice_discount::Model);

impl From<invoice_discount::Model> for InvoiceDiscount {
    fn from(m: invoice_discount::Model) -> Self {
        Self(m)
    }
}

/// A discount on an invoice.
#[Object]
impl InvoiceDiscount {
    /// Opaque global ID (what `removeInvoiceDiscount` takes).
    pub async fn id(&self) -> ID {
        GlobalId::new(NodeKind::InvoiceDiscount, self.0.id).to_id()
    }
    /// Amount taken off.
    async fn amount(&self) -> Decimal {
        money(self.0.amount_minor)
    }
    /// Why.
    async fn observations(&self) -> &str {
        &self.0.observations
    }
    /// Kind of discount: "plan" or "bonus" from the leasing system, "staff" when granted
    /// with `addInvoiceDiscount`.
    async fn r#type(&self) -> &str {
        &self.0.kind
    }
    /// When it was granted; null for discounts older than the back office.
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }
}

crate::connection!(
    InvoiceConnection,
    InvoiceEdge,
    Invoice,
    "A page of a contract's invoices, by priority then due date.",
    "An invoice and its cursor.",
    plain = Invoice::plain
);
