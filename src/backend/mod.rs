//! The one boundary between the portal and wherever the customer's data lives.
//!
//! Pages speak only to [`CustomerBackend`]; each kind of backend is one implementation of it
//! ([`http::HttpBackend`] for the documented JSON contract). Adding a backend never touches a page.

pub mod http;
pub mod mapped;
pub mod ops;

use crate::config::ConfigFailure;
use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use rapport_domain::api::Role;
use rapport_domain::config::{BackendConfig, BackendKind};
use rapport_domain::history::HistoryQuery;
use rapport_domain::mapping::{Capabilities, Filter};
use rapport_domain::{Version, Versioned};
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// What every backend call returns. Futures are not `Send`: in the browser there is one thread.
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + 'a>>;

/// What a customer's pages ask of a backend, one call at a time. Answers come back as JSON
/// text in the contract's shape (docs/openapi.yaml), whatever the backend speaks; the typed
/// operations in [`ops`] read them. Keeping the reading out of this trait keeps it out of the
/// portal's main module: a page's types are decoded by code that loads with the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// The customer's profile and its version.
    LoadProfile,
    /// Store the profile (JSON) if the stored one is still at the version.
    SaveProfile(Version, String),
    /// The customer's checklist answers and contact choices.
    LoadPreferences,
    /// Store the preferences (JSON) if the stored ones are still at the version.
    SavePreferences(Version, String),
    /// Where the customer stands on each purpose, and their receipts.
    LoadConsents,
    /// Record one consent decision (JSON); the answer is the receipt.
    RecordConsent(String),
    /// Everything the backend holds about the customer, as the file's text.
    ExportData,
    /// The customer's erasure requests, newest first.
    LoadErasureRequests,
    /// Ask for erasure (or get the request already open).
    RequestErasure,
    /// One page of the customer's history, newest first.
    LoadHistory(HistoryQuery),
    /// The facts derived from the whole history.
    LoadFacts,
    /// The customer's saved product designs and their version.
    LoadDesigns,
    /// Store the designs (JSON) if the stored ones are still at the version.
    SaveDesigns(Version, String),
    /// Order a design (JSON order request); the backend re-prices it and refuses a price
    /// that no longer matches (`price_changed`).
    PlaceOrder(String),
    /// Note this visit; the answer says when the one before it was.
    RecordVisit,
}

/// What the officer's audit asks; only our own contract offers it (see [`CustomerBackend::auditor`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCall {
    /// Check the consent ledger's hash chain.
    VerifyLedger,
    /// One page of ledger entries passing `filters` (query pairs such as
    /// `("purpose", "marketing")`), newest first, after `cursor` when given.
    Ledger {
        /// Query pairs.
        filters: Vec<(String, String)>,
        /// Where the previous page ended.
        cursor: Option<String>,
    },
    /// The same entries as a file's text, `csv` or `json`.
    LedgerFile {
        /// Query pairs.
        filters: Vec<(String, String)>,
        /// `csv` or `json`.
        format: &'static str,
    },
    /// Every consent screen ever shown.
    Screens,
    /// Consent given and withdrawn per purpose and month, over the last two years.
    ConsentTrend,
    /// What one customer saw and chose as of a date (`YYYY-MM-DD`).
    CustomerAt {
        /// The customer's reference.
        customer_ref: String,
        /// The day.
        date: String,
    },
}

/// A call's answer: JSON text in the contract's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Done; the answer's body.
    Done(String),
    /// A versioned write was refused because the record had moved on; the body holds
    /// `current`, the record as it is now.
    Conflict(String),
    /// The store holds no such document yet; the first save creates it.
    Unstored,
}

/// The operations of a backend a customer's pages need.
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
    /// What the signed-in account may do.
    fn role(&self) -> Role;
    /// One call as the signed-in customer.
    fn call(&self, call: Call) -> BackendFuture<'_, Reply>;
    /// The whole history as a file, ready to hand to the browser's download.
    fn export_history(&self, format: ExportFormat) -> BackendFuture<'_, Download>;
    /// What this backend offers; pages show only that, and say what is missing.
    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }
    /// The history filters the backend can apply (`None`: all of them).
    fn history_filters(&self) -> Option<Vec<Filter>> {
        None
    }
    /// The officer's audit, when this backend offers it.
    fn auditor(&self) -> Option<&dyn AuditBackend> {
        None
    }
}

