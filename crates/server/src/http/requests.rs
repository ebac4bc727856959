//! `POST` and `GET /me/erasure`: asking for erasure and seeing where the request stands.
//!
//! Carrying an erasure out is an operator's task (`rapport-server erase`), not an endpoint:
//! it cannot be undone, and a business checks first whether it must keep something.

use crate::AppState;
use crate::auth::Me;
use crate::error::AppError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::consent::ErasureRequest;

/// `/me/erasure`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/erasure", get(list).post(request))
}

async fn list(
    State(state): State<AppState>,
    me: Me,
) -> Result<Json<Vec<ErasureRequest>>, AppError> {
    let list = state.store.erasure_requests(me.customer).await?;
    Ok(Json(list))
}

/// 201 with a new request; 200 with the open one when there already is one, so asking twice
/// (a double click, a retry after a lost answer) never queues two.
async fn request(
    State(state): State<AppState>,
    me: Me,
) -> Result<(StatusCode, Json<ErasureRequest>), AppError> {
    let (request, created) = state.store.request_erasure(me.customer).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(request)))
}
