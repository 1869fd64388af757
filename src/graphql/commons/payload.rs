//! Mutation payloads: the success value, or the `userErrors` the user can fix, built in
//! one place so that a resolver states only what it returns on success.

use super::errors::UserError;
use crate::domain::{DomainError, DomainResult};

/// A payload with `userErrors`. Its other fields are options or lists (or flags that
/// are false on failure), so a failure is `Default` but for the errors; implement it
/// with [`impl_payload!`](crate::impl_payload).
pub trait Payload: Default {
    /// The payload of a refused input: null (or empty) fields and the `errors`.
    fn failed(errors: Vec<UserError>) -> Self;
}

/// The payload for a domain `result`: `ok` of the value; the payload's `userErrors` for
/// the input the user can fix (the domain's `Invalid`); a GraphQL error for anything
/// else (not found, forbidden, conflict, internal), which `code_errors` gives its code.
pub fn payload<T, P: Payload>(
    result: DomainResult<T>,
    ok: impl FnOnce(T) -> P,
) -> async_graphql::Result<P> {
    match result {
        Ok(value) => Ok(ok(value)),
        Err(error) => refused(error),
    }
}

/// [`payload`] for a success that must still await something (load a row, read what the
/// change left); `ok` runs only on success.
pub async fn payload_async<T, P: Payload>(
    result: DomainResult<T>,
    ok: impl AsyncFnOnce(T) -> async_graphql::Result<P>,
) -> async_graphql::Result<P> {
    match result {
        Ok(value) => ok(value).await,
        Err(error) => refused(error),
    }
}

fn refused<P: Payload>(error: DomainError) -> async_graphql::Result<P> {
    match error {
        DomainError::Invalid(errors) => {
            Ok(P::failed(errors.into_iter().map(UserError::from).collect()))
        }
        other => Err(other.into()),
    }
}

/// Makes each payload named a [`Payload`]: it derives `Default` and has `user_errors`.
#[macro_export]
macro_rules! impl_payload {
    ($($name:ty),+ $(,)?) => {
        $(
            impl $crate::graphql::commons::Payload for $name {
                fn failed(user_errors: Vec<$crate::graphql::commons::UserError>) -> Self {
                    Self {
                        user_errors,
                        ..Default::default()
                    }
                }
            }
        )+
    };
}

/// Declares the common payload: the changed object `$field` (null when `userErrors` is
/// not empty) and the `userErrors`; a value of `$ty` converts into its success.
#[macro_export]
macro_rules! payload {
    ($name:ident, $field:ident, $ty:ty, $doc:literal, $field_doc:literal) => {
        #[doc = $doc]
        #[derive(async_graphql::SimpleObject, Default)]
        pub struct $name {
            #[doc = $field_doc]
            pub $field: Option<$ty>,
            /// Problems with the input the user can fix.
            pub user_errors: Vec<$crate::graphql::commons::UserError>,
        }

        $crate::impl_payload!($name);

        impl From<$ty> for $name {
            fn from(value: $ty) -> Self {
                Self {
                    $field: Some(value),
                    ..Default::default()
                }
            }
        }
    };
}
