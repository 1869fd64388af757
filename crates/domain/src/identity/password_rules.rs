//! The Leasy REST API's password rules: at least 6 characters, at least one digit and one
//! letter, and a confirmation that matches.

use super::text::Text;
use crate::{FieldError, UserErrorCode};

pub const MIN_PASSWORD_CHARS: usize = 6;
/// Argon2 work grows with input; nobody types more than this.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Every rule the new password breaks, one error each, so a form can show them all at once.
pub fn check_new_password(new: &str, confirm: &str) -> Vec<FieldError> {
    check_password_fields(new, confirm, "newPassword", "confirmNewPassword")
}

/// [`check_new_password`] for a form whose fields have other names (an invitation's
/// `password` and `confirmation`).
pub fn check_password_fields(
    new: &str,
    confirm: &str,
    field: &str,
    confirm_field: &str,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let chars = new.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new(
            field,
            UserErrorCode::TooShort,
            Text::PasswordTooShort {
                min: MIN_PASSWORD_CHARS.to_string(),
            },
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        errors.push(FieldError::new(
            field,
            UserErrorCode::TooLong,
            Text::PasswordTooLong {
                max: MAX_PASSWORD_CHARS.to_string(),
            },
        ));
    }
    if !new.chars().any(|c| c.is_ascii_digit()) {
        errors.push(FieldError::new(
            field,
            UserErrorCode::PasswordNeedsDigit,
            Text::PasswordNeedsDigit,
        ));
    }
    if !new.chars().any(char::is_alphabetic) {
        errors.push(FieldError::new(
            field,
            UserErrorCode::PasswordNeedsLetter,
            Text::PasswordNeedsLetter,
        ));
    }
    if new != confirm {
        errors.push(FieldError::new(
            confirm_field,
            UserErrorCode::ConfirmationMismatch,
            Text::ConfirmationMismatch,
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(new: &str, confirm: &str) -> Vec<UserErrorCode> {
        check_new_password(new, confirm)
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn each_rule_on_its_own() {
        assert!(codes("abc123", "abc123").is_empty());
        assert!(
            codes("ñandú7", "ñandú7").is_empty(),
            "letters are not only ASCII"
        );
        assert_eq!(codes("ab12", "ab12"), [UserErrorCode::TooShort]);
        assert_eq!(
            codes("abcdefg", "abcdefg"),
            [UserErrorCode::PasswordNeedsDigit]
        );
        assert_eq!(
            codes("1234567", "1234567"),
            [UserErrorCode::PasswordNeedsLetter]
        );
        assert_eq!(
            codes("abc123", "abc124"),
            [UserErrorCode::ConfirmationMismatch]
        );
        let long = format!("a1{}", "x".repeat(MAX_PASSWORD_CHARS));
        assert_eq!(codes(&long, &long), [UserErrorCode::TooLong]);
        assert_eq!(
            codes("", "x"),
            [
                UserErrorCode::TooShort,
                UserErrorCode::PasswordNeedsDigit,
                UserErrorCode::PasswordNeedsLetter,
                UserErrorCode::ConfirmationMismatch
            ]
        );
    }
}
