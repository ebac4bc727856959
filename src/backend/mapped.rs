//! A business's own JSON store, described by the mapping in config.json.
//!
//! Everything store-specific is the mapping engine's (`rapport_domain::mapping`): it plans each
//! request and reads each answer into the contract's shape, exactly as the conformance command
//! (`rapport-conform`) does natively. This file only sends what the engine planned and hands
//! the answers on, so what the conformance command proved is what the portal does.
//!
//! The session lives in `sessionStorage`: it survives a reload of the tab but not the tab, and
//! a Basic credential (the password itself) never reaches `localStorage`.

use super::http;
use super::{
    Backend, BackendError, BackendFuture, Call, CustomerBackend, Download, ExportFormat, Reply,
};
use gloo_net::http::{Method, RequestBuilder};
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use rapport_domain::api::Role;
use rapport_domain::config::BackendConfig;
use rapport_domain::history::HistoryQuery;
use rapport_domain::mapping::{
    Answer, Capabilities, Document, Engine, Failure, Filter, Operation, Request, Saved, Session,
    UNSTORED,
};
use rapport_domain::{Version, Versioned};
use serde_json::Value;
use std::sync::RwLock;

/// Why a mapped backend could not be set up.
#[derive(Debug)]
pub enum Unconnected {
    /// This module could not be fetched.
    ModuleUnavailable,
    /// The mapping has mistakes, each naming its path.
    Mistakes(Vec<String>),
}

impl From<SplitLoaderError> for Unconnected {
    fn from(_: SplitLoaderError) -> Self {
        Self::ModuleUnavailable
    }
}

/// The backend a mapped configuration describes, its mapping checked first. A module of its
/// own: the engine's code is fetched only by a business whose store is mapped.
#[wasm_split(mapped, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn connect(config: BackendConfig) -> Result<Backend, Unconnected> {
    Engine::for_backend(&config)
        .map(|engine| Backend::new(MappedBackend::new(engine)))
        .map_err(|mistakes| {
            Unconnected::Mistakes(mistakes.iter().map(ToString::to_string).collect())
        })
}

/// Where the session is kept for the tab's lifetime.
const SESSION_KEY: &str = "rapport.mapped-session";

/// A backend reached through a mapping.
pub struct MappedBackend {
    engine: Engine,
    session: RwLock<Option<Session>>,
}

