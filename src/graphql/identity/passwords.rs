//! Forgotten passwords: a reset token by email, and the new password it sets. No login
//! needed for either.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use super::mutations::Session;
use crate::{
    domain::identity::{self, Acceptance, ResetRequest},
    graphql::commons::{ContextExt, UserError, payload},
};

/// Who forgot their password.
#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    /// Their national identity document (their login).
    pub document: String,
    /// The organization's slug; needed only when the gateway serves several.
    pub organization: Option<String>,
}

/// The same answer whether or not the document has an account.
#[derive(SimpleObject, Default)]
pub struct RequestPasswordResetPayload {
    /// True once the request was taken. When the document has an account with an email,
    /// a code valid for one hour is on its way there (at most 3 a day per account); the
    /// answer does not say whether it has.
    pub accepted: bool,
    /// Problems with the input the user can fix (a blank document, an unknown
    /// organization).
    pub user_errors: Vec<UserError>,
}

/// The emailed code and the new password.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The code from the email.
    pub token: String,
    /// The new password (at least 6 characters, with a letter and a digit).
    pub password: String,
    /// The same password again.
    pub confirmation: String,
}

/// The new session.
#[derive(SimpleObject, Default)]
pub struct ResetPasswordPayload {
    /// A session as `login` gives; every other session of the account has ended. Null
    /// when `userErrors` is not empty.
    pub session: Option<Session>,
    /// Problems the user can fix: the password rules, or INVALID_TOKEN for a code that
    /// is unknown, expired, replaced or used.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(RequestPasswordResetPayload, ResetPasswordPayload);

#[derive(Default)]
pub struct PasswordsMutation;

#[Object]
impl PasswordsMutation {
    /// Emails a password reset code to the account with this document, through the
    /// outbox. Answers the same whether or not the account exists. No login needed.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> async_graphql::Result<RequestPasswordResetPayload> {
        let request = ResetRequest {
            document: &input.document,
            organization: input.organization.as_deref(),
        };
        let smtp_configured = ctx.state().config.smtp_url.is_some();
        let result =
            identity::request_password_reset(ctx.db(), request, smtp_configured, ctx.now()).await;
        payload(result, |()| RequestPasswordResetPayload {
            accepted: true,
            user_errors: Vec::new(),
        })
    }

    /// Sets a new password with the emailed code, ends every other session of the
    /// account, and logs its holder in. No login needed: the code is the proof.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> async_graphql::Result<ResetPasswordPayload> {
        let acceptance = Acceptance {
            token: &input.token,
            password: &input.password,
            confirmation: &input.confirmation,
        };
        let state = ctx.state();
        let result = identity::reset_password(ctx.db(), &state.auth, acceptance, ctx.now()).await;
        payload(result, |session| ResetPasswordPayload {
            session: Some(session.into()),
            user_errors: Vec::new(),
        })
    }
}
