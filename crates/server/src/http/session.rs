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
    let (token, customer, role) = state
        .store
        .call(move |conn| {
            let customer = customers::authenticate(conn, &request.email, &request.password)?
                .ok_or(AppError::BadCredentials)?;
            let token = customers::start_session(conn, customer)?;
            let (_, role) =
                customers::session_account(conn, &token)?.ok_or(AppError::BadCredentials)?;
            Ok::<_, AppError>((token, customer, role))
        })
        .await?;
    Ok(Json(SignInResponse {
        token,
        expires_in: customers::SESSION_SECONDS,
        subject: customers::subject(customer),
        role,
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
