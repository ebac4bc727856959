//! Pieces shared by pages.

pub mod backend_error;
pub mod chart;
pub mod field;
pub mod loading;
pub mod offered;
pub mod why;
