//! Who may see a row, one rule per kind, stated once: `node(id:)`, the lists and the
//! loaders that find a row by id all ask here. A row the viewer may not see is answered
//! exactly as a missing one, so that an id reveals nothing about other tenants.
//!
//! Rows of a book (accounts, categories, tags, transactions, transfers, credit cards)
//! follow their book ([`crate::books::can_see`]) and, for a private transaction of the
//! business book, [`crate::books::transactions::visible_to`].

crate::catalogue! {
    /// What a caller without the role an operation needs is told (FORBIDDEN).
    pub enum Text {
        StaffOnly {
            en: "Only the organization's staff can do this",
            es: "Solo el personal de la organización puede hacer esto",
            pt: "Somente a equipe da organização pode fazer isso",
        }
        AdminsOnly {
            en: "Only the organization's ADMINs can do this",
            es: "Solo los ADMIN de la organización pueden hacer esto",
            pt: "Somente os ADMIN da organização podem fazer isso",
        }
    }
}

use crate::{
    DomainError, DomainResult,
    auth::Viewer,
    entities::{
        api_token, card, contract, customer, emergency_contact, emergency_contact_group,
        expense_category, faq, lead, organization, payment, plan, receipt, sales_invoice,
        service_contact_channel, support_contact, tip, tip_category, user, wallet_movement,
    },
};

/// The organization's staff only (ADMINs and COLLECTORs): FORBIDDEN for anyone else.
pub fn require_staff(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_staff() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::StaffOnly.into()))
    }
}

/// The organization's ADMINs only: FORBIDDEN for COLLECTORs and drivers.
pub fn require_admin(viewer: &Viewer) -> DomainResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(DomainError::Forbidden(Text::AdminsOnly.into()))
    }
}

/// A row whose visibility depends on the row alone (and the viewer).
pub trait Visible {
    fn visible_to(&self, viewer: &Viewer) -> bool;
}

/// The viewer's own organization.
impl Visible for organization::Model {
    fn visible_to(&self, viewer: &Viewer) -> bool {
        self.id == viewer.organization_id.get()
    }
}

/// A user of the organization: staff see everyone, a driver only themself.
impl Visible for user::Model {
    fn visible_to(&self, viewer: &Viewer) -> bool {
        self.organization_id == viewer.organization_id.get()
            && (viewer.is_staff() || self.id == viewer.user_id.get())
    }
}

/// An API token: its owner only, staff included (a token is a credential).
impl Visible for api_token::Model {
    fn visible_to(&self, viewer: &Viewer) -> bool {
        self.organization_id == viewer.organization_id.get() && self.user_id == viewer.user_id.get()
    }
}

/// Rows of one driver: staff of the organization, and the driver.
macro_rules! a_drivers {
    ($($entity:ident),+) => {$(
        impl Visible for $entity::Model {
            fn visible_to(&self, viewer: &Viewer) -> bool {
                self.organization_id == viewer.organization_id.get()
                    && (viewer.is_staff() || self.client_id == viewer.user_id.get())
            }
        }
    )+};
}
a_drivers!(contract, payment, card, wallet_movement);

/// The organization's common content: anyone of the organization.
macro_rules! common_content {
    ($($entity:ident),+) => {$(
        impl Visible for $entity::Model {
            fn visible_to(&self, viewer: &Viewer) -> bool {
                self.organization_id == viewer.organization_id.get()
            }
        }
    )+};
}
common_content!(
    plan,
    expense_category,
    emergency_contact_group,
    emergency_contact,
    support_contact,
    service_contact_channel,
    faq,
    tip_category,
    tip
);

/// The business's own records: staff of the organization only. A lead is a stranger's
/// contact details; customers, sales invoices and receipts are the company's books.
macro_rules! staff_only {
    ($($entity:ident),+) => {$(
        impl Visible for $entity::Model {
            fn visible_to(&self, viewer: &Viewer) -> bool {
                viewer.is_staff() && self.organization_id == viewer.organization_id.get()
            }
        }
    )+};
}
staff_only!(lead, customer, sales_invoice, receipt);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::Credential, commons::Id, entities::user::Role};

    fn viewer(role: Role, user_id: i64) -> Viewer {
        Viewer {
            user_id: Id::new(user_id),
            organization_id: Id::new(1),
            role,
            credential: Credential::AccessToken {
                session: String::new(),
            },
        }
    }

    #[test]
    fn a_driver_sees_their_own_rows_and_staff_see_the_organizations() {
        let card = |organization_id, client_id| card::Model {
            id: 1,
            organization_id,
            client_id,
            brand: card::CardBrand::Visa,
            brand_name: "visa".into(),
            bin: None,
            last4: "4242".into(),
            expiration_month: None,
            expiration_year: None,
            processor_token: None,
            processor_subscription_id: None,
            is_processor_card: false,
            is_default: false,
            created_at: chrono::Utc::now(),
        };
        let driver = viewer(Role::Client, 7);
        let collector = viewer(Role::Collector, 2);
        assert!(card(1, 7).visible_to(&driver));
        assert!(!card(1, 8).visible_to(&driver), "another driver's card");
        assert!(card(1, 8).visible_to(&collector));
        assert!(!card(2, 8).visible_to(&collector), "another organization");
    }
}
