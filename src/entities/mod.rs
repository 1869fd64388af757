//! SeaORM models, one file a table. Money columns are `i64` minor units.

pub mod api_token;
pub mod car;
pub mod car_document;
pub mod client_phone;
pub mod client_profile;
pub mod contract;
pub mod emergency_contact;
pub mod emergency_contact_group;
pub mod expense_category;
pub mod faq;
pub mod invoice;
pub mod invoice_discount;
pub mod invoice_type;
pub mod organization;
pub mod plan;
pub mod refresh_token;
pub mod service_contact_channel;
pub mod support_contact;
pub mod tip;
pub mod tip_category;
pub mod user;
