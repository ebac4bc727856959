//! Versioned documents (see the SQLite `documents` module).

use super::{Postgres, exec, now, opt};
use crate::store::StoreError;
use crate::store::documents::{Document, WriteOutcome};
use deadpool_postgres::GenericClient;
use rapport_domain::{Version, Versioned};

/// The customer's document, if they have one.
pub async fn load_on<T: Document, C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Option<Versioned<T>>, StoreError> {
    let row = opt(
        client,
        &format!(
            "SELECT version, document FROM {} WHERE customer_id = $1",
            T::TABLE
        ),
        &[&customer],
    )
    .await?;
    row.map(|row| {
        Ok(Versioned {
            version: Version(row.get::<_, i64>(0).unsigned_abs()),
            data: serde_json::from_str(row.get(1))?,
        })
    })
    .transpose()
}

/// The customer's document, if they have one.
pub async fn load<T: Document>(
    pg: &Postgres,
    customer: i64,
) -> Result<Option<Versioned<T>>, StoreError> {
    load_on(&pg.client().await?, customer).await
}

/// Stores the first version of a document.
pub async fn create_on<T: Document, C: GenericClient>(
    client: &C,
    customer: i64,
    document: &T,
) -> Result<(), StoreError> {
    exec(
        client,
        &format!(
            "INSERT INTO {} (customer_id, version, document, updated_at) VALUES ($1, $2, $3, $4)",
            T::TABLE
        ),
        &[
            &customer,
            &(Version::FIRST.0 as i64),
            &serde_json::to_string(document)?,
            &now(),
        ],
    )
    .await?;
    Ok(())
}

/// The document, made empty at version 1 when missing (as the SQLite `current`).
async fn current<T: Document, C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Versioned<T>, StoreError> {
    exec(
        client,
        &format!(
            "INSERT INTO {} (customer_id, version, document, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (customer_id) DO NOTHING",
            T::TABLE
        ),
        &[
            &customer,
            &(Version::FIRST.0 as i64),
            &serde_json::to_string(&T::default())?,
            &now(),
        ],
    )
    .await?;
    load_on(client, customer)
        .await?
        .ok_or_else(|| StoreError::Task(format!("no row in {} after insert", T::TABLE)))
}

/// The customer's document, made empty at version 1 when missing.
pub async fn load_or_create<T: Document>(
    pg: &Postgres,
    customer: i64,
) -> Result<Versioned<T>, StoreError> {
    current(&pg.client().await?, customer).await
}

/// Replaces the document if, and only if, it is still at `expected`.
///
/// In one transaction, READ COMMITTED: a writer that finds the row locked by another waits,
/// then re-reads the row and sees the new version, so at most one of two writers from the
/// same version succeeds, and the other is told how the document is now.
pub async fn replace<T: Document>(
    pg: &Postgres,
    customer: i64,
    expected: Version,
    document: &T,
) -> Result<WriteOutcome<T>, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // Every customer has every document from version 1 (see the SQLite module).
    current::<T, _>(&tx, customer).await?;
    let written = opt(
        &tx,
        &format!(
            "UPDATE {} SET version = version + 1, document = $1, updated_at = $2
             WHERE customer_id = $3 AND version = $4 RETURNING version",
            T::TABLE
        ),
        &[
            &serde_json::to_string(document)?,
            &now(),
            &customer,
            &(expected.0 as i64),
        ],
    )
    .await?;
    let outcome = match written {
        Some(_) => WriteOutcome::Written(current(&tx, customer).await?),
        None => WriteOutcome::Stale(current(&tx, customer).await?),
    };
    tx.commit().await?;
    Ok(outcome)
}
