//! The SQLite engine's connections: one writer, a pool of read-only readers.
//!
//! rusqlite is blocking, so no call runs on tokio's own threads. The database is in WAL mode,
//! where readers never wait for the writer nor the writer for readers, and the engine holds
//! one writer connection ([`Sqlite::call`]: every change, since SQLite serialises writers
//! anyway) and a pool of read-only connections ([`Sqlite::read`], on the blocking pool: pages,
//! exports, the audit), so a long read never holds up a save and a save never holds up reads.
//!
//! # Group commit
//!
//! A commit waits for the disk (`synchronous = FULL`: a saved write survives a power cut, not
//! only a crash), and one fsync per save caps saves at what the disk syncs per second. So the
//! writer is a thread of its own that takes every change waiting when it is free, runs each in
//! a savepoint of one transaction (a change that fails is rolled back alone) and commits them
//! together: one fsync for the lot. No change is answered before that commit, so "saved" still
//! means on disk; under no load a batch is one change and nothing waits for company.
//!
//! The pool is deadpool's unmanaged pool: the connections are opened up front and handed out
//! in turn. (deadpool-sqlite and r2d2_sqlite lag behind the rusqlite this crate uses.)

use super::{MIGRATIONS, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

/// The SQLite engine: the writer and the readers of one file.
#[derive(Clone)]
pub struct Sqlite {
    path: Arc<PathBuf>,
    writer: mpsc::Sender<Change>,
    readers: deadpool::unmanaged::Pool<Connection>,
}

/// One change for the writer thread: runs it and says whether it succeeded, handing back
/// how to answer its caller once the batch's commit is known (`Some` commit error).
type Change = Box<dyn FnOnce(&mut Connection) -> (bool, Answer) + Send>;
type Answer = Box<dyn FnOnce(Option<String>) + Send>;

/// Changes committed together at most: a bound on how long the first of them waits.
const MAX_BATCH: usize = 64;

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
        conn.pragma_update(None, "synchronous", "FULL")?;
        let readers = (0..readers.max(1))
            .map(|_| open_reader(path))
            .collect::<Result<Vec<_>, _>>()?;
        let (writer, changes) = mpsc::channel();
        // The thread ends, closing the connection, when the last handle is dropped.
        std::thread::Builder::new()
            .name("rapport-sqlite-writer".into())
            .spawn(move || write_loop(conn, &changes))
            .map_err(|err| StoreError::Task(err.to_string()))?;
        Ok(Sqlite {
            path: Arc::new(path.to_owned()),
            writer,
            readers: deadpool::unmanaged::Pool::from(readers),
        })
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the writer thread, in a transaction with the other changes waiting then;
    /// answers once that transaction is committed. Every change goes here. `f` must not
    /// begin a transaction of its own (`Connection::savepoint` nests; `transaction` fails).
    pub async fn call<F, R, E>(&self, f: F) -> Result<R, E>
    where
        F: FnOnce(&mut Connection) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let change: Change = Box::new(move |conn| {
            let result = f(conn);
            let ok = result.is_ok();
            let answer: Answer = Box::new(move |commit_failed| {
                let _ = answer.send(match (result, commit_failed) {
                    (Ok(_), Some(err)) => Err(E::from(StoreError::Task(format!("commit: {err}")))),
                    (result, _) => result,
                });
            });
            (ok, answer)
        });
        self.writer
            .send(change)
            .map_err(|_| E::from(StoreError::Task("the writer has stopped".into())))?;
        // A change that panicked was rolled back and never answered: its sender is gone.
        answered
            .await
            .map_err(|_| E::from(StoreError::Task("the change failed".into())))?
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

/// The writer thread: takes the changes waiting, commits them together, answers them.
fn write_loop(mut conn: Connection, changes: &mpsc::Receiver<Change>) {
    while let Ok(first) = changes.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match changes.try_recv() {
                Ok(change) => batch.push(change),
                Err(_) => break,
            }
        }
        commit_together(&mut conn, batch);
    }
}

