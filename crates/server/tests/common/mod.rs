//! A reference backend on a real socket over a fresh database, for the API tests: a
//! temporary SQLite file, or, when `RAPPORT_TEST_POSTGRES_URL` names a PostgreSQL cluster
//! (`scripts/with-postgres.sh` starts one), a new database of its own on that cluster.
#![allow(dead_code)] // each test file uses its own part of the helper

use rapport_domain::Profile;
use rapport_domain::api::{ErrorBody, SignInResponse};
use rapport_domain::config::PortalConfig;
use rapport_server::ledger_key::LedgerKey;
use rapport_server::limits::{Guards, Limits};
use rapport_server::store::{Database, Store, customers, demo};
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
    /// The database it serves.
    pub database: Database,
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
    let database = fresh_database(dir.path()).await;
    let store = Store::connect(&database, 8).await.unwrap();
    store.seed_demo_if_empty().await.unwrap();
    serve_in(dir, database, store, dist, limits).await
}

/// A server of the API over an existing `database`, signing with the key at `ledger_key`
/// (copied into the server's own temporary folder).
pub async fn start_on(database: Database, ledger_key: &Path) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(ledger_key, dir.path().join("ledger.key")).unwrap();
    let store = Store::connect(&database, 8).await.unwrap();
    serve_in(dir, database, store, None, Limits::default()).await
}

