//! The privacy officer's audit under `/audit`: the consent screen catalog, the ledger with
//! filters and CSV/JSON export, what one customer saw and chose as of a date, the chain
//! verification, and consent given and withdrawn per purpose per month. Every handler takes [`Officer`], so customers get 403 and anonymous
//! callers 401. Nothing here writes: the ledger has no update or delete route at all.

use super::QueryPairs;
use crate::AppState;
use crate::auth::Officer;
use crate::error::AppError;
use crate::store::consent::LedgerFilter;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::consent::{
    ChainReport, ConsentDecision, CustomerAt, LEDGER_CSV_HEADER, LEDGER_DEFAULT_LIMIT,
    LEDGER_MAX_LIMIT, LedgerEntry, LedgerExport, LedgerPage, ScreenCatalog, ScreenText, SignedHead,
    ledger_csv_fields,
};
use rapport_domain::consent_trend::{ConsentTrend, trend_since};
use rapport_domain::time::{MAX_TIME, format_utc, parse_time};

/// `/audit/screens`, `/audit/ledger`, `/audit/customers/{ref}/at`, `/audit/verify`,
/// `/audit/consents/trend`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit/screens", get(screens))
        .route("/audit/consents/trend", get(trend))
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
    let screens = state.store.screens(current).await?;
    Ok(Json(ScreenCatalog { screens }))
}

/// How `/audit/ledger` answers: a page to browse, or the whole (filtered) ledger as a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// One page of JSON ([`LedgerPage`]); the default.
    Page,
    /// Every entry passing the filters as one JSON file with the signed head and public key
    /// ([`LedgerExport`]); unfiltered, `rapport-server verify-ledger` checks it offline.
    Json,
    /// Every entry passing the filters as CSV.
    Csv,
}

fn time_bound(name: &str, value: &str, end: bool, example: &str) -> Result<i64, AppError> {
    parse_time(value, end).ok_or_else(|| {
        bad(
            name,
            format!(
                "{value:?} is not a date such as {example}, a UTC time or Unix seconds up to {MAX_TIME}"
            ),
        )
    })
}

async fn ledger(
    State(state): State<AppState>,
    _officer: Officer,
    QueryPairs(query): QueryPairs,
) -> Result<Response, AppError> {
    let mut filter = LedgerFilter::default();
    let mut format = Format::Page;
    let mut limit = LEDGER_DEFAULT_LIMIT;
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
            "from" => filter.since = Some(time_bound(&name, &value, false, "2024-05-01")?),
            "to" => filter.before = Some(time_bound(&name, &value, true, "2024-05-31")?),
            "cursor" => {
                filter.after = Some(value.parse::<i64>().map_err(|_| {
                    bad(
                        &name,
                        format!("{value:?} is not a cursor this endpoint gave"),
                    )
                })?);
            }
            "order" => {
                filter.newest_first = match value.as_str() {
                    "oldest" => false,
                    "newest" => true,
                    _ => {
                        return Err(bad(
                            &name,
                            format!("{value:?} is not one of oldest, newest"),
                        ));
                    }
                };
            }
            "limit" => {
                limit = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=LEDGER_MAX_LIMIT).contains(n))
                    .ok_or_else(|| {
                        bad(
                            &name,
                            format!("limit must be a whole number from 1 to {LEDGER_MAX_LIMIT}"),
                        )
                    })?;
            }
            "format" => {
                format = match value.as_str() {
                    "page" => Format::Page,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    _ => {
                        return Err(bad(
                            &name,
                            format!("{value:?} is not one of page, json, csv"),
                        ));
                    }
                };
            }
            _ => {
                return Err(bad(
                    &name,
                    format!(
                        "{name} is not a ledger parameter; use purpose, decision, language, from, to, customer, order, cursor, limit or format"
                    ),
                ));
            }
        }
    }
    if format == Format::Page {
        // One more than asked tells whether another page follows.
        filter.limit = Some(limit + 1);
        let (mut entries, head) = entries_with_head(&state, filter).await?;
        let more = entries.len() > limit as usize;
        entries.truncate(limit as usize);
        let next_cursor = more
            .then(|| entries.last().map(|e| e.seq.to_string()))
            .flatten();
        return Ok(Json(LedgerPage {
            entries,
            next_cursor,
            head,
        })
        .into_response());
    }
    let (entries, head) = entries_with_head(&state, filter).await?;
    let date = &format_utc(crate::store::now())[..10];
    let (mut response, extension) = match format {
        Format::Csv => {
            let mut response = ledger_csv(&entries)?.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            (response, "csv")
        }
        _ => (
            Json(LedgerExport {
                entries,
                head,
                key_id: state.ledger_key.key_id().to_owned(),
                public_key: state.ledger_key.public_hex(),
            })
            .into_response(),
            "json",
        ),
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

/// The entries passing `filter` and the signed head, read in one snapshot so the head
/// matches the entries read with it.
async fn entries_with_head(
    state: &AppState,
    filter: LedgerFilter,
) -> Result<(Vec<LedgerEntry>, Option<SignedHead>), AppError> {
    state.store.ledger(filter).await.map_err(AppError::from)
}

/// The ledger as CSV, written by the `csv` crate (RFC 4180 quoting, CRLF) from the fields
/// the domain crate defines and defuses.
fn ledger_csv(entries: &[rapport_domain::consent::LedgerEntry]) -> Result<String, AppError> {
    let fail = |err: &dyn std::fmt::Display| AppError::Internal(format!("writing CSV: {err}"));
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(LEDGER_CSV_HEADER.trim_end().split(','))
        .map_err(|err| fail(&err))?;
    for entry in entries {
        writer
            .write_record(ledger_csv_fields(entry))
            .map_err(|err| fail(&err))?;
    }
    let bytes = writer.into_inner().map_err(|err| fail(&err))?;
    String::from_utf8(bytes).map_err(|err| fail(&err))
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
        .seen_and_chosen(&reference, as_of)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CustomerAt {
        customer_ref,
        date,
        as_of,
        purposes,
    }))
}

/// Reads the whole ledger in order and checks every link and every signature by the
/// server's key, then the user agents still kept beside it against their salted hashes.
async fn verify(
    State(state): State<AppState>,
    _officer: Officer,
) -> Result<Json<ChainReport>, AppError> {
    let (entries, agent_mismatch) = state.store.ledger_to_verify().await?;
    let mut report = crate::ledger_key::verify_entries(entries, &state.ledger_key);
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

/// Consent given and withdrawn per purpose and month over the last two years (the current
/// month included), counted from the ledger itself.
async fn trend(
    State(state): State<AppState>,
    _officer: Officer,
) -> Result<Json<ConsentTrend>, AppError> {
    let since = trend_since(crate::store::now());
    Ok(Json(state.store.consent_trend(since).await?))
}
