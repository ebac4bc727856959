//! `POST /me/visits`: notes a page load and says when the customer's visit before this one
//! was, so the portal can show what is new since then.

use crate::AppState;
use crate::auth::Me;
use crate::error::AppError;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use rapport_domain::visits::VisitAnswer;

/// `/me/visits`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/visits", post(record))
}

async fn record(State(state): State<AppState>, me: Me) -> Result<Json<VisitAnswer>, AppError> {
    let gap = i64::try_from(state.guards.limits.visit_gap.as_secs()).unwrap_or(i64::MAX);
    let visits = state.store.record_visit(me.customer, gap).await?;
    Ok(Json(visits.into()))
}
