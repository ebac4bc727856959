//! Versioned documents: one JSON document per customer per kind (profile, preferences, saved
//! designs), each with a version that grows by one with every accepted write.

use super::{StoreError, now};
use rapport_domain::designs::Designs;
use rapport_domain::{Preferences, Profile, Version, Versioned};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A kind of document and the table it lives in.
pub trait Document: Serialize + DeserializeOwned + Default + Send + Sync + 'static {
    /// The table: `customer_id`, `version`, `document`, `updated_at`.
    const TABLE: &'static str;
}

impl Document for Profile {
    const TABLE: &'static str = "profiles";
}

impl Document for Preferences {
    const TABLE: &'static str = "preferences";
}

impl Document for Designs {
    const TABLE: &'static str = "designs";
}

/// The saved designs' table, appended to the store's migrations (the same shape as the
/// profile's).
pub const DESIGNS_MIGRATION: &str = r"
    CREATE TABLE designs (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        document    TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    );
";

/// The customer's document, if they have one.
pub fn load<T: Document>(
    conn: &Connection,
    customer: i64,
) -> Result<Option<Versioned<T>>, StoreError> {
    let row = conn
        .query_row(
            &format!(
                "SELECT version, document FROM {} WHERE customer_id = ?1",
                T::TABLE
            ),
            [customer],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?;
    row.map(|(version, document)| {
        Ok(Versioned {
            version: Version(version.unsigned_abs()),
            data: serde_json::from_str(&document)?,
        })
    })
    .transpose()
}

/// Stores the first version of a document.
pub fn create<T: Document>(
    conn: &Connection,
    customer: i64,
    document: &T,
) -> Result<(), StoreError> {
    conn.execute(
        &format!(
            "INSERT INTO {} (customer_id, version, document, updated_at) VALUES (?1, ?2, ?3, ?4)",
            T::TABLE
        ),
        params![
            customer,
            Version::FIRST.0 as i64,
            serde_json::to_string(document)?,
            now()
        ],
    )?;
    Ok(())
}

/// The customer's document. Every customer has every kind of document, at version 1 and
/// empty until first written (preferences exist before anything is chosen), so a missing
/// row is created here rather than reported.
pub fn load_or_create<T: Document>(
    conn: &mut Connection,
    customer: i64,
) -> Result<Versioned<T>, StoreError> {
    let tx = conn.savepoint()?;
    let document = current(&tx, customer)?;
    tx.commit()?;
    Ok(document)
}

fn current<T: Document>(conn: &Connection, customer: i64) -> Result<Versioned<T>, StoreError> {
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO {} (customer_id, version, document, updated_at) VALUES (?1, ?2, ?3, ?4)",
            T::TABLE
        ),
        params![customer, Version::FIRST.0 as i64, serde_json::to_string(&T::default())?, now()],
    )?;
    load(conn, customer)?
        .ok_or_else(|| StoreError::Task(format!("no row in {} after insert", T::TABLE)))
}

/// What a versioned write came to.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteOutcome<T> {
    /// Stored; this is the new version.
    Written(Versioned<T>),
    /// Refused: the record had moved on; this is how it is now.
    Stale(Versioned<T>),
}

/// Replaces the document if, and only if, it is still at `expected`.
pub fn replace<T: Document>(
    conn: &mut Connection,
    customer: i64,
    expected: Version,
    document: &T,
) -> Result<WriteOutcome<T>, StoreError> {
    let tx = conn.savepoint()?;
    current::<T>(&tx, customer)?;
    let changed = tx.execute(
        &format!(
            "UPDATE {} SET version = version + 1, document = ?1, updated_at = ?2
             WHERE customer_id = ?3 AND version = ?4",
            T::TABLE
        ),
        params![
            serde_json::to_string(document)?,
            now(),
            customer,
            expected.0 as i64
        ],
    )?;
    let now = current(&tx, customer)?;
    tx.commit()?;
    Ok(if changed == 1 {
        WriteOutcome::Written(now)
    } else {
        WriteOutcome::Stale(now)
    })
}
