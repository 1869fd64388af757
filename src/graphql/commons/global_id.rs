//! Opaque global IDs: base64url of `Kind:id`. Clients must not parse them; the kind
//! lets `node(id:)` find the row and refuses an ID of one type where another is expected.

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{ErrorCode, nouns::Noun, text::Text};
use crate::domain::{Language, commons::Id, i18n::Sentence};

/// Every type that implements `Node`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Organization,
    Client,
    StaffUser,
    ApiToken,
    Contract,
    Car,
    Invoice,
    InvoiceDiscount,
    Payment,
    Lead,
    Card,
    Plan,
    ExpenseCategory,
    EmergencyContactGroup,
    EmergencyContact,
    SupportContact,
    ServiceContactChannel,
    Faq,
    TipCategory,
    Tip,
    Account,
    Category,
    Tag,
    Transaction,
    Transfer,
    CreditCard,
    CreditCardStatement,
    Customer,
    SalesInvoice,
    Receipt,
    Budget,
    WalletMovement,
    WebhookEndpoint,
    WebhookDelivery,
}

impl NodeKind {
    pub const ALL: [NodeKind; 34] = [
        NodeKind::Organization,
        NodeKind::Client,
        NodeKind::StaffUser,
        NodeKind::ApiToken,
        NodeKind::Contract,
        NodeKind::Car,
        NodeKind::Invoice,
        NodeKind::InvoiceDiscount,
        NodeKind::Payment,
        NodeKind::Lead,
        NodeKind::Card,
        NodeKind::Plan,
        NodeKind::ExpenseCategory,
        NodeKind::EmergencyContactGroup,
        NodeKind::EmergencyContact,
        NodeKind::SupportContact,
        NodeKind::ServiceContactChannel,
        NodeKind::Faq,
        NodeKind::TipCategory,
        NodeKind::Tip,
        NodeKind::Account,
        NodeKind::Category,
        NodeKind::Tag,
        NodeKind::Transaction,
        NodeKind::Transfer,
        NodeKind::CreditCard,
        NodeKind::CreditCardStatement,
        NodeKind::Customer,
        NodeKind::SalesInvoice,
        NodeKind::Receipt,
        NodeKind::Budget,
        NodeKind::WalletMovement,
        NodeKind::WebhookEndpoint,
        NodeKind::WebhookDelivery,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Organization => "Organization",
            NodeKind::Client => "Client",
            NodeKind::StaffUser => "StaffUser",
            NodeKind::ApiToken => "ApiToken",
            NodeKind::Contract => "Contract",
            NodeKind::Car => "Car",
            NodeKind::Invoice => "Invoice",
            NodeKind::InvoiceDiscount => "InvoiceDiscount",
            NodeKind::Payment => "Payment",
            NodeKind::Lead => "Lead",
            NodeKind::Card => "Card",
            NodeKind::Plan => "Plan",
            NodeKind::ExpenseCategory => "ExpenseCategory",
            NodeKind::EmergencyContactGroup => "EmergencyContactGroup",
            NodeKind::EmergencyContact => "EmergencyContact",
            NodeKind::SupportContact => "SupportContact",
            NodeKind::ServiceContactChannel => "ServiceContactChannel",
            NodeKind::Faq => "Faq",
            NodeKind::TipCategory => "TipCategory",
            NodeKind::Tip => "Tip",
            NodeKind::Account => "Account",
            NodeKind::Category => "Category",
            NodeKind::Tag => "Tag",
            NodeKind::Transaction => "Transaction",
            NodeKind::Transfer => "Transfer",
            NodeKind::CreditCard => "CreditCard",
            NodeKind::CreditCardStatement => "CreditCardStatement",
            NodeKind::Customer => "Customer",
            NodeKind::SalesInvoice => "SalesInvoice",
            NodeKind::Receipt => "Receipt",
            NodeKind::Budget => "Budget",
            NodeKind::WalletMovement => "WalletMovement",
            NodeKind::WebhookEndpoint => "WebhookEndpoint",
            NodeKind::WebhookDelivery => "WebhookDelivery",
        }
    }
}

