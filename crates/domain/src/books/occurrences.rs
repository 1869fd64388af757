//! A recurring series' occurrences, computed when read.
//!
//! A recurring series (`book_series`, kind RECURRING) is a rule with no end: its
//! occurrences exist on every date the rule gives, whether or not anything was written for
//! them. Only the occurrences that are more than the rule are rows of `book_transactions`:
//! occurrence 0 (the transaction the series was created with) and any occurrence that was
//! changed, paid or tagged on its own. One deleted on its own is a row of
//! `book_series_skips`. The others are *unstored*: every reader computes them from the
//! series' template for the days it reads, so that what any read shows never depends on
//! what was read before, and no read writes.
//!
//! Rules kept here:
//! - an unstored occurrence is PENDING (`paid = false`): it is what is expected, not what
//!   happened. It takes the series' template (kind, amount, description, category,
//!   account, contact, notes, excluded, private, tags still in the book) and, on a credit
//!   card's account, the statement its date falls in;
//! - it has an ID of its own, a negative one that names its series and its number
//!   ([`unstored_id`]); the first change, payment or deletion stores it (a row with an
//!   ordinary ID, or a skip), and its old ID keeps naming it;
//! - a period's reader sends the period's unstored occurrences to the database beside the
//!   stored rows ([`Unstored::source`]), so that filters, orders, pages and sums are the
//!   same SQL for both. A period is at most a year, so that is at most 53 occurrences of
//!   a series, and one statement whatever the number of series;
//! - figures of all time (a book's balance, the incomes and expenses listed without a
//!   period, what a card owes) count a recurring series' occurrences dated up to the day
//!   they are computed for (today), stored or not, and none after it ([`Runs`]); they
//!   are counted, not listed, so their cost does not grow with the series' age.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Iterable,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select, Set, Value,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType},
};

use super::{
    cards,
    cycles::Cycles,
    series::{Periodicity, Rule},
};
use crate::{
    DomainResult,
    commons::{BookId, Period},
    entities::{
        book_series, book_series::SeriesKind, book_series_skip, book_tag, book_transaction,
        book_transaction_tag,
    },
};

/// How many low bits of an unstored occurrence's ID hold its number: weekly occurrences
/// from any date chrono knows to any other stay below 2^26.
const NUMBER_BITS: u32 = 26;

/// The ID of occurrence `occurrence` of series `series` while it has no row: negative, so
/// that it never meets a stored row's.
pub fn unstored_id(series: i64, occurrence: i32) -> i64 {
    -((series << NUMBER_BITS) | i64::from(occurrence))
}

/// The series and occurrence number an [`unstored_id`] names; `None` for a stored row's
/// ID.
pub fn parse_unstored_id(id: i64) -> Option<(i64, i32)> {
    let raw = id.checked_neg().filter(|raw| *raw > 0)?;
    let series = raw >> NUMBER_BITS;
    let occurrence = i32::try_from(raw & ((1 << NUMBER_BITS) - 1)).ok()?;
    (series > 0).then_some((series, occurrence))
}

/// Whether `row` is an occurrence computed from its series, not a stored row.
pub fn is_unstored(row: &book_transaction::Model) -> bool {
    is_unstored_id(row.id)
}

/// Whether a listed row of id `id` is an occurrence computed from its series: such rows
/// are listed under negative ids, stored rows have positive ones.
pub fn is_unstored_id(id: i64) -> bool {
    id < 0
}

/// The recurring series of `books`, every one of them.
pub async fn recurring_series<C: ConnectionTrait>(
    db: &C,
    books: &[BookId],
) -> Result<Vec<book_series::Model>, DbErr> {
    book_series::Entity::find()
        .filter(book_series::Column::BookId.is_in(books.iter().copied()))
        .filter(book_series::Column::Kind.eq(SeriesKind::Recurring))
        .all(db)
        .await
}

/// The recurring series whose purchases go on these accounts (cards' own accounts).
pub async fn recurring_on_accounts<C: ConnectionTrait>(
    db: &C,
    accounts: impl IntoIterator<Item = i64>,
) -> Result<Vec<book_series::Model>, DbErr> {
    book_series::Entity::find()
        .filter(book_series::Column::AccountId.is_in(accounts))
        .filter(book_series::Column::Kind.eq(SeriesKind::Recurring))
        .all(db)
        .await
}

