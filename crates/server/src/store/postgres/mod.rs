//! The PostgreSQL engine: the store's operations over a pool of connections.
//!
//! Unlike SQLite, PostgreSQL has no single writer to queue behind: every connection reads and
//! writes, and each operation isolates itself where it must, in the same way the SQLite code
//! relies on its one writer for:
//! - a versioned write is one `UPDATE … WHERE version = expected`: a concurrent writer waits
//!   for the row lock, then finds the version moved on and reports the conflict;
//! - appending to the consent ledger takes the ledger table's EXCLUSIVE lock (reads go on)
//!   before reading the chain's end, so two appends can never follow the same entry;
//! - an erasure request locks the customer's row, so a double click cannot queue two;
//! - reads that must agree with each other (an export, the audit) run in one
//!   REPEATABLE READ, READ ONLY transaction: one snapshot, as SQLite's read transactions.
//!
//! Migrations are counted in `rapport_schema`, applied under an advisory lock so several
//! servers starting at once on one database migrate it once.

pub mod consent;
pub mod customers;
pub mod demo;
pub mod documents;
pub mod history;
pub mod orders;
pub mod requests;
mod schema;
pub mod visits;

use super::{MyData, StoreError};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use rapport_domain::history::HistoryQuery;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, NoTls, Row};

/// The PostgreSQL engine: a pool of connections to one database.
#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

/// The advisory lock key migrations run under ("rapport" in ASCII).
const MIGRATION_LOCK: i64 = 0x0072_6170_706f_7274;

impl Postgres {
    /// Connects with at most `connections` connections and brings the schema up to date.
    pub async fn connect(url: &str, connections: usize) -> Result<Postgres, StoreError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|err| StoreError::Url(format!("{url:?} is not a PostgreSQL URL: {err}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(2))
            .build()
            .map_err(|err| StoreError::Pool(err.to_string()))?;
        let engine = Postgres { pool };
        engine.migrate().await?;
        Ok(engine)
    }

    /// A connection from the pool.
    pub async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool
            .get()
            .await
            .map_err(|err| StoreError::Pool(err.to_string()))
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        let outcome = migrate_locked(&mut client).await;
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
            .await?;
        outcome
    }
}

async fn migrate_locked(client: &mut deadpool_postgres::Client) -> Result<(), StoreError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS rapport_schema (version BIGINT NOT NULL);
             INSERT INTO rapport_schema (version)
                 SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM rapport_schema);",
        )
        .await?;
    let done: i64 = client
        .query_one("SELECT version FROM rapport_schema", &[])
        .await?
        .get(0);
    super::refuse_newer(done, schema::MIGRATIONS.len())?;
    for (version, sql) in (1i64..)
        .zip(schema::MIGRATIONS)
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute("UPDATE rapport_schema SET version = $1", &[&version])
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The rows of a (cached, prepared) statement.
pub(crate) async fn rows<C: GenericClient>(
    client: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Row>, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query(&statement, params).await?)
}

/// The one row, or none, of a statement.
pub(crate) async fn opt<C: GenericClient>(
    client: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<Row>, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query_opt(&statement, params).await?)
}

/// The one row a statement must return.
pub(crate) async fn one<C: GenericClient>(
    client: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Row, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query_one(&statement, params).await?)
}

/// Runs a statement; how many rows it touched.
pub(crate) async fn exec<C: GenericClient>(
    client: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<usize, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(usize::try_from(client.execute(&statement, params).await?).unwrap_or(usize::MAX))
}

/// Locks the customer's row for the rest of `tx`: two writes of one customer that must see
/// each other (an open request, an idempotency key, a visit) take turns on it.
pub(crate) async fn lock_customer<C: GenericClient>(
    tx: &C,
    customer: i64,
) -> Result<(), StoreError> {
    exec(
        tx,
        "SELECT 1 FROM customers WHERE id = $1 FOR UPDATE",
        &[&customer],
    )
    .await
    .map(|_| ())
}

/// A read-only transaction that sees one snapshot throughout.
pub(crate) async fn snapshot(
    client: &mut deadpool_postgres::Client,
) -> Result<deadpool_postgres::Transaction<'_>, StoreError> {
    Ok(client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}

