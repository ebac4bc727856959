//! The documented JSON contract (`docs/openapi.yaml`) over `fetch`, through gloo-net.
//!
//! Every request carries an `AbortController` that fires when the request's future is dropped,
//! so leaving a page cancels what it was loading instead of letting answers land on nothing.

use super::{
    AuditBackend, AuditCall, BackendError, BackendFuture, Call, CustomerBackend, Download,
    ExportFormat, Reply,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use rapport_domain::Version;
use rapport_domain::api::Role;
use rapport_domain::api::{ErrorBody, SignInRequest, SignInResponse};
use serde::Serialize;
use std::sync::RwLock;

/// Where the session token is kept between page loads.
const TOKEN_KEY: &str = "rapport.session";
/// Where the customer's subject name is kept beside it.
const SUBJECT_KEY: &str = "rapport.subject";
/// Where the account's role is kept beside it.
const ROLE_KEY: &str = "rapport.role";

/// A backend that speaks the Rapport HTTP contract.
pub struct HttpBackend {
    base_url: String,
    token: RwLock<Option<String>>,
}

impl HttpBackend {
    /// A backend at `base_url` (such as `/api`), resuming a session stored by an earlier visit.
    #[must_use]
    pub fn new(base_url: &str) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: RwLock::new(stored_token()),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn token(&self) -> Option<String> {
        self.token.read().ok().and_then(|token| token.clone())
    }

    fn set_token(&self, token: Option<String>) {
        if let Some(storage) = local_storage() {
            let _ = match &token {
                Some(token) => storage.set_item(TOKEN_KEY, token),
                None => storage
                    .remove_item(TOKEN_KEY)
                    .and(storage.remove_item(SUBJECT_KEY))
                    .and(storage.remove_item(ROLE_KEY)),
            };
        }
        if let Ok(mut slot) = self.token.write() {
            *slot = token;
        }
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        match self.token() {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }
}

impl CustomerBackend for HttpBackend {
    fn sign_in(&self, email: String, password: String) -> BackendFuture<'_, ()> {
        Box::pin(async move {
            let request = SignInRequest { email, password };
            let response = send(Request::post(&self.url("/session")), json(&request)).await?;
            let signed_in: SignInResponse = rapport_domain::api::parse_json(&body(response).await?)
                .map_err(BackendError::Unreadable)?;
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(SUBJECT_KEY, &signed_in.subject);
                let _ = storage.set_item(ROLE_KEY, signed_in.role.as_str());
            }
            self.set_token(Some(signed_in.token));
            Ok(())
        })
    }

    fn adopt_session(&self, token: String, subject: Option<String>, role: Role) {
        if let Some(storage) = local_storage() {
            let _ = match &subject {
                Some(subject) => storage.set_item(SUBJECT_KEY, subject),
                None => storage.remove_item(SUBJECT_KEY),
            };
            let _ = storage.set_item(ROLE_KEY, role.as_str());
        }
        self.set_token(Some(token));
    }

    fn sign_out(&self) -> BackendFuture<'_, ()> {
        Box::pin(async move {
            let request = self.authorized(Request::delete(&self.url("/session")));
            // Forget the session here even if the server cannot be told.
            let outcome = send(request, None).await;
            self.set_token(None);
            outcome.map(|_| ())
        })
    }

    fn is_signed_in(&self) -> bool {
        self.token().is_some()
    }

    fn subject(&self) -> Option<String> {
        local_storage()?.get_item(SUBJECT_KEY).ok()?
    }

    fn role(&self) -> Role {
        stored_session_role().unwrap_or(Role::Customer)
    }

    fn call(&self, call: Call) -> BackendFuture<'_, Reply> {
        Box::pin(async move {
            match call {
                Call::LoadProfile => self.get("/me/profile").await,
                Call::SaveProfile(version, body) => {
                    self.put_versioned("/me/profile", version, body).await
                }
                Call::LoadPreferences => self.get("/me/preferences").await,
                Call::SavePreferences(version, body) => {
                    self.put_versioned("/me/preferences", version, body).await
                }
                Call::LoadConsents => self.get("/me/consents").await,
                Call::RecordConsent(body) => self.post("/me/consents", Some(body)).await,
                Call::ExportData => self.get("/me/export").await,
                Call::LoadErasureRequests => self.get("/me/erasure").await,
                Call::RequestErasure => self.post("/me/erasure", None).await,
                Call::LoadHistory(query) => {
                    let pairs: Vec<(String, String)> = query
                        .to_pairs()
                        .into_iter()
                        .map(|(name, value)| (name.to_owned(), value))
                        .collect();
                    self.get(&with_query("/me/history", &pairs)).await
                }
                Call::LoadFacts => self.get("/me/history/facts").await,
                Call::LoadDesigns => self.get("/me/designs").await,
                Call::SaveDesigns(version, body) => {
                    self.put_versioned("/me/designs", version, body).await
                }
                Call::PlaceOrder(body) => self.post("/me/orders", Some(body)).await,
                Call::RecordVisit => self.post("/me/visits", None).await,
            }
            .map(Reply::Done)
            .or_else(|error| match error {
                Failure::Conflict(body) => Ok(Reply::Conflict(body)),
                Failure::Error(error) => Err(error),
            })
        })
    }

    fn export_history(&self, format: ExportFormat) -> BackendFuture<'_, Download> {
        Box::pin(async move {
            let request =
                Request::get(&self.url("/me/history/export")).query([("format", format.as_str())]);
            let response = self.check_session(send(self.authorized(request), None).await?)?;
            let status = response.status();
            if !(200..=299).contains(&status) {
                // `body` turns an error answer into the BackendError it describes.
                return Err(body(response)
                    .await
                    .err()
                    .unwrap_or(BackendError::Server { status }));
            }
            let file_name = response
                .headers()
                .get("content-disposition")
                .and_then(|value| attachment_name(&value))
                .unwrap_or_else(|| format!("rapport-history.{}", format.as_str()));
            // The body is streamed; a server that gives up half way makes this fail, so a
            // cut-off export never looks like a complete file.
            let raw: web_sys::Response = response.into();
            let promise = raw
                .blob()
                .map_err(|_| BackendError::Unreadable("no body".into()))?;
            let blob = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map_err(|_| BackendError::Offline)?;
            Ok(Download {
                file_name,
                blob: wasm_bindgen::JsCast::unchecked_into(blob),
            })
        })
    }

    fn auditor(&self) -> Option<&dyn AuditBackend> {
        Some(self)
    }
}

