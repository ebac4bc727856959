//! `GET` and `PUT /me/profile`, guarded by versions: ETag out, If-Match in, 412 on a stale write.

use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use crate::store::profiles::{self, WriteOutcome};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::{Profile, Version, Versioned};

/// `/me/profile`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/profile", get(read).put(write))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Response, AppError> {
    let profile = state
        .store
        .call(move |conn| profiles::load(conn, me.customer).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(with_etag(profile))
}

async fn write(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(profile): AppJson<Profile>,
) -> Result<Response, AppError> {
    let expected = if_match(&headers)?;
    let profile = profile.normalized();
    if let Some((field, problem)) = profile.problems().into_iter().next() {
        return Err(AppError::Invalid {
            code: problem.code(),
            message: problem.message(field),
            field: field.as_str().into(),
        });
    }
    let outcome = state
        .store
        .call(move |conn| {
            profiles::replace(conn, me.customer, expected, &profile).map_err(AppError::from)
        })
        .await?;
    match outcome {
        WriteOutcome::Written(saved) => Ok(with_etag(saved)),
        WriteOutcome::Stale(current) => Err(AppError::Conflict(Box::new(current))),
        WriteOutcome::Missing => Err(AppError::NotFound),
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

fn with_etag(profile: Versioned<Profile>) -> Response {
    let etag = HeaderValue::from_str(&profile.version.etag()).ok();
    let mut response = Json(profile).into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}
