//! Crash safety, tested: customers keep saving (profile, preferences, consent decisions) while
//! the real `rapport-server` binary is killed with SIGKILL at random moments and started
//! again, many times. Afterwards every write the server acknowledged is there (a document's
//! save until a later one replaced it: each version follows exactly one save, so an
//! acknowledged version given out twice is a lost save), every document is one whole
//! document a customer sent, each consent decision's ledger entry and history
//! event are there together or not at all, the database passes its integrity check, and the
//! consent ledger verifies, offline with `verify-ledger` too.
//!
//! `RAPPORT_CRASH_ITERATIONS` sets how many kills (a few in CI; `make bench` asks for more);
//! the run prints a `bench:` line with the writes lost (budget 0) for `make bench` to show.

mod common;

use common::{ToArg, decision_under, fresh_database, shipped_config};
use rapport_domain::consent::{ChainReport, ConsentReceipt, LedgerExport};
use rapport_domain::{Preferences, Profile, Versioned};
use rapport_server::store::{Database, Store, customers};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_rapport-server");
const CUSTOMERS: usize = 3;
const PASSWORD: &str = "crash-secret";
const OFFICER: &str = "dpo@example.se";
/// Kills in a CI run: enough to land in the middle of writes every time, a few seconds long.
const CI_ITERATIONS: usize = 6;

