//! Signing a contract: the contract, its car and its whole schedule of weekly invoices,
//! in one transaction with its audit record. The schedule is what the driver app reads
//! and pays; amounts are exact (`Money`), dates are calendar dates of the organization,
//! one week apart.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::text::Text;
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, Problems},
    commons::{Money, OrganizationId, UserId, begin_write},
    entities::{car, contract, invoice, invoice::InvoiceStatus, invoice_type, user},
    visibility,
};

/// The invoice types every organization has, by stable code: what the driver app shows
/// and what sets an invoice's priority.
pub const INVOICE_TYPES: [(&str, &str); 3] = [
    ("Cuota semanal", WEEKLY),
    ("Penalidad", PENALTY),
    ("Fraccionamiento", FRACTION),
];
/// The weekly fee's type code.
pub const WEEKLY: &str = "weekly";
/// A penalty's type code (paid first).
pub const PENALTY: &str = "penalty";
/// A split invoice's parts' type code.
pub const FRACTION: &str = "fraction";
/// Weeks a contract lasts at most (five years).
pub const MAX_WEEKS: u32 = 260;
/// The largest weekly fee: a guard against a slipped zero, not a business limit.
pub const MAX_WEEKLY_AMOUNT: Money = Money::from_minor(10_000_000); // 100,000.00
/// The contract status the REST API calls active.
pub const ACTIVE: &str = "contract_active";
const MAX_PHOTOS: usize = 10;