impl NodeKind {
    /// The kind of global ID an object of a book's change log has (`Book.changes`,
    /// webhook events).
    pub fn of_change(kind: crate::entities::book_change::ChangeKind) -> NodeKind {
        use crate::entities::book_change::ChangeKind as Kind;
        match kind {
            Kind::Transaction => NodeKind::Transaction,
            Kind::Transfer => NodeKind::Transfer,
            Kind::Account => NodeKind::Account,
            Kind::CreditCard => NodeKind::CreditCard,
            Kind::Category => NodeKind::Category,
            Kind::Tag => NodeKind::Tag,
            Kind::Budget => NodeKind::Budget,
            Kind::Customer => NodeKind::Customer,
            Kind::SalesInvoice => NodeKind::SalesInvoice,
            Kind::Receipt => NodeKind::Receipt,
            Kind::Invoice => NodeKind::Invoice,
            Kind::WalletMovement => NodeKind::WalletMovement,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalId {
    pub kind: NodeKind,
    pub id: i64,
}

/// The text SQL expression `text` as unpadded base64url (what global IDs and cursors are),
/// written in PostgreSQL: `encode` writes standard base64 with a line break every 76
/// characters, which `translate` removes with the `+` and `/` it replaces.
pub fn postgres_base64url(text: &str) -> String {
    format!(
        "rtrim(translate(encode(convert_to({text}, 'UTF8'), 'base64'), '+/' || chr(10), '-_'), '=')"
    )
}

impl GlobalId {
    pub fn new(kind: NodeKind, id: i64) -> Self {
        Self { kind, id }
    }

    pub fn to_id(self) -> ID {
        ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", self.kind.name(), self.id)))
    }

    /// [`GlobalId::to_id`] written in PostgreSQL, for the id in `id_column` of a row of
    /// `kind` (`fast::compiled`).
    pub fn postgres_sql(kind: NodeKind, id_column: &str) -> String {
        postgres_base64url(&format!("'{}:' || {id_column}", kind.name()))
    }

    /// Decodes any global ID; `None` for anything we did not issue.
    pub fn parse(id: &str) -> Option<GlobalId> {
        let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
        let raw = std::str::from_utf8(&raw).ok()?;
        let (kind, number) = raw.split_once(':')?;
        let kind = NodeKind::ALL.into_iter().find(|k| k.name() == kind)?;
        // An occurrence of a recurring series that has no row has a negative id (see
        // `domain::books::occurrences`); no other kind does.
        let (negative, digits) = match number.strip_prefix('-') {
            Some(digits) if kind == NodeKind::Transaction => (true, digits),
            _ => (false, number),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let id: i64 = digits.parse().ok().filter(|n: &i64| *n > 0)?;
        Some(GlobalId {
            kind,
            id: if negative { -id } else { id },
        })
    }

    /// Decodes an ID that must be of one kind (a mutation's `id` argument).
    pub fn parse_kind(id: &str, kind: NodeKind) -> Option<i64> {
        Self::parse(id).filter(|g| g.kind == kind).map(|g| g.id)
    }

    /// The typed id an ID of `kind` stands for; the table is the one the caller expects
    /// (a domain function's parameter), so `kind` must be that table's.
    pub fn parse_as<T>(id: &str, kind: NodeKind) -> Option<Id<T>> {
        Self::parse_kind(id, kind).map(Id::new)
    }
}

/// The typed id inside an input's global ID `field`, which must be `what` (an ID of
/// `kind`, the kind of the table the domain function expects); BAD_USER_INPUT naming the
/// field for any other ID. `what` is said in English; the other languages name `kind`.
pub fn target<T>(id: &ID, kind: NodeKind, field: &str, what: &str) -> async_graphql::Result<Id<T>> {
    GlobalId::parse_as(id, kind).ok_or_else(|| {
        ErrorCode::BadUserInput.error(NotAnId {
            field: field.to_string(),
            what: what.to_string(),
            kind,
        })
    })
}

/// [`target`] for each ID of a list `field`.
pub fn targets<T>(
    list: &[ID],
    kind: NodeKind,
    field: &str,
    what: &str,
) -> async_graphql::Result<Vec<Id<T>>> {
    list.iter()
        .map(|id| target(id, kind, field, what))
        .collect()
}

/// [`target`] for an optional ID (`None` when it was not sent).
pub fn target_opt<T>(
    id: Option<&ID>,
    kind: NodeKind,
    field: &str,
    what: &str,
) -> async_graphql::Result<Option<Id<T>>> {
    id.map(|id| target(id, kind, field, what)).transpose()
}

impl Noun {
    pub fn of(kind: NodeKind) -> Noun {
        match kind {
            NodeKind::Organization => Noun::Organization,
            NodeKind::Client => Noun::Client,
            NodeKind::StaffUser => Noun::StaffUser,
            NodeKind::ApiToken => Noun::ApiToken,
            NodeKind::Contract => Noun::Contract,
            NodeKind::Car => Noun::Car,
            NodeKind::Invoice => Noun::Invoice,
            NodeKind::InvoiceDiscount => Noun::InvoiceDiscount,
            NodeKind::Payment => Noun::Payment,
            NodeKind::Lead => Noun::Lead,
            NodeKind::Card => Noun::Card,
            NodeKind::Plan => Noun::Plan,
            NodeKind::ExpenseCategory => Noun::ExpenseCategory,
            NodeKind::EmergencyContactGroup => Noun::EmergencyContactGroup,
            NodeKind::EmergencyContact => Noun::EmergencyContact,
            NodeKind::SupportContact => Noun::SupportContact,
            NodeKind::ServiceContactChannel => Noun::ServiceContactChannel,
            NodeKind::Faq => Noun::Faq,
            NodeKind::TipCategory => Noun::TipCategory,
            NodeKind::Tip => Noun::Tip,
            NodeKind::Account => Noun::Account,
            NodeKind::Category => Noun::Category,
            NodeKind::Tag => Noun::Tag,
            NodeKind::Transaction => Noun::Transaction,
            NodeKind::Transfer => Noun::Transfer,
            NodeKind::CreditCard => Noun::CreditCard,
            NodeKind::CreditCardStatement => Noun::CreditCardStatement,
            NodeKind::Customer => Noun::Customer,
            NodeKind::SalesInvoice => Noun::SalesInvoice,
            NodeKind::Receipt => Noun::Receipt,
            NodeKind::Budget => Noun::Budget,
            NodeKind::WalletMovement => Noun::WalletMovement,
            NodeKind::WebhookEndpoint => Noun::WebhookEndpoint,
            NodeKind::WebhookDelivery => Noun::WebhookDelivery,
        }
    }
}

/// "`{field}` is not {what} ID": in English with the words the caller chose (`what`,
/// "a driver's" as well as "a client"), in the other languages with the noun of `kind`.
#[derive(Debug)]
pub struct NotAnId {
    pub field: String,
    pub what: String,
    pub kind: NodeKind,
}

impl Sentence for NotAnId {
    fn say(&self, language: Language) -> String {
        let what = match language {
            Language::English => self.what.clone(),
            _ => Noun::of(self.kind).say(language),
        };
        Text::NotAnIdOf {
            field: self.field.clone(),
            what,
        }
        .say(language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_foreign_ids() {
        let id = GlobalId::new(NodeKind::Client, 42).to_id();
        assert_eq!(
            GlobalId::parse(&id),
            Some(GlobalId::new(NodeKind::Client, 42))
        );
        assert_eq!(GlobalId::parse_kind(&id, NodeKind::ApiToken), None);
        let forge = |s: &str| URL_SAFE_NO_PAD.encode(s);
        for bad in [
            "",
            "42",
            "!!!",
            &forge("Client:"),
            &forge("Client:-1"),
            &forge("Client:0"),
            &forge("Nope:1"),
            &forge("Client:1:2"),
            &forge("Client:99999999999999999999"),
            &forge("Transaction:-"),
            &forge("Transaction:-0"),
            &forge("Transaction:--1"),
            &forge("Transaction:+1"),
        ] {
            assert_eq!(GlobalId::parse(bad), None, "{bad}");
        }
        // Only a transaction (an occurrence without a row) has a negative id.
        let occurrence = GlobalId::new(NodeKind::Transaction, -67_108_869).to_id();
        assert_eq!(
            GlobalId::parse_kind(&occurrence, NodeKind::Transaction),
            Some(-67_108_869)
        );
    }
}
