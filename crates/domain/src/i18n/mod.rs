//! What the API says to people (the messages of `userErrors` and errors), in English,
//! Spanish and Portuguese: the languages of the company's staff and of the drivers the
//! REST APIs served.
//!
//! Each area declares its sentences once, with `catalogue!` (below), as an
//! enum whose variants carry the values a sentence names (a limit, a date). A variant is
//! written in the three languages or it does not compile, and each language must use every
//! value and no other. The GraphQL layer picks the language per request
//! ([`Language::negotiate`] on `Accept-Language`, then the organization's) and says the
//! [`Message`] in it at the edge; the domain only chooses what to say.

use std::{fmt, sync::Arc};

/// A language the API speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    English,
    Spanish,
    Portuguese,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::English, Language::Spanish, Language::Portuguese];

    /// Its BCP 47 primary tag: `en`, `es`, `pt`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
            Language::Portuguese => "pt",
        }
    }

    /// The language of a tag, by its primary subtag: `es-PE` is Spanish, `pt-BR`
    /// Portuguese. `None` for a language the API does not speak.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Language::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The language to answer in from an `Accept-Language` header (RFC 9110 §12.5.4):
    /// the spoken one of highest weight, the earliest among equals; `None` when the header
    /// names none of them (or only `*`), so that the organization's language applies.
    pub fn negotiate(header: &str) -> Option<Language> {
        let mut best: Option<(Language, u16)> = None;
        for range in header.split(',') {
            let mut parts = range.split(';');
            let Some(language) = parts.next().and_then(Language::from_tag) else {
                continue;
            };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), parse_weight);
            let Some(weight) = weight.filter(|w| *w > 0) else {
                continue;
            };
            if best.is_none_or(|(_, w)| weight > w) {
                best = Some((language, weight));
            }
        }
        best.map(|(language, _)| language)
    }
}

/// A `q` value in thousandths (`0.8` is 800); `None` when it is not one.
fn parse_weight(q: &str) -> Option<u16> {
    let q = q.trim();
    let (whole, fraction) = q.split_once('.').unwrap_or((q, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A sentence that can be said in every [`Language`]: a variant of a catalogue.
pub trait Sentence: fmt::Debug + Send + Sync + 'static {
    fn say(&self, language: Language) -> String;
}

/// A sentence chosen by the domain, said at the edge in the caller's language.
#[derive(Clone)]
pub struct Message(Arc<dyn Sentence>);

impl Message {
    pub fn say(&self, language: Language) -> String {
        self.0.say(language)
    }

    /// The sentence in English: for logs, the operator's command line and tests.
    pub fn english(&self) -> String {
        self.say(Language::English)
    }
}

impl<S: Sentence> From<S> for Message {
    fn from(sentence: S) -> Self {
        Message(Arc::new(sentence))
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// English: what logs and the operator read.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        Language::ALL.iter().all(|l| self.say(*l) == other.say(*l))
    }
}

impl Eq for Message {}

/// Declares a catalogue: an enum of sentences, each in English, Spanish and Portuguese.
///
/// ```ignore
/// catalogue! {
///     /// What the books say.
///     pub enum Text {
///         /// A name past its limit.
///         NameTooLong(max) {
///             en: "A name has at most {max} characters",
///             es: "Un nombre tiene como máximo {max} caracteres",
///             pt: "Um nome tem no máximo {max} caracteres",
///         }
///     }
/// }
/// ```
///
/// A variant's values, named in parentheses, become its fields, strings: it is built as
/// `Text::NameTooLong { max: limit.to_string() }`. Each language must name
/// every one of them and no other, which the compiler checks (`format!` refuses an unused
/// or unknown named argument). `every()` lists each variant with its values shown as
/// `{name}`, for the catalogue's test, which the macro writes: each sentence says
/// something in each language, Spanish and Portuguese are not the English left as it was,
/// and each shows every value ([`check_catalogue`]). One catalogue per module.
#[macro_export]
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $(( $($arg:ident),+ $(,)? ))? {
                    en: $en:literal,
                    es: $es:literal,
                    pt: $pt:literal $(,)?
                }
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant $({ $($arg: String),+ })?, )*
        }

        impl $crate::i18n::Sentence for $name {
            #[allow(clippy::useless_format)]
            fn say(&self, language: $crate::i18n::Language) -> String {
                match self {
                    $(
                        Self::$variant $({ $($arg),+ })? => match language {
                            $crate::i18n::Language::English => format!($en $($(, $arg = $arg)+)?),
                            $crate::i18n::Language::Spanish => format!($es $($(, $arg = $arg)+)?),
                            $crate::i18n::Language::Portuguese => format!($pt $($(, $arg = $arg)+)?),
                        },
                    )*
                }
            }
        }

        impl $name {
            /// Every sentence of the catalogue, its values shown as `{name}`.
            #[allow(dead_code)]
            pub fn every() -> Vec<Self> {
                vec![
                    $( Self::$variant $({ $($arg: concat!("{", stringify!($arg), "}").to_string()),+ })?, )*
                ]
            }
        }

        /// The catalogue's own test (one catalogue per module).
        #[cfg(test)]
        #[test]
        fn every_sentence_is_said_in_english_spanish_and_portuguese() {
            let faults = $crate::i18n::check_catalogue(stringify!($name), $name::every());
            assert!(faults.is_empty(), "{faults:#?}");
        }
    };
}

/// Checks the sentences of one catalogue, for its tests: each language says something
/// of its own (Spanish and Portuguese are not English left untranslated, unless the
/// sentence is only values and names), and shows every value the English one shows.
pub fn check_catalogue<S: Sentence + Clone>(name: &str, every: Vec<S>) -> Vec<String> {
    let mut faults = Vec::new();
    for sentence in every {
        let english = sentence.say(Language::English);
        let values: Vec<&str> = english
            .match_indices('{')
            .filter_map(|(at, _)| english[at..].find('}').map(|end| &english[at..=at + end]))
            .collect();
        for language in Language::ALL {
            let said = sentence.say(language);
            if said.trim().is_empty() {
                faults.push(format!("{name}::{sentence:?} is empty in {language}"));
            }
            if language != Language::English && said == english && has_words(&english) {
                faults.push(format!(
                    "{name}::{sentence:?} is the English sentence in {language}: {said:?}"
                ));
            }
            for value in &values {
                if !said.contains(value) {
                    faults.push(format!("{name}::{sentence:?} in {language} lacks {value}"));
                }
            }
        }
    }
    faults
}

/// Whether a sentence has words to translate, beyond its values and punctuation.
fn has_words(sentence: &str) -> bool {
    let mut rest = sentence.to_string();
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        if close < open {
            break;
        }
        rest.replace_range(open..=close, "");
    }
    rest.split(|c: char| !c.is_alphabetic())
        .any(|word| word.chars().count() > 2)
}

#[cfg(test)]
mod tests;
