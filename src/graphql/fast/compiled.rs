//! Selections that PostgreSQL answers whole: one statement builds their JSON.
//!
//! A fleet screen asks for hundreds of drivers, their contracts, cars and invoices. The
//! resolvers answer it with one batched statement per level, then decode every row and
//! run a future per field of every object: on PostgreSQL most of that work can be left to
//! the database, which builds the answer's JSON itself (as PostGraphile does) in one
//! statement and sends no row to decode.
//!
//! A page's compiler (the fleet page's is [`super::fleet`], a book's transactions'
//! [`super::books`], a wallet's [`super::wallet`]) values each field it knows as
//! a SQL expression over the row it reads, and nests the relations it knows as
//! correlated subqueries. Lists are `array_to_json(ARRAY(SELECT ... ORDER BY ...))`: an
//! array keeps its subquery's order, where `json_agg(... ORDER BY ...)` would sort each
//! list again. A selection is compiled only when every field in it is known, with the
//! arguments its compiler accepts; anything else (a directive, a field or an argument
//! the compiler does not know, a response key given twice) makes the compiler return
//! `None`, and the resolvers answer the usual way; below them a field whose own
//! selection compiles (a driver's `contracts`, a wallet's `movements`, a contract's
//! `car` and `invoices`) is still read as JSON, for every parent of its level at once (a
//! subtree, see [`subtree`]): a field that does not compile leaves only the levels above
//! it to the resolvers, not the fields below them.
//! Relations are written with [`one`] and [`many`] (a row found by its primary key with
//! [`one_by_key`], a join of the FROM clause being written), offset-paged connections with
//! [`offset_connection`]; the fields below a field are those [`Selected::fields`] lists
//! (below an interface such as `me: User`, only those selected on the type read). The answers are the same either way: `tests/api/compiled.rs`,
//! `tests/api/compiled_books.rs` and `tests/api/compiled_wallet.rs` compare them field by
//! field. SQLite always resolves.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use async_graphql::{
    Context, Name, Positioned, Value,
    parser::types::{Field, FragmentDefinition, Selection, SelectionSet},
};
use sea_orm::{DbBackend, EntityTrait};

use super::{batch::Batcher, columns::Column, selection::Selected};
use crate::{
    domain::{
        commons::Id,
        reads::{ById, Joined, RowText},
    },
    graphql::{
        commons::{
            ContextExt, PageArgs,
            connection::{self, Bounds, DEFAULT_PAGE_SIZE},
        },
        loaders::{Loaders, SubtreeKey, Subtrees},
    },
};

/// The table alias a statement over `E`'s rows reads them as: its table, quoted as SeaORM
/// writes it (what a listing's compiled node and a subtree are built over).
pub fn row_of<E: EntityTrait>() -> String {
    format!("\"{}\"", E::default().table_name())
}

/// `json_build_object` takes at most 100 arguments: 50 keys and their values.
const MAX_KEYS: usize = 50;

/// The SQL being written: hands out the table aliases of nested subqueries, knows today
/// when a field may follow the calendar, and collects the joins of the FROM clauses being
/// written (see [`Sql::joinable`]).
#[derive(Default)]
pub struct Sql {
    aliases: usize,
    today: Option<NaiveDate>,
    /// The FROM clauses being written, innermost last.
    froms: Vec<FromClause>,
    /// The lists the rows leave out, when the page's reader reads them after (see
    /// [`Sql::later`]); `None` when it does not.
    later: Option<Vec<Later>>,
}

/// A list a compiled page's rows leave null, read afterwards for the whole page in one
/// statement and set into each row's JSON ([`set_member`]): a set-based read where each
/// row's subquery was a sort and an aggregate of its own (a book page's tags).
pub struct Later {
    /// The response key whose value each row leaves null.
    pub key: String,
    /// The SQL of one item's JSON, over the item's table by its name.
    pub item: String,
}

/// A FROM clause being written: the aliases of its rows, and the joins asked of it.
struct FromClause {
    rows: Vec<String>,
    joins: Vec<Joined>,
}

