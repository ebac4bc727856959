//! Erasure requests and the erasure itself.
//!
//! A request keeps the customer's ledger pseudonym beside the link to the customer. Erasure
//! deletes the customer (and with them their profile, preferences, saved designs, orders,
//! visits, history, sessions, sign-in
//! and the link from pseudonym to customer, see [`super::consent`]); the request row stays,
//! its customer link set to NULL by the foreign key, as the pseudonymous proof that the
//! customer behind `customer_ref` was erased, and when.

use super::{StoreError, consent, history, now};
use rapport_domain::consent::ErasureRequest;
use rapport_domain::history::{Channel, DataRequest, EventDetails, RequestKind, RequestStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The schema, appended to the store's migrations.
///
/// The partial unique index allows one open (received or in progress) erasure request per
/// customer, so a second POST cannot queue a duplicate even under a race.
pub const MIGRATION: &str = r"
    CREATE TABLE erasure_requests (
        id           INTEGER PRIMARY KEY,
        customer_id  INTEGER REFERENCES customers(id) ON DELETE SET NULL,
        customer_ref TEXT NOT NULL,
        status       TEXT NOT NULL
                     CHECK (status IN ('received', 'in_progress', 'done', 'refused')),
        reason       TEXT,
        requested_at INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX erasure_requests_one_open ON erasure_requests(customer_id)
        WHERE status IN ('received', 'in_progress');
    CREATE INDEX erasure_requests_by_customer ON erasure_requests(customer_id, id);
";

/// Why an erasure could not be carried out or refused.
#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    /// No request with that id.
    #[error("there is no erasure request {0}")]
    NoSuchRequest(i64),
    /// The request is already done or refused.
    #[error("erasure request {0} is already {1}")]
    Closed(i64, &'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ErasureError {
    fn from(err: rusqlite::Error) -> Self {
        ErasureError::Store(err.into())
    }
}

pub(crate) fn status_str(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Received => "received",
        RequestStatus::InProgress => "in_progress",
        RequestStatus::Done => "done",
        RequestStatus::Refused => "refused",
    }
}

pub(crate) fn status_of(text: &str) -> RequestStatus {
    match text {
        "in_progress" => RequestStatus::InProgress,
        "done" => RequestStatus::Done,
        "refused" => RequestStatus::Refused,
        _ => RequestStatus::Received,
    }
}

fn request_of(row: &Row<'_>) -> rusqlite::Result<ErasureRequest> {
    Ok(ErasureRequest {
        id: row.get(0)?,
        status: status_of(&row.get::<_, String>(1)?),
        reason: row.get(2)?,
        requested_at: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

const REQUEST_COLUMNS: &str = "id, status, reason, requested_at, updated_at FROM erasure_requests";

/// The customer's erasure requests, newest first.
pub fn list(conn: &Connection, customer: i64) -> Result<Vec<ErasureRequest>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {REQUEST_COLUMNS} WHERE customer_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = statement.query_map([customer], request_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Asks for the customer's erasure: the open request if there is one, else a new one
/// (with a `request` history event). Returns the request and whether it is new.
pub fn request_erasure(
    conn: &mut Connection,
    customer: i64,
) -> Result<(ErasureRequest, bool), StoreError> {
    let tx = conn.savepoint()?;
    let open = tx
        .query_row(
            &format!(
                "SELECT {REQUEST_COLUMNS}
                 WHERE customer_id = ?1 AND status IN ('received', 'in_progress')"
            ),
            [customer],
            request_of,
        )
        .optional()?;
    if let Some(open) = open {
        return Ok((open, false));
    }
    let customer_ref = consent::ensure_customer_ref(&tx, customer)?;
    let at = now();
    tx.execute(
        "INSERT INTO erasure_requests
             (customer_id, customer_ref, status, requested_at, updated_at)
         VALUES (?1, ?2, 'received', ?3, ?3)",
        params![customer, customer_ref, at],
    )?;
    let id = tx.last_insert_rowid();
    history::insert(
        &tx,
        customer,
        Channel::Web,
        at,
        &EventDetails::Request(DataRequest {
            kind: RequestKind::Erasure,
            status: RequestStatus::Received,
            order: None,
        }),
    )?;
    let request = tx.query_row(
        &format!("SELECT {REQUEST_COLUMNS} WHERE id = ?1"),
        [id],
        request_of,
    )?;
    tx.commit()?;
    Ok((request, true))
}

/// Ids of the requests not yet done or refused, oldest first.
pub fn open_ids(conn: &Connection) -> Result<Vec<i64>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT id FROM erasure_requests WHERE status IN ('received', 'in_progress') ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An open request's customer, or why there is none.
fn open_customer(conn: &Connection, id: i64) -> Result<Option<i64>, ErasureError> {
    let row = conn
        .query_row(
            "SELECT customer_id, status FROM erasure_requests WHERE id = ?1",
            [id],
            |row| Ok((row.get::<_, Option<i64>>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?;
    let Some((customer, status)) = row else {
        return Err(ErasureError::NoSuchRequest(id));
    };
    match status_of(&status) {
        RequestStatus::Done => Err(ErasureError::Closed(id, "done")),
        RequestStatus::Refused => Err(ErasureError::Closed(id, "refused")),
        RequestStatus::Received | RequestStatus::InProgress => Ok(customer),
    }
}

/// Moves an open request to in progress (what an operator does before checking it).
pub fn start(conn: &mut Connection, id: i64) -> Result<(), ErasureError> {
    let tx = conn.savepoint()?;
    open_customer(&tx, id)?;
    set_status(&tx, id, RequestStatus::InProgress, None)?;
    tx.commit()?;
    Ok(())
}

/// Refuses an open request, saying why; the customer sees the reason.
pub fn refuse(conn: &mut Connection, id: i64, reason: &str) -> Result<(), ErasureError> {
    let tx = conn.savepoint()?;
    if let Some(customer) = open_customer(&tx, id)? {
        history::insert(
            &tx,
            customer,
            Channel::Web,
            now(),
            &EventDetails::Request(DataRequest {
                kind: RequestKind::Erasure,
                status: RequestStatus::Refused,
                order: None,
            }),
        )?;
    }
    set_status(&tx, id, RequestStatus::Refused, Some(reason.trim()))?;
    tx.commit()?;
    Ok(())
}

/// Carries out an open erasure request in one transaction: deletes the customer's history,
/// ledger user agents, pseudonym link, sessions, profile, preferences, designs, orders,
/// visits and sign-in, and marks
/// the request done. Ledger entries are not touched (see the module doc of [`super::consent`]).
pub fn erase(conn: &mut Connection, id: i64) -> Result<(), ErasureError> {
    let tx = conn.savepoint()?;
    if let Some(customer) = open_customer(&tx, id)? {
        // Deleting the customer would cascade to all of these; doing it table by table keeps
        // the list of what erasure removes readable here, and independent of the schema's
        // foreign-key actions.
        history::delete_all(&tx, customer)?;
        for table in [
            "consent_user_agents",
            "consent_subjects",
            "sessions",
            "profiles",
            "preferences",
            "designs",
            "orders",
            "visits",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE customer_id = ?1"),
                [customer],
            )?;
        }
        tx.execute("DELETE FROM customers WHERE id = ?1", [customer])?;
    }
    set_status(&tx, id, RequestStatus::Done, None)?;
    tx.commit()?;
    Ok(())
}

fn set_status(
    conn: &Connection,
    id: i64,
    status: RequestStatus,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE erasure_requests SET status = ?1, reason = ?2, updated_at = ?3 WHERE id = ?4",
        params![status_str(status), reason, now(), id],
    )?;
    Ok(())
}
