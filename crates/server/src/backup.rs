//! `rapport-server backup --to FILE` and `rapport-server restore --from FILE`: an online
//! backup of either engine, and its restore into an empty database of the same engine.
//!
//! Each engine backs up in its own format, with its own tool made for it:
//! - SQLite: the online backup API (a page-by-page copy that sees one consistent state and
//!   leaves the server running), giving a SQLite file; restored with the same API.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot, the server keeps running), restored
//!   by `pg_restore` in one transaction, so a failed restore leaves the database empty.
//!
//! The ledger key is not in the database and so not in the backup (keep it apart: it is what
//! proves the ledger was not rewritten); the restored ledger verifies with the same key.

use crate::store::{Database, Store};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `backup`: an online backup of the database to a file (which must not exist yet).
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// Where to write the backup.
    #[arg(long)]
    pub to: PathBuf,
}

/// `restore`: a backup into an empty database (`--db`) of the engine it was taken from.
#[derive(Debug, Clone, Args)]
pub struct RestoreArgs {
    /// The backup to restore.
    #[arg(long)]
    pub from: PathBuf,
}

type Failure = Box<dyn std::error::Error>;

/// SQLite pages copied per step: 4 MB with the default page size, a progress line each.
const PAGES_PER_STEP: i32 = 1024;

/// Takes an online backup of `database` into `to`.
pub async fn backup(database: &Database, to: &Path) -> Result<(), Failure> {
    if to.exists() {
        return Err(format!("{} exists already; back up to a new file", to.display()).into());
    }
    match database {
        Database::Sqlite(path) => {
            if !path.exists() {
                return Err(format!("there is no database at {}", path.display()).into());
            }
            let (path, to) = (path.clone(), to.to_owned());
            tokio::task::spawn_blocking(move || sqlite_copy(&path, &to, "backup")).await??;
        }
        Database::Postgres(url) => {
            run(Command::new(pg_tool("pg_dump")?)
                .args(["--format=custom", "--verbose", "--no-owner", "--file"])
                .arg(to)
                .arg(format!("--dbname={url}")))?;
        }
    }
    tracing::info!("backup of {database} written to {}", to.display());
    Ok(())
}

/// Restores the backup at `from` into `database`, which must be empty.
pub async fn restore(database: &Database, from: &Path) -> Result<(), Failure> {
    let head = read_head(from)?;
    match database {
        Database::Sqlite(path) => {
            if !head.starts_with(b"SQLite format 3\0") {
                return Err(format!("{} is not a SQLite backup", from.display()).into());
            }
            if path.exists() && std::fs::metadata(path)?.len() > 0 {
                return Err(format!(
                    "{} exists; restore into a new file (nothing is overwritten)",
                    path.display()
                )
                .into());
            }
            if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let (from, path) = (from.to_owned(), path.clone());
            tokio::task::spawn_blocking(move || sqlite_copy(&from, &path, "restore")).await??;
        }
        Database::Postgres(url) => {
            if !head.starts_with(b"PGDMP") {
                return Err(format!(
                    "{} is not a PostgreSQL backup (pg_dump's custom format)",
                    from.display()
                )
                .into());
            }
            refuse_non_empty_postgres(url).await?;
            run(Command::new(pg_tool("pg_restore")?)
                .args([
                    "--verbose",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                ])
                .arg(format!("--dbname={url}"))
                .arg(from))?;
        }
    }
    // Opening it runs the checks every start runs: a backup from a newer release is refused,
    // one from an older release is migrated.
    Store::connect(database, 1).await?;
    tracing::info!("restored {} into {database}", from.display());
    Ok(())
}

fn read_head(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut head = vec![0u8; 16];
    let read = std::fs::File::open(path)
        .map_err(|err| format!("reading {}: {err}", path.display()))?
        .read(&mut head)?;
    head.truncate(read);
    Ok(head)
}

/// Copies one SQLite database into a new file with the online backup API, page by page,
/// saying how far it is. The copy is checked before it is called done.
fn sqlite_copy(from: &Path, to: &Path, what: &'static str) -> Result<(), String> {
    sqlite_copy_pages(from, to, what).map_err(|err| format!("{what}: {err}"))?
}

fn sqlite_copy_pages(
    from: &Path,
    to: &Path,
    what: &'static str,
) -> rusqlite::Result<Result<(), String>> {
    let source = rusqlite::Connection::open_with_flags(
        from,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let mut target = rusqlite::Connection::open(to)?;
    {
        let copy = rusqlite::backup::Backup::new(&source, &mut target)?;
        let mut said = std::time::Instant::now();
        loop {
            let step = copy.step(PAGES_PER_STEP)?;
            let progress = copy.progress();
            if said.elapsed().as_secs() >= 1 {
                said = std::time::Instant::now();
                tracing::info!(
                    "{what}: {} of {} pages",
                    progress.pagecount - progress.remaining,
                    progress.pagecount
                );
            }
            match step {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                // The server holds a lock for a moment: wait and carry on.
                _ => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        }
    }
    let check: String = target.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Ok(Err(format!(
            "the copy did not pass SQLite's integrity check: {check}"
        )));
    }
    Ok(Ok(()))
}

/// PostgreSQL's client tools: on PATH, else Debian's newest under /usr/lib/postgresql.
fn pg_tool(name: &str) -> Result<PathBuf, Failure> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .map(|dir| dir.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    debian.sort();
    on_path
        .into_iter()
        .chain(debian.into_iter().rev())
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!("{name} is not installed (Debian: apt-get install postgresql-client)").into()
        })
}

fn run(command: &mut Command) -> Result<(), Failure> {
    let program = command.get_program().to_string_lossy().into_owned();
    // Its progress (--verbose) goes straight to our standard error.
    let status = command
        .status()
        .map_err(|err| format!("running {program}: {err}"))?;
    if !status.success() {
        return Err(format!("{program} failed ({status})").into());
    }
    Ok(())
}

/// Refuses a PostgreSQL database that holds any table: a restore goes into an empty one.
async fn refuse_non_empty_postgres(url: &str) -> Result<(), Failure> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let tables: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .await?
        .get(0);
    if tables > 0 {
        return Err(format!(
            "the database has {tables} tables already; restore into an empty database \
             (createdb NAME) so nothing is overwritten"
        )
        .into());
    }
    Ok(())
}
