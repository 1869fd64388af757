//! The fields of the contracts area's object types read from their rows (see
//! `fast::columns`): each with its SQL expression for the compiled pages (`fast::fleet`,
//! `fast::invoices`) and, for an invoice, its value for the pages answered from rows,
//! valued as the resolvers in [`super::types`] answer them. They live apart from the
//! resolvers so that the compilers read them without importing the types whose
//! resolvers call the compilers (a contract's `car` and `invoices` are subtrees).

use async_graphql::{InputType, Name, Value};
use sea_orm::ActiveEnum;

use crate::{
    domain::commons::Money,
    entities::{
        car, car_document, client_phone, contract, invoice, invoice_discount, invoice_type, plan,
    },
    graphql::{
        commons::{Date, Decimal, GlobalId, NodeKind},
        fast::{
            columns::{Column, stored},
            compiled,
        },
    },
};

fn money(minor: i64) -> Decimal {
    Money::from_minor(minor).into()
}

/// A `Plan`'s fields read from its `plans` row (see `fast::columns`), valued as the
/// resolvers answer them.
pub const PLAN_COLUMNS: &[Column<plan::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Plan, &stored(t, "id"))
    }),
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("code", |t| stored(t, "code")),
    // Basis points are hundredths of a percent: the same two decimals as money.
    Column::compiled("discountPercent", |t| {
        compiled::money(&stored(t, "discount_basis_points"))
    }),
    Column::compiled("description", |t| stored(t, "description")),
];

/// A `ClientPhone`'s fields read from its `client_phones` row.
pub const CLIENT_PHONE_COLUMNS: &[Column<client_phone::Model>] =
    &[Column::compiled("phoneNumber", |t| {
        stored(t, "phone_number")
    })];

/// A `Contract`'s fields read from its row (see `fast::columns`), valued as the
/// resolvers answer them. No list of contracts is answered from rows.
pub const CONTRACT_COLUMNS: &[Column<contract::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Contract, &stored(t, "id"))
    }),
    Column::compiled("hash", |t| stored(t, "hash")),
    Column::compiled("status", |t| stored(t, "status")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
    Column::compiled("weeklyAmount", |t| {
        compiled::money(&stored(t, "weekly_amount_minor"))
    }),
    Column::compiled("autoCharge", |t| stored(t, "auto_charge")),
    Column::compiled("processorPublicKey", |t| stored(t, "processor_public_key")),
    // As `ContractState::of`: terminated, else active while any invoice is owed (of
    // those the tally counts: with their type).
    Column::compiled("state", |t| {
        format!(
            "(CASE WHEN {t}.terminated_on IS NOT NULL THEN 'TERMINATED' \
             WHEN EXISTS (SELECT 1 FROM invoices st JOIN invoice_types stt \
             ON stt.id = st.type_id WHERE st.contract_id = {t}.id AND st.status IN ({})) \
             THEN 'ACTIVE' ELSE 'FINISHED' END)",
            statuses(&invoice::InvoiceStatus::OWED)
        )
    }),
    Column::compiled("terminatedOn", |t| stored(t, "terminated_on")),
    // Null while the contract runs, whatever the row holds.
    Column::compiled("terminationReason", |t| {
        format!("(CASE WHEN {t}.terminated_on IS NOT NULL THEN {t}.termination_reason END)")
    }),
];

/// `statuses` as a SQL list of their stored names.
pub fn statuses(statuses: &[invoice::InvoiceStatus]) -> String {
    use sea_orm::ActiveEnum;
    let names: Vec<String> = statuses.iter().map(|s| s.to_value()).collect();
    compiled::texts(names.iter().map(String::as_str))
}

/// A field of `ContractSummary` and the SQL aggregate counting it.
pub type SummaryCount = (&'static str, fn() -> String);

/// The invoices `Contract.summary` counts as paid, and as pending.
pub const SUMMARY_PAID: &[invoice::InvoiceStatus] = &[invoice::InvoiceStatus::Paid];
pub const SUMMARY_PENDING: &[invoice::InvoiceStatus] = &[
    invoice::InvoiceStatus::Pending,
    invoice::InvoiceStatus::Fraction,
];
/// The type code of a penalty.
pub const PENALTY: &str = "penalty";

/// What `Contract.summary` counts, each over a contract's invoices (alias `i`) joined to
/// their type (alias `it`), as the `invoice_tally` loader groups them: the compiled
/// fleet page aggregates these.
pub const SUMMARY_COUNTS: &[SummaryCount] = &[
    ("totalInvoices", || "count(*)".into()),
    ("totalInvoicesPaid", || {
        format!(
            "count(*) FILTER (WHERE i.status IN ({}))",
            statuses(SUMMARY_PAID)
        )
    }),
    ("totalInvoicesPending", || {
        format!(
            "count(*) FILTER (WHERE i.status IN ({}))",
            statuses(SUMMARY_PENDING)
        )
    }),
    ("pendingPenalties", || {
        format!(
            "count(*) FILTER (WHERE i.status IN ({}) AND it.code = {})",
            statuses(SUMMARY_PENDING),
            compiled::text(PENALTY)
        )
    }),
];

/// A `Car`'s fields read from its row (see `fast::columns`), valued as the resolvers
/// above answer them. No list of cars is answered from rows.
pub const CAR_COLUMNS: &[Column<car::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::Car, &stored(t, "id"))
    }),
    Column::compiled("brand", |t| stored(t, "brand")),
    Column::compiled("model", |t| stored(t, "model")),
    Column::compiled("licensePlate", |t| stored(t, "license_plate")),
    Column::compiled("year", |t| stored(t, "year")),
];

