//! Orders of designed products (see the SQLite `orders` module).

use super::{Postgres, exec, lock_customer, now, opt, rows};
use crate::store::StoreError;
use crate::store::orders::{
    FulfilError, NewOrder, OpenOrder, OrderRow, new_reference, purchase_event, receipt_of,
    request_event,
};
use deadpool_postgres::GenericClient;
use rapport_domain::catalogue::Quote;
use rapport_domain::designs::{OrderReceipt, OrderRecord, PlacedOrder};
use rapport_domain::history::{Channel, PurchaseItem, RequestStatus};
use tokio_postgres::Row;

impl From<tokio_postgres::Error> for FulfilError {
    fn from(err: tokio_postgres::Error) -> Self {
        FulfilError::Store(err.into())
    }
}

const ROW_COLUMNS: &str = "reference, request, quote, status, received_at, fulfilled_at";

fn row_of(row: &Row) -> OrderRow {
    OrderRow {
        reference: row.get(0),
        request: row.get(1),
        quote: row.get(2),
        status: row.get(3),
        received_at: row.get(4),
        fulfilled_at: row.get(5),
    }
}

/// The receipt of the customer's order placed with this idempotency key, if there is one.
pub async fn receipt_for_key_on<C: GenericClient>(
    client: &C,
    customer: i64,
    key: &str,
) -> Result<Option<OrderReceipt>, StoreError> {
    opt(
        client,
        "SELECT reference, quote, received_at FROM orders
         WHERE customer_id = $1 AND idempotency_key = $2",
        &[&customer, &key],
    )
    .await?
    .map(|row| receipt_of(row.get(0), row.get(1), row.get(2)))
    .transpose()
}

/// The receipt of the customer's order placed with this idempotency key, if there is one.
pub async fn receipt_for_key(
    pg: &Postgres,
    customer: i64,
    key: &str,
) -> Result<Option<OrderReceipt>, StoreError> {
    receipt_for_key_on(&pg.client().await?, customer, key).await
}

/// Stores an accepted order and its history event; its receipt (the first order's, for an
/// idempotency key the customer used before).
pub async fn place(
    pg: &Postgres,
    customer: i64,
    order: &NewOrder,
) -> Result<OrderReceipt, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // Two tries with one key at once take turns on the customer's row: the second finds the
    // first's order.
    lock_customer(&tx, customer).await?;
    if let Some(key) = &order.idempotency_key
        && let Some(earlier) = receipt_for_key_on(&tx, customer, key).await?
    {
        return Ok(earlier);
    }
    let at = now();
    let (request, quote) = (
        serde_json::to_string(&order.request)?,
        serde_json::to_string(&order.quote)?,
    );
    let items = serde_json::to_string(&order.items)?;
    let reference = loop {
        let reference = new_reference()?;
        let stored = exec(
            &tx,
            "INSERT INTO orders (customer_id, reference, request, quote, items, status,
                                 received_at, idempotency_key)
             VALUES ($1, $2, $3, $4, $5, 'received', $6, $7)
             ON CONFLICT (reference) DO NOTHING",
            &[
                &customer,
                &reference,
                &request,
                &quote,
                &items,
                &at,
                &order.idempotency_key,
            ],
        )
        .await?;
        if stored == 1 {
            break reference;
        }
    };
    let placed = order.received(&reference, at);
    super::history::insert_on(
        &tx,
        customer,
        &[(
            Channel::Web,
            at,
            request_event(&placed, RequestStatus::Received),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(OrderReceipt {
        reference,
        quote: order.quote.clone(),
        received_at: at,
    })
}

async fn rows_of<C: GenericClient>(client: &C, customer: i64) -> Result<Vec<OrderRow>, StoreError> {
    Ok(rows(
        client,
        &format!(
            "SELECT {ROW_COLUMNS} FROM orders WHERE customer_id = $1
             ORDER BY received_at DESC, id DESC"
        ),
        &[&customer],
    )
    .await?
    .iter()
    .map(row_of)
    .collect())
}

/// The customer's orders, newest first.
pub async fn list(pg: &Postgres, customer: i64) -> Result<Vec<PlacedOrder>, StoreError> {
    rows_of(&pg.client().await?, customer)
        .await?
        .iter()
        .map(OrderRow::placed)
        .collect()
}

/// The customer's orders in full, newest first.
pub async fn records_on<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Vec<OrderRecord>, StoreError> {
    rows_of(client, customer)
        .await?
        .iter()
        .map(OrderRow::record)
        .collect()
}

/// Orders not yet fulfilled, oldest first, with their customer's e-mail.
pub async fn open(pg: &Postgres) -> Result<Vec<OpenOrder>, StoreError> {
    rows(
        &pg.client().await?,
        "SELECT o.reference, o.request, o.quote, o.status, o.received_at, o.fulfilled_at, c.email
         FROM orders o JOIN customers c ON c.id = o.customer_id
         WHERE o.status = 'received' ORDER BY o.received_at, o.id",
        &[],
    )
    .await?
    .iter()
    .map(|row| {
        Ok(OpenOrder {
            email: row.get(6),
            order: row_of(row).placed()?,
        })
    })
    .collect()
}

/// Marks an order fulfilled with its history events, in one transaction (the order's row
/// locked, so two operators cannot both fulfil it).
pub async fn fulfil(pg: &Postgres, reference: &str) -> Result<PlacedOrder, FulfilError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    let Some(found) = opt(
        &tx,
        &format!(
            "SELECT {ROW_COLUMNS}, customer_id, items FROM orders WHERE reference = $1 FOR UPDATE"
        ),
        &[&reference],
    )
    .await?
    else {
        return Err(FulfilError::NoSuchOrder(reference.to_owned()));
    };
    let (mut row, customer, items): (OrderRow, i64, String) =
        (row_of(&found), found.get(6), found.get(7));
    if let Some(at) = row.fulfilled_at {
        return Err(FulfilError::AlreadyFulfilled {
            reference: reference.to_owned(),
            at,
        });
    }
    let at = now();
    exec(
        &tx,
        "UPDATE orders SET status = 'done', fulfilled_at = $1 WHERE reference = $2",
        &[&at, &reference],
    )
    .await?;
    (row.status, row.fulfilled_at) = ("done".to_owned(), Some(at));
    let order = row.placed()?;
    let quote: Quote = serde_json::from_str(&row.quote).map_err(StoreError::from)?;
    let items: Vec<PurchaseItem> = serde_json::from_str(&items).map_err(StoreError::from)?;
    super::history::insert_on(
        &tx,
        customer,
        &[
            (Channel::Web, at, request_event(&order, RequestStatus::Done)),
            (Channel::Web, at, purchase_event(items, &quote)),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(order)
}
