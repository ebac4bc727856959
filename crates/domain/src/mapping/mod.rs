//! Mapped backends: a business's own JSON store, reached by configuration alone.
//!
//! The engine is sans-IO: [`Engine`] turns an operation and its inputs into a [`Request`]
//! (method, URL, headers, body) and turns the store's [`Answer`] into a domain result or a
//! [`Failure`] that names the operation, the JSON Pointer and what was found there. Sending
//! the request is the caller's job (gloo-net in the portal, a native client in the conformance
//! command), so both do exactly the same thing:
//!
//! ```text
//! let request = engine.read_request(Document::Profile, &session)?;
//! let answer = transport(request);
//! let profile: Versioned<Profile> = engine.read_answer(Document::Profile, &answer)?;
//! ```
//!
//! Every operation is such a pair (`sign_in_*`, `read_*`, `write_*`, `history_*`,
//! `request`/`answer`). What the caller decides:
//! - on [`Failure::SignedOut`], send [`Engine::refresh_request`] once if there is one, take the
//!   new session from [`Engine::refresh_answer`] and repeat the request; else sign in again;
//! - on [`Saved::Conflict`]`(None)`, read the document again to show the conflict;
//! - a [`Session`]'s credential is for memory (Basic credentials never go to storage); its
//!   `Debug` and a [`Request`]'s hide it, so either may be logged;
//! - [`Engine::capabilities`] and [`Engine::history_filters`] say what pages may offer.
//!
//! Rapport's own contract (`docs/openapi.yaml`) is one mapping among others
//! ([`Engine::rapport`]), so `{"base_url": "/api"}` goes through the same code.

mod check;
pub mod config;
mod history;
mod read;
pub mod template;
mod wire;

pub use config::{
    Auth, AuthKind, Capabilities, CurrentRecord, ErrorPointers, Filter, FilterParam,
    HistoryMapping, Mapping, OpMapping, Operation, Paging, Place, VersionMapping, VersionSink,
    VersionSource,
};
pub use read::describe;
pub use wire::{Answer, Failure, Mismatch, Refusal, Request, Saved, Session};

use crate::api::Role;
use crate::config::{BackendConfig, BackendKind, ConfigProblem};
use crate::version::{Version, Versioned};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The version of a document the store does not hold yet: the next save creates it.
pub const UNSTORED: Version = Version(0);

/// Rapport's own contract, as a mapping.
const RAPPORT: &str = include_str!("rapport.json");

/// A configured store: its base URL and mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    base_url: String,
    mapping: Mapping,
}

/// The two versioned documents a customer edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// Contact details.
    Profile,
    /// Checklist answers and contact choices.
    Preferences,
}

impl Document {
    fn read_op(self) -> Operation {
        match self {
            Self::Profile => Operation::ProfileRead,
            Self::Preferences => Operation::PreferencesRead,
        }
    }

    fn write_op(self) -> Operation {
        match self {
            Self::Profile => Operation::ProfileWrite,
            Self::Preferences => Operation::PreferencesWrite,
        }
    }

    fn create_op(self) -> Operation {
        match self {
            Self::Profile => Operation::ProfileCreate,
            Self::Preferences => Operation::PreferencesCreate,
        }
    }
}

impl Engine {
    /// A store at `base_url` (no trailing slash needed) described by `mapping`.
    #[must_use]
    pub fn new(base_url: &str, mapping: Mapping) -> Engine {
        Engine {
            base_url: base_url.trim_end_matches('/').to_owned(),
            mapping,
        }
    }

    /// Rapport's own contract at `base_url` (such as `/api`).
    #[must_use]
    pub fn rapport(base_url: &str) -> Engine {
        // Read part by part like any mapping, so the wasm carries one reader, not two.
        let text: Value = serde_json::from_str(RAPPORT).expect("rapport.json is JSON");
        let mut mapping =
            Mapping::from_value(&text, "rapport").expect("rapport.json is checked by a test");
        // Checked mappings may not claim the audit; our own contract is the one that has it.
        mapping.capabilities = Capabilities::ALL;
        Engine::new(base_url, mapping)
    }

