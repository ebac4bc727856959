//! JSON bodies of the HTTP contract (`docs/openapi.yaml`) that are not domain records.

use crate::version::Versioned;
use serde::{Deserialize, Serialize};

/// Every error answer: `{ "error": { "code", "message", "field"? } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ApiError,
}

/// The inside of an [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable machine-readable code, such as `version_conflict` or `not_an_email`.
    pub code: String,
    /// An English sentence for developers; portals show their own translated text.
    pub message: String,
    /// The request field the error is about, when it is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    /// An error about the request as a whole.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ApiError {
                code: code.into(),
                message: message.into(),
                field: None,
            },
        }
    }

    /// An error about one field of the request.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.error.field = Some(field.into());
        self
    }
}

/// The answer to a write against a stale version (HTTP 412): the error and the record as it
/// is now, so the client can show what changed instead of overwriting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictBody<T> {
    /// Always code `version_conflict`.
    pub error: ApiError,
    /// The record as the server holds it now.
    pub current: Versioned<T>,
}

/// `POST /api/session`: sign in to the reference backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    /// The customer's e-mail address.
    pub email: String,
    /// Their password.
    pub password: String,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees and changes only their own data, under `/api/me`.
    #[default]
    Customer,
    /// Audits consent under `/api/audit`; has no customer data of their own.
    PrivacyOfficer,
}

impl Role {
    /// The word on the wire and stored in `customers.role`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::PrivacyOfficer => "privacy_officer",
        }
    }
}

/// A successful sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInResponse {
    /// Bearer token for `Authorization: Bearer <token>`.
    pub token: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    /// A stable, opaque name for the customer, the same at every sign-in: the portal keys
    /// unsaved drafts by it, so one person's draft never surfaces in another's account.
    pub subject: String,
    /// What the account may do; the portal shows customers their pages and officers the audit.
    #[serde(default)]
    pub role: Role,
}

/// `409` to an order whose price has changed: the error, and what the design costs now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceChangedBody {
    /// `price_changed`.
    pub error: ApiError,
    /// The design's price now.
    pub quote: crate::catalogue::Quote,
}

/// Error codes shared by both sides.
pub mod codes {
    /// The write named a version that is no longer current.
    pub const VERSION_CONFLICT: &str = "version_conflict";
    /// A write came without `If-Match`.
    pub const VERSION_REQUIRED: &str = "version_required";
    /// No valid session.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// Signed in, but not allowed here.
    pub const FORBIDDEN: &str = "forbidden";
    /// E-mail and password do not match a customer.
    pub const BAD_CREDENTIALS: &str = "bad_credentials";
    /// The body is not the JSON the endpoint expects.
    pub const BAD_REQUEST: &str = "bad_request";
    /// Something failed on the server; details are in its log.
    pub const INTERNAL: &str = "internal";
    /// No such resource.
    pub const NOT_FOUND: &str = "not_found";
    /// Too many attempts (sign-ins, changes) in a short time; `Retry-After` says when to retry.
    pub const TOO_MANY_REQUESTS: &str = "too_many_requests";
    /// The request body is larger than the server takes.
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// The server is at capacity (or the request took too long); `Retry-After` says when to
    /// retry.
    pub const OVERLOADED: &str = "overloaded";
    /// An order's price is not the backend's price now; the answer carries the current quote.
    pub const PRICE_CHANGED: &str = "price_changed";
}

/// Parses JSON from a backend; on failure the message names where it went wrong
/// (`data.email: invalid type: null, expected a string`), for an error a person can act on.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    crate::json_path::parse(text).map_err(|mistake| mistake.to_string())
}
