//! The back office's people: staff users, their invitations, the audit trail of what
//! staff change (see `domain::staff` and `domain::audit`).

pub mod audit;
pub mod mutations;
pub mod queries;
pub mod text;

pub use mutations::StaffMutation;
pub use queries::StaffQuery;
