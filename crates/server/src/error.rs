//! The backend's one error type and its JSON shape: `{ "error": { "code", "message", "field"? } }`.
//!
//! Internal failures are logged here and answered with a generic message: a database path or
//! SQL text never reaches a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_domain::Versioned;
use rapport_domain::api::{ApiError, ConflictBody, ErrorBody, PriceChangedBody, codes};
use rapport_domain::catalogue::Quote;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 401: no session, or an expired one.
    #[error("sign in first")]
    Unauthorized,
    /// 401: e-mail and password do not match.
    #[error("e-mail or password is wrong")]
    BadCredentials,
    /// 403: signed in, but this account's role may not do this; the text says which role may.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404: no such resource.
    #[error("not found")]
    NotFound,
    /// 400: the body is not what the endpoint takes.
    #[error("{message}")]
    BadRequest {
        /// What is wrong, in English.
        message: String,
        /// The field concerned, when one is.
        field: Option<String>,
    },
    /// 422: well-formed, but a field breaks a rule.
    #[error("{message}")]
    Invalid {
        /// Stable code of the rule broken.
        code: &'static str,
        /// What is wrong, in English.
        message: String,
        /// The field concerned.
        field: String,
    },
    /// 428: a write without `If-Match`; blind overwrites are refused.
    #[error("send If-Match with the version you edited")]
    VersionRequired,
    /// 412: the record has changed since the client read it; the body carries it as it is now.
    #[error("the record has changed since it was read")]
    Conflict(Box<Versioned<serde_json::Value>>),
    /// 409: an order at a price that is not the price now; the body carries the quote now.
    #[error("the price has changed since the design was priced")]
    PriceChanged(Box<Quote>),
    /// 429: too many attempts from this client, at this account or by this customer.
    #[error("too many attempts; try again in {retry_after} s")]
    TooManyRequests {
        /// Seconds until the next attempt can succeed (`Retry-After`).
        retry_after: u64,
    },
    /// 413: the body is larger than the server takes.
    #[error("the request body is larger than this server takes")]
    PayloadTooLarge,
    /// 503: at capacity, or the request took too long; nothing was queued.
    #[error("the server is busy; try again in {retry_after} s")]
    Overloaded {
        /// Seconds to wait before retrying (`Retry-After`).
        retry_after: u64,
    },
    /// 500: anything else; logged, never explained to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for AppError {
    fn from(err: rusqlite::Error) -> Self {
        AppError::Internal(format!("database: {err}"))
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(err: crate::store::StoreError) -> Self {
        AppError::Internal(err.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, field) = match &self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, codes::UNAUTHORIZED, None),
            Self::BadCredentials => (StatusCode::UNAUTHORIZED, codes::BAD_CREDENTIALS, None),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, codes::FORBIDDEN, None),
            Self::NotFound => (StatusCode::NOT_FOUND, codes::NOT_FOUND, None),
            Self::BadRequest { field, .. } => {
                (StatusCode::BAD_REQUEST, codes::BAD_REQUEST, field.clone())
            }
            Self::Invalid { code, field, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *code, Some(field.clone()))
            }
            Self::VersionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                codes::VERSION_REQUIRED,
                None,
            ),
            Self::Conflict(current) => {
                let body = ConflictBody {
                    error: ApiError {
                        code: codes::VERSION_CONFLICT.into(),
                        message: self.to_string(),
                        field: None,
                    },
                    current: (**current).clone(),
                };
                let etag = current.version.etag();
                let mut response = (StatusCode::PRECONDITION_FAILED, Json(body)).into_response();
                if let Ok(value) = HeaderValue::from_str(&etag) {
                    response.headers_mut().insert(header::ETAG, value);
                }
                return response;
            }
            Self::PriceChanged(quote) => {
                let body = PriceChangedBody {
                    error: ApiError {
                        code: codes::PRICE_CHANGED.into(),
                        message: self.to_string(),
                        field: None,
                    },
                    quote: (**quote).clone(),
                };
                return (StatusCode::CONFLICT, Json(body)).into_response();
            }
            Self::TooManyRequests { retry_after } | Self::Overloaded { retry_after } => {
                let (status, code) = if matches!(self, Self::TooManyRequests { .. }) {
                    (StatusCode::TOO_MANY_REQUESTS, codes::TOO_MANY_REQUESTS)
                } else {
                    (StatusCode::SERVICE_UNAVAILABLE, codes::OVERLOADED)
                };
                let mut response =
                    (status, Json(ErrorBody::new(code, self.to_string()))).into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
                return response;
            }
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                codes::PAYLOAD_TOO_LARGE,
                None,
            ),
            Self::Internal(detail) => {
                tracing::error!("{detail}");
                let body = ErrorBody::new(codes::INTERNAL, "something failed on the server");
                return (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response();
            }
        };
        let mut body = ErrorBody::new(code, self.to_string());
        body.error.field = field;
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A JSON body whose rejections answer in the same error shape as everything else.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        // axum reports a body over `DefaultBodyLimit` as 413 inside the rejection.
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::PayloadTooLarge;
        }
        AppError::BadRequest {
            message: rejection.body_text(),
            field: None,
        }
    }
}
