//! The demo customer and privacy officer (see the SQLite `demo` module).

use super::{Postgres, customers, documents, history, now, one};
use crate::store::StoreError;
use crate::store::demo::{
    DEMO_EMAIL, DEMO_HISTORY_EVENTS, DEMO_HISTORY_SEED, DEMO_PASSWORD, OFFICER_EMAIL,
    OFFICER_PASSWORD, demo_designs, demo_profile,
};
use rapport_domain::api::Role;

/// Adds the demo accounts when there are no accounts yet; whether it did.
pub async fn seed_if_empty(pg: &Postgres) -> Result<bool, StoreError> {
    let hash = customers_hash(DEMO_PASSWORD).await?;
    let officer_hash = customers_hash(OFFICER_PASSWORD).await?;
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // Two servers starting at once on an empty database must not both seed.
    tx.batch_execute("LOCK TABLE customers IN EXCLUSIVE MODE")
        .await?;
    let count: i64 = one(&tx, "SELECT COUNT(*) FROM customers", &[])
        .await?
        .get(0);
    if count > 0 {
        return Ok(false);
    }
    let id = customers::create_on(&tx, DEMO_EMAIL, &hash, Role::Customer).await?;
    documents::create_on(&tx, id, &demo_profile()).await?;
    documents::create_on(&tx, id, &demo_designs()).await?;
    history::seed_on(&tx, id, DEMO_HISTORY_EVENTS, DEMO_HISTORY_SEED, now()).await?;
    customers::create_on(&tx, OFFICER_EMAIL, &officer_hash, Role::PrivacyOfficer).await?;
    tx.commit().await?;
    tracing::info!(
        "created the demo customer {DEMO_EMAIL} and the demo privacy officer {OFFICER_EMAIL}"
    );
    Ok(true)
}

/// Argon2 is slow on purpose: off the async threads.
async fn customers_hash(password: &'static str) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || crate::store::customers::hash_password(password))
        .await
        .map_err(|err| StoreError::Task(err.to_string()))?
}
