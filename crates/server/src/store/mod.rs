//! All SQL lives under this module; handlers see plain functions over a connection.
//!
//! rusqlite is blocking, so every call runs on tokio's blocking pool through [`Store::call`],
//! one at a time over a single connection: SQLite serialises writers anyway, and one
//! connection keeps transactions simple.

pub mod consent;
pub mod customers;
pub mod demo;
pub mod documents;
pub mod history;
pub mod history_demo;
pub mod requests;

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A failure below the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored JSON document no longer reads as its type.
    #[error("stored document: {0}")]
    Document(#[from] serde_json::Error),
    /// Creating the database's folder failed.
    #[error("creating {path}: {source}")]
    Io {
        /// The folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A blocking task panicked or was cancelled.
    #[error("database task: {0}")]
    Task(String),
    /// Hashing a password failed.
    #[error("password hashing: {0}")]
    Password(String),
}

/// Migrations in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    r"
    CREATE TABLE customers (
        id            INTEGER PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE profiles (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        document    TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    CREATE TABLE sessions (
        token_hash  BLOB PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        expires_at  INTEGER NOT NULL
    );
    CREATE INDEX sessions_by_customer ON sessions(customer_id);
",
    r"
    CREATE TABLE preferences (
        customer_id INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        document    TEXT NOT NULL,
        updated_at  INTEGER NOT NULL
    );
",
    history::MIGRATION,
    customers::ROLE_MIGRATION,
    consent::MIGRATION,
    requests::MIGRATION,
    consent::SIGNATURE_MIGRATION,
];

/// The database handle shared by all requests.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the SQLite file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<F, R, E>(&self, f: F) -> Result<R, E>
    where
        F: FnOnce(&mut Connection) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic in an earlier call poisons the mutex but leaves SQLite consistent
            // (its transaction was rolled back), so carry on with the connection.
            let mut conn = conn
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut conn)
        })
        .await
        .map_err(|err| E::from(StoreError::Task(err.to_string())))?
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (version, sql) in (1i64..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// Seconds since the Unix epoch; the store keeps times as integers.
#[must_use]
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
