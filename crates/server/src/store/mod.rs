//! All SQL lives under this module; handlers see plain functions over a connection.
//!
//! rusqlite is blocking, so every call runs on tokio's blocking pool. The database is in WAL
//! mode, where readers never wait for the writer nor the writer for readers, and the store
//! holds one writer connection ([`Store::call`]: every change, one at a time, since SQLite
//! serialises writers anyway) and a pool of read-only connections ([`Store::read`]: pages,
//! exports, the audit), so a long read never holds up a save and a save never holds up reads.
//! Waiting for a connection happens on the async side, so a queue of requests does not park
//! blocking threads.
//!
//! The pool is deadpool's unmanaged pool: the connections are opened up front and handed out
//! in turn. (deadpool-sqlite and r2d2_sqlite lag behind the rusqlite this crate uses.)

pub mod consent;
pub mod customers;
pub mod demo;
pub mod documents;
pub mod history;
pub mod history_demo;
pub mod requests;

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;

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
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: deadpool::unmanaged::Pool<Connection>,
}

/// Read-only connections a store opens unless told otherwise.
pub const DEFAULT_READERS: usize = 8;

impl Store {
    /// Opens (or creates) the SQLite file and brings its schema up to date, with
    /// [`DEFAULT_READERS`] read-only connections.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_readers(path, DEFAULT_READERS)
    }

    /// Opens (or creates) the SQLite file with `readers` read-only connections (at least one).
    pub fn open_with_readers(path: &Path, readers: usize) -> Result<Store, StoreError> {
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
        let readers = (0..readers.max(1))
            .map(|_| open_reader(path))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Store {
            writer: Arc::new(tokio::sync::Mutex::new(conn)),
            readers: deadpool::unmanaged::Pool::from(readers),
        })
    }

    /// Runs `f` with the writer connection on the blocking pool: every change goes here.
    pub async fn call<F, R, E>(&self, f: F) -> Result<R, E>
    where
        F: FnOnce(&mut Connection) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        // A panic in an earlier call leaves SQLite consistent (its transaction was rolled
        // back) and the tokio mutex is not poisoned, so the writer carries on.
        let mut conn = Arc::clone(&self.writer).lock_owned().await;
        tokio::task::spawn_blocking(move || f(&mut conn))
            .await
            .map_err(|err| E::from(StoreError::Task(err.to_string())))?
    }

    /// Runs `f` with one of the read-only connections on the blocking pool. `f` cannot
    /// change anything (the connection is opened read-only); a transaction it opens with
    /// `unchecked_transaction` sees one snapshot throughout, whatever is saved meanwhile.
    pub async fn read<F, R, E>(&self, f: F) -> Result<R, E>
    where
        F: FnOnce(&Connection) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let conn = self
            .readers
            .get()
            .await
            .map_err(|err| E::from(StoreError::Task(err.to_string())))?;
        tokio::task::spawn_blocking(move || f(&conn))
            .await
            .map_err(|err| E::from(StoreError::Task(err.to_string())))?
    }
}

/// A read-only connection to the database the writer has already created and migrated.
fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
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