impl FromClause {
    fn of(row: &str) -> Self {
        Self {
            rows: vec![row.to_string()],
            joins: Vec::new(),
        }
    }
}

impl Sql {
    /// SQL whose fields may follow the calendar: today is `today`, in the organization's
    /// timezone.
    pub fn on(today: NaiveDate) -> Self {
        Self {
            today: Some(today),
            ..Self::default()
        }
    }

    /// A table alias no other part of the statement uses.
    pub fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("c{}", self.aliases)
    }

    /// SQL over row `row` of a listing the domain reads (`domain::reads::Listing`, a
    /// caller's own row): the joins its fields ask of that row go into the listing's FROM
    /// clause, given with the text ([`Sql::row_text`]).
    pub fn over_listing(mut self, row: &str) -> Self {
        self.froms.push(FromClause::of(row));
        self
    }

    /// SQL whose reader reads the lists [`Sql::read_later`] asks for after the rows.
    pub fn reading_later(mut self) -> Self {
        self.later = Some(Vec::new());
        self
    }

    /// Asks that list `key`, of items `item`, be read after the rows: `false` (nothing
    /// asked) when the reader does not.
    pub fn read_later(&mut self, key: &str, item: String) -> bool {
        let Some(later) = &mut self.later else {
            return false;
        };
        later.push(Later {
            key: key.to_string(),
            item,
        });
        true
    }

    /// The lists to read after the rows.
    pub fn later(&mut self) -> Vec<Later> {
        self.later.take().unwrap_or_default()
    }

    /// The JSON text `node` builds over the listing's row ([`Sql::over_listing`]), with
    /// the joins its fields asked of that row.
    pub fn row_text(mut self, node: &str) -> RowText {
        RowText {
            text: format!("({node})::text"),
            joins: self.froms.pop().map(|from| from.joins).unwrap_or_default(),
        }
    }

    /// What `build` writes over row `row` of a SELECT whose FROM clause this statement
    /// writes, and the joins its fields asked for, to write after the row's table.
    fn reading_from<R>(
        &mut self,
        row: &str,
        build: impl FnOnce(&mut Sql) -> Option<R>,
    ) -> Option<(R, String)> {
        self.froms.push(FromClause::of(row));
        let built = build(self);
        let from = self.froms.pop()?;
        let joins = from
            .joins
            .iter()
            .map(|j| format!(" LEFT JOIN {} {} ON {}", j.table, j.alias, j.on))
            .collect();
        Some((built?, joins))
    }

    /// Whether a join may go into the FROM clause being written for row `to`: `to` is one
    /// of its rows. Not where no FROM clause is being written (a subtree's row, read by
    /// the loader of a level's subtrees).
    pub fn joinable(&self, to: &str) -> bool {
        self.froms
            .last()
            .is_some_and(|from| from.rows.iter().any(|row| row == to))
    }

    /// The alias of a row of `table` left-joined, on `on` (over the row's alias), to the
    /// FROM clause being written ([`Sql::joinable`] said it may): joined once, however
    /// many fields read it. `on` must keep at most one row, or the join would repeat its
    /// parent's.
    pub fn join(&mut self, table: &str, on: impl Fn(&str) -> String) -> String {
        if let Some(joined) = self.froms.last().and_then(|from| {
            from.joins
                .iter()
                .find(|j| j.table == table && j.on == on(&j.alias))
        }) {
            return joined.alias.clone();
        }
        let alias = self.alias();
        if let Some(from) = self.froms.last_mut() {
            from.joins.push(Joined {
                table: table.to_string(),
                alias: alias.clone(),
                on: on(&alias),
            });
            from.rows.push(alias.clone());
        }
        alias
    }
}

