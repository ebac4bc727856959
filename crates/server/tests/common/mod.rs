//! What the HTTP tests share: a server on a real socket over a temporary SQLite file.

// Each test binary uses its own part of these helpers; the rest is not dead, only unused there.
#![allow(dead_code)]

use rapport_domain::api::{ErrorBody, SignInResponse};
use rapport_server::store::{Store, demo};
use rapport_server::{AppState, app};
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;

/// A server on 127.0.0.1:0 over a fresh database; stopped when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The server's database, for arranging data directly.
    pub store: Store,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that also serves the portal from `dist`, when given.
pub async fn start_with(dist: Option<&Path>) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("test.sqlite3")).unwrap();
    store.call(demo::seed_if_empty).await.unwrap();
    let router = app(
        AppState {
            store: store.clone(),
        },
        dist,
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    TestServer {
        base,
        store,
        task,
        _dir: dir,
    }
}

/// A server for the API alone.
pub async fn start() -> TestServer {
    start_with(None).await
}

impl TestServer {
    /// The URL of an API path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api{path}", self.base)
    }

    /// Signs in; returns the bearer token.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/session"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<SignInResponse>().await.unwrap().token
    }

    /// Signs in as the demo customer.
    pub async fn demo(&self) -> String {
        self.sign_in(demo::DEMO_EMAIL, demo::DEMO_PASSWORD).await
    }
}

/// The body of an error answer, which must be in the documented shape.
pub async fn error_of(response: reqwest::Response) -> ErrorBody {
    response
        .json()
        .await
        .expect("an error body in the documented shape")
}
