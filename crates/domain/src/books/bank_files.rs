//! Reading the files banks give their customers, for `importStatement`: OFX statements
//! (1.02, SGML, whose elements need no closing tag, and 2.x, XML) and CSV exports with a
//! mapping of their columns. Reading is pure: what a file says becomes statement lines,
//! and what cannot be read becomes a refusal naming the file's line, so that the import
//! can list every broken line at once and write nothing.
//!
//! The OFX reader is a small tolerant tag reader rather than an XML parser: banks send
//! SGML without closing tags, XML, and mixtures of both, and all the import needs is the
//! elements of each `<STMTTRN>` (the date posted, the signed amount, the bank's id of the
//! line, its name and memo).

use chrono::{
    NaiveDate,
    format::{Item, StrftimeItems},
};

use super::{
    text::Text,
    transaction_rules::MAX_AMOUNT,
    transactions::{MAX_EXTERNAL_ID_CHARS, MAX_OFX_ID_CHARS},
};
use crate::{
    DomainError, DomainResult, FieldError, UserErrorCode, checks::MAX_DESCRIPTION_CHARS,
    commons::money::Money,
};

/// The most transactions one statement may hold.
pub const MAX_STATEMENT_LINES: usize = 10_000;

/// One transaction a statement shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The file's line it starts on, from 1.
    pub line: usize,
    /// The day the bank booked it (the date part of the bank's timestamp, as written).
    pub date: NaiveDate,
    /// Signed: positive when money came in.
    pub amount: Money,
    pub description: String,
    /// The bank's id of the line (OFX `FITID`) or the CSV's external id: what tells an
    /// import that the book already has it.
    pub key: Option<String>,
    /// The OFX `TRNTYPE` (DEBIT, CREDIT, FEE, ...); empty for CSV.
    pub bank_data: String,
}

/// A line of the file that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub reason: Text,
}

/// What a file holds: the lines read and the lines refused.
#[derive(Debug, Clone, Default)]
pub struct Statement {
    pub lines: Vec<StatementLine>,
    pub refused: Vec<Refusal>,
}

impl Statement {
    fn take(&mut self, line: usize, read: Result<StatementLine, Text>) {
        match read {
            Ok(read) => self.lines.push(read),
            Err(reason) => self.refused.push(Refusal { line, reason }),
        }
    }
}

/// How a CSV file is laid out. A column is named by its header (any letter case) or by
/// its position from 1.
#[derive(Debug, Clone)]
pub struct CsvMapping {
    pub date_column: String,
    pub amount_column: String,
    pub description_column: Option<String>,
    pub external_id_column: Option<String>,
    /// strftime fields, e.g. `%d/%m/%Y`.
    pub date_format: String,
    /// `.` or `,`; the other one may group thousands.
    pub decimal_separator: String,
    pub delimiter: String,
    pub has_header: bool,
}

fn mapping_error(field: &str, code: UserErrorCode, message: Text) -> DomainError {
    DomainError::Invalid(vec![FieldError {
        field: vec!["mapping".into(), field.into()],
        message: message.into(),
        code,
        retry_after: None,
    }])
}

fn too_many_lines() -> DomainError {
    DomainError::invalid(
        "content",
        UserErrorCode::LimitReached,
        Text::TooManyStatementLines {
            max: MAX_STATEMENT_LINES.to_string(),
        },
    )
}

// ---------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------

