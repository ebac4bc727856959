//! The JSON API under `/api`, one module per feature.

pub mod audit;
pub mod consent;
pub mod history;
pub mod preferences;
pub mod profile;
pub mod requests;
pub mod session;
pub mod versioned;

use crate::AppState;
use crate::error::AppError;
use axum::Router;

/// Every API route; unknown paths answer 404 in the error shape, never the portal's HTML.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(profile::router())
        .merge(preferences::router())
        .merge(history::router())
        .merge(consent::router())
        .merge(requests::router())
        .merge(audit::router())
        .fallback(|| async { AppError::NotFound })
}
