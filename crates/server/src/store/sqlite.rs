//! The SQLite engine's connections: one writer, a pool of read-only readers.
//!
//! rusqlite is blocking, so every call runs on tokio's blocking pool. The database is in WAL
//! mode, where readers never wait for the writer nor the writer for readers, and the engine
//! holds one writer connection ([`Sqlite::call`]: every change, one at a time, since SQLite
//! serialises writers anyway) and a pool of read-only connections ([`Sqlite::read`]: pages,
//! exports, the audit), so a long read never holds up a save and a save never holds up reads.
//! Waiting for a connection happens on the async side, so a queue of requests does not park
//! blocking threads.
//!
//! The pool is deadpool's unmanaged pool: the connections are opened up front and handed out
//! in turn. (deadpool-sqlite and r2d2_sqlite lag behind the rusqlite this crate uses.)

use super::{MIGRATIONS, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The SQLite engine: the writer and the readers of one file.
#[derive(Clone)]
pub struct Sqlite {
    path: Arc<PathBuf>,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: deadpool::unmanaged::Pool<Connection>,
}

impl Sqlite {
    /// Opens (or creates) the SQLite file with `readers` read-only connections (at least one)
    /// and brings its schema up to date.
    pub fn open(path: &Path, readers: usize) -> Result<Sqlite, StoreError> {
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
        Ok(Sqlite {
            path: Arc::new(path.to_owned()),
            writer: Arc::new(tokio::sync::Mutex::new(conn)),
            readers: deadpool::unmanaged::Pool::from(readers),
        })
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
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

/// Runs the migrations not yet run; `PRAGMA user_version` records how many have.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    super::refuse_newer(done, MIGRATIONS.len())?;
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
