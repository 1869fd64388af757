//! Changing a book: its accounts, categories and tags. Drivers change their own book,
//! ADMINs the business book; COLLECTORs get FORBIDDEN. An ID of another book is
//! NOT_FOUND, exactly as a missing one.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{
    types::{Account, AccountKind, Category, CategoryKind, Tag},
    writes::write_book,
};
use crate::{
    domain::books::{accounts, categories, writes},
    graphql::commons::{ContextExt, GlobalId, NodeKind, UserError, payload, target, target_opt},
};

// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

/// A new account.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// What kind of account it is.
    pub kind: AccountKind,
    /// Display name, e.g. "Cuenta BCP"; at most 100 characters.
    pub name: String,
    /// Free text; at most 500 characters.
    pub description: Option<String>,
    /// Make it the book's default account (the previous default no longer is).
    #[graphql(default)]
    pub make_default: bool,
}

/// The account to change and the fields to change; omitted fields keep their value.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    /// The account's global ID.
    pub id: ID,
    /// New kind.
    pub kind: Option<AccountKind>,
    /// New display name.
    pub name: Option<String>,
    /// New description; "" clears it.
    pub description: Option<String>,
    /// Archive (true) or unarchive (false). The default account cannot be archived.
    pub archived: Option<bool>,
}

/// The account to delete: not the default one (so never the book's last).
#[derive(InputObject)]
pub struct DeleteAccountInput {
    /// The account's global ID.
    pub id: ID,
}

/// The account to make the book's default.
#[derive(InputObject)]
pub struct SetDefaultAccountInput {
    /// The account's global ID.
    pub id: ID,
}

crate::payload!(
    CreateAccountPayload,
    account,
    Account,
    "The new account.",
    "The account created."
);
crate::payload!(
    UpdateAccountPayload,
    account,
    Account,
    "The changed account.",
    "The account as it is now."
);
crate::payload!(
    DeleteAccountPayload,
    deleted_id,
    ID,
    "The deleted account.",
    "The ID of the account deleted."
);
crate::payload!(
    SetDefaultAccountPayload,
    account,
    Account,
    "The new default account.",
    "The account, now the book's default."
);

// ---------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------

/// A new category.
#[derive(InputObject)]
pub struct CreateCategoryInput {
    /// INCOME or EXPENSE; a subcategory has its parent's kind.
    pub kind: CategoryKind,
    /// Display name, e.g. "Peajes"; at most 100 characters.
    pub name: String,
    /// Stable code, unique within the book (lowercase letters, digits, single
    /// underscores; at most 50); derived from the name when omitted ("Peajes" gives
    /// "peajes").
    pub code: Option<String>,
    /// Colour as `#RRGGBB` (the `#` is optional); grey "#9E9E9E" when omitted.
    pub colour: Option<String>,
    /// Icon name (letters, digits, "-", "_") or https:// URL.
    pub icon: Option<String>,
    /// Makes it a subcategory of this top-level category of the same book and kind.
    pub parent_id: Option<ID>,
}

/// The category to change and the fields to change; omitted fields keep their value.
/// The kind never changes.
#[derive(InputObject)]
pub struct UpdateCategoryInput {
    /// The category's global ID.
    pub id: ID,
    /// New display name.
    pub name: Option<String>,
    /// New code.
    pub code: Option<String>,
    /// New colour, `#RRGGBB`.
    pub colour: Option<String>,
    /// New icon; "" clears it.
    pub icon: Option<String>,
    /// A top-level category of the same book and kind to move it under; null makes it
    /// top-level. A category with subcategories stays top-level.
    pub parent_id: MaybeUndefined<ID>,
    /// Archive (true) or unarchive (false). A default category cannot be archived.
    pub archived: Option<bool>,
}

/// The category to make the book's default of its kind.
#[derive(InputObject)]
pub struct SetDefaultCategoryInput {
    /// The category's global ID.
    pub id: ID,
}

