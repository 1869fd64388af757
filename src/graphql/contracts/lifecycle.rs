//! A contract after signing: its terms, its early end, its car and the car's documents
//! (see `domain::contracts::lifecycle`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::types::{Car, CarDocument, CarDocumentKind, Contract, Invoice};
use crate::graphql::commons::{ContextExt, Date, NodeKind, UserError, payload, target};
use crate::{
    domain::contracts::lifecycle::{self, CarChanges, ContractChanges, NewCarDocument},
    impl_payload,
};

/// A contract's terms to change; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdateContractInput {
    /// The `Contract`.
    pub id: ID,
    /// Whether due invoices are charged to the driver's wallet automatically.
    pub auto_charge: Option<bool>,
    /// The card processor's public key for this contract.
    pub processor_public_key: Option<String>,
}

/// A contract to end early.
#[derive(InputObject)]
pub struct TerminateContractInput {
    /// The `Contract`.
    pub id: ID,
    /// The last day of the contract: owed invoices due after it are cancelled, those due
    /// on or before it stay owed. Within a year of today.
    pub date: Date,
    /// Why, kept with the contract and in the audit trail.
    pub reason: String,
}

/// A car's details to correct; what is left out stays as it is.
#[derive(InputObject)]
pub struct UpdateCarInput {
    /// The `Car` (`Contract.car { id }`).
    pub car_id: ID,
    /// Make, e.g. "Toyota".
    pub brand: Option<String>,
    /// Model, e.g. "Yaris".
    pub model: Option<String>,
    /// License plate; stored in capitals without spaces.
    pub license_plate: Option<String>,
    /// Model year.
    pub year: Option<i32>,
    /// https addresses of its photos (at most 10); replaces them all.
    pub photos: Option<Vec<String>>,
}

/// A car document to set, replacing the car's document of that kind.
#[derive(InputObject)]
pub struct SetCarDocumentInput {
    /// The `Car`.
    pub car_id: ID,
    /// Which document.
    pub kind: CarDocumentKind,
    /// Its number, when it has one.
    pub number: Option<String>,
    /// Whose name is on it.
    pub owner: Option<String>,
    /// When it expires.
    pub due_date: Option<Date>,
    /// An https address of the scanned document.
    pub file_url: Option<String>,
}

/// A car document to remove.
#[derive(InputObject)]
pub struct RemoveCarDocumentInput {
    /// The `Car`.
    pub car_id: ID,
    /// Which document.
    pub kind: CarDocumentKind,
}

crate::payload!(
    UpdateContractPayload,
    contract,
    Contract,
    "The contract with its new terms.",
    "The contract; null when `userErrors` is not empty."
);

/// The terminated contract and the invoices that ended with it.
#[derive(SimpleObject, Default)]
pub struct TerminateContractPayload {
    /// The contract, now TERMINATED; null when `userErrors` is not empty.
    pub contract: Option<Contract>,
    /// The invoices cancelled because they were due after the termination date.
    pub cancelled_invoices: Vec<Invoice>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}
impl_payload!(TerminateContractPayload);

crate::payload!(
    UpdateCarPayload,
    car,
    Car,
    "The car as corrected.",
    "The car; null when `userErrors` is not empty."
);

/// The document set, and its car.
#[derive(SimpleObject, Default)]
pub struct SetCarDocumentPayload {
    /// The document; null when `userErrors` is not empty.
    pub document: Option<CarDocument>,
    /// The car, with all its documents; null when `userErrors` is not empty.
    pub car: Option<Car>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}
impl_payload!(SetCarDocumentPayload);

crate::payload!(
    RemoveCarDocumentPayload,
    car,
    Car,
    "The car without the document.",
    "The car; null when `userErrors` is not empty."
);

#[derive(Default)]
pub struct ContractLifecycleMutation;

