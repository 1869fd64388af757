//! The Relay `Node` interface: any object with a global ID can be fetched again by it,
//! always within what the caller may see.

use crate::domain::commons::Id;
use async_graphql::{Context, ID, Interface, Object};
use futures_util::future::try_join_all;

use crate::{
    auth::Viewer,
    domain::{
        books::{self, occurrences, statements, transactions},
        visibility::Visible,
    },
    entities::user::Role,
    graphql::{
        books::{
            budgets::{Budget, budget_of},
            cards::{CreditCard, CreditCardStatement, statement_of},
            transactions::Transaction,
            transfers::Transfer,
            types::{Account, Category, Tag},
        },
        business::types::{Customer, Receipt, SalesInvoice},
        clients::types::Lead,
        commons::{ContextExt, ErrorCode, GlobalId, NodeKind, text::Text},
        content::types::{
            EmergencyContact, EmergencyContactGroup, ExpenseCategory, Faq, ServiceContactChannel,
            SupportContact, Tip, TipCategory,
        },
        contracts::types::{Car, Contract, Invoice, InvoiceDiscount, Plan},
        identity::types::{ApiToken, Client, Organization, StaffUser},
        wallet::Card,
        wallet::types::{Payment, WalletMovement},
        webhooks::types::{WebhookDelivery, WebhookEndpoint, delivery_node, endpoint_node},
    },
};

/// An object with an opaque global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    Organization(Organization),
    Client(Client),
    StaffUser(StaffUser),
    ApiToken(ApiToken),
    Contract(Contract),
    Car(Car),
    Invoice(Invoice),
    InvoiceDiscount(InvoiceDiscount),
    Payment(Payment),
    Lead(Lead),
    Card(Card),
    Plan(Plan),
    ExpenseCategory(ExpenseCategory),
    EmergencyContactGroup(EmergencyContactGroup),
    EmergencyContact(EmergencyContact),
    SupportContact(SupportContact),
    ServiceContactChannel(ServiceContactChannel),
    Faq(Faq),
    TipCategory(TipCategory),
    Tip(Tip),
    Account(Account),
    Category(Category),
    Tag(Tag),
    Transaction(Transaction),
    Transfer(Transfer),
    CreditCard(CreditCard),
    CreditCardStatement(CreditCardStatement),
    Customer(Customer),
    SalesInvoice(SalesInvoice),
    Receipt(Receipt),
    Budget(Budget),
    WalletMovement(WalletMovement),
    WebhookEndpoint(WebhookEndpoint),
    WebhookDelivery(WebhookDelivery),
}

/// Most IDs `nodes(ids:)` takes at once.
const MAX_NODES: usize = 100;

