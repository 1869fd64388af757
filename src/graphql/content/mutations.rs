//! Changing common content: ADMINs of the organization only (COLLECTORs and drivers get
//! FORBIDDEN). Each kind has create, update (only the fields sent change) and delete.
//! Another organization's ID is NOT_FOUND.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};

use super::types::{
    EmergencyCase, EmergencyContact, EmergencyContactGroup, ExpenseCategory, Faq,
    ServiceContactChannel, SupportContact, SupportContactKind, Tip, TipCategory,
};
use crate::domain::commons::TipCategoryId;
use crate::{
    domain::content::{contacts, expense_categories, faqs, plans, tips},
    graphql::{
        commons::{ContextExt, Date, Decimal, GlobalId, NodeKind, payload, target, today},
        contracts::types::Plan,
    },
};

/// Declares the input of a delete mutation: the ID of what to delete.
macro_rules! delete_input {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(InputObject)]
        pub struct $name {
            /// The global ID of the record to delete.
            pub id: ID,
        }
    };
}

fn deleted(kind: NodeKind, id: i64) -> ID {
    GlobalId::new(kind, id).to_id()
}

// ---------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------

/// A new ride-hailing plan.
#[derive(InputObject)]
pub struct CreatePlanInput {
    /// Display name, e.g. "Oro"; at most 100 characters.
    pub name: String,
    /// Stable code (lowercase letters, digits, single underscores; at most 50); derived
    /// from the name when omitted ("Oro" gives "oro").
    pub code: Option<String>,
    /// Discount on the weekly fee in percent, from "0" to "100", e.g. "5.00".
    pub discount_percent: Decimal,
    /// What the plan offers; at most 500 characters.
    pub description: Option<String>,
}

/// The plan to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdatePlanInput {
    /// The plan's global ID.
    pub id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New code.
    pub code: Option<String>,
    /// New discount in percent, from "0" to "100".
    pub discount_percent: Option<Decimal>,
    /// New description.
    pub description: Option<String>,
}

delete_input!(
    DeletePlanInput,
    "The plan to delete; refused (IN_USE) while drivers are on it."
);
crate::payload!(
    CreatePlanPayload,
    plan,
    Plan,
    "The new plan.",
    "The plan created."
);
crate::payload!(
    UpdatePlanPayload,
    plan,
    Plan,
    "The changed plan.",
    "The plan as it is now."
);
crate::payload!(
    DeletePlanPayload,
    deleted_id,
    ID,
    "The deleted plan.",
    "The ID of the plan deleted."
);

// ---------------------------------------------------------------------------------------
// Expense categories
// ---------------------------------------------------------------------------------------

/// A new expense category.
#[derive(InputObject)]
pub struct CreateExpenseCategoryInput {
    /// Display name, e.g. "Combustible"; at most 100 characters.
    pub name: String,
    /// Stable code; derived from the name when omitted ("Gastos Personales" gives
    /// "gastos_personales").
    pub code: Option<String>,
    /// Icon name (letters, digits, `-`, `_`) or image URL; none when omitted.
    pub icon: Option<String>,
}

/// The expense category to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateExpenseCategoryInput {
    /// The category's global ID.
    pub id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New code.
    pub code: Option<String>,
    /// New icon; "" removes it.
    pub icon: Option<String>,
}

delete_input!(
    DeleteExpenseCategoryInput,
    "The expense category to delete."
);
crate::payload!(
    CreateExpenseCategoryPayload,
    expense_category,
    ExpenseCategory,
    "The new expense category.",
    "The category created."
);
crate::payload!(
    UpdateExpenseCategoryPayload,
    expense_category,
    ExpenseCategory,
    "The changed expense category.",
    "The category as it is now."
);
crate::payload!(
    DeleteExpenseCategoryPayload,
    deleted_id,
    ID,
    "The deleted expense category.",
    "The ID of the category deleted."
);

