//! `GET` and `POST /me/consents` (the customer's decisions and their receipts) and
//! `GET /me/export` (everything the backend holds about the customer, as one JSON file).

use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use crate::store::history::{self, Cursor};
use crate::store::{StoreError, consent, customers, documents, now, requests};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::consent::{
    ConsentReceipt, DataExport, MyConsents, RecordConsent, consent_states,
};
use rapport_domain::history::HistoryQuery;
use rapport_domain::time::format_utc;
use rapport_domain::{Preferences, Profile};

/// Events per store call while gathering the history for an export.
const EXPORT_CHUNK: usize = 1000;

/// `/me/consents`, `/me/export`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/consents", get(read).post(record))
        .route("/me/export", get(export))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Json<MyConsents>, AppError> {
    let receipts = state
        .store
        .read(move |conn| consent::receipts_of(conn, me.customer).map_err(AppError::from))
        .await?;
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
        .call(move |conn| {
            consent::record(conn, me.customer, &request, &screen, &user_agent, &key)
                .map_err(AppError::from)
        })
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
    let export = state
        .store
        .read(move |conn| {
            let tx = conn.unchecked_transaction()?;
            let profile = documents::load::<Profile>(&tx, me.customer)?
                .map(|doc| doc.data)
                .unwrap_or_default();
            let preferences = documents::load::<Preferences>(&tx, me.customer)?
                .map(|doc| doc.data)
                .unwrap_or_default();
            let receipts = consent::receipts_of(&tx, me.customer)?;
            let mut events = Vec::new();
            let mut after: Option<Cursor> = None;
            loop {
                let (page, next) = history::page(
                    &tx,
                    me.customer,
                    &HistoryQuery::default(),
                    after,
                    EXPORT_CHUNK,
                )?;
                events.extend(page);
                match next {
                    Some(cursor) => after = Some(cursor),
                    None => break,
                }
            }
            let export = DataExport {
                exported_at: now(),
                account_email: customers::email(&tx, me.customer)?.unwrap_or_default(),
                profile,
                preferences,
                consents: MyConsents {
                    purposes: consent_states(&config, &receipts),
                    receipts,
                },
                history: events,
                requests: requests::list(&tx, me.customer)?,
            };
            tx.commit()?;
            Ok::<_, StoreError>(export)
        })
        .await?;
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
