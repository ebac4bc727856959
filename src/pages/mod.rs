//! One module per section of the navigation.

pub mod coming_soon;
pub mod history;
pub mod preferences;
pub mod profile;
pub mod sign_in;
