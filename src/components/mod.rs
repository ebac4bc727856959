//! Pieces shared by pages.

pub mod backend_error;
pub mod field;
pub mod loading;
pub mod offered;
pub mod why;
