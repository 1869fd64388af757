//! Drivers before and after they sign: leads (people who ask to lease a car), onboarding
//! (the accounts ADMINs create, from a lead or not), the drivers as the staff list them,
//! and the phone a driver receives notifications on.

mod device_tokens;
pub mod drivers;
pub mod leads;
pub mod onboarding;
pub mod text;

pub use device_tokens::{MAX_DEVICE_TOKEN_CHARS, update_device_token};
pub use leads::{DUPLICATE_WINDOW_DAYS, LeadInput, LeadSearch, create_lead};
