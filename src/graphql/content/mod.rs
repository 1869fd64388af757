//! Common content (the Leasy REST API's "Commons"): plans, expense categories, contact
//! directories, FAQs and tips. Public to read, cacheable; ADMINs change it.

pub mod mutations;
pub mod queries;
pub mod text;
pub mod types;

pub use mutations::ContentMutation;
pub use queries::ContentQuery;
