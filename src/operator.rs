//! What the operator runs at the command line to start a company on an empty database
//! (production included, where no demo data is loaded): `gateway organization create`
//! and `gateway user create`. Each answers one line of JSON on standard output, or says
//! what to fix on standard error and exits with 2, having created nothing.

use serde_json::json;

use crate::{
    auth::password::HashLimit,
    config::Config,
    db,
    domain::{
        DomainError,
        commons::organizations::{self, NewOrganization},
        staff::{self, FirstPassword, NewStaffUser},
    },
    entities::user::Role,
};

/// Why a command failed, and so its exit code.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// Input the operator can fix: exit code 2.
    #[error("{0}")]
    Invalid(String),
    /// Anything else (the database is unreachable, ...): exit code 1.
    #[error("{0}")]
    Failed(String),
}

impl OperatorError {
    pub fn exit_code(&self) -> u8 {
        match self {
            OperatorError::Invalid(_) => 2,
            OperatorError::Failed(_) => 1,
        }
    }
}

impl From<DomainError> for OperatorError {
    fn from(error: DomainError) -> Self {
        match error {
            DomainError::Invalid(errors) => OperatorError::Invalid(
                errors
                    .iter()
                    .map(|e| {
                        let field = e.field.join(".");
                        let code = screaming(&format!("{:?}", e.code));
                        if field.is_empty() {
                            format!("{} ({code})", e.message)
                        } else {
                            format!("{field}: {} ({code})", e.message)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            DomainError::NotFound(what) => OperatorError::Invalid(what.to_string()),
            other => OperatorError::Failed(other.to_string()),
        }
    }
}

/// `TooShort` as the API spells its codes: `TOO_SHORT`.
fn screaming(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

impl From<sea_orm::DbErr> for OperatorError {
    fn from(error: sea_orm::DbErr) -> Self {
        OperatorError::Failed(format!("database error: {error}"))
    }
}

async fn connect(config: &Config) -> Result<sea_orm::DatabaseConnection, OperatorError> {
    let connection = db::connect(config, &Default::default()).await?;
    db::migrate(&connection).await?;
    Ok(connection)
}

/// `gateway organization create`: the organization as created, as JSON.
pub async fn create_organization(
    config: &Config,
    input: &NewOrganization,
) -> Result<String, OperatorError> {
    let db = connect(config).await?;
    let created = organizations::create(&db, input, config.clock.now()).await?;
    Ok(json!({
        "organization": {
            "id": created.id,
            "name": created.name,
            "slug": created.slug,
            "timezone": created.timezone,
            "currency": created.currency,
            "language": created.language,
        }
    })
    .to_string())
}

/// A staff member as the operator describes them.
pub struct NewUser {
    pub organization: String,
    pub role: Role,
    pub document: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    /// The password read from standard input; `None` to print an invitation instead.
    pub password: Option<String>,
}

/// `gateway user create`: the user, and their one-time invitation token when no
/// password was given (printed only here), as JSON.
pub async fn create_user(config: &Config, input: NewUser) -> Result<String, OperatorError> {
    let db = connect(config).await?;
    let hash_limit = HashLimit::new(config.limits.max_password_hashes);
    let password = match &input.password {
        Some(password) => FirstPassword::Given {
            password,
            hash_limit: &hash_limit,
        },
        None => FirstPassword::Invitation,
    };
    let new = NewStaffUser {
        role: input.role,
        document: input.document,
        first_name: input.first_name,
        last_name: input.last_name,
        email: input.email,
    };
    let created =
        staff::bootstrap_user(&db, &input.organization, &new, password, config.clock.now()).await?;
    let user = &created.user;
    let invitation = created.invitation.map(|invitation| {
        json!({ "token": invitation.token, "expiresAt": invitation.expires_at.to_rfc3339() })
    });
    Ok(json!({
        "user": {
            "id": user.id,
            "document": user.document,
            "role": screaming(&format!("{:?}", user.role)),
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
        },
        "invitation": invitation,
    })
    .to_string())
}

/// The password given on standard input: its first line, without the line break.
pub fn read_password(mut input: impl std::io::BufRead) -> Result<String, OperatorError> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .map_err(|e| OperatorError::Failed(format!("cannot read the password: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(OperatorError::Invalid(
            "password: give the password on standard input (REQUIRED)".into(),
        ));
    }
    Ok(password)
}