/// A signed amount as a bank writes it: an optional sign, digits, and at most two
/// decimals after `decimal` (trailing zeros beyond them are fine); `group` may separate
/// thousands in threes (`1.234,56` with `,` as decimal separator).
fn parse_amount(raw: &str, decimal: char, group: Option<char>) -> Result<Money, Text> {
    let text = raw.trim();
    let not_a_number = || Text::AmountNotANumber {
        value: text.to_string(),
    };
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text).trim_start()),
    };
    let (int, frac) = match unsigned.split_once(decimal) {
        Some((int, frac)) => (int, frac),
        None => (unsigned, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let int: String = match group {
        Some(group) if int.contains(group) => {
            let mut parts = int.split(group);
            let head = parts.next().unwrap_or("");
            if head.is_empty() || head.len() > 3 || !digits(head) {
                return Err(not_a_number());
            }
            let mut joined = head.to_string();
            for part in parts {
                if part.len() != 3 || !digits(part) {
                    return Err(not_a_number());
                }
                joined.push_str(part);
            }
            joined
        }
        _ => int.to_string(),
    };
    if (int.is_empty() && frac.is_empty()) || !digits(&int) || !digits(frac) {
        return Err(not_a_number());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err(Text::AmountTooPrecise {
            value: text.to_string(),
        });
    }
    let out_of_range = || Text::LineAmountRange {
        max: MAX_AMOUNT.to_string(),
    };
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return Err(out_of_range());
    }
    let major: i64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| not_a_number())?
    };
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| not_a_number())?;
    let minor = major
        .checked_mul(100)
        .and_then(|m| m.checked_add(cents))
        .ok_or_else(out_of_range)?;
    let amount = Money::from_minor(if negative { -minor } else { minor });
    check_amount(amount)
}

/// Not 0 and at most [`MAX_AMOUNT`] either way.
fn check_amount(amount: Money) -> Result<Money, Text> {
    if amount == Money::ZERO {
        return Err(Text::AmountZero);
    }
    if amount.minor().unsigned_abs() > MAX_AMOUNT.minor().unsigned_abs() {
        return Err(Text::LineAmountRange {
            max: MAX_AMOUNT.to_string(),
        });
    }
    Ok(amount)
}

fn description(raw: &str) -> Result<String, Text> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Text::LineDescriptionTooLong {
            max: MAX_DESCRIPTION_CHARS.to_string(),
        });
    }
    Ok(value)
}

fn key(raw: Option<&str>, max: usize) -> Result<Option<String>, Text> {
    let value = raw.map(str::trim).filter(|v| !v.is_empty());
    match value {
        Some(v) if v.chars().count() > max => Err(Text::LineIdTooLong {
            max: max.to_string(),
        }),
        v => Ok(v.map(str::to_string)),
    }
}

// ---------------------------------------------------------------------------------------
// OFX
// ---------------------------------------------------------------------------------------

/// A piece of an OFX body.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    /// `<NAME>`, upper-cased, on its line.
    Open(String, usize),
    /// `</NAME>`, upper-cased.
    Close(String),
    /// The text between two tags, entities decoded and trimmed; never empty.
    Text(String),
}

/// Splits an OFX body into tags and text, skipping the header lines before `<OFX>`,
/// processing instructions (`<?xml ...?>`, `<?OFX ...?>`), comments and declarations.
fn tokens(body: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut rest = body;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..start]);
        line += rest[..start].matches('\n').count();
        rest = &rest[start..];
        let (skip_to, is_tag) = if rest.starts_with("<!--") {
            (rest.find("-->").map(|i| i + 3), false)
        } else if rest.starts_with("<?") {
            (rest.find("?>").map(|i| i + 2), false)
        } else if rest.starts_with("<!") {
            (rest.find('>').map(|i| i + 1), false)
        } else {
            (rest.find('>').map(|i| i + 1), true)
        };
        let end = skip_to.unwrap_or(rest.len());
        let tag = &rest[..end];
        if is_tag {
            let inner = tag.trim_start_matches('<').trim_end_matches('>').trim();
            // `<NAME/>` (XML's empty element) opens and closes; attributes are ignored.
            let self_closing = inner.ends_with('/');
            let inner = inner.trim_end_matches('/');
            let name = inner
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            if let Some(closed) = name.strip_prefix('/') {
                out.push(Token::Close(closed.to_string()));
            } else if !name.is_empty() {
                out.push(Token::Open(name.clone(), line));
                if self_closing {
                    out.push(Token::Close(name));
                }
            }
        }
        line += tag.matches('\n').count();
        rest = &rest[end..];
    }
    out
}