/// Creates the standard invoice types of a new organization (in its transaction).
pub(crate) async fn create_invoice_types<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
) -> DomainResult<()> {
    for (name, code) in INVOICE_TYPES {
        invoice_type::ActiveModel {
            organization_id: Set(organization_id.get()),
            name: Set(name.into()),
            code: Set(code.into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The id of the organization's invoice type `code`.
pub(crate) async fn invoice_type<C: ConnectionTrait>(
    db: &C,
    organization_id: OrganizationId,
    code: &str,
) -> DomainResult<i64> {
    invoice_type::Entity::find()
        .filter(invoice_type::Column::OrganizationId.eq(organization_id))
        .filter(invoice_type::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|t| t.id)
        .ok_or_else(|| {
            DomainError::Internal(format!("the organization has no {code:?} invoice type"))
        })
}

/// The car a contract leases.
#[derive(Debug, Clone, Default)]
pub struct NewCar {
    pub brand: String,
    pub model: String,
    pub license_plate: String,
    pub year: i32,
    /// https addresses of its photos.
    pub photos: Vec<String>,
}

/// A contract as an ADMIN signs it.
#[derive(Debug, Clone)]
pub struct NewContract {
    pub client_id: UserId,
    pub weekly_amount: Money,
    /// The first weekly invoice's due date; the others follow every 7 days.
    pub first_due_date: NaiveDate,
    pub weeks: u32,
    pub auto_charge: bool,
    /// The card processor's public key for this contract, when it has one.
    pub processor_public_key: String,
    pub car: NewCar,
    /// The contract's public hash; `None` draws a new one, as `createContract` always
    /// does. Only the demo data chooses it, so that its contract has the REST API's
    /// example hash that the docs and the playground use.
    pub hash: Option<Uuid>,
}

/// A contract just signed, with its car and invoices.
#[derive(Debug, Clone)]
pub struct SignedContract {
    pub contract: contract::Model,
    pub car: car::Model,
    /// The weekly invoices, first due first.
    pub invoices: Vec<invoice::Model>,
}

/// `car` checked and normalised; `prefix` is what its fields' names start with in the
/// input ("car." within a contract, "" on its own).
pub(crate) fn check_car(p: &mut Problems, car: &NewCar, this_year: i32, prefix: &str) -> NewCar {
    let field = |name: &str| format!("{prefix}{name}");
    let brand = checks::text(p, &field("brand"), &car.brand, true, 60);
    let model = checks::text(p, &field("model"), &car.model, true, 60);
    let plate: String = car
        .license_plate
        .trim()
        .to_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if plate.is_empty() {
        p.add(
            &field("licensePlate"),
            UserErrorCode::Required,
            Text::GiveLicensePlate,
        );
    } else if plate.len() > 10 || !plate.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        p.add(
            &field("licensePlate"),
            UserErrorCode::InvalidFormat,
            Text::LicensePlateFormat,
        );
    }
    if !(1990..=this_year + 1).contains(&car.year) {
        p.add(
            &field("year"),
            UserErrorCode::OutOfRange,
            Text::ModelYear {
                latest: (this_year + 1).to_string(),
            },
        );
    }
    if car.photos.len() > MAX_PHOTOS {
        p.add(
            &field("photos"),
            UserErrorCode::LimitReached,
            Text::TooManyPhotos {
                max: MAX_PHOTOS.to_string(),
            },
        );
    }
    let photos = car
        .photos
        .iter()
        .enumerate()
        .map(|(i, url)| https(p, &field(&format!("photos.{i}")), url))
        .collect();
    NewCar {
        brand,
        model,
        license_plate: plate,
        year: car.year,
        photos,
    }
}

/// An https address (files the driver app opens must not travel in clear).
pub(crate) fn https(p: &mut Problems, field: &str, value: &str) -> String {
    let url = checks::url(p, field, value, 500);
    if !url.is_empty() && !url.starts_with("https://") {
        p.add(field, UserErrorCode::InvalidFormat, Text::UseHttps);
    }
    url
}

impl NewContract {
    fn check(&self, today: NaiveDate) -> DomainResult<NewContract> {
        let mut p = Problems::default();
        if !self.weekly_amount.is_positive() || self.weekly_amount > MAX_WEEKLY_AMOUNT {
            p.add(
                "weeklyAmount",
                UserErrorCode::InvalidAmount,
                Text::WeeklyFee {
                    max: MAX_WEEKLY_AMOUNT.to_string(),
                },
            );
        }
        if !(1..=MAX_WEEKS).contains(&self.weeks) {
            p.add(
                "weeks",
                UserErrorCode::OutOfRange,
                Text::ContractWeeks {
                    max: MAX_WEEKS.to_string(),
                },
            );
        }
        let key = checks::text(
            &mut p,
            "processorPublicKey",
            &self.processor_public_key,
            false,
            200,
        );
        let car = check_car(&mut p, &self.car, today.year(), "car.");
        p.finish()?;
        Ok(NewContract {
            processor_public_key: key,
            car,
            ..self.clone()
        })
    }
}

/// Signs a contract for a driver of the ADMIN's organization: the contract (a new public
/// hash, active), its car, and `weeks` PENDING weekly invoices of exactly `weekly_amount`
/// each, due every 7 days from `first_due_date`, all in one transaction with its audit
/// record. A deactivated driver is refused.
pub async fn create_contract(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewContract,
    now: DateTime<Utc>,
) -> DomainResult<SignedContract> {
    visibility::require_admin(actor.viewer)?;
    let organization = actor.viewer.organization_id;
    let input = input.check(super::today::today(db, organization, now).await?)?;
    let txn = begin_write(db).await?;
    let driver = user::Entity::find_by_id(input.client_id.get())
        .filter(user::Column::OrganizationId.eq(organization))
        .filter(user::Column::Role.eq(user::Role::Client))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("clientId", UserErrorCode::NotFound, Text::NoSuchDriver)
        })?;
    if driver.deactivated_at.is_some() {
        return Err(DomainError::invalid(
            "clientId",
            UserErrorCode::Deactivated,
            Text::DriverDeactivated,
        ));
    }
    let weekly = invoice_type(&txn, actor.viewer.organization_id, WEEKLY).await?;
    let contract = contract::ActiveModel {
        organization_id: Set(organization.get()),
        client_id: Set(driver.id),
        hash: Set(input.hash.unwrap_or_else(Uuid::new_v4).to_string()),
        status: Set(ACTIVE.into()),
        weekly_amount_minor: Set(input.weekly_amount.minor()),
        auto_charge: Set(input.auto_charge),
        processor_public_key: Set(input.processor_public_key.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let photos = serde_json::to_string(&input.car.photos)
        .map_err(|e| DomainError::Internal(format!("car photos: {e}")))?;
    let car = car::ActiveModel {
        contract_id: Set(contract.id),
        brand: Set(input.car.brand.clone()),
        model: Set(input.car.model.clone()),
        license_plate: Set(input.car.license_plate.clone()),
        year: Set(input.car.year),
        photos: Set(photos),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows = (0..input.weeks).map(|week| invoice::ActiveModel {
        contract_id: Set(contract.id),
        hash: Set(Uuid::new_v4().to_string()),
        status: Set(InvoiceStatus::Pending),
        priority: Set(1),
        due_date: Set(input.first_due_date + TimeDelta::weeks(i64::from(week))),
        paid_date: Set(None),
        total_minor: Set(input.weekly_amount.minor()),
        observations: Set(format!("Cuota semanal {}", week + 1)),
        type_id: Set(weekly),
        created_at: Set(now),
        ..Default::default()
    });
    invoice::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await?;
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::ContractId.eq(contract.id))
        .order_by_asc(invoice::Column::DueDate)
        .all(&txn)
        .await?;
    audit::record_by(
        &txn,
        actor,
        Change {
            kind: ObjectKind::Contract,
            object_id: contract.id,
            operation: "createContract",
            before: None,
            after: Some(json!({
                "clientId": driver.id,
                "hash": contract.hash,
                "status": contract.status,
                "weeklyAmount": input.weekly_amount.to_string(),
                "firstDueDate": input.first_due_date,
                "weeks": input.weeks,
                "autoCharge": input.auto_charge,
                "car": {
                    "brand": car.brand,
                    "model": car.model,
                    "licensePlate": car.license_plate,
                    "year": car.year,
                },
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(SignedContract {
        contract,
        car,
        invoices,
    })
}