/// The SQL expression building `field`'s sub-selection as a JSON object, when it can:
/// `field_sql` values each selected field (`None` for one it cannot compile),
/// `__typename` is `type_name`.
pub fn object<'a>(
    field: Selected<'a>,
    type_name: &str,
    sql: &mut Sql,
    mut field_sql: impl FnMut(Selected<'a>, &mut Sql) -> Option<String>,
) -> Option<String> {
    let mut keys = HashSet::new();
    let mut pairs = Vec::new();
    for selected in field.fields() {
        let key = selected.key();
        // A key given twice merges two selections: left to the resolvers.
        if !keys.insert(key) || keys.len() > MAX_KEYS {
            return None;
        }
        let value = if selected.name() == "__typename" {
            text(type_name)
        } else {
            field_sql(selected, sql)?
        };
        // Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): nothing to escape.
        pairs.push(format!("'{key}', {value}"));
    }
    if pairs.is_empty() {
        return None;
    }
    Some(format!("json_build_object({})", pairs.join(", ")))
}

/// A relation to at most one row, `field` (no argument): the JSON `build` makes of the
/// row of `table` that `on` (a condition over the row's alias) keeps; null when none.
pub fn one<'a>(
    field: Selected<'a>,
    sql: &mut Sql,
    table: &str,
    on: impl FnOnce(&str) -> String,
    build: impl FnOnce(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    let rows = rows_of(field, sql, table, on, None::<fn(&str) -> String>, build)?;
    Some(format!("({rows})"))
}

/// A relation of row `t` to the row of `table` that `on` (over the row's alias) finds by
/// its primary key, `field` (no argument): the JSON `build` makes of it; null when none.
/// Written as a join of the FROM clause that reads `t` when there is one (PostgreSQL then
/// looks the row up once, with no subquery to run per row: a tenth of a page of
/// invoices' time), else as [`one`]'s subquery.
pub fn one_by_key<'a>(
    field: Selected<'a>,
    sql: &mut Sql,
    t: &str,
    table: &str,
    on: impl Fn(&str) -> String,
    build: impl FnOnce(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    no_arguments(field)?;
    if !sql.joinable(t) {
        return one(field, sql, table, on, build);
    }
    let row = sql.join(table, on);
    let built = build(field, &row, sql)?;
    Some(format!(
        "(CASE WHEN {row}.id IS NULL THEN NULL ELSE {built} END)"
    ))
}

/// A relation to a list of rows, `field` (no argument): the JSON array of what `build`
/// makes of each row of `table` that `on` keeps, by `order` (both over the row's alias).
pub fn many<'a>(
    field: Selected<'a>,
    sql: &mut Sql,
    table: &str,
    on: impl FnOnce(&str) -> String,
    order: impl FnOnce(&str) -> String,
    build: impl FnOnce(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    let rows = rows_of(field, sql, table, on, Some(order), build)?;
    Some(format!("array_to_json(ARRAY({rows}))"))
}

/// The SELECT of what `build` makes of each row of `table` that `on` keeps, by `order`
/// when given, for relation `field` (no argument): [`one`]'s and [`many`]'s subquery.
fn rows_of<'a>(
    field: Selected<'a>,
    sql: &mut Sql,
    table: &str,
    on: impl FnOnce(&str) -> String,
    order: Option<impl FnOnce(&str) -> String>,
    build: impl FnOnce(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    no_arguments(field)?;
    let row = sql.alias();
    let (built, joins) = sql.reading_from(&row, |sql| build(field, &row, sql))?;
    let order = order.map_or(String::new(), |order| format!(" ORDER BY {}", order(&row)));
    Some(format!(
        "SELECT {built} FROM {table} {row}{joins} WHERE {}{order}",
        on(&row)
    ))
}

/// An object of type `type_name` whose fields are all `columns` of row `row`.
pub fn flat<R>(
    field: Selected<'_>,
    type_name: &str,
    columns: &[Column<R>],
    row: &str,
    sql: &mut Sql,
) -> Option<String> {
    object(field, type_name, sql, |f, sql| column(columns, f, row, sql))
}

