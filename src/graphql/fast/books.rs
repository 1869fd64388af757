//! A book's `transactions` page compiled into its own SELECT (see [`super::compiled`]):
//! the listing's rows are read as they always are (the filters, the visibility rule, the
//! keyset page and the recurring series' occurrences are the domain's,
//! `domain::books::listing`), and beside each row PostgreSQL builds the transaction's
//! JSON with its category, account, tags and credit card. A page of 100 transactions is then one
//! statement instead of one per relation, and no future runs per field. A type's fields
//! are its columns' SQL ([`super::columns`]), valued exactly as its resolvers answer
//! them; a selection with any other field is left to the resolvers. The nodes written
//! here also build a book's own lists (accounts, categories, tags, credit cards), read
//! whole from the domain's listings ([`super::listing::all`]).

use async_graphql::Context;
use chrono::NaiveDate;

use super::compiled::{
    CompiledPage, Later, Sql, column, flat, no_arguments, object, one, one_by_key, page_selection,
};
use super::selection::Selected;
use crate::graphql::books::{
    cards::CREDIT_CARD_COLUMNS,
    transactions::TRANSACTION_COLUMNS,
    types::{ACCOUNT_COLUMNS, CATEGORY_COLUMNS, TAG_COLUMNS},
};

/// The listing's row: the `book_transactions` table, or the subquery of the same name
/// that adds the occurrences of recurring series (`domain::books::occurrences`).
const LISTED: &str = "\"book_transactions\"";

/// How PostgreSQL answers the transactions page `ctx` (a `TransactionConnection` field)
/// asks for, when it asks for `nodes` or `edges` of fields the compiler knows: the SQL
/// building one transaction's JSON text over the listing's row, `today` being today in
/// the organization's timezone (a transaction's `status` follows it); and the lists
/// (tags) its stored rows leave null, for the page's reader to read after it.
pub fn transaction_page(ctx: &Context<'_>, today: NaiveDate) -> Option<(CompiledPage, Vec<Later>)> {
    let (nodes, edges) = page_selection(ctx, "TransactionEdge")?;
    let mut sql = Sql::on(today).over_listing(LISTED).reading_later();
    let node = transaction(nodes, LISTED, &mut sql)?;
    let later = sql.later();
    let page = CompiledPage {
        node: sql.row_text(&node),
        edges,
    };
    Some((page, later))
}

/// A `Transaction` read from row `t` (see `books::transactions::Transaction`).
pub fn transaction(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Transaction", sql, |f, sql| match f.name() {
        // As the resolver: a category of the transaction's own book.
        "category" => one_by_key(
            f,
            sql,
            t,
            "book_categories",
            |c| format!("{c}.id = {t}.category_id AND {c}.book_id = {t}.book_id"),
            category,
        ),
        // As the resolver: null for a credit card's own account.
        "account" => one_by_key(
            f,
            sql,
            t,
            "book_accounts",
            |a| {
                format!(
                    "{a}.id = {t}.account_id AND {a}.book_id = {t}.book_id \
                     AND NOT {a}.for_credit_card"
                )
            },
            account,
        ),
        "tags" => tags(f, t, sql),
        // As the resolver: the card whose account the transaction is on, of its book.
        "creditCard" => one(
            f,
            sql,
            "book_credit_cards",
            |c| format!("{c}.account_id = {t}.account_id AND {c}.book_id = {t}.book_id"),
            credit_card,
        ),
        _ => column(TRANSACTION_COLUMNS, f, t, sql),
    })
}

/// An `Account` read from `book_accounts` row `t`.
pub fn account(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    flat(field, "Account", ACCOUNT_COLUMNS, t, sql)
}

/// A `Tag` read from `book_tags` row `t`.
pub fn tag(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    flat(field, "Tag", TAG_COLUMNS, t, sql)
}

/// A `CreditCard` read from `book_credit_cards` row `t`.
pub fn credit_card(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    flat(field, "CreditCard", CREDIT_CARD_COLUMNS, t, sql)
}

/// A `Category` read from `book_categories` row `c`, with its parent.
pub fn category(field: Selected<'_>, c: &str, sql: &mut Sql) -> Option<String> {
    object(field, "Category", sql, |f, sql| match f.name() {
        "parent" => one_by_key(
            f,
            sql,
            c,
            "book_categories",
            |p| format!("{p}.id = {c}.parent_id AND {p}.book_id = {c}.book_id"),
            category,
        ),
        _ => column(CATEGORY_COLUMNS, f, c, sql),
    })
}

/// A transaction's `tags`, by name then id, as `tags_of_transactions` reads them: a
/// stored row's from its links; an occurrence without a row (a negative id) carries its
/// series' template tags (ids written comma-separated), sorted as Rust sorts their
/// names, byte by byte (`COLLATE "C"`).
///
/// On a page's own rows, when the page's reader reads lists after its rows
/// ([`Sql::read_later`]), a stored row's tags are left null here and read for the whole
/// page in one grouped statement (`domain::books::tags::tag_lists_as_text`): a
/// subquery per row (an index probe, a join, a sort and an array) was half of a book
/// page's statement.
fn tags(field: Selected<'_>, t: &str, sql: &mut Sql) -> Option<String> {
    no_arguments(field)?;
    let h = sql.alias();
    let template = tag(field, &h, sql)?;
    let s = sql.alias();
    let unstored = format!(
        "array_to_json(ARRAY(SELECT {template} FROM book_tags {h} \
         WHERE {h}.id IN (SELECT regexp_replace(listed, '\\s', '', 'g')::bigint \
         FROM book_series {s}, unnest(string_to_array({s}.tag_ids, ',')) listed \
         WHERE {s}.id = {t}.series_id AND listed ~ '^\\s*\\+?[0-9]{{1,18}}\\s*$') \
         ORDER BY {h}.name COLLATE \"C\", {h}.id))"
    );
    if t == LISTED {
        let item = tag(field, TAGS, sql)?;
        if sql.read_later(field.key(), item) {
            return Some(format!("(CASE WHEN {t}.id < 0 THEN {unstored} END)"));
        }
    }
    let g = sql.alias();
    let stored = tag(field, &g, sql)?;
    let l = sql.alias();
    Some(format!(
        "(CASE WHEN {t}.id < 0 THEN {unstored} \
         ELSE array_to_json(ARRAY(SELECT {stored} FROM book_transaction_tags {l} \
         JOIN book_tags {g} ON {g}.id = {l}.tag_id WHERE {l}.transaction_id = {t}.id \
         ORDER BY {g}.name, {g}.id)) END)"
    ))
}

/// The table a tag read later is read from, by its name (see
/// `domain::books::tags::tag_lists_as_text`).
const TAGS: &str = "book_tags";
