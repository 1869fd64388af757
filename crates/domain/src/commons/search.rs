//! Searching text with LIKE: what a user types is looked for literally, so that `50%`
//! finds "50%" and not every text with a "50" in it.

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};

/// The character that escapes LIKE's wildcards (`!` rather than a backslash, which
/// PostgreSQL and SQLite read differently in string literals).
pub const LIKE_ESCAPE: char = '!';

/// `%text%` for LIKE ... ESCAPE [`LIKE_ESCAPE`], with the wildcards `text` holds taken
/// literally.
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// `expr` contains `text`, taken literally (the letter case as `expr` and `text` have it).
pub fn contains(expr: impl Into<Expr>, text: &str) -> Expr {
    expr.into()
        .like(LikeExpr::new(contains_pattern(text)).escape(LIKE_ESCAPE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_the_escape_are_taken_literally() {
        assert_eq!(contains_pattern("50%_a!b"), "%50!%!_a!!b%");
        assert_eq!(contains_pattern("plain"), "%plain%");
        assert_eq!(contains_pattern(r"back\slash"), r"%back\slash%");
    }
}