/// The JSON text of `ctx`'s field, a subtree below an object the resolvers answer (a
/// driver of a page that did not compile whole, a contract of a driver's contracts that
/// did not), whose row is `id`: `compile` builds it over that row, read by its table's
/// name ([`row_of`]). It is compiled once per field of the document
/// (`Loaders::subtree_sql`) and read for every parent of the level in one statement
/// (`subtrees` picks the [`Subtrees`] loader of `E`'s rows). `None` when the field does
/// not compile, or when the row is gone: the resolvers then answer, and only this field's
/// own subtree leaves the compiled path.
pub async fn subtree<E: ById>(
    ctx: &Context<'_>,
    id: Id<E>,
    compile: fn(Selected<'_>, &str, &mut Sql) -> Option<String>,
    subtrees: fn(&Loaders) -> &Batcher<SubtreeKey<E>, Subtrees<E>>,
) -> async_graphql::Result<Option<String>>
where
    E::Model: Send + Sync,
{
    let loaders = ctx.loaders();
    let compiled = loaders.subtree_sql.get(ctx.item.pos, || {
        if !compilable(ctx) {
            return None;
        }
        let json = compile(Selected::of(ctx), &row_of::<E>(), &mut Sql::default())?;
        // A relation to one row is SQL's null when there is none: JSON's null.
        Some(format!("COALESCE(({json})::text, 'null')"))
    });
    let Some(sql) = compiled else {
        return Ok(None);
    };
    Ok(subtrees(loaders).load_one((sql, id)).await?)
}

/// `field` when it takes no argument and selects nothing below it: a column's field.
pub fn leaf(field: Selected<'_>) -> Option<Selected<'_>> {
    (field.bare() && !field.selects()).then_some(field)
}

/// The SQL of `field` over row `table` when it is one of `columns` that compiles, asked
/// with no argument and no sub-selection.
pub fn column<R>(
    columns: &[Column<R>],
    field: Selected<'_>,
    table: &str,
    sql: &Sql,
) -> Option<String> {
    leaf(field)?;
    super::columns::sql(columns, field.name(), table, sql.today)
}

/// A comma-separated list of SQL string literals of `values` (for `IN (...)`).
pub fn texts<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values.into_iter().map(text).collect::<Vec<_>>().join(", ")
}

/// A SQL string literal of a text we wrote (a type name, an enum value).
pub fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// An amount in minor units as the `Decimal` scalar writes it: exact, with two decimals
/// (a `bigint` times the `numeric` 0.01 is a `numeric` of scale 2; never a float).
pub fn money(minor_column: &str) -> String {
    format!("({minor_column} * 0.01)::text")
}

/// A `timestamptz` column as the `DateTime` scalar writes it (chrono's `to_rfc3339`): UTC
/// as `+00:00`, with as many of the fraction's digits as are not zero, in groups of three
/// (PostgreSQL keeps microseconds, so none, 3 or 6); null stays null.
pub fn timestamp(column: &str) -> String {
    let micros = format!("(EXTRACT(MICROSECONDS FROM {column})::bigint % 1000000)");
    format!(
        "(to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || \
         CASE WHEN {micros} = 0 THEN '' \
         WHEN {micros} % 1000 = 0 THEN '.' || lpad(({micros} / 1000)::text, 3, '0') \
         ELSE '.' || lpad({micros}::text, 6, '0') END || '+00:00')"
    )
}

/// PAID, OVERDUE (unpaid past its due date, or its date without one) or PENDING as of
/// `today`, of row `t` with `paid`, `due_date` and `date` columns: a transaction's
/// `status` (`TransactionStatus::of`), and a sales invoice's or a receipt's
/// (`business::overdue_condition`).
pub fn due_status(t: &str, today: NaiveDate) -> String {
    format!(
        "(CASE WHEN {t}.paid THEN 'PAID' \
         WHEN COALESCE({t}.due_date, {t}.date) < '{today}'::date THEN 'OVERDUE' \
         ELSE 'PENDING' END)"
    )
}

/// `Some` when `field` takes no argument.
pub fn no_arguments(field: Selected<'_>) -> Option<()> {
    field.bare().then_some(())
}

/// A connection's page PostgreSQL answers: the SQL building the JSON text of one node
/// (over the row the page reads, with the tables it joins to it), and where that JSON
/// goes.
pub struct CompiledPage {
    pub node: RowText,
    /// `None`: the JSON texts are the page's `nodes`; else the `node` of each of its
    /// `edges`, built as this shape says.
    pub edges: Option<EdgeShape>,
}

/// `object` (the text of a JSON object, as PostgreSQL writes it) with the value of its
/// member `key` (a response key: a GraphQL name, written unescaped) set to `value`,
/// where that value is `null`; `None` when it has no such null member. Only the
/// object's own members are read: a key in a nested object or a string is not one.
pub fn set_member(object: &str, key: &str, value: &str) -> Option<String> {
    let bytes = object.as_bytes();
    let mut depth = 0usize;
    let mut at_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                // The closing quote, found as the splice finds it (`memchr`): a row's
                // strings are most of its bytes.
                i = start + super::raw::string_length(&bytes[start..]);
                if i >= bytes.len() {
                    return None;
                }
                if depth == 1 && at_key {
                    at_key = false;
                    if &object[start..i] == key {
                        let rest = object[i + 1..].trim_start().strip_prefix(':')?;
                        let value_at = object.len() - rest.trim_start().len();
                        let after = object[value_at..].strip_prefix("null")?;
                        let mut set = String::with_capacity(object.len() + value.len());
                        set.push_str(&object[..value_at]);
                        set.push_str(value);
                        set.push_str(after);
                        return Some(set);
                    }
                }
            }
            b'{' | b'[' => {
                depth += 1;
                at_key = depth == 1 && bytes[i] == b'{';
            }
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b',' if depth == 1 => at_key = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The selection of an edge of a compiled page: each response key, and what it holds.
pub struct EdgeShape {
    parts: Vec<(String, EdgePart)>,
    type_name: &'static str,
}

enum EdgePart {
    Cursor,
    Node,
    Typename,
}

impl EdgeShape {
    /// The JSON text of the edge of `node` (the node's JSON text) at `cursor` (a
    /// base64url cursor).
    pub fn edge(&self, cursor: &str, node: &str) -> String {
        // Response keys are GraphQL names, cursors base64url and type names ours:
        // nothing to escape.
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|(key, part)| match part {
                EdgePart::Cursor => format!("\"{key}\":\"{cursor}\""),
                EdgePart::Node => format!("\"{key}\":{node}"),
                EdgePart::Typename => format!("\"{key}\":\"{}\"", self.type_name),
            })
            .collect();
        format!("{{{}}}", parts.join(","))
    }
}

