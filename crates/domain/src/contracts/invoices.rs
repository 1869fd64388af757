//! The invoices of many contracts at once: a page of each contract's invoices, their
//! counts by status, and the tally behind a contract's summary. One statement per call
//! however many contracts, so that a fleet page of a thousand contracts costs what one
//! contract does; batching the contracts of a request level is the API's.

use crate::commons::{ContractId, Id};
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QueryResult, QuerySelect, Statement, Value,
};

use crate::{
    entities::{invoice, invoice::InvoiceStatus, invoice_discount, invoice_type},
    reads::{self, bigint, placeholder},
};

/// One page of one contract's invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvoicePageKey {
    pub contract_id: ContractId,
    pub status: Option<InvoiceStatus>,
    pub offset: u64,
    pub limit: u64,
    /// Load each invoice's type and discounts with the page (when the query asks for
    /// them): two statements for the whole level instead of two batch levels below it.
    pub with_relations: bool,
    /// Also count the contract's invoices of `status` (for `totalCount`), in the same
    /// statement as the page.
    pub counted: bool,
}

/// A page of a contract's invoices, with their number when the key asked for it.
#[derive(Debug, Clone, Default)]
pub struct InvoicePage {
    pub rows: Vec<InvoiceRow>,
    pub total: Option<u64>,
}

/// The invoice columns of [`page_statement`]'s rows, from [`FIRST_INVOICE_COLUMN`] on,
/// in the order [`invoice_at`] reads them.
const INVOICE_COLUMNS: [&str; 12] = [
    "id",
    "contract_id",
    "hash",
    "status",
    "priority",
    "due_date",
    "paid_date",
    "total_minor",
    "observations",
    "type_id",
    "created_at",
    "parent_id",
];
const FIRST_INVOICE_COLUMN: usize = 3;

/// The invoice of a [`page_statement`] row, read by position: a page of 1,000 contracts
/// has 12,000 rows, and SeaORM's by-name reading looked each column up in a hash map.
/// The struct literal names every field, so a new column fails to compile here.
fn invoice_at(row: &QueryResult) -> Result<invoice::Model, DbErr> {
    let at = |i: usize| FIRST_INVOICE_COLUMN + i;
    Ok(invoice::Model {
        id: row.try_get_by_index(at(0))?,
        contract_id: row.try_get_by_index(at(1))?,
        hash: row.try_get_by_index(at(2))?,
        status: row.try_get_by_index(at(3))?,
        priority: row.try_get_by_index(at(4))?,
        due_date: row.try_get_by_index(at(5))?,
        paid_date: row.try_get_by_index(at(6))?,
        total_minor: row.try_get_by_index(at(7))?,
        observations: row.try_get_by_index(at(8))?,
        type_id: row.try_get_by_index(at(9))?,
        created_at: row.try_get_by_index(at(10))?,
        parent_id: row.try_get_by_index(at(11))?,
    })
}