impl AuditBackend for HttpBackend {
    fn audit(&self, call: AuditCall) -> BackendFuture<'_, String> {
        Box::pin(async move {
            let path = match call {
                AuditCall::VerifyLedger => "/audit/verify".to_owned(),
                AuditCall::Ledger {
                    mut filters,
                    cursor,
                } => {
                    filters.push(("order".into(), "newest".into()));
                    filters.extend(cursor.map(|cursor| ("cursor".to_owned(), cursor)));
                    with_query("/audit/ledger", &filters)
                }
                AuditCall::LedgerFile {
                    mut filters,
                    format,
                } => {
                    filters.push(("format".into(), format.into()));
                    with_query("/audit/ledger", &filters)
                }
                AuditCall::Screens => "/audit/screens".to_owned(),
                AuditCall::ConsentTrend => "/audit/consents/trend".to_owned(),
                AuditCall::CustomerAt { customer_ref, date } => with_query(
                    &format!("/audit/customers/{}/at", encode(&customer_ref)),
                    &[("date".into(), date)],
                ),
            };
            self.get(&path).await.map_err(Failure::into_error)
        })
    }
}

/// The file name of `attachment; filename="name.csv"`, when it is a plain one.
fn attachment_name(disposition: &str) -> Option<String> {
    let (_, rest) = disposition.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    plain.then(|| name.to_owned())
}

impl HttpBackend {
    /// GET as the signed-in account: the answer's text.
    async fn get(&self, path: &str) -> Result<String, Failure> {
        let response = send(self.authorized(Request::get(&self.url(path))), None).await?;
        Ok(body(self.check_session(response)?).await?)
    }

    /// POST (of a JSON body, when given) as the signed-in customer.
    async fn post(&self, path: &str, json: Option<String>) -> Result<String, Failure> {
        let response = send(self.authorized(Request::post(&self.url(path))), json).await?;
        Ok(body(self.check_session(response)?).await?)
    }

    /// PUT of a versioned document of "me", guarded by If-Match; 412 is a conflict.
    async fn put_versioned(
        &self,
        path: &str,
        version: Version,
        json: String,
    ) -> Result<String, Failure> {
        let request = self
            .authorized(Request::put(&self.url(path)))
            .header("If-Match", &version.etag());
        let response = self.check_session(send(request, Some(json)).await?)?;
        if response.status() == 412 {
            let text = response.text().await.map_err(|_| BackendError::Offline)?;
            return Err(Failure::Conflict(text));
        }
        Ok(body(response).await?)
    }