/// What a connection field `ctx` asks for, when PostgreSQL can answer it: its one list,
/// `nodes` or `edges` (of type `edge_type`, with their `cursor` and `node`), as the
/// selection of the nodes and the shape of the edges; beside it only what the
/// connection's own resolvers answer (`pageInfo`, `totalCount`, `__typename`). The
/// nodes' own fields are left to the caller's compiler.
pub fn page_selection<'a>(
    ctx: &'a Context<'_>,
    edge_type: &'static str,
) -> Option<(Selected<'a>, Option<EdgeShape>)> {
    if !compilable(ctx) {
        return None;
    }
    let mut nodes = None;
    let mut edges = None;
    let mut keys = HashSet::new();
    for selected in Selected::of(ctx).fields() {
        if !keys.insert(selected.key()) {
            return None;
        }
        match selected.name() {
            // Read by the connection's own resolvers.
            "pageInfo" | "totalCount" | "__typename" => {}
            // Both lists, or one twice under two aliases, would each need their own
            // selection's JSON.
            "nodes" | "edges" if nodes.is_some() => return None,
            "nodes" => {
                no_arguments(selected)?;
                nodes = Some(selected);
            }
            "edges" => {
                let (shape, node) = edge_shape(selected, edge_type)?;
                edges = Some(shape);
                nodes = Some(node);
            }
            // Anything new resolves the usual way.
            _ => return None,
        }
    }
    Some((nodes?, edges))
}