/// The customer's whole data, from one snapshot.
pub async fn my_data(pg: &Postgres, customer: i64, chunk: usize) -> Result<MyData, StoreError> {
    let mut client = pg.client().await?;
    let tx = snapshot(&mut client).await?;
    let mut history = Vec::new();
    let mut after = None;
    loop {
        let (page, next) =
            history::page_on(&tx, customer, &HistoryQuery::default(), after, chunk).await?;
        history.extend(page);
        match next {
            Some(cursor) => after = Some(cursor),
            None => break,
        }
    }
    let data = MyData {
        email: customers::email_on(&tx, customer)
            .await?
            .unwrap_or_default(),
        profile: documents::load_on(&tx, customer)
            .await?
            .map(|d| d.data)
            .unwrap_or_default(),
        preferences: documents::load_on(&tx, customer)
            .await?
            .map(|d| d.data)
            .unwrap_or_default(),
        receipts: consent::receipts_on(&tx, customer).await?,
        history,
        requests: requests::list_on(&tx, customer).await?,
        designs: documents::load_on(&tx, customer)
            .await?
            .map(|d| d.data)
            .unwrap_or_default(),
        orders: orders::records_on(&tx, customer).await?,
        visits: visits::load_on(&tx, customer).await?,
    };
    tx.commit().await?;
    Ok(data)
}

/// Seconds since the Unix epoch, as the store keeps times.
pub(crate) use super::now;

#[cfg(test)]
mod tests {
    use super::*;

    /// As on SQLite (`sqlite::tests`): a database made before spending was tallied per month
    /// has its purchases counted in when this build opens it, and later ones follow. Runs
    /// where the tests have a cluster (`RAPPORT_TEST_POSTGRES_URL`, scripts/with-postgres.sh).
    #[tokio::test]
    async fn month_tallies_count_in_the_purchases_made_before_them() {
        let Ok(admin) = std::env::var("RAPPORT_TEST_POSTGRES_URL") else {
            return;
        };
        let (client, connection) = tokio_postgres::connect(&admin, NoTls).await.unwrap();
        tokio::spawn(connection);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("rapport_month_{}_{nanos}", std::process::id());
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        let (db, connection) = tokio_postgres::connect(&url, NoTls).await.unwrap();
        tokio::spawn(connection);

        let before = schema::MIGRATIONS
            .iter()
            .position(|sql| sql.contains("CREATE TABLE history_month_tallies"))
            .unwrap();
        for sql in &schema::MIGRATIONS[..before] {
            db.batch_execute(sql).await.unwrap();
        }
        db.batch_execute(&format!(
            "CREATE TABLE rapport_schema (version BIGINT NOT NULL);
             INSERT INTO rapport_schema VALUES ({before});
             INSERT INTO customers (id, email, password_hash, created_at) VALUES (1, 'a@b.se', 'x', 0);"
        ))
        .await
        .unwrap();
        let purchase = |at: i64, total: i64, currency: &'static str| {
            let db = &db;
            async move {
                db.execute(
                    "INSERT INTO history_events (customer_id, kind, channel, occurred_at, details, \
                     total_minor, currency, units, search) \
                     VALUES (1, 'purchase', 'web', $1, '{}', $2, $3, 1, to_tsvector('simple', ''))",
                    &[&at, &total, &currency],
                )
                .await
                .unwrap();
            }
        };
        // 15 January, the last second of January, 1 and 20 February 2026 (UTC).
        let (jan, jan_end, feb, feb_later) = (
            1_768_435_200_i64,
            1_769_903_999,
            1_769_904_000,
            1_771_545_600,
        );
        purchase(jan, 10_000, "SEK").await;
        purchase(jan_end, 25_000, "SEK").await;
        purchase(feb, 30_000, "SEK").await;
        purchase(feb_later, 5_000, "EUR").await;

        let engine = Postgres::connect(&url, 2).await.unwrap();
        let tallies = || async {
            let client = engine.client().await.unwrap();
            client
                .query(
                    "SELECT month, currency, total_minor, purchases FROM history_month_tallies \
                     ORDER BY month, currency",
                    &[],
                )
                .await
                .unwrap()
                .iter()
                .map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)))
                .collect::<Vec<(String, String, i64, i64)>>()
        };
        let row = |month: &str, currency: &str, total, purchases| {
            (month.to_owned(), currency.to_owned(), total, purchases)
        };
        assert_eq!(
            tallies().await,
            [
                row("2026-01", "SEK", 35_000, 2),
                row("2026-02", "EUR", 5_000, 1),
                row("2026-02", "SEK", 30_000, 1),
            ]
        );

        purchase(feb_later, 1_000, "SEK").await;
        db.execute("DELETE FROM history_events WHERE occurred_at = $1", &[&jan])
            .await
            .unwrap();
        assert_eq!(
            tallies().await,
            [
                row("2026-01", "SEK", 25_000, 1),
                row("2026-02", "EUR", 5_000, 1),
                row("2026-02", "SEK", 31_000, 2),
            ]
        );
    }
}
