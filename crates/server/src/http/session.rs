//! Sign-in and sign-out for the reference backend's own customers.

use crate::AppState;
use crate::auth::BearerToken;
use crate::error::{AppError, AppJson};
use crate::store::customers;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use rapport_domain::api::{SignInRequest, SignInResponse};

/// `POST /session` and `DELETE /session`.
pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(sign_in).delete(sign_out))
}

async fn sign_in(
    State(state): State<AppState>,
    AppJson(request): AppJson<SignInRequest>,
) -> Result<Json<SignInResponse>, AppError> {
    let (token, customer) = state
        .store
        .call(
            move |conn| match customers::authenticate(conn, &request.email, &request.password)? {
                Some(customer) => Ok((customers::start_session(conn, customer)?, customer)),
                None => Err(AppError::BadCredentials),
            },
        )
        .await?;
    Ok(Json(SignInResponse {
        token,
        expires_in: customers::SESSION_SECONDS,
        subject: customers::subject(customer),
    }))
}

async fn sign_out(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, AppError> {
    state
        .store
        .call(move |conn| customers::end_session(conn, &token).map_err(AppError::from))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