// ---------------------------------------------------------------------------------------
// Emergency contact groups and contacts
// ---------------------------------------------------------------------------------------

/// The group of an emergency case (one per case).
#[derive(InputObject)]
pub struct CreateEmergencyContactGroupInput {
    /// The case; a case has at most one group (DUPLICATE otherwise).
    pub case: EmergencyCase,
    /// Display name, e.g. "Accidentes"; at most 100 characters.
    pub name: String,
    /// When to call, e.g. "En caso de accidentes"; at most 500 characters.
    pub description: Option<String>,
}

/// The group to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateEmergencyContactGroupInput {
    /// The group's global ID.
    pub id: ID,
    /// Another case, not taken by another group.
    pub case: Option<EmergencyCase>,
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
}

delete_input!(
    DeleteEmergencyContactGroupInput,
    "The group to delete; refused (IN_USE) while it has contacts."
);
crate::payload!(
    CreateEmergencyContactGroupPayload,
    group,
    EmergencyContactGroup,
    "The new emergency contact group.",
    "The group created."
);
crate::payload!(
    UpdateEmergencyContactGroupPayload,
    group,
    EmergencyContactGroup,
    "The changed emergency contact group.",
    "The group as it is now."
);
crate::payload!(
    DeleteEmergencyContactGroupPayload,
    deleted_id,
    ID,
    "The deleted emergency contact group.",
    "The ID of the group deleted."
);

/// A new emergency contact, in the group of its case.
#[derive(InputObject)]
pub struct CreateEmergencyContactInput {
    /// The case; its group must exist (NOT_FOUND otherwise).
    pub case: EmergencyCase,
    /// Who answers, e.g. "Rigoberto"; at most 100 characters.
    pub contact_name: String,
    /// The number: 6 to 15 digits, optionally a leading "+", spaces, dashes or
    /// parentheses, e.g. "953884777".
    pub phone_number: String,
    /// A note; at most 500 characters.
    pub description: Option<String>,
}

/// The contact to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateEmergencyContactInput {
    /// The contact's global ID.
    pub id: ID,
    /// Moves the contact to the group of this case.
    pub case: Option<EmergencyCase>,
    /// New name.
    pub contact_name: Option<String>,
    /// New number.
    pub phone_number: Option<String>,
    /// New note.
    pub description: Option<String>,
}

delete_input!(
    DeleteEmergencyContactInput,
    "The emergency contact to delete."
);
crate::payload!(
    CreateEmergencyContactPayload,
    contact,
    EmergencyContact,
    "The new emergency contact.",
    "The contact created."
);
crate::payload!(
    UpdateEmergencyContactPayload,
    contact,
    EmergencyContact,
    "The changed emergency contact.",
    "The contact as it is now."
);
crate::payload!(
    DeleteEmergencyContactPayload,
    deleted_id,
    ID,
    "The deleted emergency contact.",
    "The ID of the contact deleted."
);

// ---------------------------------------------------------------------------------------
// Support contacts
// ---------------------------------------------------------------------------------------

/// The contact of a support line (one per kind).
#[derive(InputObject)]
pub struct CreateSupportContactInput {
    /// Which line; each has at most one contact (DUPLICATE otherwise).
    pub kind: SupportContactKind,
    /// Who answers, e.g. "Soporte Mecánico"; at most 100 characters.
    pub contact_name: String,
    /// The number: 6 to 15 digits, optionally a leading "+", e.g. "+51987928878".
    pub phone_number: String,
}

/// The support contact to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateSupportContactInput {
    /// The contact's global ID.
    pub id: ID,
    /// Another line, not taken by another contact.
    pub kind: Option<SupportContactKind>,
    /// New name.
    pub contact_name: Option<String>,
    /// New number.
    pub phone_number: Option<String>,
}

