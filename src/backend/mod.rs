//! The one boundary between the portal and wherever the customer's data lives.
//!
//! Pages speak only to [`CustomerBackend`]; each kind of backend is one implementation of it
//! ([`http::HttpBackend`] for the documented JSON contract). Adding a backend never touches a page.

pub mod http;

use rapport_domain::api::Role;
use rapport_domain::consent::{
    ChainReport, ConsentReceipt, CustomerAt, ErasureRequest, LedgerPage, MyConsents, RecordConsent,
    ScreenCatalog,
};
use rapport_domain::history::{DerivedFacts, HistoryPage, HistoryQuery};
use rapport_domain::{Preferences, Profile, Version, Versioned};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What every backend call returns. Futures are not `Send`: in the browser there is one thread.
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + 'a>>;

/// The customer-facing operations of a backend.
pub trait CustomerBackend {
    /// Signs in with e-mail and password; afterwards calls act as that customer.
    fn sign_in(&self, email: String, password: String) -> BackendFuture<'_, ()>;
    /// Takes over a session the host page signed in itself (`element.signIn`), with the
    /// account's subject (for keying drafts; drafts are not kept without it) and role.
    fn adopt_session(&self, token: String, subject: Option<String>, role: Role);
    /// Ends the session on the server and forgets it here.
    fn sign_out(&self) -> BackendFuture<'_, ()>;
    /// Whether calls currently carry a session.
    fn is_signed_in(&self) -> bool;
    /// The signed-in customer's opaque, stable name (for keying drafts), when known.
    fn subject(&self) -> Option<String>;
    /// The customer's profile and its version.
    fn load_profile(&self) -> BackendFuture<'_, Versioned<Profile>>;
    /// Stores the profile if the stored one is still at `version`.
    fn save_profile(&self, version: Version, profile: Profile)
    -> BackendFuture<'_, Saved<Profile>>;
    /// The customer's checklist answers and contact choices.
    fn load_preferences(&self) -> BackendFuture<'_, Versioned<Preferences>>;
    /// Stores the preferences if the stored ones are still at `version`.
    fn save_preferences(
        &self,
        version: Version,
        preferences: Preferences,
    ) -> BackendFuture<'_, Saved<Preferences>>;
    /// Where the customer stands on each purpose, and their own consent receipts.
    fn load_consents(&self) -> BackendFuture<'_, MyConsents>;
    /// Records one consent decision; what comes back is the customer's receipt.
    fn record_consent(&self, decision: RecordConsent) -> BackendFuture<'_, ConsentReceipt>;
    /// Everything the backend holds about the customer, as the JSON text to save.
    fn export_data(&self) -> BackendFuture<'_, String>;
    /// The customer's erasure requests, newest first.
    fn load_erasure_requests(&self) -> BackendFuture<'_, Vec<ErasureRequest>>;
    /// Asks for erasure (or returns the request already open).
    fn request_erasure(&self) -> BackendFuture<'_, ErasureRequest>;
    /// What the signed-in account may do.
    fn role(&self) -> Role;
    /// Audit: checks the consent ledger's hash chain.
    fn verify_ledger(&self) -> BackendFuture<'_, ChainReport>;
    /// Audit: one page of ledger entries passing `filters` (query pairs such as
    /// `("purpose", "marketing")`), newest first, continuing after `cursor` when given.
    fn audit_ledger(
        &self,
        filters: Vec<(String, String)>,
        cursor: Option<String>,
    ) -> BackendFuture<'_, LedgerPage>;
    /// Audit: the same entries as a file to save, `csv` or `json`.
    fn audit_ledger_file(
        &self,
        filters: Vec<(String, String)>,
        format: &'static str,
    ) -> BackendFuture<'_, String>;
    /// Audit: every consent screen ever shown.
    fn audit_screens(&self) -> BackendFuture<'_, ScreenCatalog>;
    /// Audit: what one customer saw and chose as of a date (`YYYY-MM-DD`).
    fn audit_customer_at(
        &self,
        customer_ref: String,
        date: String,
    ) -> BackendFuture<'_, CustomerAt>;
    /// One page of the customer's history, newest first, as the query asks.
    fn load_history(&self, query: HistoryQuery) -> BackendFuture<'_, HistoryPage>;
    /// The facts the backend derives from the whole history.
    fn load_facts(&self) -> BackendFuture<'_, DerivedFacts>;
    /// The whole history as a file, ready to hand to the browser's download.
    fn export_history(&self, format: ExportFormat) -> BackendFuture<'_, Download>;
}

/// The formats the history export comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values, one event a row (spreadsheets).
    Csv,
    /// `{ "events": [...] }` in the contract's event shape (programs).
    Json,
}

impl ExportFormat {
    /// The name in the `format=` parameter, also the file extension.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// A file produced by the backend for the customer to keep.
#[derive(Debug, Clone)]
pub struct Download {
    /// The name the backend suggests (`Content-Disposition`), or one made up from the format.
    pub file_name: String,
    /// The content, held by the browser rather than copied into the wasm memory.
    pub blob: web_sys::Blob,
}

/// A versioned write's result: stored, or refused because the record had moved on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved<T> {
    /// Stored at the new version.
    Stored(Versioned<T>),
    /// Not stored: someone changed the record since it was read; this is how it is now.
    Conflict(Versioned<T>),
}

/// Why a backend call failed, in terms a page can explain to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    /// The request did not reach the backend, or no answer came back.
    Offline,
    /// The session is missing or has expired.
    SignedOut,
    /// The backend refused the request as invalid (4xx), with its code and the field concerned.
    Refused {
        /// The error code from the body.
        code: String,
        /// The field, when the error names one.
        field: Option<String>,
        /// The backend's own explanation (English, for developers).
        message: String,
    },
    /// The backend failed (5xx).
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// The backend answered, but not with what the contract promises; says what was wrong.
    Unreadable(String),
}

/// The backend in use, shared through context (`expect_context::<Backend>()`).
#[derive(Clone)]
pub struct Backend(pub Arc<dyn CustomerBackend + Send + Sync>);

impl std::ops::Deref for Backend {
    type Target = dyn CustomerBackend + Send + Sync;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}
