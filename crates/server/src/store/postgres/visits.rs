//! When each customer was last here (see the SQLite `visits` module).

use super::{Postgres, exec, lock_customer, opt};
use crate::store::StoreError;
use deadpool_postgres::GenericClient;
use rapport_domain::visits::Visits;

/// The customer's visits, if they have been here.
pub async fn load_on<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Option<Visits>, StoreError> {
    Ok(opt(
        client,
        "SELECT last_at, previous_at FROM visits WHERE customer_id = $1",
        &[&customer],
    )
    .await?
    .map(|row| Visits {
        last_at: row.get(0),
        previous_at: row.get(1),
    }))
}

/// Notes a page load at `at`; the record after it. Two loads at once take turns on the
/// customer's row, so each sees the other's visit.
pub async fn record(pg: &Postgres, customer: i64, at: i64, gap: i64) -> Result<Visits, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    lock_customer(&tx, customer).await?;
    let visits = Visits::after_load(load_on(&tx, customer).await?, at, gap);
    exec(
        &tx,
        "INSERT INTO visits (customer_id, last_at, previous_at) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id) DO UPDATE
             SET last_at = excluded.last_at, previous_at = excluded.previous_at",
        &[&customer, &visits.last_at, &visits.previous_at],
    )
    .await?;
    tx.commit().await?;
    Ok(visits)
}
