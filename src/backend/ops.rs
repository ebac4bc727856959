//! The typed operations pages call: each sends one [`Call`] and reads its answer as the
//! domain type. They are plain functions rather than trait methods so that each type's reading
//! code is reached only from the pages that use it, and route splitting moves it out of the
//! main module with them.

use super::{AuditCall, Backend, BackendError, BackendFuture, Call, Reply, Saved};
use rapport_domain::consent::{
    ChainReport, ConsentReceipt, CustomerAt, ErasureRequest, LedgerPage, MyConsents, RecordConsent,
    ScreenCatalog,
};
use rapport_domain::consent_trend::ConsentTrend;
use rapport_domain::designs::{Designs, OrderReceipt, OrderRequest};
use rapport_domain::history::{DerivedFacts, HistoryPage, HistoryQuery};
use rapport_domain::mapping::UNSTORED;
use rapport_domain::{Preferences, Profile, Version, Versioned};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The customer's profile and its version.
pub fn load_profile(backend: &Backend) -> BackendFuture<'_, Versioned<Profile>> {
    Box::pin(async move { document(backend.call(Call::LoadProfile).await?) })
}

/// Stores the profile if the stored one is still at `version`.
pub fn save_profile(
    backend: &Backend,
    version: Version,
    profile: Profile,
) -> BackendFuture<'_, Saved<Profile>> {
    Box::pin(async move {
        saved(
            backend
                .call(Call::SaveProfile(version, json(&profile)?))
                .await?,
        )
    })
}

/// The customer's checklist answers and contact choices.
pub fn load_preferences(backend: &Backend) -> BackendFuture<'_, Versioned<Preferences>> {
    Box::pin(async move { document(backend.call(Call::LoadPreferences).await?) })
}

/// Stores the preferences if the stored ones are still at `version`.
pub fn save_preferences(
    backend: &Backend,
    version: Version,
    preferences: Preferences,
) -> BackendFuture<'_, Saved<Preferences>> {
    Box::pin(async move {
        saved(
            backend
                .call(Call::SavePreferences(version, json(&preferences)?))
                .await?,
        )
    })
}

/// The customer's saved designs.
pub fn load_designs(backend: &Backend) -> BackendFuture<'_, Versioned<Designs>> {
    Box::pin(async move { document(backend.call(Call::LoadDesigns).await?) })
}

/// Stores the designs if the stored ones are still at `version`.
pub fn save_designs(
    backend: &Backend,
    version: Version,
    designs: Designs,
) -> BackendFuture<'_, Saved<Designs>> {
    Box::pin(async move {
        saved(
            backend
                .call(Call::SaveDesigns(version, json(&designs)?))
                .await?,
        )
    })
}

/// Orders a design at the price the customer saw; a price the backend no longer agrees with
/// is refused with the code `price_changed`.
pub fn place_order(backend: &Backend, order: OrderRequest) -> BackendFuture<'_, OrderReceipt> {
    Box::pin(async move { done(backend.call(Call::PlaceOrder(json(&order)?)).await?) })
}

/// Notes this visit; the answer is when the visit before it was (Unix seconds), if any.
pub fn record_visit(backend: &Backend) -> BackendFuture<'_, Option<i64>> {
    #[derive(serde::Deserialize)]
    struct Visit {
        previous_visit_at: Option<i64>,
    }
    Box::pin(async move {
        done::<Visit>(backend.call(Call::RecordVisit).await?).map(|v| v.previous_visit_at)
    })
}

/// Where the customer stands on each purpose, and their own consent receipts.
pub fn load_consents(backend: &Backend) -> BackendFuture<'_, MyConsents> {
    Box::pin(async move { done(backend.call(Call::LoadConsents).await?) })
}

/// Records one consent decision; what comes back is the customer's receipt.
pub fn record_consent(
    backend: &Backend,
    decision: RecordConsent,
) -> BackendFuture<'_, ConsentReceipt> {
    Box::pin(async move { done(backend.call(Call::RecordConsent(json(&decision)?)).await?) })
}

/// Everything the backend holds about the customer, as the JSON text to save.
pub fn export_data(backend: &Backend) -> BackendFuture<'_, String> {
    Box::pin(async move {
        match backend.call(Call::ExportData).await? {
            Reply::Done(text) => Ok(text),
            _ => Err(unexpected_conflict()),
        }
    })
}

/// The customer's erasure requests, newest first.
pub fn load_erasure_requests(backend: &Backend) -> BackendFuture<'_, Vec<ErasureRequest>> {
    Box::pin(async move { done(backend.call(Call::LoadErasureRequests).await?) })
}

