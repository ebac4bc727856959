//! Profiles: one versioned JSON document per customer.

use super::{StoreError, now};
use rapport_domain::{Profile, Version, Versioned};
use rusqlite::{Connection, OptionalExtension, params};

/// The profile of a customer, if they have one.
pub fn load(conn: &Connection, customer: i64) -> Result<Option<Versioned<Profile>>, StoreError> {
    let row = conn
        .query_row(
            "SELECT version, document FROM profiles WHERE customer_id = ?1",
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

/// Stores the first version of a profile.
pub fn create(conn: &Connection, customer: i64, profile: &Profile) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO profiles (customer_id, version, document, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            customer,
            Version::FIRST.0 as i64,
            serde_json::to_string(profile)?,
            now()
        ],
    )?;
    Ok(())
}

/// What a versioned write came to.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteOutcome<T> {
    /// Stored; this is the new version.
    Written(Versioned<T>),
    /// Refused: the record had moved on; this is how it is now.
    Stale(Versioned<T>),
    /// The customer has no record to write over.
    Missing,
}

/// Replaces the profile if, and only if, it is still at `expected`.
pub fn replace(
    conn: &mut Connection,
    customer: i64,
    expected: Version,
    profile: &Profile,
) -> Result<WriteOutcome<Profile>, StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE profiles SET version = version + 1, document = ?1, updated_at = ?2
         WHERE customer_id = ?3 AND version = ?4",
        params![
            serde_json::to_string(profile)?,
            now(),
            customer,
            expected.0 as i64
        ],
    )?;
    let current = load(&tx, customer)?;
    tx.commit()?;
    Ok(match current {
        None => WriteOutcome::Missing,
        Some(current) if changed == 1 => WriteOutcome::Written(current),
        Some(current) => WriteOutcome::Stale(current),
    })
}