/// The rule `series`' dates follow; `None` for an unknown periodicity.
pub fn rule_of(series: &book_series::Model) -> Option<Rule> {
    Some(Rule {
        anchor: series.anchor_date.unwrap_or(series.start_date),
        offset: series
            .anchor_offset
            .and_then(|o| u32::try_from(o).ok())
            .unwrap_or(0),
        periodicity: Periodicity::from_name(&series.periodicity)?,
    })
}

/// The occurrences of `series` dated in `period`, not past the series' end, as
/// `(number, date)`: stored or not (the caller leaves the stored ones out).
fn rule_in(series: &book_series::Model, period: &Period) -> Vec<(i32, NaiveDate)> {
    let Some(rule) = rule_of(series) else {
        return Vec::new();
    };
    rule.in_period(period, limit_of(series))
        .into_iter()
        .filter_map(|(n, date)| Some((i32::try_from(n).ok()?, date)))
        .collect()
}

/// How many occurrences a series has: `None` while it has no end; a series ended at
/// `last_occurrence` has `last + 1` (none at -1).
fn limit_of(series: &book_series::Model) -> Option<u32> {
    series
        .last_occurrence
        .map(|last| u32::try_from(i64::from(last) + 1).unwrap_or(0))
}

/// The tag ids a series' template lists (`"3,7"`).
pub fn template_tags(series: &book_series::Model) -> Vec<i64> {
    series
        .tag_ids
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect()
}

/// One unstored occurrence sent to the database.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    id: i64,
    series: i64,
    number: i32,
    date: NaiveDate,
    statement_month: Option<i32>,
}

/// The occurrences of some recurring series that fall in a span of days, to be read
/// beside the stored rows: SQL leaves out those that are stored or skipped.
#[derive(Debug, Clone, Default)]
pub struct Unstored {
    occurrences: Vec<Occurrence>,
    /// The series' template tags, for a filter by tags.
    tags: HashMap<i64, Vec<i64>>,
}

impl Unstored {
    /// No occurrence: readers read the stored rows only.
    pub fn none() -> Self {
        Self::default()
    }

    /// The occurrences of `recurring` (recurring series, as [`recurring_series`] reads
    /// them) dated in `period`, stored or not. One SELECT of the cards' cycles when some
    /// occurrence goes on an account; none otherwise.
    pub async fn in_period<C: ConnectionTrait>(
        db: &C,
        recurring: &[book_series::Model],
        period: &Period,
    ) -> DomainResult<Self> {
        Self::in_periods(db, recurring.iter().map(|series| (series, *period))).await
    }

    /// [`Unstored::in_period`] for a period of its own per series (a card's statement
    /// months): one SELECT of cycles for all of them.
    pub async fn in_periods<'a, C: ConnectionTrait>(
        db: &C,
        spans: impl IntoIterator<Item = (&'a book_series::Model, Period)>,
    ) -> DomainResult<Self> {
        Self::of(db, Self::wanted(spans)).await
    }

    /// [`Unstored::in_period`] for a reader that only adds amounts up (a summary's
    /// totals): each occurrence without the statement it falls in (`statement_month` is
    /// null), which nothing summed reads, so that no statement reads the cards' cycles
    /// and the sum follows the book's own read at once.
    pub fn to_sum(recurring: &[book_series::Model], period: &Period) -> Self {
        let wanted = Self::wanted(recurring.iter().map(|series| (series, *period)));
        Self::with_cycles(wanted, &HashMap::new())
    }

    /// The occurrences of each series of `spans` in its period (recurring series only).
    fn wanted<'a>(
        spans: impl IntoIterator<Item = (&'a book_series::Model, Period)>,
    ) -> Vec<(&'a book_series::Model, i32, NaiveDate)> {
        let mut wanted = Vec::new();
        for (series, period) in spans {
            if series.kind != SeriesKind::Recurring {
                continue;
            }
            for (number, date) in rule_in(series, &period) {
                wanted.push((series, number, date));
            }
        }
        wanted
    }