/// The category to delete, and where its transactions and budgets go.
#[derive(InputObject)]
pub struct DeleteCategoryInput {
    /// The category's global ID. A default category cannot be deleted, nor one with
    /// subcategories (delete or move them first).
    pub id: ID,
    /// The category of the same book and kind that takes over its transactions and
    /// budgets; the book's default category of that kind when omitted.
    pub replacement_id: Option<ID>,
}

crate::payload!(
    CreateCategoryPayload,
    category,
    Category,
    "The new category.",
    "The category created."
);
crate::payload!(
    UpdateCategoryPayload,
    category,
    Category,
    "The changed category.",
    "The category as it is now."
);

crate::payload!(
    SetDefaultCategoryPayload,
    category,
    Category,
    "The new default category of its kind.",
    "The category, now the book's default of its kind."
);

/// The deleted category and the one that took over its records.
#[derive(SimpleObject, Default)]
pub struct DeleteCategoryPayload {
    /// The ID of the category deleted; null when `userErrors` is not empty.
    pub deleted_id: Option<ID>,
    /// The category its transactions and budgets now belong to.
    pub replacement: Option<Category>,
    /// Problems with the input the user can fix.
    pub user_errors: Vec<UserError>,
}

crate::impl_payload!(DeleteCategoryPayload);

// ---------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------

/// A new tag.
#[derive(InputObject)]
pub struct CreateTagInput {
    /// The label, unique in the book whatever the letter case; at most 50 characters.
    pub name: String,
}

/// The tag to rename.
#[derive(InputObject)]
pub struct UpdateTagInput {
    /// The tag's global ID.
    pub id: ID,
    /// New label; omitted keeps it.
    pub name: Option<String>,
}

/// The tag to delete (later: its links to transactions go, the transactions stay).
#[derive(InputObject)]
pub struct DeleteTagInput {
    /// The tag's global ID.
    pub id: ID,
}

crate::payload!(
    CreateTagPayload,
    tag,
    Tag,
    "The new tag.",
    "The tag created."
);
crate::payload!(
    UpdateTagPayload,
    tag,
    Tag,
    "The renamed tag.",
    "The tag as it is now."
);
crate::payload!(
    DeleteTagPayload,
    deleted_id,
    ID,
    "The deleted tag.",
    "The ID of the tag deleted."
);

#[derive(Default)]
pub struct BooksMutation;

