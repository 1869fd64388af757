pub mod cards;

pub use cards::{Card, CardsMutation};