    /// The occurrences `wanted` (series, number, date), with the statement of each one on
    /// a card.
    async fn of<C: ConnectionTrait>(
        db: &C,
        wanted: Vec<(&book_series::Model, i32, NaiveDate)>,
    ) -> DomainResult<Self> {
        if wanted.is_empty() {
            return Ok(Self::none());
        }
        let accounts: HashSet<i64> = wanted.iter().map(|(s, _, _)| s.account_id).collect();
        let cycles = cards::cycles_by_account(db, accounts).await?;
        Ok(Self::with_cycles(wanted, &cycles))
    }

    /// The occurrences `wanted`, each on a card (an account of `cycles`) with the statement
    /// it falls in.
    fn with_cycles(
        wanted: Vec<(&book_series::Model, i32, NaiveDate)>,
        cycles: &HashMap<i64, Cycles>,
    ) -> Self {
        let mut tags = HashMap::new();
        let occurrences = wanted
            .into_iter()
            .map(|(series, number, date)| {
                tags.entry(series.id)
                    .or_insert_with(|| template_tags(series));
                Occurrence {
                    id: unstored_id(series.id, number),
                    series: series.id,
                    number,
                    date,
                    statement_month: cycles
                        .get(&series.account_id)
                        .map(|c| c.statement_for(date).index()),
                }
            })
            .collect();
        Self { occurrences, tags }
    }

    pub fn is_empty(&self) -> bool {
        self.occurrences.is_empty()
    }

    /// The series whose template carries any of `tag_ids`: their unstored occurrences
    /// carry it too.
    pub fn series_tagged(&self, tag_ids: &[i64]) -> Vec<i64> {
        self.tags
            .iter()
            .filter(|(_, tags)| tags.iter().any(|t| tag_ids.contains(t)))
            .map(|(series, _)| *series)
            .collect()
    }

    /// `select` reading the stored rows and these occurrences as one table named
    /// `book_transactions`, so that its filters, order, page and sums reach both. The
    /// stored rows are only `book_id`'s; `select` unchanged when there is no occurrence.
    pub fn source<E>(&self, mut select: Select<E>, book_id: i64) -> Select<E>
    where
        E: EntityTrait,
    {
        if self.is_empty() {
            return select;
        }
        let table = QueryTrait::query(&mut select);
        table.from_clear();
        table.from_subquery(self.union(book_id), book_transaction::Entity);
        select
    }

