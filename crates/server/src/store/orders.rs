//! Orders of designed products: placed by the customer (`POST /me/orders`), fulfilled by the
//! business (`rapport-server orders fulfil`).
//!
//! An order keeps the request as the customer sent it, the quote the backend agreed to, and
//! the receipt lines it will become (named when it was placed, so a later change to the
//! catalogue does not rename what was bought). Each step writes its history event in the
//! same transaction: `request` (kind `order`, received) when placed; when fulfilled, the
//! request done and the `purchase` itself.

use super::{StoreError, history, now};
use rapport_domain::catalogue::Quote;
use rapport_domain::designs::{OrderReceipt, OrderRecord, OrderRequest, PlacedOrder};
use rapport_domain::history::{
    Channel, DataRequest, EventDetails, OrderSummary, Purchase, PurchaseItem, RequestKind,
    RequestStatus,
};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The schema, appended to the store's migrations.
///
/// `idempotency_key` is the client's `Idempotency-Key`: one order per key per customer, so a
/// retried "Order now" (a lost answer, a double click) answers with the first receipt.
pub const MIGRATION: &str = r"
    CREATE TABLE orders (
        id              INTEGER PRIMARY KEY,
        customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        reference       TEXT NOT NULL UNIQUE,
        request         TEXT NOT NULL,
        quote           TEXT NOT NULL,
        items           TEXT NOT NULL,
        status          TEXT NOT NULL
                        CHECK (status IN ('received', 'in_progress', 'done', 'refused')),
        received_at     INTEGER NOT NULL,
        fulfilled_at    INTEGER,
        idempotency_key TEXT
    );
    CREATE INDEX orders_by_customer ON orders(customer_id, received_at, id);
    CREATE UNIQUE INDEX orders_once_per_key ON orders(customer_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
    CREATE INDEX orders_open ON orders(received_at, id) WHERE status = 'received';
";

/// Where a web-shop purchase happened, as its receipt says.
pub const STORE_NAME: &str = "Web shop";

/// An order the backend has priced and accepted, ready to be stored.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// The request as the customer sent it (its name cleaned).
    pub request: OrderRequest,
    /// The backend's price, equal to what the customer agreed to.
    pub quote: Quote,
    /// The receipt lines it becomes when fulfilled.
    pub items: Vec<PurchaseItem>,
    /// The client's `Idempotency-Key`, if it sent one.
    pub idempotency_key: Option<String>,
}

impl NewOrder {
    /// The order as stored once received under `reference` at `at` (both engines).
    #[must_use]
    pub fn received(&self, reference: &str, at: i64) -> PlacedOrder {
        PlacedOrder {
            reference: reference.to_owned(),
            name: self.request.name.clone(),
            model: self.request.spec.model.clone(),
            total_minor: self.quote.total_minor,
            currency: self.quote.currency.clone(),
            status: RequestStatus::Received,
            received_at: at,
            fulfilled_at: None,
        }
    }
}

/// An order the business has yet to fulfil, for `orders list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOrder {
    /// The customer's sign-in e-mail.
    pub email: String,
    /// The order.
    pub order: PlacedOrder,
}

