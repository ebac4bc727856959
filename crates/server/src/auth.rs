//! Who is asking: the bearer token in `Authorization` names a session, the session a customer.
//!
//! Handlers take [`Me`] and so can only ever reach the signed-in customer's own rows; no
//! customer id travels in a URL or body where a customer could change it.

use crate::AppState;
use crate::error::AppError;
use crate::store::customers;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// The bearer token of the request.
#[derive(Debug, Clone)]
pub struct BearerToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for BearerToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(AppError::Unauthorized)?;
        let value = value.to_str().map_err(|_| AppError::Unauthorized)?;
        let (scheme, token) = value.split_once(' ').ok_or(AppError::Unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(AppError::Unauthorized);
        }
        Ok(BearerToken(token.trim().to_owned()))
    }
}

/// The signed-in customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Me {
    /// Their id in the store; never shown to them.
    pub customer: i64,
}

impl FromRequestParts<AppState> for Me {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
        let customer = state
            .store
            .call(move |conn| customers::session_customer(conn, &token).map_err(AppError::from))
            .await?;
        customer
            .map(|customer| Me { customer })
            .ok_or(AppError::Unauthorized)
    }
}