    /// A 401 means the stored session is dead: forget it so the portal asks to sign in.
    fn check_session(&self, response: Response) -> Result<Response, BackendError> {
        if response.status() == 401 {
            self.set_token(None);
            return Err(BackendError::SignedOut);
        }
        Ok(response)
    }
}

/// Cancels the request when dropped; harmless after it has completed.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// Sends a request, with `body` as JSON when given; cancelled if dropped before the answer.
pub(super) async fn send(
    request: RequestBuilder,
    body: Option<String>,
) -> Result<Response, BackendError> {
    let mut abort = AbortOnDrop(web_sys::AbortController::new().ok());
    let request = request.abort_signal(abort.0.as_ref().map(|c| c.signal()).as_ref());
    let request = match body {
        Some(json) => request
            .header("Content-Type", "application/json")
            .body(json),
        None => request.build(),
    }
    .map_err(|err| BackendError::Unreadable(err.to_string()))?;
    let sent = Box::pin(request.send());
    let response =
        match futures_util::future::select(sent, Box::pin(elapsed(ANSWER_WITHIN_MS))).await {
            futures_util::future::Either::Left((answer, _)) => {
                answer.map_err(|_| BackendError::Offline)?
            }
            // No answer in time: dropping `abort` below cancels the request.
            futures_util::future::Either::Right(_) => return Err(BackendError::TimedOut),
        };
    // The answer has arrived: aborting now would only cut off its body.
    abort.0 = None;
    Ok(response)
}

/// How long a request may wait for its answer before the customer is told (and it is cancelled).
const ANSWER_WITHIN_MS: i32 = 20_000;

/// Resolves after `ms` milliseconds (the window's timer; nothing when there is no window).
async fn elapsed(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn json<T: Serialize>(body: &T) -> Option<String> {
    serde_json::to_string(body).ok()
}

/// Why a call did not give a body: a conflict (its body) or an error.
enum Failure {
    Conflict(String),
    Error(BackendError),
}

impl Failure {
    fn into_error(self) -> BackendError {
        match self {
            Self::Conflict(_) => BackendError::Refused {
                code: "version_conflict".into(),
                field: None,
                message: "version conflict".into(),
            },
            Self::Error(error) => error,
        }
    }
}

impl From<BackendError> for Failure {
    fn from(error: BackendError) -> Self {
        Self::Error(error)
    }
}

/// The text of a successful answer, or the error the answer describes.
async fn body(response: Response) -> Result<String, BackendError> {
    let status = response.status();
    match status {
        200..=299 => response.text().await.map_err(|_| BackendError::Offline),
        401 => Err(BackendError::SignedOut),
        400..=499 => {
            let text = response.text().await.map_err(|_| BackendError::Offline)?;
            let body: ErrorBody =
                rapport_domain::api::parse_json(&text).map_err(BackendError::Unreadable)?;
            Err(BackendError::Refused {
                code: body.error.code,
                field: body.error.field,
                message: body.error.message,
            })
        }
        _ => Err(BackendError::Server { status }),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The role of the session an earlier visit stored here, if one is stored.
#[must_use]
pub fn stored_session_role() -> Option<Role> {
    stored_token()?;
    let stored = local_storage()?.get_item(ROLE_KEY).ok()?;
    Some(match stored.as_deref() {
        Some("privacy_officer") => Role::PrivacyOfficer,
        _ => Role::Customer,
    })
}

fn stored_token() -> Option<String> {
    local_storage()?.get_item(TOKEN_KEY).ok()?
}

/// `path?k=v&…` with the values percent-encoded; empty values are left out.
fn with_query(path: &str, pairs: &[(String, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

#[cfg(test)]
mod tests {
    use super::attachment_name;

    #[test]
    fn attachment_names_are_taken_only_when_plain() {
        let cases = [
            (
                "attachment; filename=\"rapport-history-2026-11-26.csv\"",
                Some("rapport-history-2026-11-26.csv"),
            ),
            (
                "attachment; filename=history.json; size=10",
                Some("history.json"),
            ),
            ("attachment; filename=\"../../etc/passwd\"", None),
            ("attachment; filename=\"\"", None),
            ("inline", None),
        ];
        for (header, expected) in cases {
            assert_eq!(attachment_name(header).as_deref(), expected, "{header}");
        }
    }
}
