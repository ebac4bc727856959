//! Seeds a database for the load figures (`scripts/bench-load.sh`): many customers, each
//! with a profile at version 1 and a live session, and a few with a long history; writes
//! their bearer tokens, one a line, for wrk's scripts to read.
//!
//! Run: `cargo run --release -p rapport-server --example load_seed -- DB CUSTOMERS OUT_DIR`
//! (DB a SQLite path or a PostgreSQL URL). Writes `OUT_DIR/tokens` and
//! `OUT_DIR/history-tokens`. Sessions are made through the store (no sign-in), so seeding
//! thousands of customers costs one password hash, not thousands.

use rapport_domain::Profile;
use rapport_server::store::{Database, Store, customers, now};
use std::io::Write;

/// Customers with a long history, and how long: the history page is measured on them.
const HISTORY_CUSTOMERS: usize = 8;
const HISTORY_EVENTS: usize = 5_000;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, count, out] = args.as_slice() else {
        eprintln!("usage: load_seed DB CUSTOMERS OUT_DIR");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("CUSTOMERS is a number");
    let out = std::path::Path::new(out);
    let store = Store::connect(&Database::parse(db), 4)
        .await
        .expect("the database");
    let hash = customers::hash_password("load-secret").expect("a hash");
    let started = std::time::Instant::now();
    let mut tokens = std::fs::File::create(out.join("tokens")).expect("the tokens file");
    for i in 0..count {
        let email = format!("load{i}@example.se");
        let profile = Profile {
            name: format!("Kund {i}"),
            email: email.clone(),
            ..Profile::default()
        };
        let id = store
            .create_account(&email, &hash, customers::Role::Customer, Some(profile))
            .await
            .expect("a customer")
            .expect("a new e-mail");
        let (token, _) = store.start_session(id).await.expect("a session");
        writeln!(tokens, "{token}").expect("written");
        if (i + 1) % 1000 == 0 {
            eprintln!("load_seed: {} of {count} customers", i + 1);
        }
    }
    let mut history = std::fs::File::create(out.join("history-tokens")).expect("the file");
    for i in 0..HISTORY_CUSTOMERS {
        let email = format!("history{i}@example.se");
        let id = store
            .seed_history(&email, &hash, HISTORY_EVENTS, i as u64, now())
            .await
            .expect("a history");
        let (token, _) = store.start_session(id).await.expect("a session");
        writeln!(history, "{token}").expect("written");
    }
    store.analyze().await.expect("analysed");
    eprintln!(
        "load_seed: {count} customers and {HISTORY_CUSTOMERS} histories of {HISTORY_EVENTS} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