/// The shape of `edges`' selection and its one `node` field, when it asks only for
/// `cursor`, `node` and `__typename`, with no argument.
fn edge_shape<'a>(
    edges: Selected<'a>,
    type_name: &'static str,
) -> Option<(EdgeShape, Selected<'a>)> {
    no_arguments(edges)?;
    let mut parts: Vec<(String, EdgePart)> = Vec::new();
    let mut node = None;
    for selected in edges.fields() {
        let key = selected.key().to_string();
        let part = match selected.name() {
            "cursor" => EdgePart::Cursor,
            "__typename" => EdgePart::Typename,
            "node" if node.is_some() => return None,
            "node" => {
                no_arguments(selected)?;
                node = Some(selected);
                EdgePart::Node
            }
            _ => return None,
        };
        if selected.name() != "node" {
            leaf(selected)?;
        }
        if parts.iter().any(|(k, _)| *k == key) {
            return None;
        }
        parts.push((key, part));
    }
    Some((EdgeShape { parts, type_name }, node?))
}

/// A list read by offset pages: the rows of `table` that `filter` keeps, in `order`
/// (both written over a table alias; the order must be total, ending with a unique
/// column, so that a position names one row).
pub struct OffsetList<'a> {
    pub table: &'static str,
    pub filter: &'a dyn Fn(&str) -> String,
    pub order: &'a dyn Fn(&str) -> String,
    /// Whether its resolver cuts a forward page (`first`, `after`) as `PageArgs::forward`
    /// does, from the cursor whatever the count (a contract's invoices), rather than as
    /// `PageArgs::window` does. Such a page is not counted unless `totalCount` or
    /// `pageInfo` is asked.
    pub forward_from_cursor: bool,
}