    /// The engine for the configuration's backend: our own contract, or its mapping.
    pub fn for_backend(backend: &BackendConfig) -> Result<Engine, Vec<ConfigProblem>> {
        match (backend.kind, &backend.mapping) {
            (BackendKind::Rapport, _) => Ok(Engine::rapport(&backend.base_url)),
            (BackendKind::Mapped, None) => Err(vec![ConfigProblem {
                path: "backend.mapping".into(),
                issue: crate::config::ConfigIssue::Mapping(
                    "is missing: a \"mapped\" backend needs a mapping".into(),
                ),
            }]),
            (BackendKind::Mapped, Some(mapping)) => Ok(Engine::new(
                &backend.base_url,
                Mapping::from_value(mapping, "backend.mapping")?,
            )),
        }
    }

    /// The mapping in use.
    #[must_use]
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// What the store offers; pages hide the rest and say so.
    #[must_use]
    pub fn capabilities(&self) -> Capabilities {
        self.mapping.capabilities
    }

    /// Whether the mapping has this operation.
    #[must_use]
    pub fn offers(&self, op: Operation) -> bool {
        self.mapping.operations.contains_key(&op)
    }

    /// The history filters the store can do (the page turns the others off).
    #[must_use]
    pub fn history_filters(&self) -> Vec<Filter> {
        self.mapping
            .history
            .as_ref()
            .map(|h| h.filters.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The sign-in request for these credentials.
    pub fn sign_in_request(&self, username: &str, password: &str) -> Result<Request, Failure> {
        let credential = match self.mapping.auth.kind {
            AuthKind::SignIn => None,
            AuthKind::Basic => Some(basic(username, password)),
            AuthKind::Header => {
                return Err(Failure::NotOffered(
                    Operation::SignIn,
                    "its own sign-in; the host page hands over the token".into(),
                ));
            }
        };
        self.plan(
            Operation::SignIn,
            credential.as_deref(),
            &|name| match name {
                "username" => Some(Value::String(username.to_owned())),
                "password" => Some(Value::String(password.to_owned())),
                _ => None,
            },
        )
    }

    /// The session a sign-in answer gives.
    pub fn sign_in_answer(
        &self,
        username: &str,
        password: &str,
        answer: &Answer,
    ) -> Result<Session, Failure> {
        let op = Operation::SignIn;
        let json = self.success(op, answer)?;
        let auth = &self.mapping.auth;
        let subject = read::text_at(op, &json, auth.subject.as_deref().unwrap_or(""))?;
        let role = match &auth.role {
            None => Role::Customer,
            Some(pointer) => read::role_at(op, &json, pointer)?,
        };
        let credential = match auth.kind {
            AuthKind::Basic => basic(username, password),
            _ => format!(
                "{}{}",
                auth.prefix,
                read::text_at(op, &json, auth.token.as_deref().unwrap_or(""))?
            ),
        };
        Ok(Session {
            credential,
            subject,
            role,
        })
    }

    /// A session from a token the host page handed over (every auth kind accepts one).
    #[must_use]
    pub fn handed_over(&self, token: &str, subject: &str, role: Role) -> Session {
        Session {
            credential: format!("{}{token}", self.mapping.auth.prefix),
            subject: subject.to_owned(),
            role,
        }
    }

    /// The refresh request after a 401, when the store has one.
    #[must_use]
    pub fn refresh_request(&self, session: &Session) -> Option<Request> {
        self.offers(Operation::Refresh)
            .then(|| {
                self.plan(
                    Operation::Refresh,
                    Some(&session.credential),
                    &subject(session),
                )
            })
            .and_then(Result::ok)
    }

    /// The session after a refresh answer.
    pub fn refresh_answer(&self, session: &Session, answer: &Answer) -> Result<Session, Failure> {
        let op = Operation::Refresh;
        let json = self.success(op, answer)?;
        let token = read::text_at(op, &json, self.mapping.auth.token.as_deref().unwrap_or(""))?;
        Ok(Session {
            credential: format!("{}{token}", self.mapping.auth.prefix),
            ..session.clone()
        })
    }

    /// The request reading a document.
    pub fn read_request(&self, document: Document, session: &Session) -> Result<Request, Failure> {
        self.plan(
            document.read_op(),
            Some(&session.credential),
            &subject(session),
        )
    }

    /// The document a read answer holds; a "missing" status gives an empty, unstored one.
    pub fn read_answer<T: DeserializeOwned + Default>(
        &self,
        document: Document,
        answer: &Answer,
    ) -> Result<Versioned<T>, Failure> {
        let op = document.read_op();
        let mapping = self.op(op)?;
        if mapping.missing.contains(&answer.status) {
            return Ok(Versioned {
                version: UNSTORED,
                data: T::default(),
            });
        }
        let json = self.success(op, answer)?;
        Ok(Versioned {
            version: self.version(op, answer, &json)?,
            data: read::data(op, &json, mapping, None)?,
        })
    }

    /// The request saving `document` over version `base` (`None` or [`UNSTORED`]: the
    /// document is new, so the create operation is used when the store has one).
    pub fn write_request(
        &self,
        which: Document,
        session: &Session,
        base: Option<Version>,
        document: &Value,
    ) -> Result<Request, Failure> {
        let stored = base.filter(|v| *v != UNSTORED);
        let op = match stored {
            None if self.offers(which.create_op()) => which.create_op(),
            _ => which.write_op(),
        };
        let mapping = self.op(op)?;
        let shaped = match &mapping.fields {
            None => document.clone(),
            Some(fields) => read::unmap_fields(document, fields),
        };
        let mut request = self.plan(op, Some(&session.credential), &|name| match name {
            "subject" => Some(Value::String(session.subject.clone())),
            "document" => Some(shaped.clone()),
            "version" => stored.map(|v| Value::from(v.0)),
            _ => None,
        })?;
        if let Some(version) = stored.filter(|_| op == which.write_op()) {
            match &self.mapping.version.send {
                VersionSink::IfMatch => request.headers.push(("If-Match".into(), version.etag())),
                VersionSink::Query(name) => {
                    append_query(&mut request.url, name, &version.0.to_string())
                }
                VersionSink::Body(pointer) => {
                    let mut body: Value = request
                        .body
                        .as_deref()
                        .and_then(|b| serde_json::from_str(b).ok())
                        .unwrap_or(Value::Null);
                    template::set_pointer(&mut body, pointer, Value::from(version.0));
                    request.body = Some(body.to_string());
                    set_json_content(&mut request);
                }
            }
        }
        Ok(request)
    }

    /// What a save's answer means: stored, or someone else saved first.
    pub fn write_answer<T: DeserializeOwned>(
        &self,
        which: Document,
        request: &Request,
        answer: &Answer,
    ) -> Result<Saved<T>, Failure> {
        let op = request.operation;
        if self.mapping.version.conflict.contains(&answer.status) {
            return Ok(Saved::Conflict(match &self.mapping.version.current {
                CurrentRecord::Refetch => None,
                CurrentRecord::At { data, version } => {
                    // Some conflicts come without the record (Kinto answers a lost race to
                    // create with 409 and nothing more): then it is read again.
                    match serde_json::from_slice::<Value>(&answer.body) {
                        Ok(json) if json.pointer(data).is_some_and(|v| !v.is_null()) => {
                            let read_mapping = self.op(which.read_op())?;
                            Some(Versioned {
                                version: read::version_at(op, &json, version)?,
                                data: read::data(op, &json, read_mapping, Some(data))?,
                            })
                        }
                        _ => None,
                    }
                }
            }));
        }
        let json = self.success(op, answer)?;
        let mapping = self.op(op)?;
        Ok(Saved::Saved(Versioned {
            version: self.version(op, answer, &json)?,
            data: read::data(op, &json, mapping, None)?,
        }))
    }

    /// The request of an operation without a document (consents, erasure, export).
    pub fn request(&self, op: Operation, session: &Session) -> Result<Request, Failure> {
        self.plan(op, Some(&session.credential), &subject(session))
    }

    /// The request of an operation that sends a document (a consent decision).
    pub fn request_with(
        &self,
        op: Operation,
        session: &Session,
        document: &Value,
    ) -> Result<Request, Failure> {
        self.plan(op, Some(&session.credential), &|name| match name {
            "subject" => Some(Value::String(session.subject.clone())),
            "document" => Some(document.clone()),
            _ => None,
        })
    }

    /// The data of a successful answer to `op`, as `T`.
    pub fn answer<T: DeserializeOwned>(
        &self,
        op: Operation,
        answer: &Answer,
    ) -> Result<T, Failure> {
        let json = self.success(op, answer)?;
        read::data(op, &json, self.op(op)?, None)
    }

    /// What an error answer to `op` says, read through the error pointers (for a refused
    /// sign-in, whose 401 is otherwise just "signed out").
    #[must_use]
    pub fn refusal(&self, op: Operation, answer: &Answer) -> Refusal {
        read::refusal(op, answer, &self.mapping.errors)
    }

    fn op(&self, op: Operation) -> Result<&OpMapping, Failure> {
        self.mapping
            .operations
            .get(&op)
            .ok_or_else(|| Failure::NotOffered(op, format!("`{op}`")))
    }

    fn version(&self, op: Operation, answer: &Answer, json: &Value) -> Result<Version, Failure> {
        match &self.mapping.version.read {
            VersionSource::Pointer(pointer) => read::version_at(op, json, pointer),
            VersionSource::Etag => {
                let etag = answer.header("etag");
                etag.and_then(Version::from_etag).ok_or_else(|| {
                    Failure::Mismatch(Mismatch {
                        operation: op,
                        pointer: "the ETag header".into(),
                        found: match etag {
                            Some(value) => format!("{value:?}, not a quoted whole number"),
                            None => "no ETag header (a cross-origin store must expose it)".into(),
                        },
                    })
                })
            }
        }
    }

    /// The JSON of a 2xx answer; any other status as the failure it is.
    fn success(&self, op: Operation, answer: &Answer) -> Result<Value, Failure> {
        match answer.status {
            200..=299 => read::json(op, answer),
            401 => Err(Failure::SignedOut(op)),
            _ => Err(Failure::Refused(read::refusal(
                op,
                answer,
                &self.mapping.errors,
            ))),
        }
    }

    fn plan(
        &self,
        op: Operation,
        credential: Option<&str>,
        value: &dyn Fn(&str) -> Option<Value>,
    ) -> Result<Request, Failure> {
        let mapping = self.op(op)?;
        let unplannable = |why: String| Failure::NotOffered(op, why);
        let tokens = template::parse_url(&mapping.url).map_err(unplannable)?;
        let path = template::expand_url(&tokens, &|name| {
            value(name).map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })
        })
        .map_err(unplannable)?;
        let mut headers = Vec::new();
        let auth_header = self.mapping.auth.header.clone();
        if let Some(credential) = credential {
            headers.push((auth_header.clone(), credential.to_owned()));
        }
        for (name, template_value) in &mapping.headers {
            let text = match template::placeholder(template_value) {
                Some(p) => match value(p) {
                    Some(Value::String(s)) => s,
                    Some(other) => other.to_string(),
                    None => continue,
                },
                None => template_value.clone(),
            };
            headers.push((name.clone(), text));
        }
        let default_body = matches!(
            op,
            Operation::ProfileWrite
                | Operation::ProfileCreate
                | Operation::PreferencesWrite
                | Operation::PreferencesCreate
                | Operation::ConsentRecord
        )
        .then(|| Value::String("{document}".into()));
        let body = match mapping.body.as_ref().or(default_body.as_ref()) {
            Some(body) => Some(
                template::fill_body(body, value)
                    .map_err(unplannable)?
                    .to_string(),
            ),
            None => None,
        };
        let mut request = Request {
            operation: op,
            method: mapping.method.clone(),
            url: format!("{}{path}", self.base_url),
            headers,
            body,
            auth_header,
        };
        if request.body.is_some() {
            set_json_content(&mut request);
        }
        Ok(request)
    }

    /// `scheme://host[:port]` of the base URL; empty when it is a same-origin path.
    fn origin(&self) -> &str {
        let url = self.base_url.as_str();
        match url.find("://") {
            Some(scheme_end) => {
                let rest = &url[scheme_end + 3..];
                &url[..scheme_end + 3 + rest.find('/').unwrap_or(rest.len())]
            }
            None => "",
        }
    }
}

fn subject(session: &Session) -> impl Fn(&str) -> Option<Value> + '_ {
    move |name| (name == "subject").then(|| Value::String(session.subject.clone()))
}

fn basic(username: &str, password: &str) -> String {
    format!(
        "Basic {}",
        template::base64(format!("{username}:{password}").as_bytes())
    )
}

fn set_json_content(request: &mut Request) {
    if request.header("content-type").is_none() {
        request
            .headers
            .push(("Content-Type".into(), "application/json".into()));
    }
}

fn append_query(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(&template::percent_encode(name));
    url.push('=');
    url.push_str(&template::percent_encode(value));
}

#[cfg(test)]
mod tests;
