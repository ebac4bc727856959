//! The real binary through a full run (add-account, sign-in, save, wrong password, sign-out,
//! sign out everywhere), its logs read afterwards: no password and no token in them. And a
//! new database has no demo accounts unless `--demo-data` asks for them.

mod common;

use common::ToArg;

use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_rapport-server");

fn config() -> String {
    format!("{}/../../public/config.json", env!("CARGO_MANIFEST_DIR"))
}

/// A free port on loopback (there is a small window in which another process could take it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The server on `port` over `db`, logging at debug level into `log`.
fn server(db: &str, port: u16, log: &Path, demo: bool) -> Child {
    let out = std::fs::File::create(log).unwrap();
    let mut command = Command::new(BINARY);
    command
        .arg("--db")
        .arg(db)
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--dist", "/nonexistent-rapport-dist"])
        .args(["--config", &config()])
        .env("RUST_LOG", "debug")
        .env_remove("RAPPORT_DEMO_DATA")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(out);
    if demo {
        command.arg("--demo-data");
    }
    command.spawn().unwrap()
}

async fn wait_for(base: &str) {
    for _ in 0..100 {
        if reqwest::get(format!("{base}/api/me/profile")).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

async fn sign_in(base: &str, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn token(base: &str, email: &str, password: &str) -> String {
    let response = sign_in(base, email, password).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_full_run_logs_no_password_and_no_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database(dir.path()).await.to_arg();
    let log = dir.path().join("server.log");
    let owner_password = "Owner-pass-58213-unique";
    let wrong_password = "Wrong-pass-77120-unique";

    // The demo accounts come only into an empty database: start the server first.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = server(&db, port, &log, true);
    wait_for(&base).await;
    let added = Command::new(BINARY)
        .arg("--db")
        .arg(&db)
        .args(["add-account", "--email", "owner@example.se"])
        .env("RAPPORT_PASSWORD", owner_password)
        .env("RUST_LOG", "debug")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(added.status.success());
    let mut logs = format!(
        "{}{}",
        String::from_utf8_lossy(&added.stdout),
        String::from_utf8_lossy(&added.stderr)
    );
    let owner = token(&base, "owner@example.se", owner_password).await;
    let saved = reqwest::Client::new()
        .put(format!("{base}/api/me/profile"))
        .bearer_auth(&owner)
        .header("If-Match", "\"1\"")
        .json(&json!({ "name": "Owner", "email": "owner@example.se", "phone": "", "preferred_contact": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let demo = token(&base, "demo@rapport.example", "demo").await;
    let officer = token(&base, "officer@rapport.example", "officer").await;
    assert_eq!(
        sign_in(&base, "owner@example.se", wrong_password)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let client = reqwest::Client::new();
    let out = client
        .delete(format!("{base}/api/session"))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let everywhere = client
        .delete(format!("{base}/api/session/all"))
        .bearer_auth(&demo)
        .send()
        .await
        .unwrap();
    assert_eq!(everywhere.status(), StatusCode::NO_CONTENT);
    child.kill().unwrap();
    child.wait().unwrap();
    logs.push_str(&std::fs::read_to_string(&log).unwrap());

    assert!(logs.contains("listening"), "the log was read: {logs}");
    for secret in [owner_password, wrong_password, &owner, &demo, &officer] {
        assert!(!logs.contains(secret), "{secret:?} is in the log:\n{logs}");
    }
    for demo_password in [
        "\"demo\"",
        "\"officer\"",
        "password demo",
        "password officer",
    ] {
        assert!(!logs.contains(demo_password), "{demo_password} in:\n{logs}");
    }
}

#[tokio::test]
async fn a_new_database_has_no_demo_accounts_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database(dir.path()).await.to_arg();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = server(&db, port, &dir.path().join("server.log"), false);
    wait_for(&base).await;
    let demo = sign_in(&base, "demo@rapport.example", "demo")
        .await
        .status();
    let officer = sign_in(&base, "officer@rapport.example", "officer")
        .await
        .status();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(demo, StatusCode::UNAUTHORIZED);
    assert_eq!(officer, StatusCode::UNAUTHORIZED);
}
