//! `POST /me/orders` (order a design) and `GET /me/orders` (the customer's orders).
//!
//! The backend never takes the portal's word for a price: it prices the design again from the
//! catalogue it was started with, refuses a design the rules do not allow (422, with the
//! rule's code) and an order whose total is not today's (409 `price_changed`, with today's
//! quote for the portal to show). Fulfilling an order is the business's step
//! (`rapport-server orders fulfil`), not an endpoint.

use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use crate::store::orders::NewOrder;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use rapport_domain::designs::{NAME_MAX_CHARS, OrderReceipt, OrderRequest, PlacedOrder};
use rapport_domain::text::{self, Lines};

/// `/me/orders`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/orders", get(list).post(place))
}

/// The header a client may send so that a retried order answers with the first receipt.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Longest idempotency key taken.
const KEY_MAX_LEN: usize = 200;

async fn list(State(state): State<AppState>, me: Me) -> Result<Json<Vec<PlacedOrder>>, AppError> {
    Ok(Json(state.store.orders_of(me.customer).await?))
}

/// 201 with the receipt; the same receipt again for an `Idempotency-Key` used before.
async fn place(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(mut request): AppJson<OrderRequest>,
) -> Result<(StatusCode, Json<OrderReceipt>), AppError> {
    let idempotency_key = idempotency_key(&headers)?;
    if let Some(key) = &idempotency_key
        && let Some(earlier) = state.store.order_for_key(me.customer, key).await?
    {
        return Ok((StatusCode::CREATED, Json(earlier)));
    }
    let catalogue = state.catalogue.clone().ok_or(AppError::NotFound)?;
    request.name = checked_name(&request.name)?;
    let quote = catalogue.price(&request.spec).map_err(|problems| {
        let problem = &problems[0];
        AppError::Invalid {
            code: problem.code(),
            message: problem.message(),
            field: "spec".into(),
        }
    })?;
    if quote.total_minor != request.total_minor || quote.currency != request.currency {
        return Err(AppError::PriceChanged(Box::new(quote)));
    }
    let items = rapport_domain::designs::receipt_items(
        &catalogue,
        &request.spec.model,
        &quote,
        &state.config.default_language,
    );
    let receipt = state
        .store
        .place_order(
            me.customer,
            NewOrder {
                request,
                quote,
                items,
                idempotency_key,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// The order's name, cleaned, or why it cannot be taken: it goes on the history line and the
/// business's list, so it follows the rules of a design's name.
fn checked_name(name: &str) -> Result<String, AppError> {
    let invalid = |code: &'static str, message: String| AppError::Invalid {
        code,
        message,
        field: "name".into(),
    };
    if let Some(problem) = text::check(name, Lines::Single) {
        return Err(invalid(problem.code(), problem.message("name")));
    }
    let name = text::clean(name);
    if name.is_empty() {
        return Err(invalid(
            "design_name_missing",
            "the order needs a name".into(),
        ));
    }
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(invalid(
            "design_name_too_long",
            format!("the name is longer than {NAME_MAX_CHARS} characters"),
        ));
    }
    Ok(name)
}

/// The `Idempotency-Key` header, if sent: 1 to 200 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| !key.is_empty() && key.len() <= KEY_MAX_LEN)
        .filter(|key| key.bytes().all(|b| b.is_ascii_graphic()))
        .map(|key| Some(key.to_owned()))
        .ok_or_else(|| AppError::BadRequest {
            message: format!("Idempotency-Key must be 1 to {KEY_MAX_LEN} visible ASCII characters"),
            field: None,
        })
}