fn push_text(out: &mut Vec<Token>, raw: &str) {
    let text = raw.trim();
    if !text.is_empty() {
        out.push(Token::Text(decode_entities(text)));
    }
}

/// XML's and SGML's character references: the five named ones and numeric ones; any
/// other `&` stays as it is (SGML files often carry a bare `&`).
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The elements of one `<STMTTRN>`: the first value of each.
#[derive(Default)]
struct OfxEntry {
    line: usize,
    fields: Vec<(String, String)>,
}

impl OfxEntry {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn read(&self) -> Result<StatementLine, Text> {
        let missing = |element: &str| Text::OfxElementMissing {
            element: element.to_string(),
        };
        let posted = self.get("DTPOSTED").ok_or_else(|| missing("DTPOSTED"))?;
        let date = ofx_date(posted).ok_or_else(|| Text::OfxDateInvalid {
            value: posted.to_string(),
        })?;
        let raw = self.get("TRNAMT").ok_or_else(|| missing("TRNAMT"))?;
        // OFX writes a `.`; some banks write a `,` instead, never both.
        let decimal = if raw.contains('.') || !raw.contains(',') {
            '.'
        } else {
            ','
        };
        let amount = parse_amount(raw, decimal, None)?;
        let name = self.get("NAME").unwrap_or("").trim();
        let memo = self.get("MEMO").unwrap_or("").trim();
        let text = match (name.is_empty(), memo.is_empty()) {
            (false, false) if !name.eq_ignore_ascii_case(memo) => format!("{name} - {memo}"),
            (false, _) => name.to_string(),
            (true, _) => memo.to_string(),
        };
        Ok(StatementLine {
            line: self.line,
            date,
            amount,
            description: description(&text)?,
            key: key(self.get("FITID"), MAX_OFX_ID_CHARS)?,
            bank_data: self.get("TRNTYPE").unwrap_or("").trim().to_string(),
        })
    }
}

