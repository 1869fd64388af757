//! SeaORM models, one file a table. Money columns are `i64` minor units.

pub mod api_token;
pub mod organization;
pub mod refresh_token;
pub mod user;