delete_input!(DeleteSupportContactInput, "The support contact to delete.");
crate::payload!(
    CreateSupportContactPayload,
    support_contact,
    SupportContact,
    "The new support contact.",
    "The contact created."
);
crate::payload!(
    UpdateSupportContactPayload,
    support_contact,
    SupportContact,
    "The changed support contact.",
    "The contact as it is now."
);
crate::payload!(
    DeleteSupportContactPayload,
    deleted_id,
    ID,
    "The deleted support contact.",
    "The ID of the contact deleted."
);

// ---------------------------------------------------------------------------------------
// Service contact channels
// ---------------------------------------------------------------------------------------

/// A new service contact channel.
#[derive(InputObject)]
pub struct CreateServiceContactChannelInput {
    /// What to show, e.g. "Correo electrónico"; at most 100 characters.
    pub label: String,
    /// What the value is (lowercase letters, digits, underscores): `phone_number` and
    /// `whatsapp` take a phone number, `email_address` an email address, `website` an
    /// https URL; any other code takes up to 300 characters of text.
    pub code: String,
    /// The number, address or link.
    pub value: String,
}

/// The channel to change; omitted fields keep their value. The value is checked
/// against the code the channel ends up with.
#[derive(InputObject)]
pub struct UpdateServiceContactChannelInput {
    /// The channel's global ID.
    pub id: ID,
    /// New label.
    pub label: Option<String>,
    /// New code.
    pub code: Option<String>,
    /// New value.
    pub value: Option<String>,
}

delete_input!(
    DeleteServiceContactChannelInput,
    "The service contact channel to delete."
);
crate::payload!(
    CreateServiceContactChannelPayload,
    channel,
    ServiceContactChannel,
    "The new service contact channel.",
    "The channel created."
);
crate::payload!(
    UpdateServiceContactChannelPayload,
    channel,
    ServiceContactChannel,
    "The changed service contact channel.",
    "The channel as it is now."
);
crate::payload!(
    DeleteServiceContactChannelPayload,
    deleted_id,
    ID,
    "The deleted service contact channel.",
    "The ID of the channel deleted."
);

// ---------------------------------------------------------------------------------------
// FAQs
// ---------------------------------------------------------------------------------------

/// A new frequently asked question.
#[derive(InputObject)]
pub struct CreateFaqInput {
    /// The question; at most 200 characters.
    pub title: String,
    /// The answer: 1 to 30 non-blank paragraphs of at most 2000 characters.
    pub paragraphs: Vec<String>,
}

/// The FAQ to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateFaqInput {
    /// The FAQ's global ID.
    pub id: ID,
    /// New question.
    pub title: Option<String>,
    /// New answer, replacing every paragraph.
    pub paragraphs: Option<Vec<String>>,
}

delete_input!(DeleteFaqInput, "The FAQ to delete.");
crate::payload!(
    CreateFaqPayload,
    faq,
    Faq,
    "The new FAQ.",
    "The FAQ created."
);
crate::payload!(
    UpdateFaqPayload,
    faq,
    Faq,
    "The changed FAQ.",
    "The FAQ as it is now."
);
crate::payload!(
    DeleteFaqPayload,
    deleted_id,
    ID,
    "The deleted FAQ.",
    "The ID of the FAQ deleted."
);

// ---------------------------------------------------------------------------------------
// Tip categories and tips
// ---------------------------------------------------------------------------------------

/// A new tip category.
#[derive(InputObject)]
pub struct CreateTipCategoryInput {
    /// Display name, e.g. "Limpieza"; at most 100 characters.
    pub name: String,
    /// Stable code; derived from the name when omitted ("Multas y tránsito" gives
    /// "multas_y_transito").
    pub code: Option<String>,
    /// What the category covers; at most 500 characters.
    pub description: Option<String>,
}

/// The tip category to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateTipCategoryInput {
    /// The category's global ID.
    pub id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New code.
    pub code: Option<String>,
    /// New description.
    pub description: Option<String>,
}