#[Object]
impl ContractLifecycleMutation {
    /// Changes a running contract's terms (auto-charge, the card processor's key). A
    /// terminated contract is refused (CONTRACT_TERMINATED). ADMIN only.
    async fn update_contract(
        &self,
        ctx: &Context<'_>,
        input: UpdateContractInput,
    ) -> async_graphql::Result<UpdateContractPayload> {
        let id = target(&input.id, NodeKind::Contract, "id", "a contract")?;
        let changes = ContractChanges {
            auto_charge: input.auto_charge,
            processor_public_key: input.processor_public_key,
        };
        let result =
            lifecycle::update_contract(ctx.db(), ctx.actor()?, id, &changes, ctx.now()).await;
        payload(result, |row| Contract(row).into())
    }

    /// Ends a contract early: owed invoices due after `date` are cancelled, those due on
    /// or before it stay owed and payable; the contract is TERMINATED. Once only. ADMIN
    /// only.
    async fn terminate_contract(
        &self,
        ctx: &Context<'_>,
        input: TerminateContractInput,
    ) -> async_graphql::Result<TerminateContractPayload> {
        let id = target(&input.id, NodeKind::Contract, "id", "a contract")?;
        let result = lifecycle::terminate_contract(
            ctx.db(),
            ctx.actor()?,
            id,
            input.date.0,
            &input.reason,
            ctx.now(),
        )
        .await;
        payload(result, |done| TerminateContractPayload {
            contract: Some(Contract(done.contract)),
            cancelled_invoices: done
                .cancelled
                .into_iter()
                .map(|row| Invoice(row, None))
                .collect(),
            ..Default::default()
        })
    }

    /// Corrects a leased car's details (the rules of `createContract`'s car). ADMIN
    /// only.
    async fn update_car(
        &self,
        ctx: &Context<'_>,
        input: UpdateCarInput,
    ) -> async_graphql::Result<UpdateCarPayload> {
        let id = target(&input.car_id, NodeKind::Car, "carId", "a car")?;
        let changes = CarChanges {
            brand: input.brand,
            model: input.model,
            license_plate: input.license_plate,
            year: input.year,
            photos: input.photos,
        };
        let result = lifecycle::update_car(ctx.db(), ctx.actor()?, id, &changes, ctx.now()).await;
        payload(result, |row| Car(row).into())
    }

    /// Sets a car's document of one kind, replacing the one it had: a car has one of
    /// each. The file must be at an https address. ADMIN only.
    async fn set_car_document(
        &self,
        ctx: &Context<'_>,
        input: SetCarDocumentInput,
    ) -> async_graphql::Result<SetCarDocumentPayload> {
        let car_id = target(&input.car_id, NodeKind::Car, "carId", "a car")?;
        let document = NewCarDocument {
            car_id,
            kind: input.kind.into(),
            number: input.number,
            owner: input.owner,
            due_date: input.due_date.map(|d| d.0),
            file_url: input.file_url,
        };
        let actor = ctx.actor()?;
        let result = lifecycle::set_car_document(ctx.db(), actor, &document, ctx.now()).await;
        let car = match &result {
            Ok(_) => ctx.loaders().cars_by_id.load_one(car_id).await?.map(Car),
            Err(_) => None,
        };
        payload(result, |row| SetCarDocumentPayload {
            document: Some(CarDocument(row)),
            car,
            ..Default::default()
        })
    }

    /// Removes a car's document of one kind. ADMIN only.
    async fn remove_car_document(
        &self,
        ctx: &Context<'_>,
        input: RemoveCarDocumentInput,
    ) -> async_graphql::Result<RemoveCarDocumentPayload> {
        let car_id = target(&input.car_id, NodeKind::Car, "carId", "a car")?;
        let result = lifecycle::remove_car_document(
            ctx.db(),
            ctx.actor()?,
            car_id,
            input.kind.into(),
            ctx.now(),
        )
        .await;
        payload(result, |row| Car(row).into())
    }
}
