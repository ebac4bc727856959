//! The privacy officer's audit under `/audit`: the consent screen catalog, the ledger with
//! filters and CSV/JSON export, what one customer saw and chose as of a date, and the chain
//! verification. Every handler takes [`Officer`], so customers get 403 and anonymous
//! callers 401. Nothing here writes: the ledger has no update or delete route at all.

use super::QueryPairs;
use crate::AppState;
use crate::auth::Officer;
use crate::error::AppError;
use crate::store::consent::{self, LedgerFilter};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::consent::{
    ChainReport, ConsentDecision, CustomerAt, LEDGER_CSV_HEADER, LedgerExport, ScreenCatalog,
    ScreenText, ledger_csv_record, verify_chain,
};
use rapport_domain::history::{format_utc, parse_time};

/// `/audit/screens`, `/audit/ledger`, `/audit/customers/{ref}/at`, `/audit/verify`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit/screens", get(screens))
        .route("/audit/ledger", get(ledger))
        .route("/audit/customers/{customer_ref}/at", get(customer_at))
        .route("/audit/verify", get(verify))
}

fn bad(field: &str, message: String) -> AppError {
    AppError::BadRequest {
        message,
        field: Some(field.to_owned()),
    }
}

/// The catalog; the configuration's current screens are registered first, so a screen is
/// listed from the moment customers can see it, not only after someone decided on it.
async fn screens(
    State(state): State<AppState>,
    _officer: Officer,
) -> Result<Json<ScreenCatalog>, AppError> {
    let current = ScreenText::all(&state.config);
    let screens = state
        .store
        .call(move |conn| {
            consent::register_screens(conn, &current)?;
            consent::screens(conn).map_err(AppError::from)
        })
        .await?;
    Ok(Json(ScreenCatalog { screens }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

async fn ledger(
    State(state): State<AppState>,
    _officer: Officer,
    QueryPairs(query): QueryPairs,
) -> Result<Response, AppError> {
    let mut filter = LedgerFilter::default();
    let mut format = Format::Json;
    for (name, value) in query {
        let value = value.trim().to_owned();
        match name.as_str() {
            "purpose" => filter.purpose = Some(value),
            "language" => filter.language = Some(value),
            "customer" => filter.customer_ref = Some(value),
            "decision" => {
                filter.decision = Some(ConsentDecision::parse(&value).ok_or_else(|| {
                    bad(&name, format!("{value:?} is not one of given, withdrawn"))
                })?);
            }
            "from" => {
                filter.since = Some(parse_time(&value, false).ok_or_else(|| {
                    bad(&name, format!("{value:?} is not a date such as 2024-05-01"))
                })?);
            }
            "to" => {
                filter.before = Some(parse_time(&value, true).ok_or_else(|| {
                    bad(&name, format!("{value:?} is not a date such as 2024-05-31"))
                })?);
            }
            "format" => {
                format = match value.as_str() {
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    _ => return Err(bad(&name, format!("{value:?} is not one of json, csv"))),
                };
            }
            _ => {
                return Err(bad(
                    &name,
                    format!(
                        "{name} is not a ledger parameter; use purpose, decision, language, from, to, customer or format"
                    ),
                ));
            }
        }
    }
    let entries = state
        .store
        .read(move |conn| consent::entries(conn, &filter).map_err(AppError::from))
        .await?;
    let date = &format_utc(crate::store::now())[..10];
    let mut response = match format {
        Format::Json => Json(LedgerExport { entries }).into_response(),
        Format::Csv => {
            let mut text = String::from(LEDGER_CSV_HEADER);
            for entry in &entries {
                text.push_str(&ledger_csv_record(entry));
            }
            let mut response = text.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            response
        }
    };
    let extension = match format {
        Format::Json => "json",
        Format::Csv => "csv",
    };
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"rapport-consent-ledger-{date}.{extension}\""
    )) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// What the customer behind a pseudonym had decided about each purpose by the end of a day
/// (UTC), and the exact text they saw for each decision.
async fn customer_at(
    State(state): State<AppState>,
    _officer: Officer,
    Path(customer_ref): Path<String>,
    QueryPairs(query): QueryPairs,
) -> Result<Json<CustomerAt>, AppError> {
    let mut date = None;
    for (name, value) in query {
        match name.as_str() {
            "date" => date = Some(value.trim().to_owned()),
            _ => {
                return Err(bad(
                    &name,
                    format!("{name} is not a parameter here; use date"),
                ));
            }
        }
    }
    let date = date.ok_or_else(|| bad("date", "give date=YYYY-MM-DD".into()))?;
    let as_of = (date.len() == 10)
        .then(|| parse_time(&date, true))
        .flatten()
        .ok_or_else(|| bad("date", format!("{date:?} is not a date such as 2024-05-01")))?;
    let reference = customer_ref.clone();
    let purposes = state
        .store
        .read(move |conn| consent::seen_and_chosen(conn, &reference, as_of).map_err(AppError::from))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CustomerAt {
        customer_ref,
        date,
        as_of,
        purposes,
    }))
}

/// Reads the whole ledger in order and checks every link, then the user agents still kept
/// beside it against their salted hashes.
async fn verify(
    State(state): State<AppState>,
    _officer: Officer,
) -> Result<Json<ChainReport>, AppError> {
    let (entries, agent_mismatch) = state
        .store
        .read(move |conn| {
            let tx = conn.unchecked_transaction()?;
            let entries = consent::entries(&tx, &LedgerFilter::default())?;
            let mismatch = consent::first_user_agent_mismatch(&tx)?;
            tx.commit()?;
            Ok::<_, AppError>((entries, mismatch))
        })
        .await?;
    let mut report = verify_chain(&entries);
    if let Some(seq) = agent_mismatch
        && report.first_broken.is_none_or(|broken| seq < broken)
    {
        report.intact = false;
        report.first_broken = Some(seq);
        report.summary = format!(
            "{} entries, chain broken at entry {seq}: the user agent kept for it does not match its hash",
            report.entries
        );
    }
    Ok(Json(report))
}