delete_input!(
    DeleteTipCategoryInput,
    "The tip category to delete; refused (IN_USE) while it has tips."
);
crate::payload!(
    CreateTipCategoryPayload,
    tip_category,
    TipCategory,
    "The new tip category.",
    "The category created."
);
crate::payload!(
    UpdateTipCategoryPayload,
    tip_category,
    TipCategory,
    "The changed tip category.",
    "The category as it is now."
);
crate::payload!(
    DeleteTipCategoryPayload,
    deleted_id,
    ID,
    "The deleted tip category.",
    "The ID of the category deleted."
);

/// A new tip.
#[derive(InputObject)]
pub struct CreateTipInput {
    /// Its category (a `TipCategory` ID of your organization).
    pub category_id: ID,
    /// Heading; at most 200 characters. Omitted or blank: no title, as in the REST API.
    pub title: Option<String>,
    /// The tip: 1 to 30 non-blank paragraphs of at most 2000 characters.
    pub paragraphs: Vec<String>,
    /// Whether it is among the popular tips.
    #[graphql(default)]
    pub is_popular: bool,
    /// The day it is shown from; today in the organization's timezone when omitted. A
    /// later day schedules it.
    pub published_on: Option<Date>,
}

/// The tip to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateTipInput {
    /// The tip's global ID.
    pub id: ID,
    /// Another category of your organization.
    pub category_id: Option<ID>,
    /// New heading; null removes it.
    pub title: MaybeUndefined<String>,
    /// New paragraphs, replacing every one.
    pub paragraphs: Option<Vec<String>>,
    /// Whether it is among the popular tips.
    pub is_popular: Option<bool>,
    /// New publication day.
    pub published_on: Option<Date>,
}

delete_input!(DeleteTipInput, "The tip to delete.");
crate::payload!(
    CreateTipPayload,
    tip,
    Tip,
    "The new tip.",
    "The tip created."
);
crate::payload!(
    UpdateTipPayload,
    tip,
    Tip,
    "The changed tip.",
    "The tip as it is now."
);
crate::payload!(
    DeleteTipPayload,
    deleted_id,
    ID,
    "The deleted tip.",
    "The ID of the tip deleted."
);

fn category_id(id: &ID) -> async_graphql::Result<TipCategoryId> {
    target(id, NodeKind::TipCategory, "categoryId", "a tip category")
}