/// Loads a node if the viewer may see it ([`Visible`], one rule per kind, and a book's
/// rows by their book); `None` otherwise, exactly as for a missing row, so that IDs
/// reveal nothing about other tenants.
pub(crate) async fn load_node(
    ctx: &Context<'_>,
    viewer: &Viewer,
    id: GlobalId,
) -> async_graphql::Result<Option<Node>> {
    let loaders = ctx.loaders();
    Ok(match id.kind {
        NodeKind::Organization => loaders
            .organizations
            .load_one(Id::new(id.id))
            .await?
            .filter(|o| o.visible_to(viewer))
            .map(|o| Node::Organization(Organization(o))),
        NodeKind::Client | NodeKind::StaffUser => {
            let user = loaders.users.load_one(Id::new(id.id)).await?;
            user.filter(|u| u.visible_to(viewer))
                .and_then(|u| match (id.kind, u.role) {
                    (NodeKind::Client, Role::Client) => Some(Node::Client(Client(u))),
                    (NodeKind::StaffUser, Role::Admin | Role::Collector) => {
                        Some(Node::StaffUser(StaffUser(u)))
                    }
                    _ => None,
                })
        }
        NodeKind::ApiToken => loaders
            .api_tokens
            .load_one(Id::new(id.id))
            .await?
            .filter(|t| t.visible_to(viewer))
            .map(|t| Node::ApiToken(t.into())),
        NodeKind::Contract => visible_contract(ctx, viewer, id.id)
            .await?
            .map(|c| Node::Contract(Contract(c))),
        NodeKind::Invoice => {
            let invoice = loaders.invoices.load_one(Id::new(id.id)).await?;
            under_visible_contract(ctx, viewer, invoice, |i| i.contract_id)
                .await?
                .map(|i| Node::Invoice(Invoice(i, None)))
        }
        NodeKind::Car => {
            let car = loaders.cars_by_id.load_one(Id::new(id.id)).await?;
            under_visible_contract(ctx, viewer, car, |c| c.contract_id)
                .await?
                .map(|c| Node::Car(Car(c)))
        }
        NodeKind::InvoiceDiscount => {
            let Some(discount) = loaders.invoice_discounts.load_one(Id::new(id.id)).await? else {
                return Ok(None);
            };
            let invoice = loaders
                .invoices
                .load_one(Id::new(discount.invoice_id))
                .await?;
            under_visible_contract(ctx, viewer, invoice, |i| i.contract_id)
                .await?
                .map(|_| Node::InvoiceDiscount(discount.into()))
        }
        NodeKind::Payment => loaders
            .payments
            .load_one(Id::new(id.id))
            .await?
            .filter(|p| p.visible_to(viewer))
            .map(|p| Node::Payment(Payment(p))),
        NodeKind::Lead => loaders
            .leads
            .load_one(Id::new(id.id))
            .await?
            .filter(|l| l.visible_to(viewer))
            .map(|l| Node::Lead(Lead(l))),
        NodeKind::Card => loaders
            .cards
            .load_one(Id::new(id.id))
            .await?
            .filter(|c| c.visible_to(viewer))
            .map(|c| Node::Card(Card(c))),
        NodeKind::Plan => loaders
            .plans
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::Plan(Plan(r))),
        NodeKind::ExpenseCategory => loaders
            .expense_categories
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::ExpenseCategory(ExpenseCategory(r))),
        NodeKind::EmergencyContactGroup => loaders
            .emergency_groups
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::EmergencyContactGroup(EmergencyContactGroup(r))),
        NodeKind::EmergencyContact => loaders
            .emergency_contacts
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::EmergencyContact(EmergencyContact(r, None))),
        NodeKind::SupportContact => loaders
            .support_contacts
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::SupportContact(SupportContact(r))),
        NodeKind::ServiceContactChannel => loaders
            .service_channels
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::ServiceContactChannel(ServiceContactChannel(r))),
        NodeKind::Faq => loaders
            .faqs
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::Faq(Faq(r))),
        NodeKind::TipCategory => loaders
            .tip_categories
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::TipCategory(TipCategory(r))),
        NodeKind::Tip => loaders
            .tips
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::Tip(Tip(r))),
        NodeKind::Account => {
            let row = loaders.book_accounts.load_one(Id::new(id.id)).await?;
            match row {
                // A credit card's own account is the card's, not an account of the book.
                Some(r) if !r.for_credit_card && visible_book(ctx, viewer, r.book_id).await? => {
                    Some(Node::Account(Account(r)))
                }
                _ => None,
            }
        }
        NodeKind::Category => {
            let row = loaders.book_categories.load_one(Id::new(id.id)).await?;
            match row {
                Some(r) if visible_book(ctx, viewer, r.book_id).await? => {
                    Some(Node::Category(Category(r)))
                }
                _ => None,
            }
        }
        NodeKind::Tag => {
            let row = loaders.book_tags.load_one(Id::new(id.id)).await?;
            match row {
                Some(r) if visible_book(ctx, viewer, r.book_id).await? => Some(Node::Tag(Tag(r))),
                _ => None,
            }
        }
        NodeKind::Transaction => {
            let row = if id.id < 0 {
                occurrences::find(ctx.db(), id.id).await?
            } else {
                loaders.book_transactions.load_one(Id::new(id.id)).await?
            };
            match row {
                Some(r)
                    if transactions::visible_to(viewer, &r)
                        && visible_book(ctx, viewer, r.book_id).await? =>
                {
                    Some(Node::Transaction(Transaction(r)))
                }
                _ => None,
            }
        }
        NodeKind::Transfer => {
            let row = loaders.transfers.load_one(Id::new(id.id)).await?;
            match row {
                Some(t)
                    if t.visible_to(viewer)
                        && visible_book(ctx, viewer, t.outgoing.book_id).await? =>
                {
                    Some(Node::Transfer(t.into()))
                }
                _ => None,
            }
        }
        NodeKind::CreditCard => {
            let row = loaders.credit_cards.load_one(Id::new(id.id)).await?;
            match row {
                Some(c) if visible_book(ctx, viewer, c.book_id).await? => {
                    Some(Node::CreditCard(CreditCard(c)))
                }
                _ => None,
            }
        }
        NodeKind::CreditCardStatement => {
            let Some((card_id, month)) = statements::parse_statement_id(id.id) else {
                return Ok(None);
            };
            let row = loaders.credit_cards.load_one(card_id).await?;
            match row {
                Some(c) if visible_book(ctx, viewer, c.book_id).await? => Some(
                    Node::CreditCardStatement(statement_of(ctx, &c, month).await?),
                ),
                _ => None,
            }
        }
        NodeKind::Customer => loaders
            .customers
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::Customer(Customer(r))),
        NodeKind::SalesInvoice => loaders
            .sales_invoices
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::SalesInvoice(SalesInvoice(r))),
        NodeKind::Receipt => loaders
            .receipts
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::Receipt(Receipt(r))),
        NodeKind::Budget => {
            let Some(row) = loaders.book_budgets.load_one(Id::new(id.id)).await? else {
                return Ok(None);
            };
            let Some(book) = loaders.books.load_one(Id::new(row.book_id)).await? else {
                return Ok(None);
            };
            if !books::can_see(viewer, &book) {
                return Ok(None);
            }
            budget_of(ctx, &book, &row).await?.map(Node::Budget)
        }
        NodeKind::WalletMovement => loaders
            .wallet_movements
            .load_one(Id::new(id.id))
            .await?
            .filter(|r| r.visible_to(viewer))
            .map(|r| Node::WalletMovement(WalletMovement(r))),
        NodeKind::WebhookEndpoint => endpoint_node(ctx, id.id).await?.map(Node::WebhookEndpoint),
        NodeKind::WebhookDelivery => delivery_node(ctx, id.id).await?.map(Node::WebhookDelivery),
    })
}

