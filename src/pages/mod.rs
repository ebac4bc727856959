//! One module per section of the navigation.

pub mod audit;
pub mod coming_soon;
pub mod preferences;
pub mod privacy;
pub mod profile;
pub mod sign_in;
