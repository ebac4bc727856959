//! GET and PUT of a customer's versioned document, shared by every such resource: the
//! version goes out as an ETag, comes back as If-Match, and a stale write is answered 412
//! with the document as it is now.

use crate::AppState;
use crate::auth::Me;
use crate::error::AppError;
use crate::store::documents::{Document, WriteOutcome};
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rapport_domain::{Version, Versioned};
use serde::Serialize;

/// The signed-in customer's document.
pub async fn read<T: Document>(state: &AppState, me: Me) -> Result<Response, AppError> {
    // A read-only connection answers; only a customer's very first read takes the writer,
    // to create the document.
    let document = state.store.load::<T>(me.customer).await?;
    let document = match document {
        Some(document) => document,
        None => state.store.load_or_create::<T>(me.customer).await?,
    };
    Ok(with_etag(document))
}

/// Replaces the signed-in customer's document if it is still at the If-Match version.
/// `document` has already been checked by the caller.
pub async fn write<T: Document + Clone>(
    state: &AppState,
    me: Me,
    headers: &HeaderMap,
    document: T,
) -> Result<Response, AppError> {
    let expected = if_match(headers)?;
    let outcome = state.store.replace(me.customer, expected, document).await?;
    match outcome {
        WriteOutcome::Written(saved) => Ok(with_etag(saved)),
        WriteOutcome::Stale(current) => Err(AppError::Conflict(Box::new(Versioned {
            version: current.version,
            data: serde_json::to_value(current.data)
                .map_err(|err| AppError::Internal(err.to_string()))?,
        }))),
    }
}

fn if_match(headers: &HeaderMap) -> Result<Version, AppError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or(AppError::VersionRequired)?;
    value
        .to_str()
        .ok()
        .and_then(Version::from_etag)
        .ok_or_else(|| AppError::BadRequest {
            message: "If-Match must be the quoted version from the ETag, such as \"3\"".into(),
            field: None,
        })
}

fn with_etag<T: Serialize>(document: Versioned<T>) -> Response {
    let etag = HeaderValue::from_str(&document.version.etag()).ok();
    let mut response = Json(document).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}
