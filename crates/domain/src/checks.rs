//! Input rules shared by every kind of content. Each check trims and returns the value to
//! store, and records a problem instead of failing, so that one answer lists every field
//! to fix.

use rust_decimal::{Decimal, prelude::ToPrimitive};
use sea_orm::{DbErr, SqlErr};

use crate::{DomainError, DomainResult, FieldError, Message, UserErrorCode};

crate::catalogue! {
    /// What the input rules every kind of content shares say.
    pub enum Text {
        Required {
            en: "This field is required",
            es: "Este campo es obligatorio",
            pt: "Este campo é obrigatório",
        }
        AtMostChars(max) {
            en: "At most {max} characters",
            es: "Como máximo {max} caracteres",
            pt: "No máximo {max} caracteres",
        }
        GiveCode {
            en: "Give a code, e.g. \"gastos_personales\"",
            es: "Indica un código, p. ej. \"gastos_personales\"",
            pt: "Informe um código, p. ex. \"gastos_personales\"",
        }
        CodeFormat {
            en: "Use lowercase letters without accents, digits and single underscores, e.g. \"multas_y_transito\"",
            es: "Usa minúsculas sin tildes, dígitos y guiones bajos simples, p. ej. \"multas_y_transito\"",
            pt: "Use letras minúsculas sem acentos, dígitos e sublinhados simples, p. ex. \"multas_y_transito\"",
        }
        GivePhone {
            en: "Give a phone number",
            es: "Indica un número de teléfono",
            pt: "Informe um número de telefone",
        }
        PhoneFormat {
            en: "A phone number has 6 to 15 digits, optionally a leading \"+\", spaces, dashes or parentheses, e.g. \"+51987928878\"",
            es: "Un teléfono tiene de 6 a 15 dígitos, con un \"+\" inicial, espacios, guiones o paréntesis opcionales, p. ej. \"+51987928878\"",
            pt: "Um telefone tem de 6 a 15 dígitos, com um \"+\" inicial, espaços, hífens ou parênteses opcionais, p. ex. \"+51987928878\"",
        }
        GiveEmail {
            en: "Give an email address",
            es: "Indica un correo electrónico",
            pt: "Informe um e-mail",
        }
        EmailFormat {
            en: "Not an email address, e.g. \"ventas@leasyauto.com\"",
            es: "No es un correo electrónico, p. ej. \"ventas@leasyauto.com\"",
            pt: "Não é um e-mail, p. ex. \"ventas@leasyauto.com\"",
        }
        GiveUrl {
            en: "Give a web address",
            es: "Indica una dirección web",
            pt: "Informe um endereço web",
        }
        UrlFormat {
            en: "Not a web address: start it with https://, e.g. \"https://leasy.pe\"",
            es: "No es una dirección web: empieza con https://, p. ej. \"https://leasy.pe\"",
            pt: "Não é um endereço web: comece com https://, p. ex. \"https://leasy.pe\"",
        }
        IconFormat {
            en: "An icon is a name (letters, digits, \"-\" and \"_\") or an https:// URL",
            es: "Un ícono es un nombre (letras, dígitos, \"-\" y \"_\") o una URL https://",
            pt: "Um ícone é um nome (letras, dígitos, \"-\" e \"_\") ou uma URL https://",
        }
        OneParagraph {
            en: "Write at least one paragraph",
            es: "Escribe al menos un párrafo",
            pt: "Escreva pelo menos um parágrafo",
        }
        AtMostParagraphs(max) {
            en: "At most {max} paragraphs",
            es: "Como máximo {max} párrafos",
            pt: "No máximo {max} parágrafos",
        }
        BlankParagraph {
            en: "A paragraph is blank",
            es: "Hay un párrafo en blanco",
            pt: "Há um parágrafo em branco",
        }
        ParagraphTooLong(max) {
            en: "Each paragraph has at most {max} characters",
            es: "Cada párrafo tiene como máximo {max} caracteres",
            pt: "Cada parágrafo tem no máximo {max} caracteres",
        }
        Percentage {
            en: "A percentage goes from 0 to 100, with at most two decimals",
            es: "Un porcentaje va de 0 a 100, con dos decimales como máximo",
            pt: "Uma porcentagem vai de 0 a 100, com no máximo duas casas decimais",
        }
        StillUsed {
            en: "Other records still use it",
            es: "Otros registros todavía lo usan",
            pt: "Outros registros ainda o usam",
        }
    }
}

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_CODE_CHARS: usize = 50;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PARAGRAPH_CHARS: usize = 2000;
pub const MAX_PARAGRAPHS: usize = 30;
pub const MAX_VALUE_CHARS: usize = 300;
pub const MAX_ICON_CHARS: usize = 200;
/// E.164 allows at most 15 digits; shorter than 6 is no phone number, even a local one.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=15;
const MAX_EMAIL_CHARS: usize = 254;