fn commit_together(conn: &mut Connection, batch: Vec<Change>) {
    // IMMEDIATE: the write lock from the start, so no change can read the ledger's end
    // and find it moved by the time it appends (there is only this writer, but a second
    // process on the same file, such as a command, would be one too).
    if let Err(err) = conn.execute_batch("BEGIN IMMEDIATE") {
        // Dropped unanswered: each caller sees that its change failed.
        tracing::error!("database: beginning a write: {err}");
        return;
    }
    let mut answers = Vec::with_capacity(batch.len());
    for change in batch {
        if conn.execute_batch("SAVEPOINT change").is_err() {
            continue; // dropped unanswered: its caller sees the change failed
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change(&mut *conn)));
        match outcome {
            Ok((true, answer)) => {
                let _ = conn.execute_batch("RELEASE change");
                answers.push(answer);
            }
            Ok((false, answer)) => {
                let _ = conn.execute_batch("ROLLBACK TO change; RELEASE change");
                // Its result is its error, whatever the commit does.
                answer(None);
            }
            Err(_) => {
                let _ = conn.execute_batch("ROLLBACK TO change; RELEASE change");
            }
        }
    }
    let failed = conn.execute_batch("COMMIT").err().map(|err| {
        let _ = conn.execute_batch("ROLLBACK");
        err.to_string()
    });
    for answer in answers {
        answer(failed.clone());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::history::MONTH_MIGRATION;
    use rusqlite::params;

    fn month_tallies(conn: &Connection) -> Vec<(String, String, i64, i64)> {
        let mut query = conn
            .prepare(
                "SELECT month, currency, total_minor, purchases FROM history_month_tallies \
                 ORDER BY month, currency",
            )
            .unwrap();
        query
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A database made before spending was tallied per month has its purchases counted in
    /// when this build opens it, in the months `month_of` names; later ones follow.
    #[test]
    fn month_tallies_count_in_the_purchases_made_before_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = MIGRATIONS
            .iter()
            .position(|sql| *sql == MONTH_MIGRATION)
            .unwrap();
        for sql in &MIGRATIONS[..before] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", before as i64)
            .unwrap();
        conn.execute(
            "INSERT INTO customers (id, email, password_hash, created_at) VALUES (1, 'a@b.se', 'x', 0)",
            [],
        )
        .unwrap();
        let purchase = |conn: &Connection, at: i64, total: i64, currency: &str| {
            conn.execute(
                "INSERT INTO history_events \
                 (customer_id, kind, channel, occurred_at, details, total_minor, currency, units) \
                 VALUES (1, 'purchase', 'web', ?1, '{}', ?2, ?3, 1)",
                params![at, total, currency],
            )
            .unwrap();
        };
        // 15 January, the last second of January, 1 and 20 February 2026 (UTC).
        let (jan, jan_end, feb, feb_later) =
            (1_768_435_200, 1_769_903_999, 1_769_904_000, 1_771_545_600);
        purchase(&conn, jan, 10_000, "SEK");
        purchase(&conn, jan_end, 25_000, "SEK");
        purchase(&conn, feb, 30_000, "SEK");
        purchase(&conn, feb_later, 5_000, "EUR");
        conn.execute(
            "INSERT INTO history_events (customer_id, kind, channel, occurred_at, details) \
             VALUES (1, 'interaction', 'email', ?1, '{}')",
            params![feb],
        )
        .unwrap();
        assert_eq!(rapport_domain::time::month_of(jan_end), "2026-01");
        assert_eq!(rapport_domain::time::month_of(feb), "2026-02");

        migrate(&mut conn).unwrap();
        let row = |month: &str, currency: &str, total, purchases| {
            (month.to_owned(), currency.to_owned(), total, purchases)
        };
        assert_eq!(
            month_tallies(&conn),
            [
                row("2026-01", "SEK", 35_000, 2),
                row("2026-02", "EUR", 5_000, 1),
                row("2026-02", "SEK", 30_000, 1),
            ]
        );

        // From then on the triggers keep them: a purchase added, one removed.
        purchase(&conn, feb_later, 1_000, "SEK");
        conn.execute(
            "DELETE FROM history_events WHERE occurred_at = ?1",
            params![jan],
        )
        .unwrap();
        assert_eq!(
            month_tallies(&conn),
            [
                row("2026-01", "SEK", 25_000, 1),
                row("2026-02", "EUR", 5_000, 1),
                row("2026-02", "SEK", 31_000, 2),
            ]
        );
    }
}
