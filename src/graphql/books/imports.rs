//! `importStatement`: a bank's OFX or CSV file into an account of the caller's book (see
//! [`crate::domain::books::imports`]).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use super::writes::{announce, write_book};
use crate::{
    domain::{
        Message,
        books::{
            bank_files::{CsvMapping, MAX_STATEMENT_LINES, Refusal},
            imports::{MAX_REFUSALS_LISTED, StatementImport},
            writes,
        },
    },
    graphql::commons::{ContextExt, NodeKind, RequestContext, UserError, payload, target},
};

/// The kind of bank file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::domain::books::imports::StatementFormat")]
pub enum StatementFormat {
    /// An OFX statement: OFX 1.02 (SGML, with its `OFXHEADER:100` header lines) or OFX
    /// 2.x (XML). Every `<STMTTRN>` becomes a transaction: `DTPOSTED` its date (the day
    /// written, whatever the time and zone after it), `TRNAMT` its amount (negative for
    /// an expense), `NAME` and `MEMO` its description, `FITID` its `ofxId`, `TRNTYPE` its
    /// `bankData`.
    Ofx,
    /// A CSV export, read as `mapping` says (RFC 4180: cells in double quotes may hold
    /// the delimiter, quotes doubled and line breaks).
    Csv,
}

/// How a CSV file is laid out. Columns are named by their header (any letter case) or
/// by their position from 1 ("1" is the first column).
#[derive(InputObject)]
pub struct CsvMappingInput {
    /// The column of the date.
    pub date_column: String,
    /// The column of the signed amount: negative for money that went out (an expense),
    /// positive for money that came in (an income).
    pub amount_column: String,
    /// The column of the description; empty descriptions when omitted.
    pub description_column: Option<String>,
    /// The column of the bank's id of each line, kept as the transaction's `externalId`:
    /// a line whose id the book already has is skipped. Without it a line is recognised
    /// by its day, amount and description: the account's transactions without an id
    /// alike stand for as many lines alike, so importing a file twice, or statements that
    /// overlap, records each line once.
    pub external_id_column: Option<String>,
    /// The date's layout in strftime fields, e.g. "%d/%m/%Y" or "%Y-%m-%d".
    #[graphql(default_with = "\"%Y-%m-%d\".to_string()")]
    pub date_format: String,
    /// "." or ","; the other one may group thousands ("1.234,56" with ",").
    #[graphql(default_with = "\".\".to_string()")]
    pub decimal_separator: String,
    /// The character between cells: ",", ";", "|", or a tab (sent as "\t" or as the
    /// character itself).
    #[graphql(default_with = "\",\".to_string()")]
    pub delimiter: String,
    /// Whether the first line names the columns (it is not a transaction).
    #[graphql(default = true)]
    pub has_header: bool,
}

/// A bank statement to import.
#[derive(InputObject)]
pub struct ImportStatementInput {
    /// The account of the book the statement is of.
    pub account_id: ID,
    /// OFX or CSV.
    pub format: StatementFormat,
    /// The file's text, at most 10,000 transactions. A 10,000-line file is a few
    /// megabytes: over HTTP a logged-in caller's body may be up to
    /// `LIMIT_AUTHENTICATED_BODY_BYTES` (8 MiB by default); over WebSocket a message is
    /// bounded by `LIMIT_BODY_BYTES`.
    pub content: String,
    /// How the CSV is laid out; required for CSV, ignored for OFX.
    pub mapping: Option<CsvMappingInput>,
}

/// A line of the file that could not be read.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RefusedLine {
    /// The file's line it starts on, from 1.
    pub line: i32,
    #[graphql(skip)]
    pub reason: Message,
}

#[async_graphql::ComplexObject]
impl RefusedLine {
    /// Why, in the request's language, e.g. "the amount `12,3x` is not a number".
    async fn reason(&self, ctx: &Context<'_>) -> String {
        let language = match (
            ctx.data_opt::<RequestContext>(),
            ctx.data_opt::<crate::state::AppState>(),
        ) {
            (Some(request), Some(state)) => request.language(&state.db).await,
            (Some(request), None) => request.language_known(),
            (None, _) => Default::default(),
        };
        self.reason.say(language)
    }
}

impl From<Refusal> for RefusedLine {
    fn from(refusal: Refusal) -> Self {
        Self {
            line: i32::try_from(refusal.line).unwrap_or(i32::MAX),
            reason: refusal.reason.into(),
        }
    }
}

/// What an import did. The import is one transaction: when any line is refused, nothing
/// is created (`createdCount` and `skippedCount` are 0) and `refused` lists the lines to
/// mend; send the whole file again once they are.
#[derive(SimpleObject, Default)]
pub struct ImportStatementPayload {
    /// Whether the statement was imported: false when a line was refused or `userErrors`
    /// is not empty, and then nothing changed.
    pub imported: bool,
    /// Transactions created: the lines the book did not have.
    pub created_count: i32,
    /// Lines skipped: the book already had their id (`FITID`, or the CSV's external
    /// id), or an earlier line of the file had it; for lines without an id, the account
    /// already had a transaction without one of the same day, amount and description.
    pub skipped_count: i32,
    /// The lines that could not be read, in the file's order: the first 100.
    pub refused: Vec<RefusedLine>,
    /// How many lines were refused in all.
    pub refused_count: i32,
    /// Problems with the input the user can fix (an account of another book, a file
    /// that is not OFX, a mapping naming no column of the file, more than 10,000 lines).
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(ImportStatementPayload);

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// Imports a bank statement (OFX or CSV) into an account of the caller's book (a
    /// driver's own, the business book for ADMINs and its API tokens): every
    /// transaction of the file the book does not have yet is recorded, paid on its date,
    /// in one transaction (all or nothing). A line is known by its OFX `FITID` (kept as
    /// `ofxId`) or its CSV external id (kept as `externalId`), so importing the same
    /// file twice creates nothing the second time. Each new transaction gets the
    /// category of the book's latest transaction with the same description (whatever
    /// the letter case) and kind, else the book's default category of its kind.
    async fn import_statement(
        &self,
        ctx: &Context<'_>,
        input: ImportStatementInput,
    ) -> async_graphql::Result<ImportStatementPayload> {
        let actor = ctx.actor()?;
        let account_id = target(
            &input.account_id,
            NodeKind::Account,
            "accountId",
            "an account",
        )?;
        let import = StatementImport {
            account_id,
            format: input.format.into(),
            content: input.content,
            mapping: input.mapping.map(|m| CsvMapping {
                date_column: m.date_column,
                amount_column: m.amount_column,
                description_column: m.description_column,
                external_id_column: m.external_id_column,
                date_format: m.date_format,
                decimal_separator: m.decimal_separator,
                delimiter: m.delimiter,
                has_header: m.has_header,
            }),
        };
        let write = writes::import_statement(ctx.db(), actor, import, ctx.now());
        payload(write_book(ctx, write).await, |imported| {
            announce(ctx, &imported.created);
            ImportStatementPayload {
                imported: imported.refused_count == 0,
                created_count: count(imported.created.len()),
                skipped_count: count(imported.skipped),
                refused_count: count(imported.refused_count),
                refused: imported.refused.into_iter().map(Into::into).collect(),
                user_errors: Vec::new(),
            }
        })
    }
}

// The limits the descriptions state.
const _: () = assert!(MAX_STATEMENT_LINES == 10_000 && MAX_REFUSALS_LISTED == 100);