    /// The stored rows of the book, and the occurrences that are neither stored nor
    /// skipped, as rows of the same columns.
    fn union(&self, book_id: i64) -> SelectStatement {
        use book_transaction::Column as T;
        let mut stored = Query::select();
        for column in T::iter() {
            stored.column((book_transaction::Entity, column));
        }
        stored
            .from(book_transaction::Entity)
            .and_where(Expr::col((book_transaction::Entity, T::BookId)).eq(book_id));

        let o = Alias::new("o");
        let given = |n: usize| Expr::col((o.clone(), Alias::new(format!("column{n}"))));
        let template = |column: book_series::Column| Expr::col((book_series::Entity, column));
        let mut computed = Query::select();
        computed.from_values(
            self.occurrences.iter().map(|occurrence| {
                sea_orm::sea_query::ValueTuple::Many(vec![
                    Value::from(occurrence.id),
                    Value::from(occurrence.series),
                    Value::from(occurrence.number),
                    Value::from(occurrence.date),
                    Value::from(occurrence.statement_month),
                ])
            }),
            o.clone(),
        );
        computed.inner_join(
            book_series::Entity,
            template(book_series::Column::Id).equals((o.clone(), Alias::new("column2"))),
        );
        for column in T::iter() {
            use book_series::Column as S;
            let value: Expr = match column {
                T::Id => given(1),
                T::OrganizationId => template(S::OrganizationId),
                T::BookId => template(S::BookId),
                T::Kind => template(S::TransactionKind),
                T::AmountMinor => template(S::AmountMinor),
                T::Description => template(S::Description),
                T::Date => given(4),
                T::DueDate | T::PaidOn | T::ReconciledOn => Expr::val(Value::ChronoDate(None)),
                T::Paid => Expr::val(false),
                T::CategoryId => template(S::CategoryId),
                T::AccountId => template(S::AccountId),
                T::ContactName => template(S::ContactName),
                T::Notes => template(S::Notes),
                T::Barcode | T::BankData | T::OfxId => Expr::val(""),
                T::ExternalId => Expr::val(Value::String(None)),
                T::Excluded => template(S::Excluded),
                T::Private => template(S::Private),
                T::TransferId => Expr::val(Value::BigInt(None)),
                T::SeriesId => given(2),
                T::Occurrence => given(3),
                T::StatementMonth => given(5),
                T::CreatedByUserId => template(S::CreatedByUserId),
                T::CreatedByTokenId => template(S::CreatedByTokenId),
                T::CreatedAt => template(S::CreatedAt),
                T::UpdatedAt => template(S::UpdatedAt),
            };
            computed.expr_as(value, column);
        }
        let stored_row = Alias::new("stored");
        computed.and_where(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(book_transaction::Entity, stored_row.clone())
                    .and_where(
                        Expr::col((stored_row.clone(), T::SeriesId))
                            .equals((o.clone(), Alias::new("column2"))),
                    )
                    .and_where(
                        Expr::col((stored_row, T::Occurrence))
                            .equals((o.clone(), Alias::new("column3"))),
                    )
                    .to_owned(),
            )
            .not(),
        );
        computed.and_where(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(book_series_skip::Entity)
                    .and_where(
                        Expr::col((book_series_skip::Entity, book_series_skip::Column::SeriesId))
                            .equals((o.clone(), Alias::new("column2"))),
                    )
                    .and_where(
                        Expr::col((
                            book_series_skip::Entity,
                            book_series_skip::Column::Occurrence,
                        ))
                        .equals((o, Alias::new("column3"))),
                    )
                    .to_owned(),
            )
            .not(),
        );
        stored.union(UnionType::All, computed);
        stored
    }
}

/// The stored rows a figure of all time through `through` leaves out: the occurrences of
/// `recurring` dated after it (stored ones too: an occurrence changed ahead of time still
/// counts from its day on).
pub fn after_day(recurring: &[book_series::Model], through: NaiveDate) -> Option<Condition> {
    use book_transaction::Column as T;
    let ids: Vec<i64> = recurring
        .iter()
        .filter(|s| s.kind == SeriesKind::Recurring)
        .map(|s| s.id)
        .collect();
    if ids.is_empty() {
        return None;
    }
    Some(
        Condition::all()
            .add(Expr::col((book_transaction::Entity, T::SeriesId)).is_in(ids))
            .add(Expr::col((book_transaction::Entity, T::Date)).gt(through)),
    )
}

/// A recurring series' occurrences dated up to a day that have no row: how many, and
/// which.
#[derive(Debug, Clone)]
pub struct Run {
    pub series: book_series::Model,
    /// The number of the last occurrence dated up to the day; `None` when none is.
    last: Option<u32>,
    /// The numbers up to `last` that are stored or skipped.
    present: HashSet<u32>,
}

impl Run {
    /// What each of its occurrences without a row is, but its number and date: for the
    /// rules a report applies to a row (kind, excluded, who may see it).
    pub fn template(&self) -> book_transaction::Model {
        unstored_model(&self.series, 0, self.series.start_date, None)
    }

    /// How many occurrences up to the day have no row.
    pub fn count(&self) -> u64 {
        let Some(last) = self.last else { return 0 };
        let present = self.present.iter().filter(|n| **n <= last).count() as u64;
        (u64::from(last) + 1).saturating_sub(present)
    }