async fn serve_in(
    dir: tempfile::TempDir,
    database: Database,
    store: Store,
    dist: Option<&Path>,
    limits: Limits,
) -> TestServer {
    let ledger_key = dir.path().join("ledger.key");
    let key = Arc::new(LedgerKey::load_or_create(&ledger_key).unwrap());
    let state = AppState::with_limits(store.clone(), shipped_config(), key, limits).unwrap();
    let guards = Arc::clone(&state.guards);
    let (base, task) = serve(state, dist).await;
    TestServer {
        base,
        store,
        database,
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
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || customers::hash_password(&password))
            .await
            .unwrap()
            .unwrap();
        let profile = Profile {
            name: name.to_owned(),
            email: email.to_owned(),
            ..Profile::default()
        };
        self.store
            .create_account(email, &hash, customers::Role::Customer, Some(profile))
            .await
            .unwrap()
            .expect("a new e-mail")
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

    /// `PUT` of a versioned document at `path`, with `If-Match` when given.
    pub async fn put_document(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut request = reqwest::Client::new()
            .put(self.url(path))
            .bearer_auth(token)
            .json(body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.unwrap()
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

/// The cluster the tests run on when set: a superuser URL (each test makes a database).
pub const POSTGRES_URL_ENV: &str = "RAPPORT_TEST_POSTGRES_URL";

/// Whether the tests run on PostgreSQL.
#[must_use]
pub fn on_postgres() -> bool {
    std::env::var_os(POSTGRES_URL_ENV).is_some()
}

/// A new, empty database: a SQLite file in `dir`, or a new PostgreSQL database (named at
/// random, left for the throwaway cluster to take away) when the tests run on PostgreSQL.
pub async fn fresh_database(dir: &Path) -> Database {
    let Ok(admin) = std::env::var(POSTGRES_URL_ENV) else {
        return Database::Sqlite(dir.join("test.sqlite3"));
    };
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    let name = format!("rapport_test_{}", hex::encode(bytes));
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .unwrap();
    let connection = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = connection.await;
    let (base, _) = admin.rsplit_once('/').expect("a URL ending in /database");
    Database::Postgres(format!("{base}/{name}"))
}

/// The `--db` argument for a fresh database, for tests that run the binary.
pub fn fresh_database_arg(dir: &Path) -> String {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(fresh_database(dir))
        .to_arg()
}

/// How a database is named to the binary's `--db`.
pub trait ToArg {
    /// The `--db` argument.
    fn to_arg(&self) -> String;
}

impl ToArg for Database {
    fn to_arg(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => url.clone(),
        }
    }
}

/// A value passed to or read from [`TestServer::sql`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

impl TestServer {
    /// Runs `sql` on the database directly, as someone with database access (and no API)
    /// could: one statement with `$1`-style parameters, which both engines read (SQLite
    /// takes `$1` as a named parameter, numbered in order of first use). The rows, or the
    /// database's refusal as text.
    pub async fn sql(&self, sql: &str, args: &[Val]) -> Result<Vec<Vec<Val>>, String> {
        sql_on(&self.store, sql, args).await
    }

    /// [`TestServer::sql`] for a statement whose first column of its first row is an integer.
    pub async fn sql_int(&self, sql: &str, args: &[Val]) -> i64 {
        match self
            .sql(sql, args)
            .await
            .unwrap()
            .first()
            .and_then(|r| r.first())
        {
            Some(Val::Int(i)) => *i,
            other => panic!("{sql}: {other:?} is not an integer"),
        }
    }

    /// Runs several statements (no parameters) in one go; the database's refusal as text.
    pub async fn sql_batch(&self, sql: &str) -> Result<(), String> {
        let sql = sql.to_owned();
        if let Some(pg) = self.store.postgres() {
            let client = pg.client().await.map_err(|e| e.to_string())?;
            return client
                .batch_execute(&sql)
                .await
                .map_err(|e| match e.as_db_error() {
                    Some(db) => db.message().to_owned(),
                    None => e.to_string(),
                });
        }
        let sqlite = self
            .store
            .sqlite()
            .expect("one engine or the other")
            .clone();
        sqlite
            .call(move |conn| {
                Ok::<_, rapport_server::store::StoreError>(
                    conn.execute_batch(&sql).map_err(|e| e.to_string()),
                )
            })
            .await
            .unwrap()
    }

    /// Whether this server runs on PostgreSQL.
    #[must_use]
    pub fn on_postgres(&self) -> bool {
        self.store.postgres().is_some()
    }
}

/// Runs `sql` on `store`'s database directly (see [`TestServer::sql`]).
pub async fn sql_on(store: &Store, sql: &str, args: &[Val]) -> Result<Vec<Vec<Val>>, String> {
    let (sql, args) = (sql.to_owned(), args.to_vec());
    if let Some(pg) = store.postgres() {
        let client = pg.client().await.map_err(|e| e.to_string())?;
        let boxed: Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> = args
            .iter()
            .map(
                |arg| -> Box<dyn tokio_postgres::types::ToSql + Sync + Send> {
                    match arg {
                        Val::Null => Box::new(None::<i64>),
                        Val::Int(i) => Box::new(*i),
                        Val::Text(t) => Box::new(t.clone()),
                    }
                },
            )
            .collect();
        let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = boxed
            .iter()
            .map(|b| &**b as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect();
        let rows = client
            .query(&sql, &params)
            .await
            .map_err(|e| match e.as_db_error() {
                Some(db) => db.message().to_owned(),
                None => e.to_string(),
            })?;
        return Ok(rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        if let Ok(v) = row.try_get::<_, Option<i64>>(i) {
                            v.map_or(Val::Null, Val::Int)
                        } else if let Ok(v) = row.try_get::<_, Option<String>>(i) {
                            v.map_or(Val::Null, Val::Text)
                        } else {
                            Val::Null
                        }
                    })
                    .collect()
            })
            .collect());
    }
    let sqlite = store.sqlite().expect("one engine or the other").clone();
    sqlite
        .call(move |conn| {
            let run = || -> rusqlite::Result<Vec<Vec<Val>>> {
                let mut statement = conn.prepare(&sql)?;
                let columns = statement.column_count();
                let params: Vec<rusqlite::types::Value> = args
                    .iter()
                    .map(|arg| match arg {
                        Val::Null => rusqlite::types::Value::Null,
                        Val::Int(i) => rusqlite::types::Value::Integer(*i),
                        Val::Text(t) => rusqlite::types::Value::Text(t.clone()),
                    })
                    .collect();
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(
                        (0..columns)
                            .map(|i| match row.get_ref(i) {
                                Ok(rusqlite::types::ValueRef::Integer(v)) => Val::Int(v),
                                Ok(rusqlite::types::ValueRef::Text(t)) => {
                                    Val::Text(String::from_utf8_lossy(t).into_owned())
                                }
                                _ => Val::Null,
                            })
                            .collect(),
                    );
                }
                Ok(out)
            };
            Ok::<_, rapport_server::store::StoreError>(run().map_err(|e| e.to_string()))
        })
        .await
        .unwrap()
}

/// Raw SQL on a database no test server runs on (the crash test's, say).
pub struct SqlOn {
    store: Store,
}

impl SqlOn {
    /// Connects to `database`.
    pub async fn new(database: &Database) -> SqlOn {
        SqlOn {
            store: Store::connect(database, 1).await.unwrap(),
        }
    }

    /// The integer the statement's first row starts with.
    pub async fn int(&self, sql: &str, args: &[Val]) -> i64 {
        match sql_on(&self.store, sql, args)
            .await
            .unwrap()
            .first()
            .and_then(|r| r.first())
        {
            Some(Val::Int(i)) => *i,
            other => panic!("{sql}: {other:?} is not an integer"),
        }
    }
}

/// What a run of the server's binary printed, standard output then standard error.
pub fn command_text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