/// Asks for erasure (or returns the request already open).
pub fn request_erasure(backend: &Backend) -> BackendFuture<'_, ErasureRequest> {
    Box::pin(async move { done(backend.call(Call::RequestErasure).await?) })
}

/// One page of the customer's history, newest first, as the query asks.
pub fn load_history(backend: &Backend, query: HistoryQuery) -> BackendFuture<'_, HistoryPage> {
    Box::pin(async move { done(backend.call(Call::LoadHistory(query)).await?) })
}

/// The facts the backend derives from the whole history.
pub fn load_facts(backend: &Backend) -> BackendFuture<'_, DerivedFacts> {
    Box::pin(async move { done(backend.call(Call::LoadFacts).await?) })
}

/// Audit: checks the consent ledger's hash chain.
pub fn verify_ledger(backend: &Backend) -> BackendFuture<'_, ChainReport> {
    Box::pin(async move { read(&audit(backend, AuditCall::VerifyLedger).await?) })
}

/// Audit: one page of ledger entries passing `filters`, newest first, after `cursor`.
pub fn audit_ledger(
    backend: &Backend,
    filters: Vec<(String, String)>,
    cursor: Option<String>,
) -> BackendFuture<'_, LedgerPage> {
    Box::pin(async move { read(&audit(backend, AuditCall::Ledger { filters, cursor }).await?) })
}

/// Audit: the same entries as a file to save, `csv` or `json`.
pub fn audit_ledger_file<'a>(
    backend: &'a Backend,
    filters: Vec<(String, String)>,
    format: &'static str,
) -> BackendFuture<'a, String> {
    Box::pin(audit(backend, AuditCall::LedgerFile { filters, format }))
}

/// Audit: every consent screen ever shown.
pub fn audit_screens(backend: &Backend) -> BackendFuture<'_, ScreenCatalog> {
    Box::pin(async move { read(&audit(backend, AuditCall::Screens).await?) })
}

/// Audit: consent given and withdrawn per purpose and month, over the last two years.
pub fn audit_consent_trend(backend: &Backend) -> BackendFuture<'_, ConsentTrend> {
    Box::pin(async move { read(&audit(backend, AuditCall::ConsentTrend).await?) })
}

/// Audit: what one customer saw and chose as of a date (`YYYY-MM-DD`).
pub fn audit_customer_at(
    backend: &Backend,
    customer_ref: String,
    date: String,
) -> BackendFuture<'_, CustomerAt> {
    Box::pin(
        async move { read(&audit(backend, AuditCall::CustomerAt { customer_ref, date }).await?) },
    )
}

async fn audit(backend: &Backend, call: AuditCall) -> Result<String, BackendError> {
    match backend.auditor() {
        Some(auditor) => auditor.audit(call).await,
        None => Err(BackendError::Refused {
            code: "not_offered".into(),
            field: None,
            message: "this backend has no audit".into(),
        }),
    }
}

/// The body of a done call as `T`; a conflict is not an answer these calls can get.
fn done<T: DeserializeOwned>(reply: Reply) -> Result<T, BackendError> {
    match reply {
        Reply::Done(text) => read(&text),
        _ => Err(unexpected_conflict()),
    }
}

/// A versioned document; one the store does not hold yet is empty, and saving creates it.
fn document<T: DeserializeOwned + Default>(reply: Reply) -> Result<Versioned<T>, BackendError> {
    match reply {
        Reply::Unstored => Ok(Versioned {
            version: UNSTORED,
            data: T::default(),
        }),
        other => done(other),
    }
}

/// A versioned write's answer: the stored record, or the record as it is now.
fn saved<T: DeserializeOwned>(reply: Reply) -> Result<Saved<T>, BackendError> {
    #[derive(serde::Deserialize)]
    #[serde(bound = "T: DeserializeOwned")]
    struct Current<T> {
        current: Versioned<T>,
    }
    match reply {
        Reply::Done(text) => read(&text).map(Saved::Stored),
        Reply::Conflict(text) => read::<Current<T>>(&text).map(|c| Saved::Conflict(c.current)),
        Reply::Unstored => Err(unexpected_conflict()),
    }
}

/// Parses an answer, naming the field that did not fit when it fails.
fn read<T: DeserializeOwned>(text: &str) -> Result<T, BackendError> {
    rapport_domain::api::parse_json(text).map_err(BackendError::Unreadable)
}

fn json<T: Serialize>(value: &T) -> Result<String, BackendError> {
    serde_json::to_string(value).map_err(|err| BackendError::Unreadable(err.to_string()))
}

fn unexpected_conflict() -> BackendError {
    BackendError::Unreadable("an answer this call cannot have".into())
}
