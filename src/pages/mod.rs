//! One module per section of the navigation.

pub mod audit;
pub mod design;
pub mod history;
pub mod preferences;
pub mod privacy;
pub mod profile;
pub mod sign_in;
pub mod welcome;
