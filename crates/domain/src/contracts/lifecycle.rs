//! A contract after it was signed: its terms (auto-charge, the card processor's key), its
//! early end, its car and the car's documents. ADMIN only, each write one transaction
//! with its audit record.
//!
//! A contract's state is not stored but read from its invoices, so that it cannot
//! disagree with them: TERMINATED once the leasing company ended it, FINISHED when
//! nothing is owed on it any more (every invoice paid, cancelled or split into fractions
//! that are), ACTIVE otherwise.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde_json::{Value, json};

use super::{
    Tally,
    signing::{NewCar, check_car, https},
    text::Text,
};
use crate::{
    DomainError, DomainResult, UserErrorCode,
    audit::{self, Actor, Change, ObjectKind},
    checks::{self, Problems},
    commons::{CarId, ContractId, Id, begin_write},
    entities::{
        car,
        car_document::{self, DocumentKind},
        contract, invoice,
        invoice::InvoiceStatus,
    },
    visibility,
    wallet::ledger,
};

/// The stored status of a contract the leasing company ended (the REST API's naming).
pub const TERMINATED: &str = "contract_terminated";
const MAX_REASON_CHARS: usize = 500;
/// How far from today a termination date may be: a guard against a mistyped year.
const MAX_TERMINATION_DAYS: i64 = 366;

/// Where a contract is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractState {
    /// Running: something is still owed on it (the REST API's `contract_active`).
    Active,
    /// Everything is paid, cancelled or split into fractions that are.
    Finished,
    /// Ended early by the leasing company (`terminateContract`).
    Terminated,
}

impl ContractState {
    /// The state of `contract` whose invoices counted by status are `tally`.
    pub fn of(contract: &contract::Model, tally: &Tally) -> Self {
        if contract.terminated_on.is_some() {
            Self::Terminated
        } else if tally
            .iter()
            .any(|(status, _, n)| status.is_owed() && *n > 0)
        {
            Self::Active
        } else {
            Self::Finished
        }
    }

    /// The REST API's name of the state.
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => super::signing::ACTIVE,
            Self::Finished => "contract_finished",
            Self::Terminated => TERMINATED,
        }
    }
}

fn reason(p: &mut Problems, value: &str) -> String {
    checks::text(p, "reason", value, true, MAX_REASON_CHARS)
}

fn refuse_terminated(found: &contract::Model) -> DomainResult<()> {
    if found.terminated_on.is_some() {
        return Err(DomainError::invalid(
            "id",
            UserErrorCode::ContractTerminated,
            Text::ContractTerminated,
        ));
    }
    Ok(())
}

/// The contract `id` of the actor's organization; NOT_FOUND on `field` otherwise.
async fn contract_of(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: ContractId,
    field: &str,
) -> DomainResult<contract::Model> {
    contract::Entity::find_by_id(id.get())
        .filter(contract::Column::OrganizationId.eq(actor.viewer.organization_id))
        .one(txn)
        .await?
        .ok_or_else(|| DomainError::invalid(field, UserErrorCode::NotFound, Text::NoSuchContract))
}

/// What `updateContract` may change; `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct ContractChanges {
    pub auto_charge: Option<bool>,
    pub processor_public_key: Option<String>,
}