/// The problems found in one input.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, code: UserErrorCode, message: impl Into<Message>) {
        self.0.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was found, the whole list otherwise.
    pub fn finish(self) -> DomainResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self.0))
        }
    }
}

/// Trimmed text: REQUIRED when blank and `required`, TOO_LONG past `max` characters.
pub fn text(p: &mut Problems, field: &str, value: &str, required: bool, max: usize) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::Required);
    } else if value.chars().count() > max {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::AtMostChars {
                max: max.to_string(),
            },
        );
    }
    value.to_string()
}

fn is_code(value: &str) -> bool {
    !value.is_empty()
        && value.split('_').all(|part| {
            !part.is_empty() && part.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9'))
        })
}

/// A stable code such as `gastos_personales`: lowercase ASCII letters and digits in words
/// joined by single underscores. When none is given it is derived from `name`.
pub fn code(p: &mut Problems, field: &str, value: Option<&str>, name: &str) -> String {
    let value = match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(given) => given.to_string(),
        None => derive_code(name),
    };
    if value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::GiveCode);
    } else if value.chars().count() > MAX_CODE_CHARS {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::AtMostChars {
                max: MAX_CODE_CHARS.to_string(),
            },
        );
    } else if !is_code(&value) {
        p.add(field, UserErrorCode::InvalidFormat, Text::CodeFormat);
    }
    value
}

/// The REST API's codes are names in lowercase without accents, words joined by `_`:
/// "Multas y tránsito" is `multas_y_transito`.
pub fn derive_code(name: &str) -> String {
    let mut code = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        };
        if plain == '_' && (code.is_empty() || code.ends_with('_')) {
            continue;
        }
        code.push(plain);
    }
    let code: String = code
        .trim_end_matches('_')
        .chars()
        .take(MAX_CODE_CHARS)
        .collect();
    code.trim_end_matches('_').to_string()
}

/// A phone number as people write it ("953884777", "+51987928878", "947 947 158"): an
/// optional leading `+`, then digits with optional spaces, dashes or parentheses, 6 to 15
/// digits in all. Kept as written, trimmed, so the app shows it the same way.
pub fn phone(p: &mut Problems, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::GivePhone);
        return String::new();
    }
    let body = value.strip_prefix('+').unwrap_or(value);
    let allowed = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'));
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !allowed || !PHONE_DIGITS.contains(&digits) {
        p.add(field, UserErrorCode::InvalidFormat, Text::PhoneFormat);
    }
    value.to_string()
}

/// An email address: one `@`, something before it and a domain with a dot after it.
pub fn email(p: &mut Problems, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::GiveEmail);
        return String::new();
    }
    let valid = value.chars().count() <= MAX_EMAIL_CHARS
        && !value.chars().any(char::is_whitespace)
        && match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && domain
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
            }
            None => false,
        };
    if !valid {
        p.add(field, UserErrorCode::InvalidFormat, Text::EmailFormat);
    }
    value.to_string()
}

/// An `http` or `https` URL with a host and no spaces.
pub fn url(p: &mut Problems, field: &str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        p.add(field, UserErrorCode::Required, Text::GiveUrl);
        return String::new();
    }
    if value.chars().count() > max {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::AtMostChars {
                max: max.to_string(),
            },
        );
        return value.to_string();
    }
    if !is_url(value) {
        p.add(field, UserErrorCode::InvalidFormat, Text::UrlFormat);
    }
    value.to_string()
}

