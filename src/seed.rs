//! Demo data, always the same so that docs, examples and tests can rely on it. Never
//! loaded in production.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};

use crate::{
    config::Config,
    domain::identity::hash_password,
    entities::{organization, user, user::Role},
};

/// The demo credentials printed by the README and the server's start-up log.
pub struct DemoUser {
    pub document: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: &'static str,
}

pub const DEMO_ORGANIZATION_NAME: &str = "Leasy Demo";
pub const DEMO_ORGANIZATION_SLUG: &str = "leasy-demo";

/// The driver is the Leasy seed's example client, "pruebas apellido".
pub const DEMO_USERS: [DemoUser; 3] = [
    DemoUser {
        document: "10442008642",
        password: "demo1234",
        role: Role::Client,
        first_name: "pruebas",
        last_name: "apellido",
        email: "hola@loualcala.com",
    },
    DemoUser {
        document: "00000001",
        password: "admin1234",
        role: Role::Admin,
        first_name: "Ana",
        last_name: "Administradora",
        email: "admin@leasy.demo",
    },
    DemoUser {
        document: "00000002",
        password: "collector1234",
        role: Role::Collector,
        first_name: "Carlos",
        last_name: "Cobrador",
        email: "cobranzas@leasy.demo",
    },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("demo data is refused in production (APP_ENV=production)")]
    Production,
    #[error("the database already has data; demo data is only loaded into a new database")]
    NotEmpty,
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("{0}")]
    Domain(String),
}

/// True when no organization exists yet: a new database.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(organization::Entity::find().count(db).await? == 0)
}

/// Loads the demo organization and its users, in one transaction.
pub async fn seed_demo(db: &DatabaseConnection, config: &Config) -> Result<(), SeedError> {
    if config.is_production() {
        return Err(SeedError::Production);
    }
    if !is_empty(db).await? {
        return Err(SeedError::NotEmpty);
    }
    let mut hashes = Vec::with_capacity(DEMO_USERS.len());
    for demo in &DEMO_USERS {
        hashes.push(
            hash_password(demo.password)
                .await
                .map_err(|e| SeedError::Domain(e.to_string()))?,
        );
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let org = organization::ActiveModel {
        name: Set(DEMO_ORGANIZATION_NAME.into()),
        slug: Set(DEMO_ORGANIZATION_SLUG.into()),
        timezone: Set("America/Lima".into()),
        currency: Set("PEN".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (demo, hash) in DEMO_USERS.iter().zip(hashes) {
        user::ActiveModel {
            organization_id: Set(org.id),
            role: Set(demo.role),
            document: Set(demo.document.into()),
            password_hash: Set(hash),
            first_name: Set(demo.first_name.into()),
            last_name: Set(demo.last_name.into()),
            email: Set(Some(demo.email.into())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// One line per demo user, for the start-up log and `seed`.
pub fn demo_credentials() -> String {
    DEMO_USERS
        .iter()
        .map(|u| {
            format!(
                "  {:<9} document {:<12} password {}",
                crate::auth::jwt::role_name(u.role),
                u.document,
                u.password
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