/// A `CarDocument`'s fields read from its row (see `fast::columns`), valued as the
/// resolvers answer them (a kind's stored name is its GraphQL name). No list of
/// documents is answered from rows.
pub const CAR_DOCUMENT_COLUMNS: &[Column<car_document::Model>] = &[
    Column::compiled("kind", |t| stored(t, "kind")),
    Column::compiled("label", |t| stored(t, "label")),
    Column::compiled("number", |t| stored(t, "number")),
    Column::compiled("owner", |t| stored(t, "owner")),
    Column::compiled("dueDate", |t| stored(t, "due_date")),
    Column::compiled("fileUrl", |t| stored(t, "file_url")),
    // A date less a date is a number of days; null stays null.
    Column::on_day("expiresInDays", |t, today| {
        format!("({} - '{today}'::date)", stored(t, "due_date"))
    }),
];

/// An `Invoice`'s fields read from its row (see `fast::columns`), valued as the
/// resolvers answer them: `nodes` of invoices answers them from the rows.
pub const INVOICE_COLUMNS: &[Column<invoice::Model>] = &[
    Column::both(
        "id",
        |r| InputType::to_value(&GlobalId::new(NodeKind::Invoice, r.id).to_id()),
        |t| GlobalId::postgres_sql(NodeKind::Invoice, &stored(t, "id")),
    ),
    Column::both(
        "hash",
        |r| Value::String(r.hash.clone()),
        |t| stored(t, "hash"),
    ),
    Column::both(
        "status",
        |r| Value::Enum(Name::new(r.status.to_value())),
        |t| stored(t, "status"),
    ),
    Column::both(
        "priority",
        |r| Value::from(r.priority),
        |t| stored(t, "priority"),
    ),
    Column::both(
        "dueDate",
        |r| InputType::to_value(&Date(r.due_date)),
        |t| stored(t, "due_date"),
    ),
    Column::both(
        "paidDate",
        |r| InputType::to_value(&r.paid_date.map(Date)),
        |t| stored(t, "paid_date"),
    ),
    Column::both(
        "total",
        |r| InputType::to_value(&money(r.total_minor)),
        |t| compiled::money(&stored(t, "total_minor")),
    ),
    Column::compiled_not_read(
        "totalWithDiscount",
        |t| {
            // The resolver's sum and floor at zero; SUM of bigints is a numeric, so no
            // sum of discounts overflows.
            let id = stored(t, "id");
            let total = stored(t, "total_minor");
            compiled::money(&format!(
                "GREATEST({total} - (SELECT COALESCE(SUM(discounted.amount_minor), 0) \
                 FROM invoice_discounts discounted WHERE discounted.invoice_id = {id}), 0)"
            ))
        },
        "subtracts the invoice's discounts, rows of another table",
    ),
    Column::both(
        "createdAt",
        |r| InputType::to_value(&r.created_at),
        |t| compiled::timestamp(&stored(t, "created_at")),
    ),
    Column::both(
        "observations",
        |r| Value::String(r.observations.clone()),
        |t| stored(t, "observations"),
    ),
];

/// An `InvoiceType`'s fields read from its row (see `fast::columns`).
pub const INVOICE_TYPE_COLUMNS: &[Column<invoice_type::Model>] = &[
    Column::compiled("name", |t| stored(t, "name")),
    Column::compiled("code", |t| stored(t, "code")),
];

/// An `InvoiceDiscount`'s fields read from its row (see `fast::columns`), valued as the
/// resolvers answer them.
pub const INVOICE_DISCOUNT_COLUMNS: &[Column<invoice_discount::Model>] = &[
    Column::compiled("id", |t| {
        GlobalId::postgres_sql(NodeKind::InvoiceDiscount, &stored(t, "id"))
    }),
    Column::compiled("amount", |t| compiled::money(&stored(t, "amount_minor"))),
    Column::compiled("observations", |t| stored(t, "observations")),
    Column::compiled("type", |t| stored(t, "kind")),
    Column::compiled("createdAt", |t| {
        compiled::timestamp(&stored(t, "created_at"))
    }),
];