fn is_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// An icon: empty, an icon name (`car-wrench`, `fuel_pump`) or an image URL.
pub fn icon(p: &mut Problems, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.contains("://") {
        return url(p, field, value, MAX_ICON_CHARS);
    }
    if value.chars().count() > MAX_ICON_CHARS {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::AtMostChars {
                max: MAX_ICON_CHARS.to_string(),
            },
        );
    } else if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        p.add(field, UserErrorCode::InvalidFormat, Text::IconFormat);
    }
    value.to_string()
}

/// The paragraphs of an answer or a tip: at least one, each trimmed and non-blank.
pub fn paragraphs(p: &mut Problems, field: &str, values: &[String]) -> Vec<String> {
    let kept: Vec<String> = values.iter().map(|v| v.trim().to_string()).collect();
    if kept.is_empty() {
        p.add(field, UserErrorCode::Required, Text::OneParagraph);
    } else if kept.len() > MAX_PARAGRAPHS {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::AtMostParagraphs {
                max: MAX_PARAGRAPHS.to_string(),
            },
        );
    } else if kept.iter().any(String::is_empty) {
        p.add(field, UserErrorCode::Required, Text::BlankParagraph);
    } else if kept.iter().any(|k| k.chars().count() > MAX_PARAGRAPH_CHARS) {
        p.add(
            field,
            UserErrorCode::TooLong,
            Text::ParagraphTooLong {
                max: MAX_PARAGRAPH_CHARS.to_string(),
            },
        );
    }
    kept
}

/// A percentage from 0 to 100 with at most two decimals, in hundredths of a percent.
pub fn percent(p: &mut Problems, field: &str, value: Decimal) -> i32 {
    let basis = value * Decimal::from(100);
    if value < Decimal::ZERO || value > Decimal::from(100) || !basis.fract().is_zero() {
        p.add(field, UserErrorCode::OutOfRange, Text::Percentage);
        return 0;
    }
    basis.to_i32().unwrap_or(0)
}

/// Paragraphs as stored: a JSON array of strings.
pub fn to_json(paragraphs: &[String]) -> String {
    serde_json::to_string(paragraphs).unwrap_or_else(|_| "[]".into())
}

/// Stored paragraphs back; a row that is not a JSON array reads as one paragraph.
pub fn from_json(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_else(|_| vec![stored.to_string()])
}

/// An insert or update refused by a unique index: the user's DUPLICATE on `field` (the
/// index is the backstop when two requests race past the same check).
pub fn duplicate(err: DbErr, field: &str, message: impl Into<Message>) -> DomainError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            DomainError::invalid(field, UserErrorCode::Duplicate, message)
        }
        _ => DomainError::Database(err),
    }
}

