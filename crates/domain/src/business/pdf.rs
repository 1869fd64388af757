//! A sales invoice as a PDF document (with the `pdf-writer` crate): the organization, the
//! number and dates, the customer, the items, subtotal, tax and total. Text is set in
//! Helvetica, one of the fonts every PDF reader has, with the WinAnsi encoding, so
//! Spanish accents print as they are; a character outside it prints as "?".

use chrono::NaiveDate;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::{
    business::amounts,
    commons::money::Money,
    entities::{customer, sales_invoice, sales_invoice_item},
};

/// Everything printed on an invoice.
pub struct InvoiceDocument<'a> {
    pub organization: &'a str,
    pub currency: &'a str,
    pub invoice: &'a sales_invoice::Model,
    pub customer: &'a customer::Model,
    pub items: &'a [sales_invoice_item::Model],
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const LINE: f32 = 15.0;
/// Characters of an item's description on one line (Helvetica 10 in about 300 pt).
const DESCRIPTION_CHARS: usize = 55;

/// One line of text at a column.
struct Line {
    text: String,
    x: f32,
    size: f32,
    bold: bool,
    right_aligned: bool,
}

/// Lines of text laid out in pages, top to bottom.
struct Layout {
    pages: Vec<Vec<(f32, Line)>>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    /// Moves down `lines` lines, starting a new page when the bottom margin is reached.
    fn advance(&mut self, lines: f32) {
        self.y -= LINE * lines;
        if self.y < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    fn put(&mut self, x: f32, text: impl Into<String>, size: f32, bold: bool, right: bool) {
        let y = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.push((
                y,
                Line {
                    text: text.into(),
                    x,
                    size,
                    bold,
                    right_aligned: right,
                },
            ));
        }
    }
}

/// The text as WinAnsi bytes (Latin-1 for the letters Spanish uses).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x7F && !c.is_control() => c as u8,
            c if (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// A rough width of Helvetica text, to right-align amounts.
fn width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | ' ' => 0.556,
            'A'..='Z' => 0.667,
            _ => 0.5,
        })
        .sum::<f32>()
        * size
}

fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn money(currency: &str, minor: i64) -> String {
    format!("{currency} {}", Money::from_minor(minor))
}

