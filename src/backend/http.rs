//! The documented JSON contract (`docs/openapi.yaml`) over `fetch`, through gloo-net.
//!
//! Every request carries an `AbortController` that fires when the request's future is dropped,
//! so leaving a page cancels what it was loading instead of letting answers land on nothing.

use super::{BackendError, BackendFuture, CustomerBackend, Download, ExportFormat, Saved};
use gloo_net::http::{Request, RequestBuilder, Response};
use rapport_domain::api::Role;
use rapport_domain::api::{ConflictBody, ErrorBody, SignInRequest, SignInResponse};
use rapport_domain::consent::{
    ChainReport, ConsentReceipt, CustomerAt, ErasureRequest, LedgerPage, MyConsents, RecordConsent,
    ScreenCatalog,
};
use rapport_domain::history::{DerivedFacts, HistoryPage, HistoryQuery};
use rapport_domain::{Preferences, Profile, Version, Versioned};
use serde::Serialize;
use serde::de::DeserializeOwned;
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
            let body = SignInRequest { email, password };
            let response = send(Request::post(&self.url("/session")), json(&body)).await?;
            let signed_in: SignInResponse = read(response).await?;
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

    fn load_profile(&self) -> BackendFuture<'_, Versioned<Profile>> {
        Box::pin(self.load_document("/me/profile"))
    }

    fn save_profile(
        &self,
        version: Version,
        profile: Profile,
    ) -> BackendFuture<'_, Saved<Profile>> {
        Box::pin(self.save_document("/me/profile", version, profile))
    }

    fn load_preferences(&self) -> BackendFuture<'_, Versioned<Preferences>> {
        Box::pin(self.load_document("/me/preferences"))
    }

    fn save_preferences(
        &self,
        version: Version,
        preferences: Preferences,
    ) -> BackendFuture<'_, Saved<Preferences>> {
        Box::pin(self.save_document("/me/preferences", version, preferences))
    }

    fn load_consents(&self) -> BackendFuture<'_, MyConsents> {
        Box::pin(self.get_json("/me/consents"))
    }

    fn record_consent(&self, decision: RecordConsent) -> BackendFuture<'_, ConsentReceipt> {
        Box::pin(self.post_json("/me/consents", json(&decision)))
    }

    fn export_data(&self) -> BackendFuture<'_, String> {
        Box::pin(self.get_text("/me/export"))
    }

    fn load_erasure_requests(&self) -> BackendFuture<'_, Vec<ErasureRequest>> {
        Box::pin(self.get_json("/me/erasure"))
    }

    fn request_erasure(&self) -> BackendFuture<'_, ErasureRequest> {
        Box::pin(self.post_json("/me/erasure", None))
    }

    fn role(&self) -> Role {
        let stored = local_storage().and_then(|s| s.get_item(ROLE_KEY).ok().flatten());
        match stored.as_deref() {
            Some("privacy_officer") => Role::PrivacyOfficer,
            _ => Role::Customer,
        }
    }

    fn verify_ledger(&self) -> BackendFuture<'_, ChainReport> {
        Box::pin(self.get_json("/audit/verify"))
    }

    fn audit_ledger(
        &self,
        mut filters: Vec<(String, String)>,
        cursor: Option<String>,
    ) -> BackendFuture<'_, LedgerPage> {
        filters.push(("order".into(), "newest".into()));
        filters.extend(cursor.map(|cursor| ("cursor".to_owned(), cursor)));
        Box::pin(async move { self.get_json(&with_query("/audit/ledger", &filters)).await })
    }

    fn audit_ledger_file(
        &self,
        mut filters: Vec<(String, String)>,
        format: &'static str,
    ) -> BackendFuture<'_, String> {
        filters.push(("format".into(), format.into()));
        Box::pin(async move { self.get_text(&with_query("/audit/ledger", &filters)).await })
    }

    fn audit_screens(&self) -> BackendFuture<'_, ScreenCatalog> {
        Box::pin(self.get_json("/audit/screens"))
    }

    fn audit_customer_at(
        &self,
        customer_ref: String,
        date: String,
    ) -> BackendFuture<'_, CustomerAt> {
        Box::pin(async move {
            let path = with_query(
                &format!("/audit/customers/{}/at", encode(&customer_ref)),
                &[("date".into(), date)],
            );
            self.get_json(&path).await
        })
    }
    fn load_history(&self, query: HistoryQuery) -> BackendFuture<'_, HistoryPage> {
        Box::pin(async move {
            let pairs = query.to_pairs();
            let request = Request::get(&self.url("/me/history"))
                .query(pairs.iter().map(|(name, value)| (*name, value.as_str())));
            let response = send(self.authorized(request), None).await?;
            read(self.check_session(response)?).await
        })
    }

    fn load_facts(&self) -> BackendFuture<'_, DerivedFacts> {
        Box::pin(async move {
            let request = self.authorized(Request::get(&self.url("/me/history/facts")));
            read(self.check_session(send(request, None).await?)?).await
        })
    }

    fn export_history(&self, format: ExportFormat) -> BackendFuture<'_, Download> {
        Box::pin(async move {
            let request =
                Request::get(&self.url("/me/history/export")).query([("format", format.as_str())]);
            let response = self.check_session(send(self.authorized(request), None).await?)?;
            let status = response.status();
            if !(200..=299).contains(&status) {
                // `read` turns an error answer into its BackendError (it never reads a body
                // as `ErrorBody` here: that is only for a 2xx).
                return Err(read::<ErrorBody>(response)
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
    /// GET of a versioned document of "me".
    async fn load_document<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Versioned<T>, BackendError> {
        self.get_json(path).await
    }

    /// GET of JSON as the signed-in customer.
    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, BackendError> {
        let response = send(self.authorized(Request::get(&self.url(path))), None).await?;
        read(self.check_session(response)?).await
    }

    /// GET of a file's text (an export) as the signed-in account.
    async fn get_text(&self, path: &str) -> Result<String, BackendError> {
        let response = send(self.authorized(Request::get(&self.url(path))), None).await?;
        let response = self.check_session(response)?;
        if !response.ok() {
            // Not a file: the error body, which `read` turns into the error it describes.
            return read::<serde_json::Value>(response)
                .await
                .map(|_| String::new());
        }
        response.text().await.map_err(|_| BackendError::Offline)
    }

    /// POST (of a JSON body, when given) as the signed-in customer.
    async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<String>,
    ) -> Result<T, BackendError> {
        let response = send(self.authorized(Request::post(&self.url(path))), body).await?;
        read(self.check_session(response)?).await
    }

    /// PUT of a versioned document of "me", guarded by If-Match.
    async fn save_document<T: Serialize + DeserializeOwned>(
        &self,
        path: &str,
        version: Version,
        document: T,
    ) -> Result<Saved<T>, BackendError> {
        let request = self
            .authorized(Request::put(&self.url(path)))
            .header("If-Match", &version.etag());
        let response = self.check_session(send(request, json(&document)).await?)?;
        if response.status() == 412 {
            let conflict: ConflictBody<T> = parse(response).await?;
            return Ok(Saved::Conflict(conflict.current));
        }
        read(response).await.map(Saved::Stored)
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
async fn send(request: RequestBuilder, body: Option<String>) -> Result<Response, BackendError> {
    let mut abort = AbortOnDrop(web_sys::AbortController::new().ok());
    let request = request.abort_signal(abort.0.as_ref().map(|c| c.signal()).as_ref());
    let request = match body {
        Some(json) => request
            .header("Content-Type", "application/json")
            .body(json),
        None => request.build(),
    }
    .map_err(|err| BackendError::Unreadable(err.to_string()))?;
    let response = request.send().await.map_err(|_| BackendError::Offline)?;
    // The answer has arrived: aborting now would only cut off its body.
    abort.0 = None;
    Ok(response)
}

fn json<T: Serialize>(body: &T) -> Option<String> {
    serde_json::to_string(body).ok()
}

/// The body of a successful answer, or the error the answer describes.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, BackendError> {
    let status = response.status();
    match status {
        200..=299 => parse(response).await,
        401 => Err(BackendError::SignedOut),
        400..=499 => {
            let body: ErrorBody = parse(response).await?;
            Err(BackendError::Refused {
                code: body.error.code,
                field: body.error.field,
                message: body.error.message,
            })
        }
        _ => Err(BackendError::Server { status }),
    }
}

/// Parses JSON, naming the field that did not fit when it fails.
async fn parse<T: DeserializeOwned>(response: Response) -> Result<T, BackendError> {
    let text = response.text().await.map_err(|_| BackendError::Offline)?;
    rapport_domain::api::parse_json(&text).map_err(BackendError::Unreadable)
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
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