/// Why an order could not be fulfilled.
#[derive(Debug, thiserror::Error)]
pub enum FulfilError {
    /// No order has that reference.
    #[error("there is no order {0}")]
    NoSuchOrder(String),
    /// It was fulfilled already.
    #[error("order {reference} was fulfilled already, at {at} (UTC)", at = rapport_domain::time::format_utc(*.at))]
    AlreadyFulfilled {
        /// The order.
        reference: String,
        /// When it was fulfilled, Unix seconds.
        at: i64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for FulfilError {
    fn from(err: rusqlite::Error) -> Self {
        FulfilError::Store(err.into())
    }
}

/// A new reference: `R-` and 40 random bits in base32 (see [`rapport_domain::designs`]).
pub fn new_reference() -> Result<String, StoreError> {
    let mut random = [0u8; 5];
    getrandom::fill(&mut random).map_err(|err| StoreError::Task(err.to_string()))?;
    Ok(rapport_domain::designs::reference_from(random))
}

/// The stored columns of an order, as both engines read them.
pub(crate) struct OrderRow {
    pub reference: String,
    pub request: String,
    pub quote: String,
    pub status: String,
    pub received_at: i64,
    pub fulfilled_at: Option<i64>,
}

impl OrderRow {
    /// The order list's line.
    pub fn placed(&self) -> Result<PlacedOrder, StoreError> {
        let request: OrderRequest = serde_json::from_str(&self.request)?;
        let quote: Quote = serde_json::from_str(&self.quote)?;
        Ok(placed(&self.reference, &request, &quote, self))
    }

    /// The whole order, for the customer's data download.
    pub fn record(&self) -> Result<OrderRecord, StoreError> {
        let request: OrderRequest = serde_json::from_str(&self.request)?;
        let quote: Quote = serde_json::from_str(&self.quote)?;
        Ok(OrderRecord {
            order: placed(&self.reference, &request, &quote, self),
            request,
            quote,
        })
    }
}

fn placed(reference: &str, request: &OrderRequest, quote: &Quote, row: &OrderRow) -> PlacedOrder {
    PlacedOrder {
        reference: reference.to_owned(),
        name: request.name.clone(),
        model: request.spec.model.clone(),
        total_minor: quote.total_minor,
        currency: quote.currency.clone(),
        status: super::requests::status_of(&row.status),
        received_at: row.received_at,
        fulfilled_at: row.fulfilled_at,
    }
}

/// The history line of an order at `status`.
pub(crate) fn request_event(order: &PlacedOrder, status: RequestStatus) -> EventDetails {
    EventDetails::Request(DataRequest {
        kind: RequestKind::Order,
        status,
        order: Some(OrderSummary {
            reference: order.reference.clone(),
            name: order.name.clone(),
            model: order.model.clone(),
            total_minor: order.total_minor,
            currency: order.currency.clone(),
        }),
    })
}

/// The purchase a fulfilled order becomes.
pub(crate) fn purchase_event(items: Vec<PurchaseItem>, quote: &Quote) -> EventDetails {
    EventDetails::Purchase(Purchase {
        items,
        total_minor: quote.total_minor,
        currency: quote.currency.clone(),
        store: STORE_NAME.to_owned(),
    })
}

/// The receipt of a stored order.
pub(crate) fn receipt_of(
    reference: String,
    quote: &str,
    received_at: i64,
) -> Result<OrderReceipt, StoreError> {
    Ok(OrderReceipt {
        reference,
        quote: serde_json::from_str(quote)?,
        received_at,
    })
}

const ROW_COLUMNS: &str = "reference, request, quote, status, received_at, fulfilled_at";

fn row_of(row: &Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok(OrderRow {
        reference: row.get(0)?,
        request: row.get(1)?,
        quote: row.get(2)?,
        status: row.get(3)?,
        received_at: row.get(4)?,
        fulfilled_at: row.get(5)?,
    })
}

/// The receipt of the customer's order placed with this idempotency key, if there is one.
pub fn receipt_for_key(
    conn: &Connection,
    customer: i64,
    key: &str,
) -> Result<Option<OrderReceipt>, StoreError> {
    conn.query_row(
        "SELECT reference, quote, received_at FROM orders
         WHERE customer_id = ?1 AND idempotency_key = ?2",
        params![customer, key],
        |row| Ok((row.get(0)?, row.get::<_, String>(1)?, row.get(2)?)),
    )
    .optional()?
    .map(|(reference, quote, received_at)| receipt_of(reference, &quote, received_at))
    .transpose()
}

/// Stores an accepted order and its history event; its receipt. With an idempotency key
/// already used by the customer, the first order's receipt, and nothing new stored.
pub fn place(
    conn: &mut Connection,
    customer: i64,
    order: &NewOrder,
) -> Result<OrderReceipt, StoreError> {
    let tx = conn.savepoint()?;
    if let Some(key) = &order.idempotency_key
        && let Some(earlier) = receipt_for_key(&tx, customer, key)?
    {
        return Ok(earlier);
    }
    let at = now();
    let (request, quote) = (
        serde_json::to_string(&order.request)?,
        serde_json::to_string(&order.quote)?,
    );
    let items = serde_json::to_string(&order.items)?;
    // 40 random bits: a clash is rare enough that trying again is all it needs.
    let reference = loop {
        let reference = new_reference()?;
        let stored = tx.execute(
            "INSERT INTO orders (customer_id, reference, request, quote, items, status,
                                 received_at, idempotency_key)
             VALUES (?1, ?2, ?3, ?4, ?5, 'received', ?6, ?7)
             ON CONFLICT (reference) DO NOTHING",
            params![
                customer,
                reference,
                request,
                quote,
                items,
                at,
                order.idempotency_key
            ],
        )?;
        if stored == 1 {
            break reference;
        }
    };
    let placed = order.received(&reference, at);
    history::insert(
        &tx,
        customer,
        Channel::Web,
        at,
        &request_event(&placed, RequestStatus::Received),
    )?;
    tx.commit()?;
    Ok(OrderReceipt {
        reference,
        quote: order.quote.clone(),
        received_at: at,
    })
}

/// The customer's orders, newest first.
pub fn list(conn: &Connection, customer: i64) -> Result<Vec<PlacedOrder>, StoreError> {
    rows(conn, customer)?.iter().map(OrderRow::placed).collect()
}

/// The customer's orders in full, newest first.
pub fn records(conn: &Connection, customer: i64) -> Result<Vec<OrderRecord>, StoreError> {
    rows(conn, customer)?.iter().map(OrderRow::record).collect()
}

fn rows(conn: &Connection, customer: i64) -> Result<Vec<OrderRow>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ROW_COLUMNS} FROM orders WHERE customer_id = ?1
         ORDER BY received_at DESC, id DESC"
    ))?;
    let rows = statement.query_map([customer], row_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Orders not yet fulfilled, oldest first, with their customer's e-mail.
pub fn open(conn: &Connection) -> Result<Vec<OpenOrder>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {}, customers.email FROM orders JOIN customers ON customers.id = orders.customer_id
         WHERE status = 'received' ORDER BY received_at, orders.id",
        ROW_COLUMNS.replace("reference", "orders.reference")
    ))?;
    let rows = statement.query_map([], |row| Ok((row_of(row)?, row.get::<_, String>(6)?)))?;
    rows.map(|row| {
        let (row, email) = row?;
        Ok(OpenOrder {
            email,
            order: row.placed()?,
        })
    })
    .collect()
}