/// The date of an OFX timestamp (`20261103120000.000[-3:BRT]`): its first eight digits,
/// the day the bank wrote, whatever the time and zone that follow.
fn ofx_date(value: &str) -> Option<NaiveDate> {
    let digits = value.trim().get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

/// Reads an OFX statement, 1.02 (SGML) or 2.x (XML): every `<STMTTRN>` of the file, of
/// any account or card statement in it.
pub fn read_ofx(content: &str) -> DomainResult<Statement> {
    let upper_start = find_ascii_case_insensitive(content, "<OFX>")
        .or_else(|| find_ascii_case_insensitive(content, "<OFX "))
        .ok_or_else(|| {
            DomainError::invalid("content", UserErrorCode::InvalidFormat, Text::NotAnOfxFile)
        })?;
    let line_offset = content[..upper_start].matches('\n').count();
    let mut statement = Statement::default();
    let mut entry: Option<OfxEntry> = None;
    let mut element: Option<String> = None;
    let mut count = 0usize;
    let finish = |statement: &mut Statement, entry: Option<OfxEntry>| {
        if let Some(entry) = entry {
            statement.take(entry.line, entry.read());
        }
    };
    for token in tokens(&content[upper_start..]) {
        match token {
            Token::Open(name, line) if name == "STMTTRN" => {
                // A `<STMTTRN>` left open ends where the next one starts.
                finish(&mut statement, entry.take());
                count += 1;
                if count > MAX_STATEMENT_LINES {
                    return Err(too_many_lines());
                }
                entry = Some(OfxEntry {
                    line: line + line_offset,
                    fields: Vec::new(),
                });
                element = None;
            }
            Token::Open(name, _) => element = Some(name),
            Token::Close(name) => {
                if name == "STMTTRN" || name == "BANKTRANLIST" {
                    finish(&mut statement, entry.take());
                }
                element = None;
            }
            Token::Text(text) => {
                if let (Some(entry), Some(name)) = (entry.as_mut(), element.take())
                    && entry.get(&name).is_none()
                {
                    entry.fields.push((name, text));
                }
            }
        }
    }
    finish(&mut statement, entry.take());
    Ok(statement)
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

// ---------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------

/// One record of a CSV file (RFC 4180: cells in double quotes may hold the delimiter,
/// line breaks and doubled quotes), with the line it starts on.
#[derive(Debug, PartialEq, Eq)]
struct Record {
    line: usize,
    cells: Vec<String>,
}

/// The records of `content`; blank lines are skipped. A quoted cell left open at the end
/// of the file is refused on the line its record starts.
fn records(content: &str, delimiter: char) -> (Vec<Record>, Option<Refusal>) {
    let mut out = Vec::new();
    let mut chars = content.chars().peekable();
    let mut line = 1;
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut start = 1;
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut any = false;
    let end_record = |out: &mut Vec<Record>, cells: &mut Vec<String>, start: usize| {
        let taken = std::mem::take(cells);
        if !(taken.len() == 1 && taken[0].trim().is_empty()) {
            out.push(Record {
                line: start,
                cells: taken,
            });
        }
    };
    while let Some(c) = chars.next() {
        if !any {
            start = line;
            any = true;
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted = true;
                at_cell_start = false;
            }
            c if c == delimiter => {
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                cells.push(std::mem::take(&mut cell));
                end_record(&mut out, &mut cells, start);
                line += 1;
                at_cell_start = true;
                any = false;
            }
            c => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    if quoted {
        return (
            out,
            Some(Refusal {
                line: start,
                reason: Text::QuoteNotClosed,
            }),
        );
    }
    if any {
        cells.push(cell);
        end_record(&mut out, &mut cells, start);
    }
    (out, None)
}

/// Which cell of a record a mapped column is.
#[derive(Debug, Clone)]
struct Column {
    index: usize,
    /// As the mapping named it, for messages.
    name: String,
}

fn column(field: &str, spec: &str, header: Option<&Record>) -> DomainResult<Column> {
    let spec = spec.trim();
    if let Ok(position) = spec.parse::<usize>()
        && position >= 1
    {
        return Ok(Column {
            index: position - 1,
            name: spec.to_string(),
        });
    }
    let Some(header) = header else {
        return Err(mapping_error(
            field,
            UserErrorCode::InvalidFormat,
            Text::ColumnByPosition {
                name: spec.to_string(),
            },
        ));
    };
    header
        .cells
        .iter()
        .position(|cell| cell.trim().eq_ignore_ascii_case(spec))
        .map(|index| Column {
            index,
            name: spec.to_string(),
        })
        .ok_or_else(|| {
            mapping_error(
                field,
                UserErrorCode::NotFound,
                Text::NoSuchColumn {
                    name: spec.to_string(),
                },
            )
        })
}

fn one_char(value: &str) -> Option<char> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Reads a CSV export laid out as `mapping` says. Amounts are signed (negative for money
/// that went out).
pub fn read_csv(content: &str, mapping: &CsvMapping) -> DomainResult<Statement> {
    let decimal = match mapping.decimal_separator.trim() {
        "." => '.',
        "," => ',',
        _ => {
            return Err(mapping_error(
                "decimalSeparator",
                UserErrorCode::InvalidFormat,
                Text::DecimalSeparator,
            ));
        }
    };
    let delimiter = match mapping.delimiter.as_str() {
        "\\t" => Some('\t'),
        other => one_char(other),
    }
    .filter(|c| !matches!(c, '"' | '\n' | '\r') && *c != decimal)
    .ok_or_else(|| {
        mapping_error(
            "delimiter",
            UserErrorCode::InvalidFormat,
            Text::DelimiterInvalid,
        )
    })?;
    let format = mapping.date_format.trim();
    if format.is_empty() || StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(mapping_error(
            "dateFormat",
            UserErrorCode::InvalidFormat,
            Text::DateFormatInvalid {
                format: format.to_string(),
            },
        ));
    }
    // The other separator groups thousands, unless it separates cells.
    let group = Some(if decimal == '.' { ',' } else { '.' }).filter(|g| *g != delimiter);
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let (mut records, unclosed) = records(content, delimiter);
    let header = if mapping.has_header && !records.is_empty() {
        Some(records.remove(0))
    } else {
        None
    };
    let date = column("dateColumn", &mapping.date_column, header.as_ref())?;
    let amount = column("amountColumn", &mapping.amount_column, header.as_ref())?;
    let text = mapping
        .description_column
        .as_deref()
        .map(|c| column("descriptionColumn", c, header.as_ref()))
        .transpose()?;
    let external = mapping
        .external_id_column
        .as_deref()
        .map(|c| column("externalIdColumn", c, header.as_ref()))
        .transpose()?;
    if records.len() > MAX_STATEMENT_LINES {
        return Err(too_many_lines());
    }
    let mut statement = Statement::default();
    for record in &records {
        let cell = |column: &Column| {
            record
                .cells
                .get(column.index)
                .map(String::as_str)
                .ok_or_else(|| Text::CellMissing {
                    column: column.name.clone(),
                })
        };
        let read = (|| {
            let raw_date = cell(&date)?.trim();
            let day =
                NaiveDate::parse_from_str(raw_date, format).map_err(|_| Text::DateNotInFormat {
                    value: raw_date.to_string(),
                    format: format.to_string(),
                })?;
            let money = parse_amount(cell(&amount)?, decimal, group)?;
            let words = match &text {
                Some(column) => description(cell(column)?)?,
                None => String::new(),
            };
            let id = match &external {
                Some(column) => key(Some(cell(column)?), MAX_EXTERNAL_ID_CHARS)?,
                None => None,
            };
            Ok(StatementLine {
                line: record.line,
                date: day,
                amount: money,
                description: words,
                key: id,
                bank_data: String::new(),
            })
        })();
        statement.take(record.line, read);
    }
    statement.refused.extend(unclosed);
    Ok(statement)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn amounts_as_banks_write_them() {
        let minor = |raw, decimal, group| parse_amount(raw, decimal, group).map(Money::minor);
        assert_eq!(minor("-12.30", '.', None), Ok(-1230));
        assert_eq!(minor("+1234.5", '.', None), Ok(123_450));
        assert_eq!(minor("1.234,56", ',', Some('.')), Ok(123_456));
        assert_eq!(minor("-0,05", ',', Some('.')), Ok(-5));
        assert_eq!(minor("12.300", '.', None), Ok(1230));
        assert_eq!(minor(".5", '.', None), Ok(50));
        assert!(matches!(
            minor("12,3x", ',', Some('.')),
            Err(Text::AmountNotANumber { .. })
        ));
        assert!(matches!(
            minor("1.23,4", ',', Some('.')),
            Err(Text::AmountNotANumber { .. })
        ));
        assert!(matches!(
            minor("12.345", '.', None),
            Err(Text::AmountTooPrecise { .. })
        ));
        assert_eq!(minor("0.00", '.', None), Err(Text::AmountZero));
        assert!(matches!(
            minor("99999999999999999999", '.', None),
            Err(Text::LineAmountRange { .. })
        ));
        assert!(minor("", '.', None).is_err());
        assert!(minor("-", '.', None).is_err());
    }

    #[test]
    fn ofx_sgml_without_closing_tags() {
        let file = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1><STMTTRNRS><STMTRS>\n<BANKTRANLIST>\n<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20261103120000[-3:BRT]\n<TRNAMT>-12.30\n<FITID>A1\n<NAME>Posto &amp; Cia\n<MEMO>Gasolina\n</STMTTRN>\n<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20261104\n<TRNAMT>100.00\n<FITID>A2\n<MEMO>Pix\n</STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
        let read = read_ofx(file).expect("an OFX file");
        assert!(read.refused.is_empty(), "{:?}", read.refused);
        assert_eq!(read.lines.len(), 2);
        let first = &read.lines[0];
        assert_eq!(first.line, 8);
        assert_eq!(first.date, day(2026, 11, 3));
        assert_eq!(first.amount.minor(), -1230);
        assert_eq!(first.description, "Posto & Cia - Gasolina");
        assert_eq!(first.key.as_deref(), Some("A1"));
        assert_eq!(first.bank_data, "DEBIT");
        assert_eq!(read.lines[1].description, "Pix");
        assert_eq!(read.lines[1].line, 16);
    }

    #[test]
    fn ofx_xml_and_broken_entries() {
        let file = "<?xml version=\"1.0\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n<STMTTRN><TRNTYPE>FEE</TRNTYPE><DTPOSTED>20261105</DTPOSTED><TRNAMT>-1.5</TRNAMT><FITID>X</FITID><NAME>Fee</NAME></STMTTRN>\n<STMTTRN><DTPOSTED>2026-11</DTPOSTED><TRNAMT>abc</TRNAMT></STMTTRN>\n<STMTTRN><DTPOSTED>20261106</DTPOSTED></STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
        let read = read_ofx(file).expect("an OFX file");
        assert_eq!(read.lines.len(), 1);
        assert_eq!(read.lines[0].amount.minor(), -150);
        assert_eq!(
            read.refused,
            vec![
                Refusal {
                    line: 5,
                    reason: Text::OfxDateInvalid {
                        value: "2026-11".into()
                    }
                },
                Refusal {
                    line: 6,
                    reason: Text::OfxElementMissing {
                        element: "TRNAMT".into()
                    }
                },
            ]
        );
        assert!(read_ofx("date;amount\n").is_err());
    }

    fn mapping() -> CsvMapping {
        CsvMapping {
            date_column: "Fecha".into(),
            amount_column: "3".into(),
            description_column: Some("concepto".into()),
            external_id_column: Some("Id".into()),
            date_format: "%d/%m/%Y".into(),
            decimal_separator: ",".into(),
            delimiter: ";".into(),
            has_header: true,
        }
    }

    #[test]
    fn csv_with_quotes_and_broken_lines() {
        let file = "Fecha;Concepto;Importe;Id\r\n03/11/2026;\"Peaje; \"\"Evitamiento\"\"\nnorte\";-1.234,50;a1\r\n\r\n04/11/2026;Recarga;12,3x;a2\n31/02/2026;Nada;1;a3\n05/11/2026;Corto\n";
        let read = read_csv(file, &mapping()).expect("a CSV file");
        assert_eq!(read.lines.len(), 1);
        let first = &read.lines[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.description, "Peaje; \"Evitamiento\" norte");
        assert_eq!(first.amount.minor(), -123_450);
        assert_eq!(first.key.as_deref(), Some("a1"));
        let lines: Vec<usize> = read.refused.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![5, 6, 7]);
        assert_eq!(
            read.refused[0].reason,
            Text::AmountNotANumber {
                value: "12,3x".into()
            }
        );
    }

    #[test]
    fn csv_mapping_is_checked() {
        let file = "Fecha;Concepto;Importe\n";
        let mut bad = mapping();
        bad.date_column = "Date".into();
        assert!(read_csv(file, &bad).is_err());
        let mut bad = mapping();
        bad.has_header = false;
        assert!(read_csv(file, &bad).is_err());
        let mut bad = mapping();
        bad.date_format = "%Q".into();
        assert!(read_csv(file, &bad).is_err());
        let mut bad = mapping();
        bad.delimiter = ",".into();
        assert!(read_csv(file, &bad).is_err());
        let (_, unclosed) = records("a;\"b\n", ';');
        assert_eq!(unclosed.map(|r| r.line), Some(1));
    }
}
