//! History speed, measured (never asserted by a timed test): seeds 100,000 events for one
//! customer in a temporary SQLite file, serves the API on loopback, and times
//!
//! * pages of 50 with a filter (kind, channel, both, a date range, search, and cursors deep in
//!   the history), over HTTP as the portal asks for them: p95 against a 5 ms budget;
//! * the derived facts over HTTP: median against a 20 ms budget.
//!
//! Run: `cargo run --release -p rapport-server --example history_bench`. Prints one
//! `bench: <name> = <value> ms (budget <budget> ms) ok|OVER` line per figure (plus `info:` lines
//! for the same queries through the store alone) and exits non-zero when a figure is over.

use rapport_domain::history::{DerivedFacts, HistoryPage, HistoryQuery};
use rapport_server::store::history::Cursor;
use rapport_server::store::{Database, Store, customers, demo, now};
use rapport_server::{AppState, app};
use std::time::{Duration, Instant};

const EVENTS: usize = 100_000;
const PAGE_RUNS: usize = 240;
const FACTS_RUNS: usize = 60;
const PAGE_BUDGET_MS: f64 = 5.0;
const FACTS_BUDGET_MS: f64 = 20.0;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // RAPPORT_BENCH_DB names an empty database to measure on (a PostgreSQL URL, say).
    let database = std::env::var("RAPPORT_BENCH_DB").map_or_else(
        |_| Database::Sqlite(dir.path().join("bench.sqlite3")),
        |url| Database::parse(&url),
    );
    eprintln!("info: history figures on {database}");
    let store = Store::connect(&database, rapport_server::store::DEFAULT_READERS)
        .await
        .expect("a database");
    store.seed_demo_if_empty().await.expect("the demo customer");
    let started = Instant::now();
    let hash = customers::hash_password(demo::DEMO_PASSWORD).expect("a hash");
    let customer = store
        .seed_history(demo::DEMO_EMAIL, &hash, EVENTS, 42, now())
        .await
        .expect("seeded");
    // Let the planner see the real sizes, as a long-lived database would.
    store.analyze().await.expect("analysed");
    eprintln!(
        "info: seeded {EVENTS} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Cursors a quarter, half and four fifths of the way down the timeline.
    let mut deep: Vec<String> = Vec::new();
    for offset in [EVENTS / 4, EVENTS / 2, EVENTS * 4 / 5] {
        let (_, cursor) = store
            .history_page(customer, HistoryQuery::default(), None, offset)
            .await
            .expect("a deep page");
        deep.push(cursor.expect("more events after it").encode());
    }

    let year_ago = now() - 365 * 86_400;
    let two_years_ago = now() - 2 * 365 * 86_400;
    let mut queries: Vec<String> = vec![
        "kind=purchase".into(),
        "kind=interaction".into(),
        "kind=consent_change".into(),
        "kind=request".into(),
        "channel=store".into(),
        "channel=email".into(),
        "channel=phone".into(),
        "kind=interaction&channel=chat".into(),
        "kind=purchase&channel=web".into(),
        format!("from={two_years_ago}&to={year_ago}"),
        format!("kind=purchase&from={two_years_ago}&to={year_ago}"),
        "q=kaffe".into(),
        "q=g%C3%B6teborg".into(),
        "q=reklamation".into(),
        "q=kanelbullar&kind=purchase".into(),
        "q=espresso&channel=web".into(),
    ];
    for cursor in &deep {
        queries.push(format!("kind=purchase&cursor={cursor}"));
        queries.push(format!("channel=email&cursor={cursor}"));
        queries.push(format!("q=nyhetsbrev&cursor={cursor}"));
    }

    let router = app(
        AppState::new(
            store.clone(),
            // The shipped configuration; history does not depend on it.
            rapport_domain::config::PortalConfig::from_json(
                include_str!("../../../public/config.json"),
                &rapport_server::settings::LANGUAGES,
            )
            .expect("public/config.json"),
            std::sync::Arc::new(
                rapport_server::ledger_key::LedgerKey::generate().expect("a ledger key"),
            ),
        )
        .expect("the state"),
        None,
    )
    .expect("the app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}/api", listener.local_addr().expect("its address"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = reqwest::Client::new();
    let token = client
        .post(format!("{base}/session"))
        .json(&serde_json::json!({ "email": demo::DEMO_EMAIL, "password": demo::DEMO_PASSWORD }))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("signed in")
        .json::<rapport_domain::api::SignInResponse>()
        .await
        .expect("a token")
        .token;

    let mut page_times = Vec::with_capacity(PAGE_RUNS);
    for run in 0..PAGE_RUNS + queries.len() {
        let query = &queries[run % queries.len()];
        let url = format!("{base}/me/history?{query}&limit=50");
        let started = Instant::now();
        let response = client
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("a page");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        let page: HistoryPage = response.json().await.expect("a page body");
        let took = started.elapsed();
        assert!(!page.events.is_empty(), "{query} finds events");
        // The first round warms the caches; measure the rest.
        if run >= queries.len() {
            page_times.push(took);
        }
    }

    let mut facts_times = Vec::with_capacity(FACTS_RUNS);
    for run in 0..FACTS_RUNS + 5 {
        let started = Instant::now();
        let facts: DerivedFacts = client
            .get(format!("{base}/me/history/facts"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("facts")
            .json()
            .await
            .expect("a facts body");
        let took = started.elapsed();
        assert!(facts.purchase_count > 0);
        if run >= 5 {
            facts_times.push(took);
        }
    }

    // The same work through the store alone, to show what the HTTP layer adds.
    let store_times = {
        {
            let mut times = Vec::new();
            let detail = std::env::var_os("HISTORY_BENCH_DETAIL").is_some();
            for (run, query) in queries.iter().cycle().take(PAGE_RUNS).enumerate() {
                let pairs: Vec<(String, String)> = query
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.replace("%C3%B6", "ö")))
                    .collect();
                let parsed = rapport_domain::history::HistoryQuery::from_pairs(
                    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                )
                .expect("a query");
                let after = parsed.cursor.as_deref().and_then(Cursor::decode);
                let started = Instant::now();
                store
                    .history_page(customer, parsed, after, 50)
                    .await
                    .expect("a page");
                times.push(started.elapsed());
                // Which query costs what, for finding the slow one (one line per query).
                if detail && run < queries.len() {
                    eprintln!("detail: {:>7.2} ms  {query}", ms(started.elapsed()));
                }
            }
            let mut facts = Vec::new();
            for _ in 0..FACTS_RUNS {
                let started = Instant::now();
                store.facts(customer).await.expect("facts");
                facts.push(started.elapsed());
            }
            (times, facts)
        }
    };

    println!(
        "info: store-only history-page-p95 = {:.2} ms, history-facts-median = {:.2} ms",
        ms(percentile(store_times.0, 95)),
        ms(percentile(store_times.1, 50))
    );
    let page_p95 = ms(percentile(page_times, 95));
    let facts_median = ms(percentile(facts_times, 50));
    // SQLite's figures keep their names; another engine's say which.
    let suffix = match database {
        Database::Sqlite(_) => "",
        Database::Postgres(_) => "-postgres",
    };
    let over = [
        figure(
            &format!("history-page-p95{suffix}"),
            page_p95,
            PAGE_BUDGET_MS,
        ),
        figure(
            &format!("history-facts-median{suffix}"),
            facts_median,
            FACTS_BUDGET_MS,
        ),
    ]
    .contains(&false);
    if over {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

/// The nearest-rank percentile.
fn percentile(mut times: Vec<Duration>, p: usize) -> Duration {
    times.sort_unstable();
    let rank = (times.len() * p).div_ceil(100).max(1);
    times[rank - 1]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Prints the figure beside its budget; true when within it.
fn figure(name: &str, value: f64, budget: f64) -> bool {
    let ok = value <= budget;
    let verdict = if ok { "ok" } else { "OVER" };
    let value = if value < 10.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.1}")
    };
    println!("bench: {name} = {value} ms (budget {budget} ms) {verdict}");
    ok
}