#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// Creates a ride-hailing plan. ADMIN only.
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        input: CreatePlanInput,
    ) -> async_graphql::Result<CreatePlanPayload> {
        let actor = ctx.actor()?;
        let new = plans::NewPlan {
            name: input.name,
            code: input.code,
            discount_percent: input.discount_percent.0,
            description: input.description,
        };
        let result = plans::create_plan(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| Plan(row).into())
    }

    /// Changes a ride-hailing plan. ADMIN only.
    async fn update_plan(
        &self,
        ctx: &Context<'_>,
        input: UpdatePlanInput,
    ) -> async_graphql::Result<UpdatePlanPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Plan, "id", "a plan")?;
        let changes = plans::PlanChanges {
            name: input.name,
            code: input.code,
            discount_percent: input.discount_percent.map(|d| d.0),
            description: input.description,
        };
        let result = plans::update_plan(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| Plan(row).into())
    }

    /// Deletes a ride-hailing plan no driver is on. ADMIN only.
    async fn delete_plan(
        &self,
        ctx: &Context<'_>,
        input: DeletePlanInput,
    ) -> async_graphql::Result<DeletePlanPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Plan, "id", "a plan")?;
        let result = plans::delete_plan(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::Plan, id).into())
    }

    /// Creates an expense category. ADMIN only.
    async fn create_expense_category(
        &self,
        ctx: &Context<'_>,
        input: CreateExpenseCategoryInput,
    ) -> async_graphql::Result<CreateExpenseCategoryPayload> {
        let actor = ctx.actor()?;
        let new = expense_categories::NewExpenseCategory {
            name: input.name,
            code: input.code,
            icon: input.icon,
        };
        let result =
            expense_categories::create_expense_category(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| ExpenseCategory(row).into())
    }

    /// Changes an expense category. ADMIN only.
    async fn update_expense_category(
        &self,
        ctx: &Context<'_>,
        input: UpdateExpenseCategoryInput,
    ) -> async_graphql::Result<UpdateExpenseCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::ExpenseCategory,
            "id",
            "an expense category",
        )?;
        let changes = expense_categories::ExpenseCategoryChanges {
            name: input.name,
            code: input.code,
            icon: input.icon,
        };
        let result =
            expense_categories::update_expense_category(ctx.db(), actor, ctx.now(), id, changes)
                .await;
        payload(result, |row| ExpenseCategory(row).into())
    }

    /// Deletes an expense category. ADMIN only.
    async fn delete_expense_category(
        &self,
        ctx: &Context<'_>,
        input: DeleteExpenseCategoryInput,
    ) -> async_graphql::Result<DeleteExpenseCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::ExpenseCategory,
            "id",
            "an expense category",
        )?;
        let result =
            expense_categories::delete_expense_category(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::ExpenseCategory, id).into())
    }

    /// Creates the contact group of an emergency case. ADMIN only.
    async fn create_emergency_contact_group(
        &self,
        ctx: &Context<'_>,
        input: CreateEmergencyContactGroupInput,
    ) -> async_graphql::Result<CreateEmergencyContactGroupPayload> {
        let actor = ctx.actor()?;
        let new = contacts::NewEmergencyGroup {
            case: input.case.into(),
            name: input.name,
            description: input.description,
        };
        let result = contacts::create_emergency_group(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| EmergencyContactGroup(row).into())
    }

    /// Changes an emergency contact group. ADMIN only.
    async fn update_emergency_contact_group(
        &self,
        ctx: &Context<'_>,
        input: UpdateEmergencyContactGroupInput,
    ) -> async_graphql::Result<UpdateEmergencyContactGroupPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::EmergencyContactGroup,
            "id",
            "an emergency contact group",
        )?;
        let changes = contacts::EmergencyGroupChanges {
            case: input.case.map(Into::into),
            name: input.name,
            description: input.description,
        };
        let result =
            contacts::update_emergency_group(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| EmergencyContactGroup(row).into())
    }

    /// Deletes an emergency contact group without contacts. ADMIN only.
    async fn delete_emergency_contact_group(
        &self,
        ctx: &Context<'_>,
        input: DeleteEmergencyContactGroupInput,
    ) -> async_graphql::Result<DeleteEmergencyContactGroupPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::EmergencyContactGroup,
            "id",
            "an emergency contact group",
        )?;
        let result = contacts::delete_emergency_group(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| {
            deleted(NodeKind::EmergencyContactGroup, id).into()
        })
    }

    /// Adds an emergency contact to the group of its case. ADMIN only.
    async fn create_emergency_contact(
        &self,
        ctx: &Context<'_>,
        input: CreateEmergencyContactInput,
    ) -> async_graphql::Result<CreateEmergencyContactPayload> {
        let actor = ctx.actor()?;
        let new = contacts::NewEmergencyContact {
            case: input.case.into(),
            contact_name: input.contact_name,
            phone_number: input.phone_number,
            description: input.description,
        };
        let result = contacts::create_emergency_contact(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| EmergencyContact(row, None).into())
    }

    /// Changes an emergency contact. ADMIN only.
    async fn update_emergency_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateEmergencyContactInput,
    ) -> async_graphql::Result<UpdateEmergencyContactPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::EmergencyContact,
            "id",
            "an emergency contact",
        )?;
        let changes = contacts::EmergencyContactChanges {
            case: input.case.map(Into::into),
            contact_name: input.contact_name,
            phone_number: input.phone_number,
            description: input.description,
        };
        let result =
            contacts::update_emergency_contact(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| EmergencyContact(row, None).into())
    }

    /// Deletes an emergency contact. ADMIN only.
    async fn delete_emergency_contact(
        &self,
        ctx: &Context<'_>,
        input: DeleteEmergencyContactInput,
    ) -> async_graphql::Result<DeleteEmergencyContactPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::EmergencyContact,
            "id",
            "an emergency contact",
        )?;
        let result = contacts::delete_emergency_contact(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::EmergencyContact, id).into())
    }

    /// Sets up a support line's contact. ADMIN only.
    async fn create_support_contact(
        &self,
        ctx: &Context<'_>,
        input: CreateSupportContactInput,
    ) -> async_graphql::Result<CreateSupportContactPayload> {
        let actor = ctx.actor()?;
        let new = contacts::NewSupportContact {
            kind: input.kind.into(),
            contact_name: input.contact_name,
            phone_number: input.phone_number,
        };
        let result = contacts::create_support_contact(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| SupportContact(row).into())
    }

    /// Changes a support contact. ADMIN only.
    async fn update_support_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateSupportContactInput,
    ) -> async_graphql::Result<UpdateSupportContactPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::SupportContact,
            "id",
            "a support contact",
        )?;
        let changes = contacts::SupportContactChanges {
            kind: input.kind.map(Into::into),
            contact_name: input.contact_name,
            phone_number: input.phone_number,
        };
        let result =
            contacts::update_support_contact(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| SupportContact(row).into())
    }

    /// Deletes a support contact. ADMIN only.
    async fn delete_support_contact(
        &self,
        ctx: &Context<'_>,
        input: DeleteSupportContactInput,
    ) -> async_graphql::Result<DeleteSupportContactPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::SupportContact,
            "id",
            "a support contact",
        )?;
        let result = contacts::delete_support_contact(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::SupportContact, id).into())
    }

    /// Creates a service contact channel. ADMIN only.
    async fn create_service_contact_channel(
        &self,
        ctx: &Context<'_>,
        input: CreateServiceContactChannelInput,
    ) -> async_graphql::Result<CreateServiceContactChannelPayload> {
        let actor = ctx.actor()?;
        let new = contacts::NewServiceChannel {
            label: input.label,
            code: input.code,
            value: input.value,
        };
        let result = contacts::create_service_channel(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| ServiceContactChannel(row).into())
    }

    /// Changes a service contact channel. ADMIN only.
    async fn update_service_contact_channel(
        &self,
        ctx: &Context<'_>,
        input: UpdateServiceContactChannelInput,
    ) -> async_graphql::Result<UpdateServiceContactChannelPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::ServiceContactChannel,
            "id",
            "a service contact channel",
        )?;
        let changes = contacts::ServiceChannelChanges {
            label: input.label,
            code: input.code,
            value: input.value,
        };
        let result =
            contacts::update_service_channel(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| ServiceContactChannel(row).into())
    }

    /// Deletes a service contact channel. ADMIN only.
    async fn delete_service_contact_channel(
        &self,
        ctx: &Context<'_>,
        input: DeleteServiceContactChannelInput,
    ) -> async_graphql::Result<DeleteServiceContactChannelPayload> {
        let actor = ctx.actor()?;
        let id = target(
            &input.id,
            NodeKind::ServiceContactChannel,
            "id",
            "a service contact channel",
        )?;
        let result = contacts::delete_service_channel(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| {
            deleted(NodeKind::ServiceContactChannel, id).into()
        })
    }

    /// Creates a FAQ. ADMIN only.
    async fn create_faq(
        &self,
        ctx: &Context<'_>,
        input: CreateFaqInput,
    ) -> async_graphql::Result<CreateFaqPayload> {
        let actor = ctx.actor()?;
        let new = faqs::NewFaq {
            title: input.title,
            paragraphs: input.paragraphs,
        };
        let result = faqs::create_faq(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| Faq(row).into())
    }

    /// Changes a FAQ. ADMIN only.
    async fn update_faq(
        &self,
        ctx: &Context<'_>,
        input: UpdateFaqInput,
    ) -> async_graphql::Result<UpdateFaqPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Faq, "id", "a FAQ")?;
        let changes = faqs::FaqChanges {
            title: input.title,
            paragraphs: input.paragraphs,
        };
        let result = faqs::update_faq(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| Faq(row).into())
    }

    /// Deletes a FAQ. ADMIN only.
    async fn delete_faq(
        &self,
        ctx: &Context<'_>,
        input: DeleteFaqInput,
    ) -> async_graphql::Result<DeleteFaqPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Faq, "id", "a FAQ")?;
        let result = faqs::delete_faq(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::Faq, id).into())
    }

    /// Creates a tip category. ADMIN only.
    async fn create_tip_category(
        &self,
        ctx: &Context<'_>,
        input: CreateTipCategoryInput,
    ) -> async_graphql::Result<CreateTipCategoryPayload> {
        let actor = ctx.actor()?;
        let new = tips::NewTipCategory {
            name: input.name,
            code: input.code,
            description: input.description,
        };
        let result = tips::create_tip_category(ctx.db(), actor, ctx.now(), new).await;
        payload(result, |row| TipCategory(row).into())
    }

    /// Changes a tip category. ADMIN only.
    async fn update_tip_category(
        &self,
        ctx: &Context<'_>,
        input: UpdateTipCategoryInput,
    ) -> async_graphql::Result<UpdateTipCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::TipCategory, "id", "a tip category")?;
        let changes = tips::TipCategoryChanges {
            name: input.name,
            code: input.code,
            description: input.description,
        };
        let result = tips::update_tip_category(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| TipCategory(row).into())
    }

    /// Deletes a tip category without tips. ADMIN only.
    async fn delete_tip_category(
        &self,
        ctx: &Context<'_>,
        input: DeleteTipCategoryInput,
    ) -> async_graphql::Result<DeleteTipCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::TipCategory, "id", "a tip category")?;
        let result = tips::delete_tip_category(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::TipCategory, id).into())
    }

    /// Creates a tip, published today unless `publishedOn` says otherwise. ADMIN only.
    async fn create_tip(
        &self,
        ctx: &Context<'_>,
        input: CreateTipInput,
    ) -> async_graphql::Result<CreateTipPayload> {
        let actor = ctx.actor()?;
        let category_id = category_id(&input.category_id)?;
        let today = today(ctx).await?;
        let new = tips::NewTip {
            category_id,
            title: input.title,
            paragraphs: input.paragraphs,
            is_popular: input.is_popular,
            published_on: input.published_on.map(|d| d.0),
        };
        let result = tips::create_tip(ctx.db(), actor, ctx.now(), today, new).await;
        payload(result, |row| Tip(row).into())
    }

    /// Changes a tip. ADMIN only.
    async fn update_tip(
        &self,
        ctx: &Context<'_>,
        input: UpdateTipInput,
    ) -> async_graphql::Result<UpdateTipPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Tip, "id", "a tip")?;
        let category_id = input.category_id.as_ref().map(category_id).transpose()?;
        let title = match input.title {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(title) => Some(Some(title)),
        };
        let changes = tips::TipChanges {
            category_id,
            title,
            paragraphs: input.paragraphs,
            is_popular: input.is_popular,
            published_on: input.published_on.map(|d| d.0),
        };
        let result = tips::update_tip(ctx.db(), actor, ctx.now(), id, changes).await;
        payload(result, |row| Tip(row).into())
    }

    /// Deletes a tip. ADMIN only.
    async fn delete_tip(
        &self,
        ctx: &Context<'_>,
        input: DeleteTipInput,
    ) -> async_graphql::Result<DeleteTipPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Tip, "id", "a tip")?;
        let result = tips::delete_tip(ctx.db(), actor, ctx.now(), id).await;
        payload(result, |id| deleted(NodeKind::Tip, id).into())
    }
}
