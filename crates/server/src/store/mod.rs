//! All SQL lives under this module. Handlers call [`Store`]'s operations (in [`api`]), which
//! run on one of two engines, chosen by the database URL:
//! - SQLite (`sqlite://PATH`, or a plain path: the embedded default): the SQL in
//!   [`consent`], [`customers`], [`documents`], [`history`], [`requests`], [`orders`],
//!   [`visits`] and [`demo`], over
//!   the connections in [`sqlite`];
//! - PostgreSQL (`postgres://…`): the same operations in [`postgres`], for several servers
//!   on one database, replicas and managed hosting.
//!
//! Both count the migrations they have run and refuse a database that has run more than this
//! binary knows: it was written by a newer release, whose schema this one would misread.

mod api;
pub mod consent;
pub mod customers;
pub mod demo;
pub mod documents;
pub mod history;
pub mod history_demo;
pub mod orders;
pub mod postgres;
pub mod requests;
pub mod sqlite;
pub mod visits;

pub use api::MyData;

use std::path::{Path, PathBuf};

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
    /// PostgreSQL refused.
    #[error("database: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be had.
    #[error("database connection: {0}")]
    Pool(String),
    /// The database was written by a newer release of this server.
    #[error(
        "the database is at schema version {found}, newer than this rapport-server knows \
         ({known}); it was written by a newer release: run that release, or restore a \
         backup taken before the upgrade"
    )]
    TooNew {
        /// The database's version.
        found: i64,
        /// The newest version this binary knows.
        known: usize,
    },
    /// The database URL names no engine this server has.
    #[error("{0}")]
    Url(String),
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
    // Issue #12, "Design your own product": saved designs, orders, visits.
    documents::DESIGNS_MIGRATION,
    orders::MIGRATION,
    visits::MIGRATION,
    // Issue #12, charts: spending per month, and the consent trend's index.
    history::MONTH_MIGRATION,
    consent::TREND_MIGRATION,
];

/// Which database, and on which engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file (created on first use).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (the database must exist; its schema is made on first use).
    Postgres(String),
}

impl Database {
    /// Reads `--db`: `postgres://…` or `postgresql://…`, `sqlite://PATH`, or a plain path
    /// (SQLite, as before URLs were accepted).
    #[must_use]
    pub fn parse(text: &str) -> Database {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.to_owned())
        } else {
            Database::Sqlite(PathBuf::from(
                text.strip_prefix("sqlite://").unwrap_or(text),
            ))
        }
    }
}

impl std::fmt::Display for Database {
    /// For the log: a PostgreSQL URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            Database::Postgres(url) => match url.split_once('@') {
                Some((_, host)) => write!(f, "PostgreSQL {host}"),
                None => write!(f, "PostgreSQL {url}"),
            },
        }
    }
}

/// The database handle shared by all requests.
#[derive(Clone)]
pub struct Store {
    engine: Engine,
}

#[derive(Clone)]
enum Engine {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Read-only connections a store opens unless told otherwise (on PostgreSQL, the pool has
/// this many and one more, since writers do not queue behind one connection there).
pub const DEFAULT_READERS: usize = 8;

impl Store {
    /// Opens (or creates) the SQLite file and brings its schema up to date, with
    /// [`DEFAULT_READERS`] read-only connections.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with_readers(path, DEFAULT_READERS)
    }

    /// Opens (or creates) the SQLite file with `readers` read-only connections (at least one).
    pub fn open_with_readers(path: &Path, readers: usize) -> Result<Store, StoreError> {
        Ok(Store {
            engine: Engine::Sqlite(sqlite::Sqlite::open(path, readers)?),
        })
    }

    /// Connects to `database` with `readers` read connections and brings its schema up to date.
    pub async fn connect(database: &Database, readers: usize) -> Result<Store, StoreError> {
        Ok(Store {
            engine: match database {
                Database::Sqlite(path) => {
                    let path = path.clone();
                    Engine::Sqlite(
                        tokio::task::spawn_blocking(move || sqlite::Sqlite::open(&path, readers))
                            .await
                            .map_err(|err| StoreError::Task(err.to_string()))??,
                    )
                }
                Database::Postgres(url) => {
                    Engine::Postgres(postgres::Postgres::connect(url, readers + 1).await?)
                }
            },
        })
    }

    /// The SQLite engine, when that is the one: for SQLite's own commands and tests.
    #[must_use]
    pub fn sqlite(&self) -> Option<&sqlite::Sqlite> {
        match &self.engine {
            Engine::Sqlite(engine) => Some(engine),
            Engine::Postgres(_) => None,
        }
    }

    /// The PostgreSQL engine, when that is the one.
    #[must_use]
    pub fn postgres(&self) -> Option<&postgres::Postgres> {
        match &self.engine {
            Engine::Postgres(engine) => Some(engine),
            Engine::Sqlite(_) => None,
        }
    }
}

/// Refuses a database that has run `done` migrations when this binary knows `known`.
fn refuse_newer(done: i64, known: usize) -> Result<(), StoreError> {
    if usize::try_from(done).is_ok_and(|done| done > known) {
        return Err(StoreError::TooNew { found: done, known });
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
