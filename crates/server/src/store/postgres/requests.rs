//! Erasure requests and the erasure itself (see the SQLite `requests` module).

use super::{Postgres, exec, lock_customer, now, one, opt, rows};
use crate::store::StoreError;
use crate::store::requests::ErasureError;
use deadpool_postgres::GenericClient;
use rapport_domain::consent::ErasureRequest;
use rapport_domain::history::{Channel, DataRequest, EventDetails, RequestKind, RequestStatus};
use tokio_postgres::Row;

const REQUEST_COLUMNS: &str = "id, status, reason, requested_at, updated_at FROM erasure_requests";

impl From<tokio_postgres::Error> for ErasureError {
    fn from(err: tokio_postgres::Error) -> Self {
        ErasureError::Store(err.into())
    }
}

fn request_of(row: &Row) -> ErasureRequest {
    ErasureRequest {
        id: row.get(0),
        status: crate::store::requests::status_of(row.get(1)),
        reason: row.get(2),
        requested_at: row.get(3),
        updated_at: row.get(4),
    }
}

fn request_event(status: RequestStatus) -> (Channel, i64, EventDetails) {
    (
        Channel::Web,
        now(),
        EventDetails::Request(DataRequest {
            kind: RequestKind::Erasure,
            status,
            order: None,
        }),
    )
}

/// The customer's erasure requests, newest first.
pub async fn list_on<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Vec<ErasureRequest>, StoreError> {
    Ok(rows(
        client,
        &format!("SELECT {REQUEST_COLUMNS} WHERE customer_id = $1 ORDER BY id DESC"),
        &[&customer],
    )
    .await?
    .iter()
    .map(request_of)
    .collect())
}

/// The customer's erasure requests, newest first.
pub async fn list(pg: &Postgres, customer: i64) -> Result<Vec<ErasureRequest>, StoreError> {
    list_on(&pg.client().await?, customer).await
}

/// The open request, or a new one (with a `request` history event); whether it is new.
pub async fn request_erasure(
    pg: &Postgres,
    customer: i64,
) -> Result<(ErasureRequest, bool), StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // The customer's row lock makes two requests at once take turns: the second finds the
    // first's request open (the partial unique index would refuse it anyway).
    lock_customer(&tx, customer).await?;
    if let Some(open) = opt(
        &tx,
        &format!(
            "SELECT {REQUEST_COLUMNS}
             WHERE customer_id = $1 AND status IN ('received', 'in_progress')"
        ),
        &[&customer],
    )
    .await?
    {
        return Ok((request_of(&open), false));
    }
    let customer_ref = super::consent::ensure_customer_ref(&tx, customer).await?;
    let at = now();
    let request = one(
        &tx,
        &format!(
            "INSERT INTO erasure_requests
                 (customer_id, customer_ref, status, requested_at, updated_at)
             VALUES ($1, $2, 'received', $3, $3)
             RETURNING {}",
            REQUEST_COLUMNS.trim_end_matches(" FROM erasure_requests")
        ),
        &[&customer, &customer_ref, &at],
    )
    .await?;
    super::history::insert_on(&tx, customer, &[request_event(RequestStatus::Received)]).await?;
    tx.commit().await?;
    Ok((request_of(&request), true))
}

/// Ids of the requests not yet done or refused, oldest first.
pub async fn open_ids(pg: &Postgres) -> Result<Vec<i64>, StoreError> {
    Ok(rows(
        &pg.client().await?,
        "SELECT id FROM erasure_requests WHERE status IN ('received', 'in_progress') ORDER BY id",
        &[],
    )
    .await?
    .iter()
    .map(|row| row.get(0))
    .collect())
}

/// An open request's customer (locking the request), or why there is none.
async fn open_customer<C: GenericClient>(client: &C, id: i64) -> Result<Option<i64>, ErasureError> {
    let Some(row) = opt(
        client,
        "SELECT customer_id, status FROM erasure_requests WHERE id = $1 FOR UPDATE",
        &[&id],
    )
    .await?
    else {
        return Err(ErasureError::NoSuchRequest(id));
    };
    match crate::store::requests::status_of(row.get(1)) {
        RequestStatus::Done => Err(ErasureError::Closed(id, "done")),
        RequestStatus::Refused => Err(ErasureError::Closed(id, "refused")),
        RequestStatus::Received | RequestStatus::InProgress => Ok(row.get(0)),
    }
}

async fn set_status<C: GenericClient>(
    client: &C,
    id: i64,
    status: RequestStatus,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    exec(
        client,
        "UPDATE erasure_requests SET status = $1, reason = $2, updated_at = $3 WHERE id = $4",
        &[
            &crate::store::requests::status_str(status),
            &reason,
            &now(),
            &id,
        ],
    )
    .await?;
    Ok(())
}

/// Moves an open request to in progress.
pub async fn start(pg: &Postgres, id: i64) -> Result<(), ErasureError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    open_customer(&tx, id).await?;
    set_status(&tx, id, RequestStatus::InProgress, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses an open request, saying why.
pub async fn refuse(pg: &Postgres, id: i64, reason: &str) -> Result<(), ErasureError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    if let Some(customer) = open_customer(&tx, id).await? {
        super::history::insert_on(&tx, customer, &[request_event(RequestStatus::Refused)]).await?;
    }
    set_status(&tx, id, RequestStatus::Refused, Some(reason.trim())).await?;
    tx.commit().await?;
    Ok(())
}

/// Carries out an open erasure request in one transaction (the same list as on SQLite);
/// ledger entries are not touched.
pub async fn erase(pg: &Postgres, id: i64) -> Result<(), ErasureError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    if let Some(customer) = open_customer(&tx, id).await? {
        for table in [
            "history_events",
            "consent_user_agents",
            "consent_subjects",
            "sessions",
            "profiles",
            "preferences",
            "designs",
            "orders",
            "visits",
        ] {
            exec(
                &tx,
                &format!("DELETE FROM {table} WHERE customer_id = $1"),
                &[&customer],
            )
            .await?;
        }
        exec(&tx, "DELETE FROM customers WHERE id = $1", &[&customer]).await?;
    }
    set_status(&tx, id, RequestStatus::Done, None).await?;
    tx.commit().await?;
    Ok(())
}
