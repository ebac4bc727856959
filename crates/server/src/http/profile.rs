//! `GET` and `PUT /me/profile`, guarded by versions (see [`super::versioned`]).

use super::versioned;
use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use rapport_domain::Profile;

/// `/me/profile`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/profile", get(read).put(write))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Response, AppError> {
    versioned::read::<Profile>(&state, me).await
}

async fn write(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(profile): AppJson<Profile>,
) -> Result<Response, AppError> {
    let profile = profile.normalized();
    if let Some((field, problem)) = profile.problems().into_iter().next() {
        return Err(AppError::Invalid {
            code: problem.code(),
            message: problem.message(field),
            field: field.as_str().into(),
        });
    }
    versioned::write(&state, me, &headers, profile).await
}
