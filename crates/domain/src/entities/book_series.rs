//! A series of transactions: one that repeats without end (RECURRING, Organizze's
//! "fixa") or a purchase paid in installments (INSTALLMENTS, "parcelada").
//!
//! Every installment is written when the series is created. A recurring series cannot
//! be: its occurrences are computed from the template kept here by every reader of a
//! period (see `books::occurrences`); only those changed, paid or tagged on their own
//! have a row (at most one each: a unique index on `(series_id, occurrence)`), those
//! deleted one by one are `book_series_skip`s, and none exists past `last_occurrence`.

use sea_orm::entity::prelude::*;

pub use super::book_transaction::TransactionKind;

/// Whether a series ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SeriesKind {
    /// Open-ended: repeats until deleted from an occurrence on.
    #[sea_orm(string_value = "RECURRING")]
    Recurring,
    /// A fixed number of installments that add up to the purchase's total.
    #[sea_orm(string_value = "INSTALLMENTS")]
    Installments,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "book_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organization_id: i64,
    pub book_id: i64,
    pub kind: SeriesKind,
    /// `domain::books::series::Periodicity` by name (WEEKLY ... YEARLY).
    pub periodicity: String,
    /// The date of occurrence 0; every other is computed from it.
    pub start_date: Date,
    /// INSTALLMENTS only.
    pub total_installments: Option<i32>,
    /// A RECURRING series cut short: the last occurrence it has.
    pub last_occurrence: Option<i32>,
    // The template of a recurring series' occurrences.
    pub transaction_kind: TransactionKind,
    pub amount_minor: i64,
    pub description: String,
    pub category_id: i64,
    /// A bank account, or a credit card's own account.
    pub account_id: i64,
    pub contact_name: String,
    pub notes: String,
    pub excluded: bool,
    pub private: bool,
    /// Tag ids, comma-separated; tags deleted since are skipped.
    pub tag_ids: String,
    pub created_by_user_id: Option<i64>,
    pub created_by_token_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The series this one was split from by a THIS_AND_FUTURE edit, whose occurrence
    /// `continues_from` is this one's occurrence 0: an occurrence named by its old series
    /// and number is found here.
    pub continues_series_id: Option<i64>,
    pub continues_from: Option<i32>,
    /// The rule this series' dates follow: occurrence `k` is occurrence
    /// `anchor_offset + k` of the rule starting on `anchor_date`. A series split off
    /// another keeps its rule, so that its month ends stay where they were; null for a
    /// series whose start is its anchor.
    pub anchor_date: Option<Date>,
    pub anchor_offset: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
