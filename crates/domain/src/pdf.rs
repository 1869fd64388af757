//! Documents as PDF files (with the `pdf-writer` crate): lines of text laid out on A4
//! pages, top to bottom, a new page when the bottom margin is reached. Text is set in
//! Helvetica, one of the fonts every PDF reader has, with the WinAnsi encoding, so
//! Spanish and Portuguese accents print as they are; a character outside it prints as
//! "?". What a document says and where is its writer's (e.g. `business::pdf`).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub const PAGE_WIDTH: f32 = 595.0;
pub const PAGE_HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 56.0;
const LINE: f32 = 15.0;

/// One line of text at a column.
pub struct Line {
    text: String,
    x: f32,
    size: f32,
    bold: bool,
    right_aligned: bool,
}

/// Lines of text laid out in pages, top to bottom: what a document's writer builds and
/// [`render`] prints.
pub struct Layout {
    pages: Vec<Vec<(f32, Line)>>,
    y: f32,
}

/// An empty first page, the pen at its top margin.
impl Default for Layout {
    fn default() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }
}

impl Layout {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves down `lines` lines, starting a new page when the bottom margin is reached.
    pub fn advance(&mut self, lines: f32) {
        self.y -= LINE * lines;
        if self.y < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    pub fn put(&mut self, x: f32, text: impl Into<String>, size: f32, bold: bool, right: bool) {
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

/// Splits `text` into lines of at most `chars` characters, at spaces where it can.
pub fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > chars {
            let head: String = word.chars().take(chars).collect();
            word = word.chars().skip(chars).collect();
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            lines.push(head);
        }
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > chars {
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

/// `layout` as the bytes of a PDF file, with its title and author in the document's
/// information.
pub fn render(layout: &Layout, title: &str, author: &str) -> Vec<u8> {
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
    pdf.document_info(info)
        .title(TextStr(title))
        .author(TextStr(author));
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
    fn long_text_wraps() {
        let lines = wrap(&"palabra ".repeat(20), 55);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 55));
        assert_eq!(wrap("", 55), vec![String::new()]);
        assert_eq!(wrap(&"x".repeat(120), 55).len(), 3);
    }

    #[test]
    fn a_long_layout_takes_several_pages() {
        let mut layout = Layout::new();
        for n in 0..100 {
            layout.put(MARGIN, format!("line {n}"), 10.0, false, false);
            layout.advance(1.0);
        }
        assert!(layout.pages.len() > 1);
        let bytes = render(&layout, "title", "author");
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
