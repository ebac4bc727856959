//! `GET` and `PUT /me/preferences`: checklist answers and contact choices, checked against
//! the configuration the portal is served with, and guarded by versions.

use super::versioned;
use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use rapport_domain::Preferences;

/// `/me/preferences`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/preferences", get(read).put(write))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Response, AppError> {
    versioned::read::<Preferences>(&state, me).await
}

async fn write(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(preferences): AppJson<Preferences>,
) -> Result<Response, AppError> {
    let preferences = preferences.normalized();
    if let Some(problem) = preferences.problems(&state.config).into_iter().next() {
        return Err(AppError::Invalid {
            code: problem.issue.code(),
            message: problem.to_string(),
            field: problem.path,
        });
    }
    versioned::write(&state, me, &headers, preferences).await
}
