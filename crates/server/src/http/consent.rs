//! `GET` and `POST /me/consents` (the customer's decisions and their receipts) and
//! `GET /me/export` (everything the backend holds about the customer, as one JSON file).

use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use crate::store::now;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::consent::{
    ConsentReceipt, DataExport, MyConsents, RecordConsent, consent_states,
};
use rapport_domain::time::format_utc;

/// `/me/consents`, `/me/export`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/consents", get(read).post(record))
        .route("/me/export", get(export))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Json<MyConsents>, AppError> {
    let receipts = state.store.receipts_of(me.customer).await?;
    Ok(Json(MyConsents {
        purposes: consent_states(&state.config, &receipts),
        receipts,
    }))
}

/// Records one decision; answers 201 with the customer's receipt for it.
async fn record(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(request): AppJson<RecordConsent>,
) -> Result<(StatusCode, Json<ConsentReceipt>), AppError> {
    let screen = request
        .check(&state.config)
        .map_err(|problem| AppError::Invalid {
            code: problem.code,
            message: problem.message,
            field: problem.field.into(),
        })?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let key = std::sync::Arc::clone(&state.ledger_key);
    let receipt = state
        .store
        .record_consent(me.customer, request, screen, user_agent, key)
        .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// The whole of the customer's data in one JSON document, as a download.
///
/// It is gathered in one read transaction so its parts agree with each other. Unlike the
/// history's own export it is built in memory: it has to be one JSON object with the history
/// inside it, and a customer's data (even 100,000 events, some tens of megabytes) fits.
async fn export(State(state): State<AppState>, me: Me) -> Result<Response, AppError> {
    let config = state.config.clone();
    let data = state.store.my_data(me.customer).await?;
    let export = DataExport {
        exported_at: now(),
        account_email: data.email,
        profile: data.profile,
        preferences: data.preferences,
        consents: MyConsents {
            purposes: consent_states(&config, &data.receipts),
            receipts: data.receipts,
        },
        history: data.history,
        requests: data.requests,
        designs: data.designs,
        orders: data.orders,
        visits: data.visits,
    };
    let date = &format_utc(export.exported_at)[..10];
    let disposition = format!("attachment; filename=\"rapport-my-data-{date}.json\"");
    let mut response = Json(export).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