    /// The unstored occurrences up to the day, as `(number, date)`, oldest first.
    pub fn occurrences(&self) -> impl Iterator<Item = (i32, NaiveDate)> + '_ {
        let rule = rule_of(&self.series);
        let last = self.last;
        (0..last.map_or(0, |l| l + 1))
            .filter(|n| !self.present.contains(n))
            .filter_map(move |n| {
                let date = rule?.date(n)?;
                Some((i32::try_from(n).ok()?, date))
            })
    }

    /// The newest `count` unstored occurrences dated from `from` to `to` (and up to the
    /// run's day); the oldest when `newest` is false.
    fn ends(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        count: usize,
        newest: bool,
    ) -> Vec<(i32, NaiveDate)> {
        let Some(rule) = rule_of(&self.series) else {
            return Vec::new();
        };
        let (Some(last), Some(last_to)) = (self.last, last_through(&self.series, rule, to)) else {
            return Vec::new();
        };
        let last = Ord::min(last, last_to);
        let date_of = |n: u32| rule.date(n);
        let mut found = Vec::new();
        // The first occurrence on or after `from`: one falls in any year.
        let first = if from <= self.series.start_date {
            0
        } else {
            year_from(from)
                .and_then(|year| rule.in_period(&year, None).first().map(|(n, _)| *n))
                .unwrap_or(u32::MAX)
        };
        if first > last {
            return found;
        }
        let numbers: Box<dyn Iterator<Item = u32>> = if newest {
            Box::new((first..=last).rev())
        } else {
            Box::new(first..=last)
        };
        for n in numbers {
            if found.len() >= count {
                break;
            }
            if self.present.contains(&n) {
                continue;
            }
            if let (Some(date), Ok(number)) = (date_of(n), i32::try_from(n))
                && date >= from
            {
                found.push((number, date));
            }
        }
        found
    }
}

/// The year from `from` (the longest [`Period`]), to find a series' first occurrence on
/// or after it without walking from the start.
fn year_from(from: NaiveDate) -> Option<Period> {
    let to = from
        .checked_add_months(chrono::Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    Period::new(from, to).ok()
}

/// The unstored occurrences of `recurring` dated up to `through`, series by series
/// ([`Run`]): one SELECT of the stored and skipped occurrence numbers.
#[derive(Debug, Clone, Default)]
pub struct Runs(pub Vec<Run>);

impl Runs {
    pub async fn through<C: ConnectionTrait>(
        db: &C,
        recurring: &[book_series::Model],
        through: NaiveDate,
    ) -> DomainResult<Self> {
        let mut runs: Vec<Run> = recurring
            .iter()
            .filter(|s| s.kind == SeriesKind::Recurring && s.start_date <= through)
            .filter_map(|series| {
                let last = last_through(series, rule_of(series)?, through);
                Some(Run {
                    series: series.clone(),
                    last,
                    present: HashSet::new(),
                })
            })
            .filter(|run| run.last.is_some())
            .collect();
        if runs.is_empty() {
            return Ok(Self(runs));
        }
        let present = present(db, &runs).await?;
        for run in &mut runs {
            run.present = present.get(&run.series.id).cloned().unwrap_or_default();
        }
        Ok(Self(runs))
    }

    /// The unstored occurrences that can be on a page of a listing newest first between
    /// `from` and `to`: the `count` newest (or oldest) of each series.
    pub async fn page_candidates<C: ConnectionTrait>(
        &self,
        db: &C,
        from: NaiveDate,
        to: NaiveDate,
        count: usize,
        newest: bool,
    ) -> DomainResult<Unstored> {
        let mut wanted = Vec::new();
        for run in &self.0 {
            for (number, date) in run.ends(from, to, count, newest) {
                wanted.push((&run.series, number, date));
            }
        }
        Unstored::of(db, wanted).await
    }
}

/// The number of `series`' last occurrence dated up to `through`, not past its end.
fn last_through(series: &book_series::Model, rule: Rule, through: NaiveDate) -> Option<u32> {
    if series.start_date > through {
        return None;
    }
    // The first occurrence after `through`, found in the year after it, less one.
    let after = through.succ_opt()?;
    let next = rule
        .in_period(&year_from(after)?, None)
        .first()
        .map(|(n, _)| *n)?;
    let last = next.checked_sub(1)?;
    match limit_of(series) {
        Some(0) => None,
        Some(limit) => Some(Ord::min(last, limit - 1)),
        None => Some(last),
    }
}

/// The stored and skipped occurrence numbers of each run's series, up to its last.
async fn present<C: ConnectionTrait>(
    db: &C,
    runs: &[Run],
) -> DomainResult<HashMap<i64, HashSet<u32>>> {
    use book_transaction::Column as T;
    let mut written = Condition::any();
    let mut skipped = Condition::any();
    for run in runs {
        let last = run.last.map_or(-1, i64::from);
        written = written.add(
            Condition::all()
                .add(T::SeriesId.eq(run.series.id))
                .add(T::Occurrence.lte(last)),
        );
        skipped = skipped.add(
            Condition::all()
                .add(book_series_skip::Column::SeriesId.eq(run.series.id))
                .add(book_series_skip::Column::Occurrence.lte(last)),
        );
    }
    let mut query = Query::select()
        .column(T::SeriesId)
        .column(T::Occurrence)
        .from(book_transaction::Entity)
        .cond_where(written)
        .to_owned();
    query.union(
        UnionType::All,
        Query::select()
            .column(book_series_skip::Column::SeriesId)
            .column(book_series_skip::Column::Occurrence)
            .from(book_series_skip::Entity)
            .cond_where(skipped)
            .to_owned(),
    );
    let mut found: HashMap<i64, HashSet<u32>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let series: i64 = row.try_get_by_index(0)?;
        let number: i32 = row.try_get_by_index(1)?;
        if let Ok(number) = u32::try_from(number) {
            found.entry(series).or_default().insert(number);
        }
    }
    Ok(found)
}