/// Whether the viewer may see the rows of a book: a driver their own book, staff the
/// organization's business book (see [`books::can_see`]).
async fn visible_book(
    ctx: &Context<'_>,
    viewer: &Viewer,
    book_id: i64,
) -> async_graphql::Result<bool> {
    Ok(ctx
        .loaders()
        .books
        .load_one(Id::new(book_id))
        .await?
        .is_some_and(|b| books::can_see(viewer, &b)))
}

/// A contract the viewer may see: in their organization, and their own when a client.
pub async fn visible_contract(
    ctx: &Context<'_>,
    viewer: &Viewer,
    contract_id: i64,
) -> async_graphql::Result<Option<crate::entities::contract::Model>> {
    let contract = ctx
        .loaders()
        .contracts
        .load_one(Id::new(contract_id))
        .await?;
    Ok(contract.filter(|c| c.visible_to(viewer)))
}

/// `row` when the contract it belongs to (`contract_of`) is one the viewer may see:
/// invoices, cars and discounts are seen through their contract.
async fn under_visible_contract<T>(
    ctx: &Context<'_>,
    viewer: &Viewer,
    row: Option<T>,
    contract_of: impl Fn(&T) -> i64,
) -> async_graphql::Result<Option<T>> {
    let Some(row) = row else { return Ok(None) };
    let visible = visible_contract(ctx, viewer, contract_of(&row)).await?;
    Ok(visible.map(|_| row))
}

fn parse_id(id: &ID) -> async_graphql::Result<GlobalId> {
    GlobalId::parse(id).ok_or_else(|| {
        ErrorCode::BadUserInput.error(Text::NotAnIssuedId {
            id: id.as_str().to_string(),
        })
    })
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global ID; null when it does not exist or is not yours.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID as the API gave it, of any kind.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let global = parse_id(&id)?;
        let viewer = ctx.viewer()?;
        load_node(ctx, viewer, global).await
    }

    /// Fetches up to 100 objects by global ID, in the order given; null for each one that
    /// does not exist or is not yours.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs as the API gave them (any kinds mixed), at most 100.")]
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ErrorCode::BadUserInput.error(Text::TooManyIds {
                max: MAX_NODES.to_string(),
            }));
        }
        let globals = ids
            .iter()
            .map(parse_id)
            .collect::<async_graphql::Result<Vec<_>>>()?;
        let viewer = ctx.viewer()?;
        try_join_all(globals.into_iter().map(|g| load_node(ctx, viewer, g))).await
    }
}