/// The officer's audit of the consent ledger.
pub trait AuditBackend {
    /// One audit call as the signed-in officer; the answer's JSON (or file) text.
    fn audit(&self, call: AuditCall) -> BackendFuture<'_, String>;
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
    /// The backend did not answer in time (the request was cancelled).
    TimedOut,
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

/// The backend the configuration names: Rapport's own contract, or a mapped store (whose
/// engine, and the check of its mapping, load as a module of their own).
pub async fn connect(config: &BackendConfig) -> Result<Backend, ConfigFailure> {
    match config.kind {
        BackendKind::Rapport => Ok(Backend::new(http::HttpBackend::new(&config.base_url))),
        BackendKind::Mapped => {
            mapped::connect(config.clone())
                .await
                .map_err(|failure| match failure {
                    mapped::Unconnected::Mistakes(mistakes) => ConfigFailure::Mistakes(mistakes),
                    mapped::Unconnected::ModuleUnavailable => ConfigFailure::Unreachable {
                        url: config.base_url.clone(),
                        detail: "the portal's module for this kind of store could not be loaded"
                            .into(),
                    },
                })
        }
    }
}

/// The backend in use, shared through context (`expect_context::<Backend>()`).
#[derive(Clone)]
pub struct Backend {
    inner: Arc<dyn CustomerBackend + Send + Sync>,
    flights: Arc<Mutex<Vec<Flight>>>,
}

type SharedReply = Shared<LocalBoxFuture<'static, Result<Reply, BackendError>>>;

/// A read on its way: a page asking for the same document meanwhile waits for this answer
/// instead of sending the request again (the welcome page's parts both read the consents).
struct Flight {
    call: Call,
    answer: SendWrapper<SharedReply>,
    /// Started before the page that needs it had loaded (see [`Backend::prefetch`]): kept,
    /// answered or not, until that page takes it.
    prefetched: bool,
}

impl Call {
    /// Whether the call only reads, so that two of them at once may share one answer.
    fn reads(&self) -> bool {
        matches!(
            self,
            Self::LoadProfile
                | Self::LoadPreferences
                | Self::LoadConsents
                | Self::ExportData
                | Self::LoadErasureRequests
                | Self::LoadHistory(_)
                | Self::LoadFacts
                | Self::LoadDesigns
        )
    }

    /// Whether the call can change what a read answers (noting a visit changes no document).
    fn writes(&self) -> bool {
        !self.reads() && *self != Self::RecordVisit
    }
}

impl Backend {
    /// The portal's backend.
    pub fn new(backend: impl CustomerBackend + Send + Sync + 'static) -> Self {
        Self {
            inner: Arc::new(backend),
            flights: Arc::default(),
        }
    }

    /// Starts `call` now, for the page about to ask for it (while its module is still
    /// loading); the page's own call then takes this answer, once.
    pub fn prefetch(&self, call: Call) {
        if !self.inner.is_signed_in() || !call.reads() {
            return;
        }
        let answer = self.start(call, true);
        wasm_bindgen_futures::spawn_local(answer.map(|_| ()));
    }

    /// One call as the signed-in customer; a read already on its way is not sent again, unless
    /// a write was sent since (a read sent before it may be answered after it).
    pub fn call(&self, call: Call) -> BackendFuture<'_, Reply> {
        let joined = self.flights.lock().ok().and_then(|mut flights| {
            // Answered reads are done with, and after a write so are those on their way; a
            // prefetched one waits for its page.
            flights.retain(|f| f.prefetched || (f.answer.peek().is_none() && !call.writes()));
            if !call.reads() {
                return None;
            }
            let at = flights.iter().position(|f| f.call == call)?;
            Some(if flights[at].prefetched {
                flights.swap_remove(at).answer.take()
            } else {
                (*flights[at].answer).clone()
            })
        });
        match joined {
            Some(answer) => Box::pin(answer),
            None if call.reads() => Box::pin(self.start(call, false)),
            None => self.inner.call(call),
        }
    }

    /// Sends `call`, listed as on its way until answered (or, when prefetched, until taken).
    fn start(&self, call: Call, prefetched: bool) -> SharedReply {
        let (inner, sent) = (self.inner.clone(), call.clone());
        let answer = async move { inner.call(sent).await }.boxed_local().shared();
        if let Ok(mut flights) = self.flights.lock() {
            // A new prefetch replaces an old one no page took.
            flights.retain(|f| !(prefetched && f.prefetched));
            flights.push(Flight {
                call,
                answer: SendWrapper::new(answer.clone()),
                prefetched,
            });
        }
        answer
    }
}

impl std::ops::Deref for Backend {
    type Target = dyn CustomerBackend + Send + Sync;

    fn deref(&self) -> &Self::Target {
        &*self.inner
    }
}