impl MappedBackend {
    /// The store the engine describes, resuming this tab's session if there is one.
    #[must_use]
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            session: RwLock::new(stored_session()),
        }
    }

    fn session(&self) -> Result<Session, BackendError> {
        self.session
            .read()
            .ok()
            .and_then(|s| s.clone())
            .ok_or(BackendError::SignedOut)
    }

    fn set_session(&self, session: Option<Session>) {
        if let Some(storage) = session_storage() {
            let _ = match &session {
                Some(s) => storage.set_item(
                    SESSION_KEY,
                    &serde_json::json!({
                        "credential": s.credential,
                        "subject": s.subject,
                        "role": s.role.as_str(),
                    })
                    .to_string(),
                ),
                None => storage.remove_item(SESSION_KEY),
            };
        }
        if let Ok(mut slot) = self.session.write() {
            *slot = session;
        }
    }

    /// Sends a request planned for the current session; on 401, refreshes the session once
    /// (when the store can) and plans and sends it again.
    async fn exchange(
        &self,
        plan: impl Fn(&Session) -> Result<Request, Failure>,
    ) -> Result<(Request, Answer), BackendError> {
        let session = self.session()?;
        let request = plan(&session).map_err(|f| self.failure(f))?;
        let answer = transport(&request).await?;
        if answer.status != 401 {
            return Ok((request, answer));
        }
        let Some(refresh) = self.engine.refresh_request(&session) else {
            return Ok((request, answer));
        };
        let refreshed = transport(&refresh).await?;
        let Ok(renewed) = self.engine.refresh_answer(&session, &refreshed) else {
            return Ok((request, answer));
        };
        self.set_session(Some(renewed.clone()));
        let request = plan(&renewed).map_err(|f| self.failure(f))?;
        let answer = transport(&request).await?;
        Ok((request, answer))
    }

    /// The JSON of an operation without a document, in the contract's shape.
    async fn data(&self, op: Operation, body: Option<&Value>) -> Result<Value, BackendError> {
        let (_, answer) = self
            .exchange(|session| match body {
                Some(document) => self.engine.request_with(op, session, document),
                None => self.engine.request(op, session),
            })
            .await?;
        self.engine
            .answer::<Value>(op, &answer)
            .map_err(|f| self.failure(f))
    }

    async fn read(&self, which: Document) -> Result<Reply, BackendError> {
        let (_, answer) = self
            .exchange(|session| self.engine.read_request(which, session))
            .await?;
        let read: Versioned<Value> = self
            .engine
            .read_answer(which, &answer)
            .map_err(|f| self.failure(f))?;
        if read.version == UNSTORED {
            return Ok(Reply::Unstored);
        }
        Ok(Reply::Done(to_text(&read)))
    }

    async fn write(
        &self,
        which: Document,
        version: Version,
        body: &str,
    ) -> Result<Reply, BackendError> {
        let document: Value =
            serde_json::from_str(body).map_err(|e| BackendError::Unreadable(e.to_string()))?;
        let (request, answer) = self
            .exchange(|session| {
                self.engine
                    .write_request(which, session, Some(version), &document)
            })
            .await?;
        match self
            .engine
            .write_answer::<Value>(which, &request, &answer)
            .map_err(|f| self.failure(f))?
        {
            Saved::Saved(stored) => Ok(Reply::Done(to_text(&stored))),
            Saved::Conflict(Some(current)) => Ok(Reply::Conflict(conflict_text(&current))),
            // The store does not say what won: read it, so the customer can compare.
            Saved::Conflict(None) => match self.read(which).await? {
                Reply::Done(text) => {
                    let current: Versioned<Value> = serde_json::from_str(&text)
                        .map_err(|e| BackendError::Unreadable(e.to_string()))?;
                    Ok(Reply::Conflict(conflict_text(&current)))
                }
                other => Ok(other),
            },
        }
    }

    async fn history(&self, query: HistoryQuery) -> Result<Reply, BackendError> {
        let (_, answer) = self
            .exchange(|session| self.engine.history_request(session, &query))
            .await?;
        let page = self
            .engine
            .history_answer(&query, &answer)
            .map_err(|f| self.failure(f))?;
        Ok(Reply::Done(to_text(&page)))
    }

    /// A failure as the portal explains it. A dead session is forgotten here, so the portal
    /// asks to sign in again (drafts wait in storage).
    fn failure(&self, failure: Failure) -> BackendError {
        if matches!(failure, Failure::SignedOut(_)) {
            self.set_session(None);
        }
        backend_error(failure)
    }
}

