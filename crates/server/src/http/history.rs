//! `GET /me/history` (pages), `/me/history/facts` and `/me/history/export` (CSV or JSON).
//!
//! Parameters are read by the domain crate's [`HistoryQuery::from_pairs`], so the portal and
//! the backend agree on what a query means; a parameter that cannot be used answers 400 with
//! `field` naming it.

use super::QueryPairs;
use crate::AppState;
use crate::auth::Me;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::history::Cursor;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::history::{
    CSV_HEADER, DerivedFacts, HistoryPage, HistoryQuery, ParamProblem, csv_record,
};
use rapport_domain::time::format_utc;

/// Events per store call while exporting: big enough that 100,000 events take a hundred
/// calls, small enough that the read-only connection goes back to the pool in between.
const EXPORT_CHUNK: usize = 1000;

/// `/me/history`, `/me/history/facts`, `/me/history/export`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/history", get(page))
        .route("/me/history/facts", get(facts))
        .route("/me/history/export", get(export))
}

fn bad_param(problem: ParamProblem) -> AppError {
    AppError::BadRequest {
        message: problem.message,
        field: Some(problem.field),
    }
}

async fn page(
    State(state): State<AppState>,
    me: Me,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<HistoryPage>, AppError> {
    let query = HistoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(bad_param)?;
    let after = query
        .cursor
        .as_deref()
        .map(|text| {
            Cursor::decode(text).ok_or_else(|| {
                bad_param(ParamProblem {
                    field: "cursor".into(),
                    message: "cursor is not one this server gave out; start again without it"
                        .into(),
                })
            })
        })
        .transpose()?;
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let (events, next) = state
        .store
        .history_page(me.customer, query, after, limit)
        .await?;
    Ok(Json(HistoryPage {
        events,
        next_cursor: next.map(Cursor::encode),
    }))
}

async fn facts(State(state): State<AppState>, me: Me) -> Result<Json<DerivedFacts>, AppError> {
    let facts = state.store.facts(me.customer).await?;
    Ok(Json(facts))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

/// Streams the whole history, newest first, as it stands when the export starts.
///
/// The rows are read in keyset chunks and sent as they come, so 100,000 events never sit in
/// memory at once and other requests are served between chunks; events that arrive during the
/// export are newer than where it started and so are not in it.
async fn export(
    State(state): State<AppState>,
    me: Me,
    QueryPairs(query): QueryPairs,
) -> Result<Response, AppError> {
    let mut format = Format::Json;
    for (name, value) in query {
        match name.as_str() {
            "format" => {
                format = match value.trim() {
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    other => {
                        return Err(bad_param(ParamProblem {
                            field: name,
                            message: format!("{other:?} is not one of csv, json"),
                        }));
                    }
                }
            }
            _ => {
                return Err(bad_param(ParamProblem {
                    message: format!("{name} is not an export parameter; use format"),
                    field: name,
                }));
            }
        }
    }

    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(4);
    let store = state.store.clone();
    tokio::spawn(async move {
        let (open, close) = match format {
            Format::Csv => (CSV_HEADER, ""),
            Format::Json => ("{\"events\":[\n", "\n]}\n"),
        };
        if sender.send(Ok(open.to_owned())).await.is_err() {
            return;
        }
        let mut after = None;
        let mut first = true;
        loop {
            let chunk = store
                .history_page(me.customer, HistoryQuery::default(), after, EXPORT_CHUNK)
                .await;
            let (events, next) = match chunk {
                Ok(chunk) => chunk,
                Err(err) => {
                    let err: StoreError = err;
                    tracing::error!("history export: {err}");
                    // An error in the body aborts the response, so the download visibly fails
                    // instead of ending as a file that looks complete.
                    let _ = sender
                        .send(Err(std::io::Error::other("export failed")))
                        .await;
                    return;
                }
            };
            let mut text = String::with_capacity(events.len() * 256);
            for event in &events {
                match format {
                    Format::Csv => text.push_str(&csv_record(event)),
                    Format::Json => {
                        if !first {
                            text.push_str(",\n");
                        }
                        first = false;
                        match serde_json::to_string(event) {
                            Ok(json) => text.push_str(&json),
                            Err(err) => {
                                tracing::error!("history export: {err}");
                                let _ = sender
                                    .send(Err(std::io::Error::other("export failed")))
                                    .await;
                                return;
                            }
                        }
                    }
                }
            }
            if sender.send(Ok(text)).await.is_err() {
                return;
            }
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        let _ = sender.send(Ok(close.to_owned())).await;
    });

    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Json => ("application/json", "json"),
    };
    let date = &format_utc(crate::store::now())[..10];
    let disposition = format!("attachment; filename=\"rapport-history-{date}.{extension}\"");
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