/// The SQL building the JSON of connection `field` (of type `connection_type`, with
/// edges of type `edge_type`) over `list`, cut by its `first`, `after`, `last` and
/// `before` (in `args`, the field's arguments less those the caller has read) exactly
/// as the resolver cuts its pages: `nodes` and `edges` (each node built by `node` over
/// the row's table alias), `totalCount` and `pageInfo`. `None` for anything else, or for
/// arguments the resolver refuses (it then refuses them with its own message).
pub fn offset_connection<'a>(
    field: Selected<'a>,
    mut args: HashMap<Name, Value>,
    connection_type: &str,
    edge_type: &str,
    list: &OffsetList<'_>,
    sql: &mut Sql,
    mut node: impl FnMut(Selected<'a>, &str, &mut Sql) -> Option<String>,
) -> Option<String> {
    let mut int = |name: &str| match args.remove(name) {
        None | Some(Value::Null) => Some(None),
        Some(Value::Number(n)) => Some(Some(i32::try_from(n.as_i64()?).ok()?)),
        Some(_) => None,
    };
    let (first, last) = (int("first")?, int("last")?);
    let mut string = |name: &str| match args.remove(name) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s)),
        Some(_) => None,
    };
    let (after, before) = (string("after")?, string("before")?);
    if !args.is_empty() {
        return None;
    }
    let page_args = PageArgs::new(first, after, last, before);
    let bounds = page_args.bounds().ok()?;
    let (counted, n, w) = (sql.alias(), sql.alias(), sql.alias());
    let total = format!("{n}.total");
    let forward = match list.forward_from_cursor {
        true => page_args.forward().ok()?,
        false => None,
    };
    let counts = forward.is_none()
        || field
            .fields()
            .iter()
            .any(|f| matches!(f.name(), "totalCount" | "pageInfo"));
    let (start, end) = match forward {
        // Past the end is the end: a position beyond a bigint is as far as any.
        Some((offset, limit)) => {
            let from = offset.min(i64::MAX as u64);
            let to = from.saturating_add(limit).min(i64::MAX as u64);
            // Counted, the page ends at the list's end, never before its start: its
            // cursors are its rows', and `hasPreviousPage` stays the cursor's.
            let to = match counts {
                true => format!("LEAST({to}, GREATEST({total}, {from}))"),
                false => to.to_string(),
            };
            (from.to_string(), to)
        }
        None => window(&bounds, &total),
    };
    // The page's first and last-plus-one positions: the window's columns, or, on a
    // forward page that reads no count, the numbers themselves (a plain `OFFSET` and
    // `LIMIT`, as a hand-written page).
    let (lo, hi) = match counts {
        true => (format!("{w}.lo"), format!("{w}.hi")),
        false => (start.clone(), end.clone()),
    };
    let OffsetList {
        table,
        filter,
        order,
        ..
    } = list;
    let page = |m: &str, joins: &str| {
        format!(
            "{table} {m}{joins} WHERE {} ORDER BY {} OFFSET {lo} LIMIT {hi} - {lo}",
            filter(m),
            order(m)
        )
    };
    let object_sql = object(field, connection_type, sql, |f, sql| match f.name() {
        "nodes" => {
            no_arguments(f)?;
            let m = sql.alias();
            let (node, joins) = sql.reading_from(&m, |sql| node(f, &m, sql))?;
            Some(format!(
                "array_to_json(ARRAY(SELECT {node} FROM {}))",
                page(&m, &joins)
            ))
        }
        "edges" => {
            no_arguments(f)?;
            let m = sql.alias();
            let position = format!("{m}.edge_position");
            let (edge, joins) = sql.reading_from(&m, |sql| {
                object(f, edge_type, sql, |e, sql| match e.name() {
                    "cursor" => {
                        leaf(e)?;
                        Some(connection::postgres_cursor(&position))
                    }
                    "node" => {
                        no_arguments(e)?;
                        node(e, &m, sql)
                    }
                    _ => None,
                })
            })?;
            // Numbered after the page is cut, from its start: each edge's position in
            // the whole list, as the resolvers' cursors say.
            Some(format!(
                "array_to_json(ARRAY(SELECT {edge} FROM (SELECT page.*, \
                 {lo} - 1 + row_number() OVER (ORDER BY {}) AS edge_position \
                 FROM (SELECT {m}.* FROM {}) page) {m}{joins} ORDER BY {m}.edge_position))",
                order("page"),
                page(&m, "")
            ))
        }
        "totalCount" => {
            leaf(f)?;
            Some(total.clone())
        }
        "pageInfo" => {
            no_arguments(f)?;
            let on_page = |position: &str| {
                format!(
                    "(CASE WHEN {w}.hi > {w}.lo THEN {} END)",
                    connection::postgres_cursor(position)
                )
            };
            object(f, "PageInfo", sql, |p, _| {
                leaf(p)?;
                match p.name() {
                    "hasNextPage" => Some(format!("({w}.hi < {total})")),
                    "hasPreviousPage" => Some(format!("({w}.lo > 0)")),
                    "startCursor" => Some(on_page(&format!("{w}.lo"))),
                    "endCursor" => Some(on_page(&format!("({w}.hi - 1)"))),
                    _ => None,
                }
            })
        }
        _ => None,
    })?;
    let window = format!("(SELECT {start}::bigint AS lo, {end}::bigint AS hi) {w}");
    Some(match counts {
        true => format!(
            "(SELECT {object_sql} FROM (SELECT count(*) AS total FROM {table} {counted} \
             WHERE {}) {n} CROSS JOIN LATERAL {window})",
            filter(&counted)
        ),
        false => object_sql,
    })
}