impl CustomerBackend for MappedBackend {
    fn sign_in(&self, email: String, password: String) -> BackendFuture<'_, ()> {
        Box::pin(async move {
            let request = self
                .engine
                .sign_in_request(&email, &password)
                .map_err(backend_error)?;
            let answer = transport(&request).await?;
            if matches!(answer.status, 400 | 401 | 403) {
                // Wrong e-mail or password, however the store words it.
                return Err(BackendError::SignedOut);
            }
            let session = self
                .engine
                .sign_in_answer(&email, &password, &answer)
                .map_err(backend_error)?;
            self.set_session(Some(session));
            Ok(())
        })
    }

    fn adopt_session(&self, token: String, subject: Option<String>, role: Role) {
        let session = self
            .engine
            .handed_over(&token, subject.as_deref().unwrap_or_default(), role);
        self.set_session(Some(session));
    }

    fn sign_out(&self) -> BackendFuture<'_, ()> {
        // A mapped store's sessions end on their own; here the portal forgets it.
        self.set_session(None);
        Box::pin(async { Ok(()) })
    }

    fn is_signed_in(&self) -> bool {
        self.session().is_ok()
    }

    fn subject(&self) -> Option<String> {
        self.session().ok().map(|s| s.subject)
    }

    fn role(&self) -> Role {
        // The officer's pages are the audit, which only Rapport's own contract has: on a
        // mapped store everyone is shown the customer's pages.
        Role::Customer
    }

    fn capabilities(&self) -> Capabilities {
        let mut offered = self.engine.capabilities();
        // The officer's audit, designs re-priced by the catalogue's rules and remembered
        // visits exist only on Rapport's own contract.
        offered.audit = false;
        offered.designs = false;
        offered.visits = false;
        offered
    }

    fn history_filters(&self) -> Option<Vec<Filter>> {
        Some(self.engine.history_filters())
    }

    fn call(&self, call: Call) -> BackendFuture<'_, Reply> {
        Box::pin(async move {
            match call {
                Call::LoadProfile => self.read(Document::Profile).await,
                Call::SaveProfile(version, body) => {
                    self.write(Document::Profile, version, &body).await
                }
                Call::LoadPreferences => self.read(Document::Preferences).await,
                Call::SavePreferences(version, body) => {
                    self.write(Document::Preferences, version, &body).await
                }
                Call::LoadConsents => self
                    .data(Operation::ConsentsRead, None)
                    .await
                    .map(|v| Reply::Done(v.to_string())),
                Call::RecordConsent(body) => {
                    let decision: Value = serde_json::from_str(&body)
                        .map_err(|e| BackendError::Unreadable(e.to_string()))?;
                    self.data(Operation::ConsentRecord, Some(&decision))
                        .await
                        .map(|v| Reply::Done(v.to_string()))
                }
                Call::ExportData => self
                    .data(Operation::Export, None)
                    .await
                    .map(|v| Reply::Done(serde_json::to_string_pretty(&v).unwrap_or_default())),
                // A store lists no erasure requests: the customer sees the one they make.
                Call::LoadErasureRequests => Ok(Reply::Done("[]".into())),
                Call::RequestErasure => self
                    .data(Operation::ErasureRequest, None)
                    .await
                    .map(|v| Reply::Done(v.to_string())),
                Call::LoadHistory(query) => self.history(query).await,
                Call::LoadFacts
                | Call::LoadDesigns
                | Call::SaveDesigns(..)
                | Call::PlaceOrder(_)
                | Call::RecordVisit => Err(not_offered()),
            }
        })
    }

    fn export_history(&self, _format: ExportFormat) -> BackendFuture<'_, Download> {
        Box::pin(async { Err(not_offered()) })
    }
}

/// Sends what the engine planned, exactly; the answer as the engine reads it.
async fn transport(request: &Request) -> Result<Answer, BackendError> {
    let method = Method::from_bytes(request.method.as_bytes())
        .map_err(|_| BackendError::Unreadable(format!("method {:?}", request.method)))?;
    let mut builder = RequestBuilder::new(&request.url).method(method);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = http::send(builder, request.body.clone()).await?;
    let headers = response.headers().entries().collect();
    let body = response.binary().await.map_err(|_| BackendError::Offline)?;
    Ok(Answer {
        status: response.status(),
        headers,
        body,
    })
}

/// A failure in the portal's terms; the mismatch text names the operation, the pointer and
/// what was found, never the credential.
fn backend_error(failure: Failure) -> BackendError {
    match failure {
        Failure::SignedOut(_) => BackendError::SignedOut,
        Failure::Refused(refusal) if refusal.status >= 500 => BackendError::Server {
            status: refusal.status,
        },
        Failure::Refused(refusal) => match refusal.not_json {
            Some(what) => BackendError::Unreadable(format!(
                "{}: the store answered {} with {what}",
                refusal.operation, refusal.status
            )),
            None => BackendError::Refused {
                code: refusal
                    .code
                    .unwrap_or_else(|| format!("http_{}", refusal.status)),
                field: refusal.field,
                message: refusal.message.unwrap_or_default(),
            },
        },
        mismatch @ Failure::Mismatch(_) => BackendError::Unreadable(mismatch.to_string()),
        Failure::NotOffered(..) => not_offered(),
    }
}

fn not_offered() -> BackendError {
    BackendError::Refused {
        code: "not_offered".into(),
        field: None,
        message: "this store does not offer it".into(),
    }
}

fn to_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn conflict_text(current: &Versioned<Value>) -> String {
    serde_json::json!({ "current": current }).to_string()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn stored_session() -> Option<Session> {
    let text = session_storage()?.get_item(SESSION_KEY).ok()??;
    let value: Value = serde_json::from_str(&text).ok()?;
    Some(Session {
        credential: value.get("credential")?.as_str()?.to_owned(),
        subject: value.get("subject")?.as_str()?.to_owned(),
        role: match value.get("role")?.as_str()? {
            "privacy_officer" => Role::PrivacyOfficer,
            _ => Role::Customer,
        },
    })
}