/// Splits a description into lines of at most [`DESCRIPTION_CHARS`] characters, at
/// spaces where it can.
fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > DESCRIPTION_CHARS {
            let head: String = word.chars().take(DESCRIPTION_CHARS).collect();
            word = word.chars().skip(DESCRIPTION_CHARS).collect();
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(head);
        }
        if !current.is_empty()
            && current.chars().count() + 1 + word.chars().count() > DESCRIPTION_CHARS
        {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

fn lay_out(doc: &InvoiceDocument<'_>) -> Layout {
    let inv = doc.invoice;
    let right = PAGE_WIDTH - MARGIN;
    let mut l = Layout::new();
    l.put(MARGIN, doc.organization, 16.0, true, false);
    l.put(right, format!("FACTURA {}", inv.number), 16.0, true, true);
    l.advance(2.0);
    l.put(
        MARGIN,
        format!("Fecha: {}", day(inv.date)),
        10.0,
        false,
        false,
    );
    if let Some(due) = inv.due_date {
        l.put(right, format!("Vence: {}", day(due)), 10.0, false, true);
    }
    l.advance(1.0);
    l.put(
        MARGIN,
        format!("Concepto: {}", inv.concept),
        10.0,
        false,
        false,
    );
    l.advance(2.0);
    l.put(MARGIN, "Cliente", 11.0, true, false);
    l.advance(1.0);
    l.put(MARGIN, doc.customer.name.as_str(), 10.0, false, false);
    l.advance(1.0);
    l.put(
        MARGIN,
        format!("Documento: {}", doc.customer.national_id),
        10.0,
        false,
        false,
    );
    for extra in [
        &doc.customer.address,
        &doc.customer.email,
        &doc.customer.phone,
    ] {
        if !extra.is_empty() {
            l.advance(1.0);
            l.put(MARGIN, extra.as_str(), 10.0, false, false);
        }
    }
    l.advance(2.0);
    let (qty_x, unit_x) = (right - 170.0, right - 85.0);
    l.put(MARGIN, "Descripción", 10.0, true, false);
    l.put(qty_x, "Cant.", 10.0, true, true);
    l.put(unit_x, "P. unit.", 10.0, true, true);
    l.put(right, "Importe", 10.0, true, true);
    for item in doc.items {
        l.advance(1.0);
        let quantity = rust_decimal::Decimal::new(item.quantity_centi, 2).normalize();
        l.put(qty_x, quantity.to_string(), 10.0, false, true);
        l.put(
            unit_x,
            Money::from_minor(item.unit_amount_minor).to_string(),
            10.0,
            false,
            true,
        );
        l.put(
            right,
            Money::from_minor(item.amount_minor).to_string(),
            10.0,
            false,
            true,
        );
        for (i, text) in wrap(&item.description).into_iter().enumerate() {
            if i > 0 {
                l.advance(1.0);
            }
            l.put(MARGIN, text, 10.0, false, false);
        }
    }
    l.advance(2.0);
    let label_x = right - 110.0;
    l.put(label_x, "Subtotal", 10.0, false, true);
    l.put(
        right,
        money(doc.currency, inv.subtotal_minor),
        10.0,
        false,
        true,
    );
    l.advance(1.0);
    let tax_label = match inv.tax_rate_bp {
        Some(bp) => format!(
            "Impuesto ({} %)",
            amounts::rate_as_percentage(bp).normalize()
        ),
        None => "Impuesto".to_string(),
    };
    l.put(label_x, tax_label, 10.0, false, true);
    l.put(right, money(doc.currency, inv.tax_minor), 10.0, false, true);
    l.advance(1.0);
    l.put(label_x, "Total", 12.0, true, true);
    l.put(
        right,
        money(doc.currency, inv.total_minor),
        12.0,
        true,
        true,
    );
    l.advance(2.0);
    let state = match inv.paid_on {
        Some(on) if inv.paid => format!("Pagada el {}", day(on)),
        _ => "Pendiente de pago".to_string(),
    };
    l.put(MARGIN, state, 10.0, true, false);
    if !inv.additional_info.is_empty() {
        l.advance(2.0);
        l.put(MARGIN, "Información adicional", 10.0, true, false);
        for paragraph in inv.additional_info.lines() {
            for text in wrap(paragraph) {
                l.advance(1.0);
                l.put(MARGIN, text, 10.0, false, false);
            }
        }
    }
    l
}

/// The invoice as the bytes of a PDF file.
pub fn render_invoice(doc: &InvoiceDocument<'_>) -> Vec<u8> {
    let layout = lay_out(doc);
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..layout.pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let title = format!("Factura {}", doc.invoice.number);
    pdf.document_info(info)
        .title(TextStr(&title))
        .author(TextStr(doc.organization));
    for (page_lines, page_id) in layout.pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        resources
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        resources.finish();
        page.finish();
        let mut content = Content::new();
        for (y, line) in page_lines {
            let x = if line.right_aligned {
                line.x - width(&line.text, line.size)
            } else {
                line.x
            };
            content.begin_text();
            content.set_font(Name(if line.bold { b"F2" } else { b"F1" }), line.size);
            content.next_line(x, *y);
            content.show(Str(&win_ansi(&line.text)));
            content.end_text();
        }
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// The file name of an invoice's PDF: `factura-<number>.pdf`.
pub fn file_name(invoice: &sales_invoice::Model) -> String {
    let safe: String = invoice
        .number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("factura-{safe}.pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_text_is_win_ansi() {
        assert_eq!(win_ansi("Perú"), b"Per\xfa");
        assert_eq!(win_ansi("Descripción ñ"), b"Descripci\xf3n \xf1");
        assert_eq!(win_ansi("日本"), b"??");
    }

    #[test]
    fn long_descriptions_wrap() {
        let lines = wrap(&"palabra ".repeat(20));
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= DESCRIPTION_CHARS));
        assert_eq!(wrap(""), vec![String::new()]);
        assert_eq!(wrap(&"x".repeat(120)).len(), 3);
    }
}