/// The first and last-plus-one positions of the page `bounds` asks of a list of `total`
/// items (a SQL expression), written in SQL as `PageArgs::window_up_to` computes them.
fn window(bounds: &Bounds, total: &str) -> (String, String) {
    // Past the end is the end: a position beyond a bigint is as far as any.
    let position = |p: u64| p.min(i64::MAX as u64);
    let from = position(bounds.after.map_or(0, |a| a.saturating_add(1)));
    let start = format!("LEAST({from}, {total})");
    let before = bounds.before.map_or(total.to_string(), |b| {
        format!("LEAST({}, {total})", position(b))
    });
    let end = format!("GREATEST({before}, {start})");
    let (mut from, mut to) = (start.clone(), end.clone());
    match (bounds.first, bounds.last) {
        (Some(f), _) => to = format!("LEAST({end}, {start} + {f})"),
        (None, Some(l)) => from = format!("GREATEST({start}, {end} - {l})"),
        (None, None) => to = format!("LEAST({end}, {start} + {DEFAULT_PAGE_SIZE})"),
    }
    if let (Some(_), Some(l)) = (bounds.first, bounds.last) {
        from = format!("GREATEST({from}, {to} - {l})");
    }
    (from, to)
}

/// Whether `ctx`'s current field may be compiled at all: the database is PostgreSQL and
/// no directive appears anywhere below the field, on a field or a fragment. (async-graphql
/// applies `@skip` and `@include` before execution and removes them; any other directive
/// is for a resolver to read.)
pub fn compilable(ctx: &Context<'_>) -> bool {
    ctx.db().get_database_backend() == DbBackend::Postgres
        && !has_directives(&ctx.item.node.selection_set, &ctx.query_env.fragments, 0)
}

fn has_directives(
    set: &Positioned<SelectionSet>,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    depth: usize,
) -> bool {
    // Validation already refused fragment cycles; the bound only keeps this total.
    if depth > 64 {
        return true;
    }
    set.node
        .items
        .iter()
        .any(|selection| match &selection.node {
            Selection::Field(field) => field_has_directives(&field.node, fragments, depth),
            Selection::InlineFragment(inline) => {
                !inline.node.directives.is_empty()
                    || has_directives(&inline.node.selection_set, fragments, depth + 1)
            }
            Selection::FragmentSpread(spread) => {
                !spread.node.directives.is_empty()
                    || fragments
                        .get(&spread.node.fragment_name.node)
                        .is_none_or(|fragment| {
                            !fragment.node.directives.is_empty()
                                || has_directives(
                                    &fragment.node.selection_set,
                                    fragments,
                                    depth + 1,
                                )
                        })
            }
        })
}

fn field_has_directives(
    field: &Field,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
    depth: usize,
) -> bool {
    !field.directives.is_empty() || has_directives(&field.selection_set, fragments, depth + 1)
}

#[cfg(test)]
mod tests {
    use super::set_member;

    #[test]
    fn a_null_member_is_set_and_nothing_else_is_read_as_one() {
        let row = r#"{"name" : "tags", "a" : {"tags" : null}, "b" : ["tags", {"tags" : null}], "tags" : null, "z" : 1}"#;
        assert_eq!(
            set_member(row, "tags", "[1]").as_deref(),
            Some(
                r#"{"name" : "tags", "a" : {"tags" : null}, "b" : ["tags", {"tags" : null}], "tags" : [1], "z" : 1}"#
            )
        );
        // A key quoted inside a string, escaped quotes and backslashes.
        let row = r#"{"x" : "\"tags\" : null \\", "tags" : null}"#;
        assert_eq!(
            set_member(row, "tags", "[]").as_deref(),
            Some(r#"{"x" : "\"tags\" : null \\", "tags" : []}"#)
        );
        // Only a null is replaced; a missing key, or a broken text, is None.
        assert_eq!(set_member(r#"{"tags" : [2]}"#, "tags", "[]"), None);
        assert_eq!(set_member(r#"{"other" : null}"#, "tags", "[]"), None);
        assert_eq!(set_member(r#"{"tags" : "#, "tags", "[]"), None);
        assert_eq!(set_member(r#"{"x" : "unterminated"#, "tags", "[]"), None);
    }
}
