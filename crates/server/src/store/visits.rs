//! When each customer was last here (see [`rapport_domain::visits`] for what counts as one
//! visit).

use super::StoreError;
use rapport_domain::visits::Visits;
use rusqlite::{Connection, OptionalExtension, params};

/// The schema, appended to the store's migrations.
pub const MIGRATION: &str = r"
    CREATE TABLE visits (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        last_at     INTEGER NOT NULL,
        previous_at INTEGER
    );
";

/// The customer's visits, if they have been here.
pub fn load(conn: &Connection, customer: i64) -> Result<Option<Visits>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT last_at, previous_at FROM visits WHERE customer_id = ?1",
            [customer],
            |row| {
                Ok(Visits {
                    last_at: row.get(0)?,
                    previous_at: row.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Notes a page load at `at`; the record after it.
pub fn record(
    conn: &mut Connection,
    customer: i64,
    at: i64,
    gap: i64,
) -> Result<Visits, StoreError> {
    let tx = conn.savepoint()?;
    let visits = Visits::after_load(load(&tx, customer)?, at, gap);
    tx.execute(
        "INSERT INTO visits (customer_id, last_at, previous_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (customer_id) DO UPDATE
             SET last_at = excluded.last_at, previous_at = excluded.previous_at",
        params![customer, visits.last_at, visits.previous_at],
    )?;
    tx.commit()?;
    Ok(visits)
}