/// The statement of [`invoice_pages`] for one (status, offset, limit). Its columns:
/// the contract, whether the row is an invoice of the page, the contract's number of
/// invoices of `status` (0 unless `counted`), then [`INVOICE_COLUMNS`]. Every contract's
/// page at once, ordered by contract then priority, due date and id.
///
/// PostgreSQL reads each contract's page from `ix_invoices_contract_page` (`limit` index
/// entries a contract) and counts in the same pass, one row a contract at least. SQLite
/// has no LATERAL: it ranks every invoice of the contracts and keeps the window, plus each
/// contract's first row when counting (so that a page past the end still carries the
/// count).
///
/// The contracts are one parameter (their ids comma-separated; SQLite reads them back as
/// a JSON array with `json_each`), not a placeholder each, and the window is written
/// into the text as [`reads::window`] writes a listing's: the text then depends only on
/// (status, offset, limit, counted), one prepared statement
/// for every batch, where each number of contracts was one of its own (prepared, and
/// planned five times over before PostgreSQL weighs a generic plan, which it keeps from
/// a few dozen contracts on).
fn page_statement(
    backend: DbBackend,
    contracts: &[i64],
    status: Option<InvoiceStatus>,
    offset: u64,
    limit: u64,
    counted: bool,
) -> Statement {
    let mut values: Vec<Value> = Vec::new();
    let mut next = |v: Value| {
        values.push(v);
        placeholder(backend, values.len())
    };
    let ids = next(reads::key_list(contracts.iter().copied()).into());
    let status_filter = match status {
        Some(s) => format!(" AND status = {}", next(status_text(s).into())),
        None => String::new(),
    };
    let order = "priority ASC, due_date ASC, id ASC";
    let columns = |table: &str| {
        INVOICE_COLUMNS
            .iter()
            .map(|c| format!("{table}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = if backend == DbBackend::Postgres {
        let (offset, limit) = (bigint(offset), bigint(limit));
        let page = format!(
            "SELECT * FROM invoices WHERE contract_id = parent.id{status_filter} \
             ORDER BY {order} OFFSET {offset} LIMIT {limit}"
        );
        let columns = columns("page");
        if counted {
            format!(
                "SELECT parent.id, page.id IS NOT NULL, counted.n, {columns} \
                 FROM unnest(string_to_array({ids}, ',')::bigint[]) AS parent(id) \
                 CROSS JOIN LATERAL (SELECT count(*) AS n FROM invoices WHERE contract_id = parent.id{status_filter}) counted \
                 LEFT JOIN LATERAL ({page}) page ON true \
                 ORDER BY parent.id, page.priority, page.due_date, page.id"
            )
        } else {
            format!(
                "SELECT parent.id, true, 0::bigint, {columns} \
                 FROM unnest(string_to_array({ids}, ',')::bigint[]) AS parent(id) \
                 CROSS JOIN LATERAL ({page}) page \
                 ORDER BY parent.id, page.priority, page.due_date, page.id"
            )
        }
    } else {
        let low = bigint(offset);
        let high = bigint(offset.saturating_add(limit));
        let in_page = format!("page_rank > {low} AND page_rank <= {high}");
        let (total, keep) = if counted {
            (
                "COUNT(*) OVER (PARTITION BY contract_id)",
                format!("({in_page}) OR page_rank = 1"),
            )
        } else {
            ("0", in_page.clone())
        };
        let columns = columns("ranked");
        format!(
            "SELECT ranked.contract_id, ({in_page}), ranked.listing_total, {columns} FROM \
             (SELECT invoices.*, ROW_NUMBER() OVER (PARTITION BY contract_id ORDER BY {order}) AS page_rank, \
             {total} AS listing_total \
             FROM invoices WHERE contract_id IN (SELECT value FROM json_each('[' || {ids} || ']')){status_filter}) ranked \
             WHERE {keep} ORDER BY ranked.contract_id, page_rank"
        )
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// A contract's invoices for one status filter, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvoiceCountKey {
    pub contract_id: ContractId,
    pub status: Option<InvoiceStatus>,
}

fn status_text(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Pending => "PENDING",
        InvoiceStatus::Fraction => "FRACTION",
        InvoiceStatus::Frozen => "FROZEN",
        InvoiceStatus::Paid => "PAID",
        InvoiceStatus::Split => "SPLIT",
        InvoiceStatus::Cancelled => "CANCELLED",
    }
}

/// An invoice of a page, with its type and discounts when the page loaded them: the
/// widest level of a nested listing (thousands of invoices) then costs two statements in
/// the page's load rather than two more batch levels.
#[derive(Debug, Clone)]
pub struct InvoiceRow {
    pub invoice: invoice::Model,
    pub relations: Option<InvoiceRelations>,
}

/// An invoice's type and discounts.
#[derive(Debug, Clone)]
pub struct InvoiceRelations {
    pub kind: Option<invoice_type::Model>,
    pub discounts: Vec<invoice_discount::Model>,
}

/// `rows` with their types and discounts: two statements for the whole page level.
async fn load_relations<C: ConnectionTrait>(
    db: &C,
    rows: Vec<invoice::Model>,
) -> Result<Vec<InvoiceRow>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut type_ids: Vec<i64> = rows.iter().map(|r| r.type_id).collect();
    type_ids.sort_unstable();
    type_ids.dedup();
    let types: HashMap<i64, invoice_type::Model> = invoice_type::Entity::find()
        .filter(reads::one_of(
            db.get_database_backend(),
            invoice_type::Column::Id,
            type_ids,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let discounts = invoice_discount::Entity::find()
        .filter(reads::one_of(
            db.get_database_backend(),
            invoice_discount::Column::InvoiceId,
            ids.iter().copied(),
        ))
        .order_by_asc(invoice_discount::Column::Id)
        .all(db)
        .await?;
    let mut discounts = reads::group(&ids, discounts, |d| d.invoice_id);
    Ok(rows
        .into_iter()
        .map(|invoice| InvoiceRow {
            relations: Some(InvoiceRelations {
                kind: types.get(&invoice.type_id).cloned(),
                discounts: discounts.remove(&invoice.id).unwrap_or_default(),
            }),
            invoice,
        })
        .collect())
}

/// Every page `keys` ask for: one windowed statement per distinct (status, offset,
/// limit), every contract's page at once, ranked by priority then due date.
pub async fn invoice_pages<C: ConnectionTrait>(
    db: &C,
    keys: &[InvoicePageKey],
) -> Result<HashMap<InvoicePageKey, InvoicePage>, DbErr> {
    let backend = db.get_database_backend();
    // Pages that differ only in `with_relations` share one statement.
    let mut groups: HashMap<(Option<InvoiceStatus>, u64, u64), Vec<InvoicePageKey>> =
        HashMap::new();
    for key in keys {
        groups
            .entry((key.status, key.offset, key.limit))
            .or_default()
            .push(*key);
    }
    let mut result = HashMap::new();
    for ((status, offset, limit), group_keys) in groups {
        let with_relations = group_keys.iter().any(|k| k.with_relations);
        let mut contracts: Vec<i64> = group_keys.iter().map(|k| k.contract_id.get()).collect();
        contracts.sort_unstable();
        contracts.dedup();
        let counted = group_keys.iter().any(|k| k.counted);
        let statement = page_statement(backend, &contracts, status, offset, limit, counted);
        let mut totals: HashMap<i64, u64> = HashMap::new();
        let mut rows = Vec::new();
        for row in db.query_all_raw(statement).await? {
            let parent: i64 = row.try_get_by_index(0)?;
            let in_page: bool = row.try_get_by_index(1)?;
            if counted {
                let total: i64 = row.try_get_by_index(2)?;
                totals.insert(parent, total.max(0) as u64);
            }
            if in_page {
                rows.push(invoice_at(&row)?);
            }
        }
        let rows = if with_relations {
            load_relations(db, rows).await?
        } else {
            rows.into_iter()
                .map(|invoice| InvoiceRow {
                    invoice,
                    relations: None,
                })
                .collect()
        };
        let mut by_contract = reads::group(&contracts, rows, |r| r.invoice.contract_id);
        // A contract's rows move to its last key (usually its only one).
        let mut keys_left: HashMap<i64, usize> = HashMap::new();
        for key in &group_keys {
            *keys_left.entry(key.contract_id.get()).or_default() += 1;
        }
        for key in group_keys {
            let left = keys_left.entry(key.contract_id.get()).or_default();
            *left = left.saturating_sub(1);
            let rows = if *left == 0 {
                by_contract.remove(&key.contract_id.get())
            } else {
                by_contract.get(&key.contract_id.get()).cloned()
            };
            let page = InvoicePage {
                rows: rows.unwrap_or_default(),
                total: key
                    .counted
                    .then(|| totals.get(&key.contract_id.get()).copied().unwrap_or(0)),
            };
            result.insert(key, page);
        }
    }
    Ok(result)
}

/// Each contract's number of invoices of the key's status (all of them without one).
pub async fn invoice_counts<C: ConnectionTrait>(
    db: &C,
    keys: &[InvoiceCountKey],
) -> Result<HashMap<InvoiceCountKey, u64>, DbErr> {
    // Counted per status in one statement; an unfiltered count is the sum.
    let contracts: Vec<i64> = keys.iter().map(|k| k.contract_id.get()).collect();
    let rows: Vec<(i64, InvoiceStatus, i64)> = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::ContractId)
        .column(invoice::Column::Status)
        .column_as(invoice::Column::Id.count(), "n")
        .filter(reads::one_of(
            db.get_database_backend(),
            invoice::Column::ContractId,
            contracts,
        ))
        .group_by(invoice::Column::ContractId)
        .group_by(invoice::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(keys
        .iter()
        .map(|key| {
            let n = rows
                .iter()
                .filter(|(c, s, _)| {
                    *c == key.contract_id.get() && key.status.is_none_or(|want| want == *s)
                })
                .map(|(_, _, n)| *n as u64)
                .sum();
            (*key, n)
        })
        .collect())
}

/// Per contract: (status, type code, count) of its invoices.
pub type Tally = Vec<(InvoiceStatus, String, u64)>;

/// The tally of each of `contracts`, for the contract summary.
pub async fn invoice_tally<C: ConnectionTrait>(
    db: &C,
    contracts: &[ContractId],
) -> Result<HashMap<ContractId, Tally>, DbErr> {
    let rows: Vec<(i64, InvoiceStatus, String, i64)> = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::ContractId)
        .column(invoice::Column::Status)
        .column(invoice_type::Column::Code)
        .column_as(invoice::Column::Id.count(), "n")
        .inner_join(invoice_type::Entity)
        .filter(reads::one_of(
            db.get_database_backend(),
            invoice::Column::ContractId,
            contracts.iter().copied(),
        ))
        .group_by(invoice::Column::ContractId)
        .group_by(invoice::Column::Status)
        .group_by(invoice_type::Column::Code)
        .into_tuple()
        .all(db)
        .await?;
    let mut map: HashMap<ContractId, Tally> = contracts.iter().map(|k| (*k, Vec::new())).collect();
    for (contract, status, code, n) in rows {
        map.entry(Id::new(contract))
            .or_default()
            .push((status, code, n as u64));
    }
    Ok(map)
}
