//! Who is asking: the bearer token in `Authorization` names a session, the session a customer.
//!
//! Handlers take [`Me`] and so can only ever reach the signed-in customer's own rows; no
//! customer id travels in a URL or body where a customer could change it. Audit handlers take
//! [`Officer`] instead.
//!
//! The two roles do not overlap: a privacy officer has no "me" data (no profile, consents or
//! history of their own), so every `/me` endpoint answers them 403 rather than quietly
//! creating customer records for an auditor; and a customer gets 403 from every audit
//! endpoint. Without a session both answer 401.
//!
//! [`Me`] also counts the customer's writes (any method but GET, HEAD, OPTIONS, TRACE) against
//! their quota (see [`crate::limits`]), answering 429 beyond it.

use crate::AppState;
use crate::error::AppError;
use crate::store::customers::Role;
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
        match account(parts, state).await? {
            (customer, Role::Customer) => {
                // Every change a customer makes counts against their write quota, so no one
                // can flood the store (or the consent ledger, which never forgets).
                if !parts.method.is_safe() {
                    state.guards.write_attempt(customer)?;
                }
                Ok(Me { customer })
            }
            (_, Role::PrivacyOfficer) => Err(AppError::Forbidden(
                "a privacy officer account has no customer data; sign in as a customer",
            )),
        }
    }
}

/// The signed-in privacy officer: the only way into `/api/audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Officer {
    /// Their account id.
    pub account: i64,
}

impl FromRequestParts<AppState> for Officer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match account(parts, state).await? {
            (account, Role::PrivacyOfficer) => Ok(Officer { account }),
            (_, Role::Customer) => Err(AppError::Forbidden(
                "the audit is for privacy officers only",
            )),
        }
    }
}

/// The account behind the request's live session, with its role; 401 without one.
async fn account(parts: &mut Parts, state: &AppState) -> Result<(i64, Role), AppError> {
    let BearerToken(token) = BearerToken::from_request_parts(parts, state).await?;
    state
        .store
        .session_account(&token)
        .await?
        .ok_or(AppError::Unauthorized)
}
