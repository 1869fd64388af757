//! The catalogue machinery's own tests, in a file of their own: they declare a catalogue,
//! and `catalogue!` lives at the crate's root.

use super::*;

#[test]
fn accept_language_picks_the_spoken_language_of_highest_weight() {
    let cases = [
        ("es-PE,es;q=0.9,en;q=0.8", Some(Language::Spanish)),
        ("pt-BR", Some(Language::Portuguese)),
        ("fr-FR, pt;q=0.5, es;q=0.7", Some(Language::Spanish)),
        ("de, en;q=0.1", Some(Language::English)),
        ("en;q=0, es;q=0.001", Some(Language::Spanish)),
        ("es;q=0.5, pt;q=0.5", Some(Language::Spanish)),
        ("PT", Some(Language::Portuguese)),
        ("*", None),
        ("fr, de;q=0.9", None),
        ("", None),
        ("es;q=2, en;q=abc, pt;q=0.3", Some(Language::Portuguese)),
        ("en;q=0", None),
    ];
    for (header, expected) in cases {
        assert_eq!(Language::negotiate(header), expected, "{header:?}");
    }
}

catalogue! {
    enum Sample {
        Plain {
            en: "Enter your document",
            es: "Ingresa tu documento",
            pt: "Informe seu documento",
        }
        Limit(max, field) {
            en: "{field} has at most {max} characters",
            es: "{field} tiene como máximo {max} caracteres",
            pt: "{field} tem no máximo {max} caracteres",
        }
    }
}

/// A sentence left in English in Spanish, as a catalogue's test must refuse.
#[derive(Debug, Clone)]
struct LeftInEnglish;

impl Sentence for LeftInEnglish {
    fn say(&self, language: Language) -> String {
        match language {
            Language::Portuguese => "Não traduzido".into(),
            _ => "Not translated".into(),
        }
    }
}

#[test]
fn a_catalogue_says_each_sentence_in_the_language_asked() {
    let limit = Sample::Limit {
        max: "100".into(),
        field: "name".into(),
    };
    assert_eq!(
        limit.say(Language::Spanish),
        "name tiene como máximo 100 caracteres"
    );
    let message = Message::from(Sample::Plain);
    assert_eq!(message.say(Language::Portuguese), "Informe seu documento");
    assert_eq!(message.to_string(), "Enter your document");
    assert_eq!(Sample::every().len(), 2);
}

#[test]
fn the_catalogue_check_finds_an_untranslated_sentence() {
    let faults = check_catalogue("Sample", vec![LeftInEnglish]);
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(faults[0].contains("LeftInEnglish is the English sentence in es"));
    assert!(check_catalogue("Sample", Sample::every()).is_empty());
}