/// Marks an order fulfilled, with its history events (the request done, the purchase), in
/// one transaction; the order as it now stands.
pub fn fulfil(conn: &mut Connection, reference: &str) -> Result<PlacedOrder, FulfilError> {
    let tx = conn.savepoint()?;
    let found = tx
        .query_row(
            &format!("SELECT {ROW_COLUMNS}, customer_id, items FROM orders WHERE reference = ?1"),
            [reference],
            |row| {
                Ok((
                    row_of(row)?,
                    row.get::<_, i64>(6)?,
                    row.get::<_, String>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((mut row, customer, items)) = found else {
        return Err(FulfilError::NoSuchOrder(reference.to_owned()));
    };
    if let Some(at) = row.fulfilled_at {
        return Err(FulfilError::AlreadyFulfilled {
            reference: reference.to_owned(),
            at,
        });
    }
    let at = now();
    tx.execute(
        "UPDATE orders SET status = 'done', fulfilled_at = ?1 WHERE reference = ?2",
        params![at, reference],
    )?;
    (row.status, row.fulfilled_at) = ("done".to_owned(), Some(at));
    let order = row.placed()?;
    let quote: Quote = serde_json::from_str(&row.quote).map_err(StoreError::from)?;
    let items: Vec<PurchaseItem> = serde_json::from_str(&items).map_err(StoreError::from)?;
    history::insert(
        &tx,
        customer,
        Channel::Web,
        at,
        &request_event(&order, RequestStatus::Done),
    )?;
    history::insert(
        &tx,
        customer,
        Channel::Web,
        at,
        &purchase_event(items, &quote),
    )?;
    tx.commit()?;
    Ok(order)
}
