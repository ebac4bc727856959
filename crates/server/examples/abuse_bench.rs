//! The backend under abuse, measured (never asserted by a timed test). Serves the API on
//! loopback under the default limits, as `rapport-server` does, and measures:
//!
//! * a sign-in flood: 128 clients, each from its own loopback address (127.0.0.2 ...), sending
//!   wrong passwords (half for a real account, half for unknown e-mails) for a few seconds:
//!   answers per second (a floor: the flood is answered, not queued), the share refused with
//!   429/503, and the p99 time to an answer;
//! * meanwhile, four other signed-in customers reading their profile in a loop: p99 against a
//!   50 ms budget;
//! * one customer sending 1,000 consent decisions as fast as it can: the ledger entries that
//!   result (a small budget: the write quota holds).
//!
//! Run: `cargo run --release -p rapport-server --example abuse_bench`. Prints one
//! `bench: <name> = <value> <unit> (budget <budget> <unit>) ok|OVER` line per figure and exits
//! non-zero when one is over (for the throughput floor: under).

use rapport_domain::consent::MyConsents;
use rapport_server::limits::Limits;
use rapport_server::store::{Database, Store, customers};
use rapport_server::{AppState, app};
use reqwest::StatusCode;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const FLOOD_CLIENTS: u8 = 128;
const FLOOD_SECONDS: u64 = 4;
const READERS: usize = 4;
const DECISIONS: usize = 1000;
const THROUGHPUT_FLOOR: u64 = 200;
const FLOOD_P99_BUDGET_MS: u64 = 1000;
const OTHERS_P99_BUDGET_MS: u64 = 50;
const LEDGER_BUDGET: u64 = 40;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // RAPPORT_BENCH_DB names an empty database to measure on (a PostgreSQL URL, say).
    let database = std::env::var("RAPPORT_BENCH_DB").map_or_else(
        |_| Database::Sqlite(dir.path().join("abuse.sqlite3")),
        |url| Database::parse(&url),
    );
    let store = Store::connect(&database, rapport_server::store::DEFAULT_READERS)
        .await
        .expect("a database");
    store.seed_demo_if_empty().await.expect("demo data");
    let hash = customers::hash_password("reader-secret").expect("a hash");
    for i in 0..=READERS {
        let email = format!("reader{i}@example.se");
        store
            .create_account(
                &email,
                &hash,
                customers::Role::Customer,
                Some(rapport_domain::Profile {
                    name: "Reader".into(),
                    email: email.clone(),
                    ..rapport_domain::Profile::default()
                }),
            )
            .await
            .expect("a reader");
    }
    let config = rapport_domain::config::PortalConfig::from_json(
        include_str!("../../../public/config.json"),
        &rapport_server::settings::LANGUAGES,
    )
    .expect("public/config.json");
    let limits = Limits::default();
    let state = AppState::with_limits(
        store,
        config.clone(),
        std::sync::Arc::new(
            rapport_server::ledger_key::LedgerKey::generate().expect("a ledger key"),
        ),
        limits.clone(),
    )
    .expect("the state");
    let router = app(state, None).expect("the app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}/api", listener.local_addr().expect("its address"));
    tokio::spawn(async move {
        rapport_server::serve::serve(listener, router, &limits, std::future::pending()).await
    });

    let mut over = false;
    let mut line = |name: &str, value: u64, unit: &str, budget: u64, floor: bool| {
        let bad = if floor {
            value < budget
        } else {
            value > budget
        };
        over |= bad;
        println!(
            "bench: {name} = {value} {unit} (budget {budget} {unit}) {}",
            if bad { "OVER" } else { "ok" }
        );
    };

    // Other customers, signed in before the flood.
    let client = reqwest::Client::new();
    let mut tokens = Vec::new();
    for i in 0..READERS {
        tokens.push(sign_in(&client, &base, &format!("reader{i}@example.se")).await);
    }

    // The same reads with no flood, for comparison (the machine's own noise).
    let mut quiet = Vec::new();
    for _ in 0..100 {
        let started = Instant::now();
        let response = client
            .get(format!("{base}/me/profile"))
            .bearer_auth(&tokens[0])
            .send()
            .await
            .expect("a profile");
        response.bytes().await.expect("its body");
        quiet.push(started.elapsed());
    }
    eprintln!(
        "info: profile GET p99 without a flood: {} ms",
        p99_ms(quiet)
    );

    let stop = Arc::new(AtomicBool::new(false));
    let mut flood = Vec::new();
    for i in 0..FLOOD_CLIENTS {
        let (base, stop) = (base.clone(), Arc::clone(&stop));
        flood.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2 + i)))
                .build()
                .expect("a client");
            let (mut refused, mut times) = (0u64, Vec::new());
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let email = if i % 2 == 0 {
                    format!("reader{READERS}@example.se")
                } else {
                    format!("nobody-{i}-{n}@example.se")
                };
                n += 1;
                let started = Instant::now();
                let Ok(response) = client
                    .post(format!("{base}/session"))
                    .json(&json!({ "email": email, "password": "wrong" }))
                    .send()
                    .await
                else {
                    continue;
                };
                times.push(started.elapsed());
                match response.status() {
                    StatusCode::UNAUTHORIZED => {}
                    StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                        refused += 1;
                    }
                    other => panic!("a flood sign-in answered {other}"),
                }
            }
            (refused, times)
        }));
    }
    let mut readers = Vec::new();
    for token in tokens {
        let (base, stop) = (base.clone(), Arc::clone(&stop));
        readers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut times = Vec::new();
            tokio::time::sleep(Duration::from_millis(200)).await;
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let response = client
                    .get(format!("{base}/me/profile"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("a profile");
                assert_eq!(response.status(), StatusCode::OK);
                response.bytes().await.expect("its body");
                times.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            times
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(FLOOD_SECONDS)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut refused, mut flood_times) = (0, Vec::new());
    for task in flood {
        let (r, t) = task.await.expect("a flood client");
        refused += r;
        flood_times.extend(t);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let slowest = flood_times.iter().max().copied().unwrap_or_default();
    let mut reader_times = Vec::new();
    for task in readers {
        reader_times.extend(task.await.expect("a reader"));
    }
    let answered = flood_times.len() as u64;
    eprintln!(
        "info: {answered} flood sign-ins in {elapsed:.1} s, {refused} refused (429/503), slowest {} ms; {} profile reads",
        slowest.as_millis(),
        reader_times.len()
    );
    line(
        "signin-flood-throughput",
        (answered as f64 / elapsed) as u64,
        "req/s",
        THROUGHPUT_FLOOR,
        true,
    );
    line(
        "signin-flood-refused",
        refused * 100 / answered.max(1),
        "%",
        100,
        false,
    );
    line(
        "signin-flood-answer-p99",
        p99_ms(flood_times),
        "ms",
        FLOOD_P99_BUDGET_MS,
        false,
    );
    line(
        "others-profile-p99-during-flood",
        p99_ms(reader_times),
        "ms",
        OTHERS_P99_BUDGET_MS,
        false,
    );

    // One customer floods consent decisions.
    let token = sign_in(&client, &base, &format!("reader{}@example.se", 0)).await;
    let purpose = config.purpose("marketing").expect("a purpose").clone();
    let mut tasks = Vec::new();
    for worker in 0..50 {
        let (base, token, purpose) = (base.clone(), token.clone(), purpose.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let screen =
                rapport_domain::consent::ScreenText::of(&purpose, "en").expect("an English text");
            for n in 0..DECISIONS / 50 {
                let decision = if (worker + n) % 2 == 0 {
                    "given"
                } else {
                    "withdrawn"
                };
                let _ = client
                    .post(format!("{base}/me/consents"))
                    .bearer_auth(&token)
                    .json(&json!({
                        "purpose": purpose.id,
                        "decision": decision,
                        "purpose_version": purpose.version,
                        "language": "en",
                        "text_sha256": screen.text_sha256,
                        "screen": "privacy",
                        "portal_build": "bench",
                    }))
                    .send()
                    .await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("a flooder");
    }
    let mine: MyConsents = client
        .get(format!("{base}/me/consents"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the consents")
        .json()
        .await
        .expect("their body");
    line(
        "ledger-after-1000-decision-flood",
        mine.receipts.len() as u64,
        "entries",
        LEDGER_BUDGET,
        false,
    );

    if over {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    client
        .post(format!("{base}/session"))
        .json(&json!({ "email": email, "password": "reader-secret" }))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("signed in")
        .json::<rapport_domain::api::SignInResponse>()
        .await
        .expect("a token")
        .token
}

fn p99_ms(mut times: Vec<Duration>) -> u64 {
    if times.is_empty() {
        return 0;
    }
    times.sort();
    let index = ((times.len() - 1) as f64 * 0.99).round() as usize;
    times[index].as_millis() as u64
}