fn iterations() -> usize {
    std::env::var("RAPPORT_CRASH_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CI_ITERATIONS)
}

fn random_below(n: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes) % n
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server process; killed (SIGKILL) when dropped, so a failing test leaves none behind.
struct Server(Child);

impl Server {
    fn kill(&mut self) {
        let _ = self.0.kill(); // SIGKILL: no shutdown, no flush, no goodbye
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The binary on `port` over `db`, with quotas no customer here reaches.
fn spawn(db: &str, key: &Path, port: u16, log: &Path) -> Server {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(BINARY)
        .args(["--db", db])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--dist", "/nonexistent-rapport-dist"])
        .args([
            "--config",
            &format!("{}/../../public/config.json", env!("CARGO_MANIFEST_DIR")),
        ])
        .arg("--ledger-key")
        .arg(key)
        .args(["--writes-per-customer", "1000000"])
        .args([
            "--sign-in-per-account",
            "1000",
            "--sign-in-per-client",
            "1000",
        ])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .map(Server)
        .unwrap()
}

async fn wait_ready(base: &str) {
    for _ in 0..300 {
        if reqwest::get(format!("{base}/api/me/profile")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server did not start");
}

/// What one customer sent, and what the server acknowledged of it.
#[derive(Debug, Default)]
struct Ledger {
    /// Every profile sent (acknowledged or not), and the last acknowledged, with its version.
    profiles_sent: Vec<Profile>,
    profile_acked: Option<(u64, Profile)>,
    preferences_sent: Vec<Preferences>,
    preferences_acked: Option<(u64, Preferences)>,
    /// The entry hash of every acknowledged consent decision.
    consents_acked: Vec<String>,
    /// Acknowledged saves a later save was acknowledged at the same version as: each
    /// version follows exactly one save, so the earlier one was lost.
    overwritten: usize,
    /// Writes acknowledged, of every kind.
    acknowledged: usize,
}

fn preferences_body(n: u64) -> Value {
    let interests = ["coffee", "tea", "baking", "cooking", "golf"];
    let chosen: Vec<&str> = interests
        .iter()
        .enumerate()
        .filter(|(i, _)| (n >> i) & 1 == 1)
        .map(|(_, item)| *item)
        .collect();
    json!({
        "answers": { "interests": { "chosen": chosen } },
        "contact": { "frequencies": { "email": if n.is_multiple_of(2) { "weekly" } else { "monthly" } } }
    })
}

/// The current version of a document, or `None` while the server is down.
async fn version_of(client: &reqwest::Client, url: &str, token: &str) -> Option<u64> {
    let response = client.get(url).bearer_auth(token).send().await.ok()?;
    let tag = response
        .headers()
        .get("etag")?
        .to_str()
        .ok()?
        .trim_matches('"');
    tag.parse().ok()
}

/// Keeps saving as one customer until `stop`, recording what the server acknowledged. A
/// request the kill cuts off is neither acknowledged nor counted; the next round starts from
/// whatever version the server has now.
async fn customer(
    base: Arc<Mutex<String>>,
    token: String,
    me: usize,
    ledger: Arc<Mutex<Ledger>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let config = shipped_config();
    let mut n: u64 = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        n += 1;
        let base = base.lock().unwrap().clone();
        let down = || tokio::time::sleep(Duration::from_millis(10));

        let url = format!("{base}/api/me/profile");
        let Some(version) = version_of(&client, &url, &token).await else {
            down().await;
            continue;
        };
        let profile = Profile {
            name: format!("Kund {me} skrivning {n}"),
            email: format!("kund{me}@example.se"),
            phone: format!("+46 70 {n:07}"),
            preferred_contact: None,
        };
        ledger.lock().unwrap().profiles_sent.push(profile.clone());
        if let Ok(response) = client
            .put(&url)
            .bearer_auth(&token)
            .header("If-Match", format!("\"{version}\""))
            .json(&profile)
            .send()
            .await
            && response.status() == StatusCode::OK
            && let Ok(saved) = response.json::<Versioned<Profile>>().await
        {
            assert_eq!(saved.data, profile, "the answer is what was sent");
            let mut ledger = ledger.lock().unwrap();
            if ledger
                .profile_acked
                .as_ref()
                .is_some_and(|(last, _)| *last >= saved.version.0)
            {
                ledger.overwritten += 1;
            }
            ledger.profile_acked = Some((saved.version.0, profile));
            ledger.acknowledged += 1;
        }

        let url = format!("{base}/api/me/preferences");
        let Some(version) = version_of(&client, &url, &token).await else {
            down().await;
            continue;
        };
        let body = preferences_body(n);
        let sent: Preferences = serde_json::from_value(body.clone()).unwrap();
        ledger.lock().unwrap().preferences_sent.push(sent);
        if let Ok(response) = client
            .put(&url)
            .bearer_auth(&token)
            .header("If-Match", format!("\"{version}\""))
            .json(&body)
            .send()
            .await
            && response.status() == StatusCode::OK
            && let Ok(saved) = response.json::<Versioned<Preferences>>().await
        {
            let mut ledger = ledger.lock().unwrap();
            if ledger
                .preferences_acked
                .as_ref()
                .is_some_and(|(last, _)| *last >= saved.version.0)
            {
                ledger.overwritten += 1;
            }
            ledger.preferences_acked = Some((saved.version.0, saved.data));
            ledger.acknowledged += 1;
        }

        let decision = if n.is_multiple_of(2) {
            "given"
        } else {
            "withdrawn"
        };
        if let Ok(response) = client
            .post(format!("{base}/api/me/consents"))
            .bearer_auth(&token)
            .header("User-Agent", "CrashTest/1.0")
            .json(&decision_under(&config, "marketing", decision, "en"))
            .send()
            .await
            && response.status() == StatusCode::CREATED
            && let Ok(receipt) = response.json::<ConsentReceipt>().await
        {
            let mut ledger = ledger.lock().unwrap();
            ledger.consents_acked.push(receipt.entry_hash);
            ledger.acknowledged += 1;
        }
    }
}

async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The database's own integrity check: SQLite's `integrity_check` and `foreign_key_check`;
/// on PostgreSQL, amcheck over every B-tree index (with every heap tuple looked up in it).
async fn integrity_problems(database: &Database) -> Vec<String> {
    match database {
        Database::Sqlite(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut problems: Vec<String> = conn
                .prepare("PRAGMA integrity_check")
                .unwrap()
                .query_map([], |row| row.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .filter(|line| line != "ok")
                .collect();
            let foreign: i64 = conn
                .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| {
                    row.get(0)
                })
                .unwrap();
            if foreign > 0 {
                problems.push(format!("{foreign} rows break a foreign key"));
            }
            problems
        }
        Database::Postgres(url) => {
            let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            client
                .batch_execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                .await
                .unwrap();
            let indexes = client
                .query(
                    "SELECT c.oid::regclass::text FROM pg_index i
                     JOIN pg_class c ON c.oid = i.indexrelid
                     JOIN pg_am am ON am.oid = c.relam
                     JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE am.amname = 'btree' AND n.nspname = 'public'",
                    &[],
                )
                .await
                .unwrap();
            assert!(indexes.len() > 10, "the schema's indexes are checked");
            let mut problems = Vec::new();
            for index in indexes {
                let name: String = index.get(0);
                if let Err(err) = client
                    .execute("SELECT bt_index_check($1::text::regclass, true)", &[&name])
                    .await
                {
                    problems.push(format!("{name}: {err}"));
                }
            }
            problems
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_and_the_ledger_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let db = database.to_arg();
    let key = dir.path().join("ledger.key");
    let log = dir.path().join("server.log");
    let engine = if matches!(database, Database::Postgres(_)) {
        "postgres"
    } else {
        "sqlite"
    };
    {
        let store = Store::connect(&database, 1).await.unwrap();
        let hash = customers::hash_password(PASSWORD).unwrap();
        store
            .create_account(OFFICER, &hash, customers::Role::PrivacyOfficer, None)
            .await
            .unwrap();
        for me in 0..CUSTOMERS {
            store
                .create_account(
                    &format!("kund{me}@example.se"),
                    &hash,
                    customers::Role::Customer,
                    Some(Profile::default()),
                )
                .await
                .unwrap();
        }
    }

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = spawn(&db, &key, port, &log);
    wait_ready(&base).await;
    let shared_base = Arc::new(Mutex::new(base.clone()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut ledgers = Vec::new();
    let mut writers = Vec::new();
    for me in 0..CUSTOMERS {
        // Sessions live in the database, so one sign-in lasts through every restart.
        let token = sign_in(&base, &format!("kund{me}@example.se"), PASSWORD).await;
        let ledger = Arc::new(Mutex::new(Ledger::default()));
        ledgers.push(Arc::clone(&ledger));
        writers.push(tokio::spawn(customer(
            Arc::clone(&shared_base),
            token,
            me,
            ledger,
            Arc::clone(&stop),
        )));
    }

    let kills = iterations();
    let started = std::time::Instant::now();
    for round in 1..=kills {
        tokio::time::sleep(Duration::from_millis(150 + random_below(450))).await;
        child.kill();
        if round % 10 == 0 || round == kills {
            eprintln!("crash loop ({engine}): {round} of {kills} kills");
        }
        child = spawn(&db, &key, port, &log);
        wait_ready(&base).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged: usize = ledgers.iter().map(|l| l.lock().unwrap().acknowledged).sum();
    assert!(
        acknowledged >= kills,
        "too few writes ({acknowledged}) to test anything; see {}",
        log.display()
    );

    // Every acknowledged write is there; what is there is one whole write that was sent.
    let client = reqwest::Client::new();
    let mut lost = 0;
    let officer = sign_in(&base, OFFICER, PASSWORD).await;
    let export: LedgerExport = client
        .get(format!("{base}/api/audit/ledger?format=json"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let in_ledger: std::collections::HashSet<&str> =
        export.entries.iter().map(|e| e.hash.as_str()).collect();
    // The writers are done: each ledger has one owner again.
    let ledgers: Vec<Ledger> = ledgers
        .into_iter()
        .map(|l| Arc::try_unwrap(l).unwrap().into_inner().unwrap())
        .collect();
    for (me, ledger) in ledgers.iter().enumerate() {
        let token = sign_in(&base, &format!("kund{me}@example.se"), PASSWORD).await;
        let profile: Versioned<Profile> = client
            .get(format!("{base}/api/me/profile"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some((version, acked)) = &ledger.profile_acked {
            if profile.version.0 < *version
                || (profile.version.0 == *version && profile.data != *acked)
            {
                lost += 1;
            }
            assert!(
                ledger.profiles_sent.contains(&profile.data),
                "a whole profile that was sent"
            );
        }
        let preferences: Versioned<Preferences> = client
            .get(format!("{base}/api/me/preferences"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if let Some((version, acked)) = &ledger.preferences_acked
            && (preferences.version.0 < *version
                || (preferences.version.0 == *version && preferences.data != *acked))
        {
            lost += 1;
        }
        lost += ledger.overwritten;
        lost += ledger
            .consents_acked
            .iter()
            .filter(|hash| !in_ledger.contains(hash.as_str()))
            .count();
    }

    // Nothing half-written: each ledger entry has its history event (same transaction), and
    // the tallies the triggers keep match the events they count.
    let check = common::SqlOn::new(&database).await;
    let entries = check.int("SELECT COUNT(*) FROM consent_ledger", &[]).await;
    let events = check
        .int(
            "SELECT COUNT(*) FROM history_events WHERE kind = 'consent_change'",
            &[],
        )
        .await;
    assert_eq!(entries, events, "ledger entries and their history events");
    let drift = check
        .int(
            "SELECT COUNT(*) FROM (
                 SELECT customer_id, kind, channel, COUNT(*) AS n FROM history_events
                 GROUP BY customer_id, kind, channel
             ) AS e FULL JOIN history_tallies AS t
               ON t.customer_id = e.customer_id AND t.kind = e.kind AND t.channel = e.channel
             WHERE COALESCE(e.n, 0) <> COALESCE(t.events, 0)",
            &[],
        )
        .await;
    assert_eq!(drift, 0, "tallies that do not match their events");

    let report: ChainReport = client
        .get(format!("{base}/api/audit/verify"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    child.kill();
    assert!(report.intact, "{}", report.summary);
    assert_eq!(report.entries, u64::try_from(entries).unwrap());
    assert_offline_verification(dir.path(), &key, &export);
    let problems = integrity_problems(&database).await;
    assert!(problems.is_empty(), "integrity check: {problems:?}");

    let unit = if lost == 1 { "write" } else { "writes" };
    eprintln!(
        "info: crash loop ({engine}): {kills} kills in {:.1} s, {acknowledged} acknowledged writes checked, {} ledger entries",
        started.elapsed().as_secs_f64(),
        export.entries.len()
    );
    println!(
        "bench: crash-loop-lost-writes-{engine} = {lost} {unit} (budget 0 writes) {}",
        if lost == 0 { "ok" } else { "OVER" }
    );
    assert_eq!(lost, 0, "acknowledged writes lost after SIGKILL");
}

/// `rapport-server verify-ledger` on the export, against the key's public half.
fn assert_offline_verification(dir: &Path, key: &PathBuf, export: &LedgerExport) {
    let file = dir.join("ledger.json");
    std::fs::write(&file, serde_json::to_vec(export).unwrap()).unwrap();
    let public = Command::new(BINARY)
        .arg("--ledger-key")
        .arg(key)
        .args(["ledger-key", "--public"])
        .output()
        .unwrap();
    assert!(public.status.success());
    let public = String::from_utf8(public.stdout).unwrap();
    let verified = Command::new(BINARY)
        .args(["verify-ledger", "--export"])
        .arg(&file)
        .args(["--public-key", public.trim()])
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
