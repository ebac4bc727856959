//! Rapport's domain model.
//!
//! Plain Rust with no web dependencies: the portal (compiled to wasm) and the reference
//! backend (native) share these types, so the JSON on the wire has exactly one definition
//! and the rules (what a valid profile is, what a valid configuration is) are checked the
//! same way on both sides.
#![warn(missing_docs)]

pub mod api;
pub mod catalogue;
pub mod chart;
pub mod config;
pub mod consent;
pub mod consent_trend;
pub mod csv;
pub mod designs;
pub mod draft;
pub mod fields;
pub mod history;
pub mod json_path;
pub mod mapping;
pub mod preferences;
pub mod profile;
pub mod saved_design;
pub mod text;
pub mod time;
pub mod version;
pub mod visits;
pub mod welcome;

pub use preferences::Preferences;
pub use profile::{ContactMethod, Profile, ProfileField, ProfileProblem};
pub use version::{Version, Versioned};