/// The transaction an unstored occurrence is, from its series' template.
pub fn unstored_model(
    series: &book_series::Model,
    number: i32,
    date: NaiveDate,
    statement_month: Option<i32>,
) -> book_transaction::Model {
    book_transaction::Model {
        id: unstored_id(series.id, number),
        organization_id: series.organization_id,
        book_id: series.book_id,
        kind: series.transaction_kind,
        amount_minor: series.amount_minor,
        description: series.description.clone(),
        date,
        due_date: None,
        paid: false,
        paid_on: None,
        category_id: Some(series.category_id),
        account_id: series.account_id,
        contact_name: series.contact_name.clone(),
        notes: series.notes.clone(),
        barcode: String::new(),
        external_id: None,
        bank_data: String::new(),
        ofx_id: String::new(),
        reconciled_on: None,
        excluded: series.excluded,
        private: series.private,
        transfer_id: None,
        series_id: Some(series.id),
        occurrence: Some(number),
        statement_month,
        created_by_user_id: series.created_by_user_id,
        created_by_token_id: series.created_by_token_id,
        created_at: series.created_at,
        updated_at: series.updated_at,
    }
}

/// The most splits [`find`] follows from a series to the one that continues it.
const MAX_SPLITS: usize = 100;

/// What an [`unstored_id`] names now: the stored row of that occurrence when it was
/// stored since, else the occurrence computed from its series when the rule still gives
/// it (the series exists, the occurrence is not skipped). An occurrence past its series'
/// end is looked for in the series split from it by a THIS_AND_FUTURE edit, under its
/// number there. `None` for anything else, and for a stored row's ID.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> DomainResult<Option<book_transaction::Model>> {
    let Some((mut series_id, mut number)) = parse_unstored_id(id) else {
        return Ok(None);
    };
    for _ in 0..MAX_SPLITS {
        if let Some(stored) = book_transaction::Entity::find()
            .filter(book_transaction::Column::SeriesId.eq(series_id))
            .filter(book_transaction::Column::Occurrence.eq(number))
            .one(db)
            .await?
        {
            return Ok(Some(stored));
        }
        let Some(series) = book_series::Entity::find_by_id(series_id).one(db).await? else {
            return Ok(None);
        };
        let (Some(rule), Ok(n)) = (rule_of(&series), u32::try_from(number)) else {
            return Ok(None);
        };
        if series.kind != SeriesKind::Recurring {
            return Ok(None);
        }
        if limit_of(&series).is_some_and(|limit| n >= limit) {
            let Some(next) = book_series::Entity::find()
                .filter(book_series::Column::ContinuesSeriesId.eq(series_id))
                .filter(book_series::Column::ContinuesFrom.lte(number))
                .order_by_desc(book_series::Column::ContinuesFrom)
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            number -= next.continues_from.unwrap_or(0);
            series_id = next.id;
            continue;
        }
        let skipped = book_series_skip::Entity::find()
            .filter(book_series_skip::Column::SeriesId.eq(series_id))
            .filter(book_series_skip::Column::Occurrence.eq(number))
            .one(db)
            .await?
            .is_some();
        let Some(date) = rule.date(n) else {
            return Ok(None);
        };
        if skipped {
            return Ok(None);
        }
        let cycles = cards::cycles_by_account(db, [series.account_id]).await?;
        let statement = cycles
            .get(&series.account_id)
            .map(|c| c.statement_for(date).index());
        return Ok(Some(unstored_model(&series, number, date, statement)));
    }
    Ok(None)
}

