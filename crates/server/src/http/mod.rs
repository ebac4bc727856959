//! The JSON API under `/api`, one module per feature.

pub mod audit;
pub mod consent;
pub mod designs;
pub mod history;
pub mod orders;
pub mod preferences;
pub mod profile;
pub mod requests;
pub mod session;
pub mod versioned;
pub mod visits;

use crate::AppState;
use crate::error::AppError;
use axum::Router;

/// Every API route; unknown paths answer 404 in the error shape, never the portal's HTML.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(profile::router())
        .merge(preferences::router())
        .merge(designs::router())
        .merge(orders::router())
        .merge(visits::router())
        .merge(history::router())
        .merge(consent::router())
        .merge(requests::router())
        .merge(audit::router())
        .fallback(|| async { AppError::NotFound })
}

/// The query string as name/value pairs, in order and with repeats kept, so each feature can
/// refuse what it does not know by name; a query that cannot be read at all answers 400 in the
/// error shape.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for QueryPairs {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(pairs)| QueryPairs(pairs))
            .map_err(|rejection| AppError::BadRequest {
                message: rejection.body_text(),
                field: None,
            })
    }
}
