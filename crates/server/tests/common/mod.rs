//! A reference backend on a real socket over a temporary SQLite file, for the API tests.
#![allow(dead_code)] // each test file uses its own part of the helper

use rapport_domain::Profile;
use rapport_domain::api::{ErrorBody, SignInResponse};
use rapport_domain::config::PortalConfig;
use rapport_server::ledger_key::LedgerKey;
use rapport_server::limits::{Guards, Limits};
use rapport_server::store::{Store, customers, demo, documents};
use rapport_server::{AppState, app, settings};
use reqwest::StatusCode;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// The configuration shipped in `public/config.json`.
pub fn shipped_config() -> PortalConfig {
    PortalConfig::from_json(
        include_str!("../../../../public/config.json"),
        &settings::LANGUAGES,
    )
    .unwrap()
}

/// A server on 127.0.0.1:0 over a fresh database; stopped when dropped.
pub struct TestServer {
    pub base: String,
    pub store: Store,
    /// The server's rate limiters and password-check counter.
    pub guards: Arc<Guards>,
    /// The ledger key's file, in the test's temporary folder.
    pub ledger_key: std::path::PathBuf,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that also serves the portal from `dist`.
pub async fn start_with(dist: Option<&Path>) -> TestServer {
    start_under(dist, Limits::default()).await
}

/// A server of the API alone under `limits`, with the demo accounts.
pub async fn start_with_limits(limits: Limits) -> TestServer {
    start_under(None, limits).await
}

async fn start_under(dist: Option<&Path>, limits: Limits) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("test.sqlite3")).unwrap();
    store.call(demo::seed_if_empty).await.unwrap();
    let ledger_key = dir.path().join("ledger.key");
    let key = Arc::new(LedgerKey::load_or_create(&ledger_key).unwrap());
    let state = AppState::with_limits(store.clone(), shipped_config(), key, limits).unwrap();
    let guards = Arc::clone(&state.guards);
    let (base, task) = serve(state, dist).await;
    TestServer {
        base,
        store,
        guards,
        ledger_key,
        task,
        _dir: dir,
    }
}

/// Serves `state` on 127.0.0.1:0 as the binary does (connection cap, header timeout);
/// returns the base URL and the server task.
async fn serve(state: AppState, dist: Option<&Path>) -> (String, tokio::task::JoinHandle<()>) {
    let limits = state.guards.limits.clone();
    let router = app(state, dist).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        rapport_server::serve::serve(listener, router, &limits, std::future::pending())
            .await
            .unwrap();
    });
    (base, task)
}

/// A second server over the same database with another configuration (as after the business
/// edits config.json and restarts); stopped when dropped.
pub struct OtherServer {
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for OtherServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl OtherServer {
    /// The URL of an API path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api{path}", self.base)
    }

    /// GET of JSON as `token`; the answer must be 200.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        json_of(
            reqwest::Client::new()
                .get(self.url(path))
                .bearer_auth(token),
        )
        .await
    }
}

/// Sends `request`, checks for 200 and reads the JSON body.
async fn json_of<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", response.url());
    response.json().await.unwrap()
}

/// A server of the API alone.
pub async fn start() -> TestServer {
    start_with(None).await
}

impl TestServer {
    /// The URL of an API path.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api{path}", self.base)
    }

    /// Signs in; returns the bearer token.
    /// The same database served under `config`.
    pub async fn with_config(&self, config: PortalConfig) -> OtherServer {
        let key = Arc::new(LedgerKey::load_or_create(&self.ledger_key).unwrap());
        let state = AppState::new(self.store.clone(), config, key).unwrap();
        let (base, task) = serve(state, None).await;
        OtherServer { base, task }
    }

    /// Creates a customer with a profile; returns their id.
    pub async fn add_customer(&self, email: &str, password: &str) -> i64 {
        self.add_customer_named("Bo Ek", email, password).await
    }

    /// Creates a customer called `name` with a profile; returns their id.
    pub async fn add_customer_named(&self, name: &str, email: &str, password: &str) -> i64 {
        let (name, email, password) = (name.to_owned(), email.to_owned(), password.to_owned());
        self.store
            .call(move |conn| {
                let hash = customers::hash_password(&password)?;
                let id = customers::create(conn, &email, &hash)?;
                let profile = Profile {
                    name,
                    email,
                    ..Profile::default()
                };
                documents::create(conn, id, &profile)?;
                Ok::<_, rapport_server::store::StoreError>(id)
            })
            .await
            .unwrap()
    }

    /// Signs in as the demo privacy officer.
    pub async fn officer(&self) -> String {
        self.sign_in(demo::OFFICER_EMAIL, demo::OFFICER_PASSWORD)
            .await
    }

    /// GET with a bearer token when one is given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// GET of JSON as `token`; the answer must be 200.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        json_of(
            reqwest::Client::new()
                .get(self.url(path))
                .bearer_auth(token),
        )
        .await
    }

    /// POST of a JSON body with a bearer token, as the browser "RapportTest/1.0".
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url(path))
            .bearer_auth(token)
            .header("User-Agent", "RapportTest/1.0")
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A consent decision for `purpose` as shown by the shipped configuration in `language`,
    /// with the correct text hash.
    pub fn decision(&self, purpose: &str, decision: &str, language: &str) -> serde_json::Value {
        decision_under(&shipped_config(), purpose, decision, language)
    }

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

    /// Adds a second customer, named `name`, and signs them in; returns their token.
    pub async fn other_customer(&self, name: &str, email: &str) -> String {
        self.add_customer_named(name, email, "other-secret").await;
        self.sign_in(email, "other-secret").await
    }

    /// Signs in as the demo customer.
    pub async fn demo(&self) -> String {
        self.sign_in(demo::DEMO_EMAIL, demo::DEMO_PASSWORD).await
    }

    /// `GET /me/profile`.
    pub async fn get_profile(&self, token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url("/me/profile"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// `PUT /me/profile`, with `If-Match` when given.
    pub async fn put_profile(
        &self,
        token: &str,
        if_match: Option<&str>,
        body: serde_json::Value,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .put(self.url("/me/profile"))
            .bearer_auth(token)
            .json(&body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.unwrap()
    }
}

/// The error body of a failed answer.
pub async fn error_of(response: reqwest::Response) -> ErrorBody {
    response
        .json()
        .await
        .expect("an error body in the documented shape")
}

/// A consent decision for `purpose` as `config` shows it in `language`, correctly hashed.
pub fn decision_under(
    config: &PortalConfig,
    purpose: &str,
    decision: &str,
    language: &str,
) -> serde_json::Value {
    let purpose = config.purpose(purpose).unwrap();
    let screen = rapport_domain::consent::ScreenText::of(purpose, language).unwrap();
    json!({
        "purpose": purpose.id,
        "decision": decision,
        "purpose_version": purpose.version,
        "language": language,
        "text_sha256": screen.text_sha256,
        "screen": "privacy",
        "portal_build": "0.1.0+test",
    })
}
