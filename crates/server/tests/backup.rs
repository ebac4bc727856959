//! `rapport-server backup` and `restore`, run as the real binary: a backup taken while the
//! server serves restores into an empty database with every record, the sessions, and a
//! ledger that verifies with the same key; a database that is not empty is never restored into.

mod common;

use common::{ToArg, fresh_database, start, start_on};
use rapport_domain::consent::{ChainReport, LedgerExport};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

fn rapport_server(db: &str, args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport-server"))
        .args(["--db", db])
        .args(args)
        .arg(file)
        .env("RUST_LOG", "info")
        .output()
        .unwrap()
}

/// Everything a customer can download about themselves (without the moment of download),
/// and the facts derived from their history (kept by triggers, so a restore that ran them
/// twice would show here).
async fn my_data(server: &common::TestServer, token: &str) -> Value {
    let mut data: Value = server.get_json("/me/export", token).await;
    let facts: Value = server.get_json("/me/history/facts", token).await;
    let object = data.as_object_mut().unwrap();
    object.remove("exported_at");
    object.insert("facts".into(), facts);
    data
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_every_record_and_the_ledger_verifies() {
    let server = start().await;
    let demo = server.demo().await;
    let bo = server.other_customer("Bo Ek", "bo@example.se").await;
    let officer = server.officer().await;
    let saved = server
        .put_profile(
            &demo,
            Some("\"1\""),
            json!({ "name": "Astrid Backup", "email": "astrid@example.se", "phone": "", "preferred_contact": "email" }),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    for (token, purpose, decision) in [
        (&demo, "marketing", "given"),
        (&bo, "marketing", "given"),
        (&demo, "marketing", "withdrawn"),
        (&bo, "personalisation", "given"),
    ] {
        let response = server
            .post(
                "/me/consents",
                token,
                &server.decision(purpose, decision, "en"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // Saved designs, an order and a visit: the tables issue #12 added travel too.
    let catalogue = common::shipped_config().catalogue().unwrap().unwrap();
    let spec = catalogue.start("barista-kit");
    let quote = catalogue.price(&spec).unwrap();
    let designs =
        json!({ "designs": [{ "id": "d7", "name": "Kit", "spec": spec, "seen": quote }] });
    let saved = server
        .put_document("/me/designs", &bo, Some("\"1\""), &designs)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let order =
        json!({ "name": "Kit", "spec": spec, "total_minor": quote.total_minor, "currency": "SEK" });
    for token in [&demo, &bo] {
        let placed = server.post("/me/orders", token, &order).await;
        assert_eq!(placed.status(), StatusCode::CREATED);
        let visited = server.post("/me/visits", token, &json!({})).await;
        assert_eq!(visited.status(), StatusCode::OK);
    }
    let asked = server.post("/me/erasure", &bo, &json!({})).await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let before = (my_data(&server, &demo).await, my_data(&server, &bo).await);
    let ledger_before: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    assert!(
        before.0["history"].as_array().unwrap().len() > 300,
        "the demo history and the consent events"
    );
    for data in [&before.0, &before.1] {
        assert_eq!(data["designs"]["designs"].as_array().unwrap().len(), 1);
        assert_eq!(data["orders"].as_array().unwrap().len(), 1);
        assert!(data["visits"].is_object());
    }

    // Online: the server keeps serving while the backup is taken.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.backup");
    let backup = rapport_server(&server.database.to_arg(), &["backup", "--to"], &file);
    assert!(backup.status.success(), "{}", common::command_text(&backup));
    assert_eq!(server.get_profile(&demo).await.status(), StatusCode::OK);
    let again = rapport_server(&server.database.to_arg(), &["backup", "--to"], &file);
    assert!(
        !again.status.success(),
        "an existing backup is not overwritten"
    );

    let target = fresh_database(dir.path()).await;
    let restore = rapport_server(&target.to_arg(), &["restore", "--from"], &file);
    assert!(
        restore.status.success(),
        "{}",
        common::command_text(&restore)
    );

    // Every record, and the sessions too: the same tokens work on the restored database.
    let restored = start_on(target.clone(), &server.ledger_key).await;
    assert_eq!(
        (
            my_data(&restored, &demo).await,
            my_data(&restored, &bo).await
        ),
        before
    );
    let ledger_after: LedgerExport = restored
        .get_json("/audit/ledger?format=json", &officer)
        .await;
    assert_eq!(ledger_after.entries, ledger_before.entries);
    assert_eq!(ledger_after.head, ledger_before.head);
    let report: ChainReport = restored.get_json("/audit/verify", &officer).await;
    assert!(report.intact, "{}", report.summary);
    assert_eq!(report.entries, 4);
    // It goes on where it stopped: the next decision continues the chain.
    let next = restored
        .post(
            "/me/consents",
            &demo,
            &restored.decision("marketing", "given", "en"),
        )
        .await;
    assert_eq!(
        next.status(),
        StatusCode::CREATED,
        "{:?}",
        next.text().await
    );
    let report: ChainReport = restored.get_json("/audit/verify", &officer).await;
    assert_eq!(
        (report.entries, report.intact),
        (5, true),
        "{}",
        report.summary
    );

    // A database that holds anything is never restored into.
    let over = rapport_server(&target.to_arg(), &["restore", "--from"], &file);
    assert!(!over.status.success());
    assert!(
        common::command_text(&over).contains("restore into"),
        "{}",
        common::command_text(&over)
    );
}
