//! Demo data, always the same so that docs, examples and tests can rely on it. Never
//! loaded in production.

pub mod bench;
mod books;
mod business;
mod content;
mod driver;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};

use crate::{
    auth::{AuthSettings, Credential, Viewer},
    config::Config,
    domain::{
        DomainError,
        audit::Actor,
        commons::organizations::{self, NewOrganization},
        commons::{Calendar, Id},
        identity::{self, Acceptance, OneTimeToken},
        staff::{self, FirstPassword, NewStaffUser},
    },
    entities::{organization, user::Role},
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

/// The driver is the Leasy REST API's example client, "pruebas apellido".
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
    /// A step of the demo was refused by the rule a mutation would have met. The steps
    /// before it committed, as the mutations would have.
    #[error(
        "the demo data stopped half-way ({0}); the database holds part of it: use a new database"
    )]
    Domain(#[from] DomainError),
    #[error("{0}")]
    Refused(String),
}

/// True when no organization exists yet: a new database.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(organization::Entity::find().count(db).await? == 0)
}

/// The request id the demo's steps leave in the audit trail.
const DEMO_REQUEST: &str = "demo-data";
/// How long before today the demo organization opened: before its oldest lead.
const OPENED_DAYS_AGO: i64 = 120;

/// The demo organization's back office at work: the database, who acts, and today.
/// Every demo row is made by the domain function a mutation (or the operator's CLI)
/// calls, each at its own moment in the past, so that the demo is a walk through the
/// real back office and holds nothing the API could not have made.
pub(super) struct Office<'a> {
    pub db: &'a DatabaseConnection,
    pub organization: organization::Model,
    pub admin: Viewer,
    pub collector: Viewer,
    /// The moment the demo is loaded; steps are dated relative to it.
    pub now: DateTime<Utc>,
}

impl Office<'_> {
    pub fn admin(&self) -> Actor<'_> {
        Actor {
            viewer: &self.admin,
            request_id: DEMO_REQUEST,
        }
    }

    pub fn collector(&self) -> Actor<'_> {
        Actor {
            viewer: &self.collector,
            request_id: DEMO_REQUEST,
        }
    }

    /// The moment `days` days before the demo was loaded.
    pub fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.now - TimeDelta::days(days)
    }

    /// Today in the organization's calendar.
    pub fn today(&self) -> NaiveDate {
        Calendar::of(&self.organization).date_of(self.now)
    }

    /// The moment of `date` (a day of the organization's calendar) at the time of day the
    /// demo is loaded: when a step dated that day happens.
    pub fn on(&self, date: NaiveDate) -> DateTime<Utc> {
        self.now - TimeDelta::days((self.today() - date).num_days())
    }
}

/// A signed-in caller of the demo organization, as the API would see them.
pub(super) fn viewer(user: &crate::entities::user::Model) -> Viewer {
    Viewer {
        user_id: Id::new(user.id),
        organization_id: Id::new(user.organization_id),
        role: user.role,
        credential: Credential::AccessToken {
            session: DEMO_REQUEST.into(),
        },
    }
}

/// The demo user with `role`.
fn demo_user(role: Role) -> &'static DemoUser {
    DEMO_USERS
        .iter()
        .find(|u| u.role == role)
        .unwrap_or_else(|| unreachable!("DEMO_USERS has one user of each role"))
}

/// Loads the demo: the operator opens the organization and its ADMIN (as `gateway
/// organization create` and `gateway user create --password-stdin` do), the ADMIN
/// invites the collector, sets up the plans and the content, converts the driver's lead
/// and signs their two contracts; the weeks since then are lived step by step (recharges,
/// payments, a frozen, a split and a penalised invoice, discounts), then the driver's
/// book and the business book get their entries.
///
/// Not one transaction: each step commits as its mutation would. A failure leaves a
/// partly loaded database and says which rule refused; start again from a new one.
pub async fn seed_demo(db: &DatabaseConnection, config: &Config) -> Result<(), SeedError> {
    if config.is_production() {
        return Err(SeedError::Production);
    }
    if !is_empty(db).await? {
        return Err(SeedError::NotEmpty);
    }
    let now = config.clock.now();
    let opened = now - TimeDelta::days(OPENED_DAYS_AGO);
    let organization = organizations::create(
        db,
        &NewOrganization {
            name: DEMO_ORGANIZATION_NAME.into(),
            slug: DEMO_ORGANIZATION_SLUG.into(),
            timezone: "America/Lima".into(),
            currency: "PEN".into(),
            language: "es".into(),
        },
        opened,
    )
    .await?;
    let auth = config.auth_settings();
    let admin = demo_user(Role::Admin);
    let admin = staff::bootstrap_user(
        db,
        DEMO_ORGANIZATION_SLUG,
        &staff_input(admin),
        FirstPassword::Given {
            password: admin.password,
            hash_limit: &auth.hash_limit,
        },
        opened,
    )
    .await?
    .user;
    let admin = viewer(&admin);
    let collector = demo_user(Role::Collector);
    let by_admin = Actor {
        viewer: &admin,
        request_id: DEMO_REQUEST,
    };
    let invited = staff::create_staff_user(db, by_admin, &staff_input(collector), opened).await?;
    let office = Office {
        db,
        organization,
        collector: viewer(&invited.user),
        admin,
        now,
    };
    // The content first: the collector's session opens the business book, which takes
    // the organization's expense categories as they are then.
    content::seed_content(&office).await?;
    accept(
        db,
        &auth,
        invited.invitation.as_ref(),
        collector.password,
        opened,
    )
    .await?;
    let driver = driver::seed_driver(&office, &auth).await?;
    driver::seed_leads(&office).await?;
    books::seed_books(&office, &driver).await?;
    business::seed_business(&office).await?;
    Ok(())
}

/// Spends an invitation with the demo password, as the invited person does in the app.
pub(super) async fn accept(
    db: &DatabaseConnection,
    auth: &AuthSettings,
    invitation: Option<&OneTimeToken>,
    password: &str,
    at: DateTime<Utc>,
) -> Result<(), SeedError> {
    let token =
        invitation.ok_or_else(|| DomainError::Internal("an invitation was expected".into()))?;
    let acceptance = Acceptance {
        token: &token.token,
        password,
        confirmation: password,
    };
    identity::accept_invitation(db, auth, acceptance, at).await?;
    Ok(())
}

fn staff_input(demo: &DemoUser) -> NewStaffUser {
    NewStaffUser {
        role: demo.role,
        document: demo.document.into(),
        first_name: demo.first_name.into(),
        last_name: demo.last_name.into(),
        email: Some(demo.email.into()),
    }
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