/// A delete refused by a foreign key: rows that arrived after the domain's check still
/// use the record, IN_USE on `id`.
pub fn in_use(err: DbErr) -> DomainError {
    match err.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            DomainError::invalid("id", UserErrorCode::InUse, Text::StillUsed)
        }
        _ => DomainError::Database(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: Problems) -> Vec<UserErrorCode> {
        match p.finish() {
            Ok(()) => vec![],
            Err(DomainError::Invalid(errors)) => errors.into_iter().map(|e| e.code).collect(),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn codes_are_derived_like_the_rest_apis() {
        assert_eq!(derive_code("Multas y tránsito"), "multas_y_transito");
        assert_eq!(derive_code("Gastos Personales"), "gastos_personales");
        assert_eq!(
            derive_code("  Seguridad  vehicular! "),
            "seguridad_vehicular"
        );
        assert_eq!(derive_code("¿Niño?"), "nino");
        assert_eq!(derive_code("!!!"), "");
    }

    #[test]
    fn given_codes_must_be_snake_case() {
        for good in ["oro", "gastos_personales", "plan2"] {
            let mut p = Problems::default();
            code(&mut p, "code", Some(good), "");
            assert!(p.is_empty(), "{good}");
        }
        for bad in [
            "Oro",
            "gastos-personales",
            "_oro",
            "oro_",
            "a__b",
            "tránsito",
        ] {
            let mut p = Problems::default();
            code(&mut p, "code", Some(bad), "x");
            assert_eq!(codes(p), vec![UserErrorCode::InvalidFormat], "{bad}");
        }
        let mut p = Problems::default();
        code(&mut p, "code", None, "¡!");
        assert_eq!(codes(p), vec![UserErrorCode::Required]);
    }

    #[test]
    fn phones_as_people_write_them() {
        for good in ["953884777", "+51987928878", "947 947 158", "(01) 555-1234"] {
            let mut p = Problems::default();
            assert_eq!(phone(&mut p, "phone", &format!(" {good} ")), good);
            assert!(p.is_empty(), "{good}");
        }
        for bad in [
            "12345",
            "+51 9x8",
            "call me",
            "1234567890123456",
            "++51987928878",
        ] {
            let mut p = Problems::default();
            phone(&mut p, "phone", bad);
            assert_eq!(codes(p), vec![UserErrorCode::InvalidFormat], "{bad}");
        }
    }

    #[test]
    fn emails_and_urls() {
        let mut p = Problems::default();
        email(&mut p, "value", "ventas@leasyauto.com");
        url(&mut p, "value", "https://leasy.pe/ayuda?x=1", 300);
        url(&mut p, "value", "http://localhost:8000", 300);
        assert!(p.is_empty());
        for bad in [
            "ventas",
            "@leasy.pe",
            "a@b",
            "a b@c.pe",
            "a@@c.pe",
            "a@c..pe",
        ] {
            let mut p = Problems::default();
            email(&mut p, "value", bad);
            assert_eq!(codes(p), vec![UserErrorCode::InvalidFormat], "{bad}");
        }
        for bad in [
            "leasy.pe",
            "ftp://leasy.pe",
            "https://",
            "https://le asy.pe",
            "javascript:alert(1)",
        ] {
            let mut p = Problems::default();
            url(&mut p, "value", bad, 300);
            assert_eq!(codes(p), vec![UserErrorCode::InvalidFormat], "{bad}");
        }
    }

    #[test]
    fn percentages_become_basis_points() {
        let mut p = Problems::default();
        assert_eq!(percent(&mut p, "d", Decimal::new(5, 0)), 500);
        assert_eq!(percent(&mut p, "d", Decimal::new(725, 2)), 725);
        assert_eq!(percent(&mut p, "d", Decimal::new(100, 0)), 10_000);
        assert_eq!(percent(&mut p, "d", Decimal::ZERO), 0);
        assert!(p.is_empty());
        for bad in [
            Decimal::new(-1, 2),
            Decimal::new(10001, 2),
            Decimal::new(1, 3),
        ] {
            let mut p = Problems::default();
            percent(&mut p, "d", bad);
            assert_eq!(codes(p), vec![UserErrorCode::OutOfRange], "{bad}");
        }
    }

    #[test]
    fn paragraphs_are_trimmed_and_required() {
        let mut p = Problems::default();
        assert_eq!(
            paragraphs(&mut p, "paragraphs", &[" Hola ".into(), "a".into()]),
            vec!["Hola", "a"]
        );
        assert!(p.is_empty());
        for bad in [vec![], vec!["ok".to_string(), "  ".to_string()]] {
            let mut p = Problems::default();
            paragraphs(&mut p, "paragraphs", &bad);
            assert_eq!(codes(p), vec![UserErrorCode::Required]);
        }
        let mut p = Problems::default();
        paragraphs(&mut p, "paragraphs", &["x".repeat(MAX_PARAGRAPH_CHARS + 1)]);
        assert_eq!(codes(p), vec![UserErrorCode::TooLong]);
        assert_eq!(from_json(&to_json(&["a\"b".to_string()])), vec!["a\"b"]);
    }
}
