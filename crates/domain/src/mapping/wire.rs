//! What goes between the engine and the transport: the session, the planned request, the
//! store's answer, and what the answer meant. Credentials are never printed, so a request or a
//! session can be logged as it is.

use super::config::Operation;
use crate::api::Role;
use crate::version::Versioned;
use std::fmt;

/// A signed-in customer as the engine needs them. The credential is the whole value of the
/// auth header; it is never printed (see the `Debug` impl).
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The auth header's value (`Bearer abc`, `Basic ...`).
    pub credential: String,
    /// The customer's stable id in the store (`{subject}` in templates).
    pub subject: String,
    /// What the account may do.
    pub role: Role,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("credential", &"<hidden>")
            .field("subject", &self.subject)
            .field("role", &self.role)
            .finish()
    }
}

/// One HTTP request to send, exactly as planned.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// Which operation it carries out (for messages).
    pub operation: Operation,
    /// The HTTP method.
    pub method: String,
    /// The absolute (or same-origin) URL.
    pub url: String,
    /// Headers to send, the auth header among them.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if any (`Content-Type: application/json` is in `headers`).
    pub body: Option<String>,
    pub(super) auth_header: String,
}

impl Request {
    /// A header's value, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }

    /// The same request without its credential (a check that a store refuses strangers).
    #[must_use]
    pub fn without_credential(mut self) -> Request {
        let auth = self.auth_header.clone();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&auth));
        self
    }

    /// The same request carrying another session's credential instead.
    #[must_use]
    pub fn with_credential(self, session: &Session) -> Request {
        let mut request = self.without_credential();
        request
            .headers
            .push((request.auth_header.clone(), session.credential.clone()));
        request
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let hidden = n.eq_ignore_ascii_case(&self.auth_header);
                (n.as_str(), if hidden { "<hidden>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|_| "<json>"))
            .finish()
    }
}

/// What the store answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Response headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Answer {
    /// A header's value, by case-insensitive name.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        header_in(&self.headers, name)
    }
}

/// The outcome of a save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved<T> {
    /// Stored; the document as the store now holds it.
    Saved(Versioned<T>),
    /// Someone else saved first: the record as it is now, or `None` when the store does not
    /// say (read it again).
    Conflict(Option<Versioned<T>>),
}

/// Why an operation did not give its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// 401: the session is over (refresh once if the store can, else sign in again).
    SignedOut(Operation),
    /// The store refused, with what its error answer says.
    Refused(Refusal),
    /// The answer does not fit the mapping.
    Mismatch(Mismatch),
    /// The store does not offer this (its mapping has no such operation or filter).
    NotOffered(Operation, String),
}

/// An error answer, read through the mapping's error pointers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The operation refused.
    pub operation: Operation,
    /// The HTTP status.
    pub status: u16,
    /// The store's code, if the answer has one where the mapping says.
    pub code: Option<String>,
    /// The store's message.
    pub message: Option<String>,
    /// The field at fault, so the portal can put the problem next to it.
    pub field: Option<String>,
    /// For an answer that is not JSON (an HTML error page): what it was.
    pub not_json: Option<String>,
}

/// A mapping that does not fit a real answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The operation whose answer it was.
    pub operation: Operation,
    /// Where the mapping looked: a JSON Pointer, or a header such as `ETag header`.
    pub pointer: String,
    /// What was there instead.
    pub found: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignedOut(op) => write!(f, "{op}: the store answered 401; sign in again"),
            Self::Refused(r) => {
                write!(f, "{}: the store refused with {}", r.operation, r.status)?;
                if let Some(code) = &r.code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = &r.message {
                    write!(f, ": {message}")?;
                }
                if let Some(field) = &r.field {
                    write!(f, " (field {field})")?;
                }
                if let Some(body) = &r.not_json {
                    write!(f, " and {body}")?;
                }
                Ok(())
            }
            Self::Mismatch(m) => write!(
                f,
                "{}: the mapping expected a value at {} but found {}",
                m.operation,
                if m.pointer.is_empty() {
                    "the whole answer"
                } else {
                    &m.pointer
                },
                m.found
            ),
            Self::NotOffered(op, what) => write!(f, "{op}: this store does not offer {what}"),
        }
    }
}

impl std::error::Error for Failure {}

/// A header's value among `headers`, by case-insensitive name.
fn header_in<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