/// Changes a running contract's terms. A terminated contract is refused
/// (CONTRACT_TERMINATED). ADMIN only.
pub async fn update_contract(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ContractId,
    changes: &ContractChanges,
    now: DateTime<Utc>,
) -> DomainResult<contract::Model> {
    visibility::require_admin(actor.viewer)?;
    let mut p = Problems::default();
    let key = changes
        .processor_public_key
        .as_deref()
        .map(|k| checks::text(&mut p, "processorPublicKey", k, false, 200));
    p.finish()?;
    let txn = begin_write(db).await?;
    let found = contract_of(&txn, actor, id, "id").await?;
    refuse_terminated(&found)?;
    let before = json!({
        "autoCharge": found.auto_charge,
        "processorPublicKey": found.processor_public_key,
    });
    let mut active = found.into_active_model();
    if let Some(auto_charge) = changes.auto_charge {
        active.auto_charge = Set(auto_charge);
    }
    if let Some(key) = key {
        active.processor_public_key = Set(key);
    }
    let updated = active.update(&txn).await?;
    let after = json!({
        "autoCharge": updated.auto_charge,
        "processorPublicKey": updated.processor_public_key,
    });
    if before != after {
        audit::record_by(
            &txn,
            actor,
            Change {
                kind: ObjectKind::Contract,
                object_id: updated.id,
                operation: "updateContract",
                before: Some(before),
                after: Some(after),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// A contract terminated, and the invoices that ended with it.
#[derive(Debug, Clone)]
pub struct Terminated {
    pub contract: contract::Model,
    pub cancelled: Vec<invoice::Model>,
}

/// Ends a contract on `date`, for `why`: its owed invoices (pending, frozen or
/// fractions) due after `date` are cancelled, those due on or before it stay owed and
/// payable. Under the driver's wallet lock, so that no payment of those invoices runs
/// meanwhile. Once only (CONTRACT_TERMINATED); `date` within a year of today. ADMIN
/// only.
pub async fn terminate_contract(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: ContractId,
    date: NaiveDate,
    why: &str,
    now: DateTime<Utc>,
) -> DomainResult<Terminated> {
    visibility::require_admin(actor.viewer)?;
    let today = super::today::today(db, actor.viewer.organization_id, now).await?;
    let mut p = Problems::default();
    let why = reason(&mut p, why);
    if (date - today).num_days().abs() > MAX_TERMINATION_DAYS {
        p.add("date", UserErrorCode::OutOfRange, Text::TerminationDate);
    }
    p.finish()?;
    let txn = begin_write(db).await?;
    let found = contract_of(&txn, actor, id, "id").await?;
    refuse_terminated(&found)?;
    ledger::lock(&txn, Id::new(found.client_id)).await?;
    let cancelled: Vec<invoice::Model> = invoice::Entity::find()
        .filter(invoice::Column::ContractId.eq(found.id))
        .filter(invoice::Column::Status.is_in(InvoiceStatus::OWED))
        .filter(invoice::Column::DueDate.gt(date))
        .order_by_asc(invoice::Column::DueDate)
        .order_by_asc(invoice::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|i| invoice::Model {
            status: InvoiceStatus::Cancelled,
            ..i
        })
        .collect();
    let ids: Vec<i64> = cancelled.iter().map(|i| i.id).collect();
    let changed = invoice::Entity::update_many()
        .col_expr(
            invoice::Column::Status,
            Expr::value(InvoiceStatus::Cancelled),
        )
        .filter(invoice::Column::Id.is_in(ids.iter().copied()))
        .filter(invoice::Column::Status.is_in(InvoiceStatus::OWED))
        .exec(&txn)
        .await?;
    if changed.rows_affected != ids.len() as u64 {
        return Err(DomainError::Conflict(Text::ContractInvoicesChanged.into()));
    }
    let before_status = found.status.clone();
    let mut active = found.into_active_model();
    active.status = Set(TERMINATED.into());
    active.terminated_on = Set(Some(date));
    active.termination_reason = Set(why.clone());
    let contract = active.update(&txn).await?;
    audit::record_by(
        &txn,
        actor,
        Change {
            kind: ObjectKind::Contract,
            object_id: contract.id,
            operation: "terminateContract",
            before: Some(json!({ "status": before_status })),
            after: Some(json!({
                "status": contract.status,
                "terminatedOn": date,
                "reason": why,
                "cancelledInvoices": ids,
            })),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(Terminated {
        contract,
        cancelled,
    })
}

/// The car `id` of a contract of the actor's organization, with its contract; NOT_FOUND
/// on `carId` otherwise.
async fn car_of(
    txn: &DatabaseTransaction,
    actor: Actor<'_>,
    id: CarId,
) -> DomainResult<(car::Model, contract::Model)> {
    let not_found = || DomainError::invalid("carId", UserErrorCode::NotFound, Text::NoSuchCar);
    let (found, owner) = car::Entity::find_by_id(id.get())
        .find_also_related(contract::Entity)
        .one(txn)
        .await?
        .ok_or_else(not_found)?;
    let owner = owner
        .filter(|c| c.organization_id == actor.viewer.organization_id.get())
        .ok_or_else(not_found)?;
    Ok((found, owner))
}

fn car_json(car: &car::Model) -> Value {
    json!({
        "brand": car.brand,
        "model": car.model,
        "licensePlate": car.license_plate,
        "year": car.year,
        "photos": serde_json::from_str::<Value>(&car.photos).unwrap_or(Value::Null),
    })
}

/// What `updateCar` may change; `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct CarChanges {
    pub brand: Option<String>,
    pub model: Option<String>,
    pub license_plate: Option<String>,
    pub year: Option<i32>,
    pub photos: Option<Vec<String>>,
}

/// Corrects a leased car's details, with the rules of `createContract`'s car. ADMIN
/// only.
pub async fn update_car(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: CarId,
    changes: &CarChanges,
    now: DateTime<Utc>,
) -> DomainResult<car::Model> {
    visibility::require_admin(actor.viewer)?;
    let this_year = super::today::today(db, actor.viewer.organization_id, now)
        .await?
        .year();
    let txn = begin_write(db).await?;
    let (found, _) = car_of(&txn, actor, id).await?;
    let merged = NewCar {
        brand: changes.brand.clone().unwrap_or_else(|| found.brand.clone()),
        model: changes.model.clone().unwrap_or_else(|| found.model.clone()),
        license_plate: changes
            .license_plate
            .clone()
            .unwrap_or_else(|| found.license_plate.clone()),
        year: changes.year.unwrap_or(found.year),
        photos: match &changes.photos {
            Some(photos) => photos.clone(),
            None => serde_json::from_str(&found.photos).unwrap_or_default(),
        },
    };
    let mut p = Problems::default();
    let checked = check_car(&mut p, &merged, this_year, "");
    p.finish()?;
    let photos = serde_json::to_string(&checked.photos)
        .map_err(|e| DomainError::Internal(format!("car photos: {e}")))?;
    let before = car_json(&found);
    let mut active = found.into_active_model();
    active.brand = Set(checked.brand);
    active.model = Set(checked.model);
    active.license_plate = Set(checked.license_plate);
    active.year = Set(checked.year);
    active.photos = Set(photos);
    let updated = active.update(&txn).await?;
    let after = car_json(&updated);
    if before != after {
        audit::record_by(
            &txn,
            actor,
            Change {
                kind: ObjectKind::Car,
                object_id: updated.id,
                operation: "updateCar",
                before: Some(before),
                after: Some(after),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(updated)
}

/// A car document as `setCarDocument` takes it.
#[derive(Debug, Clone)]
pub struct NewCarDocument {
    pub car_id: CarId,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    /// An https address of the scanned document.
    pub file_url: Option<String>,
}

/// The label the driver app shows for a kind of document.
pub fn document_label(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::OwnershipCard => "Tarjeta de propiedad",
        DocumentKind::Soat => "SOAT",
        DocumentKind::Insurance => "Seguro",
        DocumentKind::DriverLicense => "Licencia de conducir",
        DocumentKind::TechnicalInspection => "Revisión técnica",
    }
}

fn document_json(doc: &car_document::Model) -> Value {
    json!({
        "kind": document_label(doc.kind),
        "number": doc.number,
        "owner": doc.owner,
        "dueDate": doc.due_date,
        "fileUrl": doc.file_url,
    })
}

fn optional(p: &mut Problems, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value
        .map(|v| checks::text(p, field, v, false, max))
        .filter(|v| !v.is_empty())
}

/// Sets a car's document of one kind, replacing the one it had (a car has one of each).
/// The file must be at an https address; a due date more than 20 years away is refused
/// as a typo. ADMIN only.
pub async fn set_car_document(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    input: &NewCarDocument,
    now: DateTime<Utc>,
) -> DomainResult<car_document::Model> {
    visibility::require_admin(actor.viewer)?;
    let today = super::today::today(db, actor.viewer.organization_id, now).await?;
    let mut p = Problems::default();
    let number = optional(&mut p, "number", input.number.as_deref(), 50);
    let owner = optional(&mut p, "owner", input.owner.as_deref(), 120);
    let file_url = input
        .file_url
        .as_deref()
        .map(|url| https(&mut p, "fileUrl", url))
        .filter(|url| !url.is_empty());
    if let Some(due) = input.due_date
        && (due - today).num_days().abs() > 20 * 366
    {
        p.add("dueDate", UserErrorCode::OutOfRange, Text::DocumentDueDate);
    }
    p.finish()?;
    let txn = begin_write(db).await?;
    let (found, _) = car_of(&txn, actor, input.car_id).await?;
    let previous = car_document::Entity::find()
        .filter(car_document::Column::CarId.eq(found.id))
        .filter(car_document::Column::Kind.eq(input.kind))
        .one(&txn)
        .await?;
    if let Some(previous) = &previous {
        car_document::Entity::delete_by_id(previous.id)
            .exec(&txn)
            .await?;
    }
    let document = car_document::ActiveModel {
        car_id: Set(found.id),
        kind: Set(input.kind),
        label: Set(document_label(input.kind).into()),
        number: Set(number),
        owner: Set(owner),
        due_date: Set(input.due_date),
        file_url: Set(file_url),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| checks::duplicate(e, "kind", Text::CarDocumentChanged))?;
    audit::record_by(
        &txn,
        actor,
        Change {
            kind: ObjectKind::Car,
            object_id: found.id,
            operation: "setCarDocument",
            before: previous.as_ref().map(document_json),
            after: Some(document_json(&document)),
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(document)
}

/// Removes a car's document of one kind (NOT_FOUND on `kind` when it has none). ADMIN
/// only.
pub async fn remove_car_document(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    car_id: CarId,
    kind: DocumentKind,
    now: DateTime<Utc>,
) -> DomainResult<car::Model> {
    visibility::require_admin(actor.viewer)?;
    let txn = begin_write(db).await?;
    let (found, _) = car_of(&txn, actor, car_id).await?;
    let previous = car_document::Entity::find()
        .filter(car_document::Column::CarId.eq(found.id))
        .filter(car_document::Column::Kind.eq(kind))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("kind", UserErrorCode::NotFound, Text::NoSuchCarDocument)
        })?;
    car_document::Entity::delete_by_id(previous.id)
        .exec(&txn)
        .await?;
    audit::record_by(
        &txn,
        actor,
        Change {
            kind: ObjectKind::Car,
            object_id: found.id,
            operation: "removeCarDocument",
            before: Some(document_json(&previous)),
            after: None,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(found)
}
