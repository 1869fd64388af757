//! A sales invoice as a PDF document: the organization, the number and dates, the
//! customer, the items, subtotal, tax and total, laid out for [`crate::pdf`].

use chrono::NaiveDate;

use crate::{
    business::amounts,
    commons::money::Money,
    entities::{customer, sales_invoice, sales_invoice_item},
    pdf::{Layout, MARGIN, PAGE_WIDTH, render, wrap},
};

/// Everything printed on an invoice.
pub struct InvoiceDocument<'a> {
    pub organization: &'a str,
    pub currency: &'a str,
    pub invoice: &'a sales_invoice::Model,
    pub customer: &'a customer::Model,
    pub items: &'a [sales_invoice_item::Model],
}

/// Characters of an item's description on one line (Helvetica 10 in about 300 pt).
const DESCRIPTION_CHARS: usize = 55;

fn day(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn money(currency: &str, minor: i64) -> String {
    format!("{currency} {}", Money::from_minor(minor))
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
        for (i, text) in wrap(&item.description, DESCRIPTION_CHARS)
            .into_iter()
            .enumerate()
        {
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
            for text in wrap(paragraph, DESCRIPTION_CHARS) {
                l.advance(1.0);
                l.put(MARGIN, text, 10.0, false, false);
            }
        }
    }
    l
}

/// The invoice as the bytes of a PDF file.
pub fn render_invoice(doc: &InvoiceDocument<'_>) -> Vec<u8> {
    let title = format!("Factura {}", doc.invoice.number);
    render(&lay_out(doc), &title, doc.organization)
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
    fn long_descriptions_wrap_within_their_column() {
        let lines = wrap(&"palabra ".repeat(20), DESCRIPTION_CHARS);
        assert!(lines.iter().all(|l| l.chars().count() <= DESCRIPTION_CHARS));
    }
}