/// Stores `row` (an unstored occurrence, as [`find`] computed it) with its template's
/// tags, so that a change, a payment or a deletion has a row to work on. Returns the
/// stored row, with its new ID.
pub async fn store<C: ConnectionTrait>(
    db: &C,
    row: &book_transaction::Model,
    now: DateTime<Utc>,
) -> DomainResult<book_transaction::Model> {
    let mut active: book_transaction::ActiveModel = row.clone().into();
    active.id = sea_orm::ActiveValue::NotSet;
    active.created_at = Set(now);
    active.updated_at = Set(now);
    let stored = active.insert(db).await?;
    if let Some(series_id) = stored.series_id
        && let Some(series) = book_series::Entity::find_by_id(series_id).one(db).await?
    {
        let tags = template_tags(&series);
        if !tags.is_empty() {
            let tags_of = HashMap::from([(series_id, tags)]);
            link_template_tags(db, std::slice::from_ref(&stored), &tags_of).await?;
        }
    }
    Ok(stored)
}

/// The tags of unstored occurrences, by their IDs: their series' template tags still in
/// the book.
pub async fn tags_of_unstored<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<book_tag::Model>>, DbErr> {
    let series_ids: HashSet<i64> = ids
        .iter()
        .filter_map(|id| parse_unstored_id(*id).map(|(s, _)| s))
        .collect();
    if series_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let series = book_series::Entity::find()
        .filter(book_series::Column::Id.is_in(series_ids))
        .all(db)
        .await?;
    let wanted: HashSet<i64> = series.iter().flat_map(template_tags).collect();
    let tags: HashMap<i64, book_tag::Model> = book_tag::Entity::find()
        .filter(book_tag::Column::Id.is_in(wanted))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let by_series: HashMap<i64, Vec<book_tag::Model>> = series
        .iter()
        .map(|s| {
            let mut list: Vec<book_tag::Model> = template_tags(s)
                .into_iter()
                .filter_map(|id| tags.get(&id).cloned())
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            (s.id, list)
        })
        .collect();
    Ok(ids
        .iter()
        .filter_map(|id| {
            let (series, _) = parse_unstored_id(*id)?;
            Some((*id, by_series.get(&series).cloned().unwrap_or_default()))
        })
        .collect())
}

/// Puts on each row the tags its series' template lists, leaving out tags deleted since.
pub async fn link_template_tags<C: ConnectionTrait>(
    db: &C,
    rows: &[book_transaction::Model],
    tags_of: &HashMap<i64, Vec<i64>>,
) -> DomainResult<()> {
    let all: HashSet<i64> = tags_of.values().flatten().copied().collect();
    let existing: HashSet<i64> = book_tag::Entity::find()
        .select_only()
        .column(book_tag::Column::Id)
        .filter(book_tag::Column::Id.is_in(all))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let links: Vec<book_transaction_tag::ActiveModel> = rows
        .iter()
        .flat_map(|row| {
            let tags = row
                .series_id
                .and_then(|id| tags_of.get(&id))
                .cloned()
                .unwrap_or_default();
            tags.into_iter()
                .filter(|tag| existing.contains(tag))
                .map(|tag_id| book_transaction_tag::ActiveModel {
                    transaction_id: Set(row.id),
                    tag_id: Set(tag_id),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    for chunk in links.chunks(5_000) {
        book_transaction_tag::Entity::insert_many(chunk.iter().cloned())
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    book_transaction_tag::Column::TransactionId,
                    book_transaction_tag::Column::TagId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
