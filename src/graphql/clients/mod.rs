//! Leads (the public "I want a car" form, read by staff), onboarding drivers (the
//! accounts ADMINs create, from a lead or not) and the driver's device token.

mod mutations;
mod onboarding;
mod queries;
pub mod types;

pub use mutations::ClientsMutation;
pub use onboarding::OnboardingMutation;
pub use queries::ClientsQuery;