#[Object]
impl BooksMutation {
    /// Adds an account to the caller's book.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> async_graphql::Result<CreateAccountPayload> {
        let actor = ctx.actor()?;
        let new = accounts::NewAccount {
            kind: input.kind.into(),
            name: input.name,
            description: input.description,
            make_default: input.make_default,
        };
        let write = writes::create_account(ctx.db(), actor, new, ctx.now());
        payload(write_book(ctx, write).await, |row| Account(row).into())
    }

    /// Changes the fields sent of an account of the caller's book.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> async_graphql::Result<UpdateAccountPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Account, "id", "an account")?;
        let changes = accounts::AccountChanges {
            kind: input.kind.map(Into::into),
            name: input.name,
            description: input.description,
            archived: input.archived,
        };
        let write = writes::update_account(ctx.db(), actor, id, changes, ctx.now());
        payload(write_book(ctx, write).await, |row| Account(row).into())
    }

    /// Deletes an account of the caller's book. The default account cannot be deleted
    /// (IS_DEFAULT), so a book always keeps one (LAST_RECORD).
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        input: DeleteAccountInput,
    ) -> async_graphql::Result<DeleteAccountPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Account, "id", "an account")?;
        let write = writes::delete_account(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |id| {
            GlobalId::new(NodeKind::Account, id).to_id().into()
        })
    }

    /// Makes an account the default of the caller's book; the book has exactly one
    /// default afterwards. An archived account is unarchived.
    async fn set_default_account(
        &self,
        ctx: &Context<'_>,
        input: SetDefaultAccountInput,
    ) -> async_graphql::Result<SetDefaultAccountPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Account, "id", "an account")?;
        let write = writes::set_default_account(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |row| Account(row).into())
    }

    /// Adds a category (or a subcategory) to the caller's book.
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CreateCategoryInput,
    ) -> async_graphql::Result<CreateCategoryPayload> {
        let actor = ctx.actor()?;
        let parent_id = target_opt(
            input.parent_id.as_ref(),
            NodeKind::Category,
            "parentId",
            "a category",
        )?;
        let new = categories::NewCategory {
            kind: input.kind.into(),
            name: input.name,
            code: input.code,
            colour: input.colour,
            icon: input.icon,
            parent_id,
        };
        let write = writes::create_category(ctx.db(), actor, new, ctx.now());
        payload(write_book(ctx, write).await, |row| Category(row).into())
    }

    /// Changes the fields sent of a category of the caller's book.
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        input: UpdateCategoryInput,
    ) -> async_graphql::Result<UpdateCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Category, "id", "a category")?;
        let parent_id = match &input.parent_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(parent) => Some(Some(target(
                parent,
                NodeKind::Category,
                "parentId",
                "a category",
            )?)),
        };
        let changes = categories::CategoryChanges {
            name: input.name,
            code: input.code,
            colour: input.colour,
            icon: input.icon,
            parent_id,
            archived: input.archived,
        };
        let write = writes::update_category(ctx.db(), actor, id, changes, ctx.now());
        payload(write_book(ctx, write).await, |row| Category(row).into())
    }

    /// Makes a category the default of its kind in the caller's book (used when none is
    /// given, and where deleted categories' records go); the book has exactly one default
    /// per kind afterwards. An archived category is unarchived.
    async fn set_default_category(
        &self,
        ctx: &Context<'_>,
        input: SetDefaultCategoryInput,
    ) -> async_graphql::Result<SetDefaultCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Category, "id", "a category")?;
        let write = writes::set_default_category(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |row| Category(row).into())
    }

    /// Deletes a category of the caller's book; its transactions and budgets move to
    /// `replacementId` (same book, same kind, not itself) or, without one, to the book's
    /// default category of that kind. A default category, or one with subcategories,
    /// cannot be deleted.
    async fn delete_category(
        &self,
        ctx: &Context<'_>,
        input: DeleteCategoryInput,
    ) -> async_graphql::Result<DeleteCategoryPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Category, "id", "a category")?;
        let replacement_id = target_opt(
            input.replacement_id.as_ref(),
            NodeKind::Category,
            "replacementId",
            "a category",
        )?;
        let write = writes::delete_category(ctx.db(), actor, id, replacement_id, ctx.now());
        payload(write_book(ctx, write).await, |(deleted, replacement)| {
            DeleteCategoryPayload {
                deleted_id: Some(GlobalId::new(NodeKind::Category, deleted.id).to_id()),
                replacement: Some(Category(replacement)),
                ..Default::default()
            }
        })
    }

    /// Adds a tag to the caller's book.
    async fn create_tag(
        &self,
        ctx: &Context<'_>,
        input: CreateTagInput,
    ) -> async_graphql::Result<CreateTagPayload> {
        let actor = ctx.actor()?;
        let write = writes::create_tag(ctx.db(), actor, &input.name, ctx.now());
        payload(write_book(ctx, write).await, |row| Tag(row).into())
    }

    /// Renames a tag of the caller's book.
    async fn update_tag(
        &self,
        ctx: &Context<'_>,
        input: UpdateTagInput,
    ) -> async_graphql::Result<UpdateTagPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Tag, "id", "a tag")?;
        let name = input.name.as_deref();
        let write = writes::update_tag(ctx.db(), actor, id, name, ctx.now());
        payload(write_book(ctx, write).await, |row| Tag(row).into())
    }

    /// Deletes a tag of the caller's book.
    async fn delete_tag(
        &self,
        ctx: &Context<'_>,
        input: DeleteTagInput,
    ) -> async_graphql::Result<DeleteTagPayload> {
        let actor = ctx.actor()?;
        let id = target(&input.id, NodeKind::Tag, "id", "a tag")?;
        let write = writes::delete_tag(ctx.db(), actor, id, ctx.now());
        payload(write_book(ctx, write).await, |id| {
            GlobalId::new(NodeKind::Tag, id).to_id().into()
        })
    }
}
