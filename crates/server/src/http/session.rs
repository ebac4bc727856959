//! Sign-in and sign-out for the reference backend's own customers.
//!
//! Sign-in is the door attackers knock on, so it is guarded (see [`crate::limits`]): attempts
//! are counted per client address and per account before any work is done; the stored hash is
//! read on a read-only connection and verified outside every lock; an unknown e-mail is
//! verified against a dummy hash, so it costs what a known one costs; and only a match takes
//! the writer, to start the session (pruning the account's expired ones on the way).

use crate::AppState;
use crate::auth::BearerToken;
use crate::error::{AppError, AppJson};
use crate::store::customers;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::{delete, post};
use axum::{Extension, Json, Router};
use rapport_domain::api::{SignInRequest, SignInResponse};
use std::net::SocketAddr;

/// `POST /session`, `DELETE /session` and `DELETE /session/all`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/session/all", delete(sign_out_everywhere))
}

async fn sign_in(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    AppJson(request): AppJson<SignInRequest>,
) -> Result<Json<SignInResponse>, AppError> {
    let client = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
    state.guards.sign_in_attempt(&request.email, client)?;
    let email = request.email.clone();
    let account = state.store.password_hash_of(&email).await?;
    let (customer, stored) = account.map_or((None, None), |(id, hash)| (Some(id), Some(hash)));
    if !state
        .guards
        .verify_password(stored, request.password)
        .await?
    {
        return Err(AppError::BadCredentials);
    }
    let customer = customer.ok_or(AppError::BadCredentials)?;
    let (token, role) = state.store.start_session(customer).await?;
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
    state.store.end_session(&token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the caller's account, on every device; 401 without a live session.
async fn sign_out_everywhere(
    State(state): State<AppState>,
    BearerToken(token): BearerToken,
) -> Result<StatusCode, AppError> {
    state
        .store
        .end_all_sessions(&token)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(StatusCode::NO_CONTENT)
}
