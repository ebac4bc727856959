//! Command-line flags, each with an environment variable fallback.

use clap::{Args, Parser, Subcommand};
use rapport_domain::config::PortalConfig;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::limits::Limits;

/// How to run the reference backend.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "rapport-server",
    version,
    about = "Rapport's reference backend"
)]
pub struct Settings {
    /// Address to listen on; loopback by default so nothing is exposed by accident.
    #[arg(long, env = "RAPPORT_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The database: a SQLite file (a path, or `sqlite://PATH`; created on first run) or a
    /// PostgreSQL URL (`postgres://user:password@host/database`; the database must exist,
    /// its tables are made on first run).
    #[arg(
        long,
        env = "RAPPORT_DB",
        default_value = "data/rapport.sqlite3",
        global = true
    )]
    pub db: String,
    /// The built portal (Trunk's output) to serve beside the API.
    #[arg(long, env = "RAPPORT_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// The portal's configuration, whose checklists and contact grid the API enforces;
    /// by default the one served with the portal (`<dist>/config.json`), else `public/config.json`.
    #[arg(long, env = "RAPPORT_CONFIG")]
    pub config: Option<PathBuf>,
    /// The key file that signs the consent ledger (64 hex digits), made when missing. Keep it
    /// outside the database and its backups: it is what proves the ledger was not rewritten.
    #[arg(
        long,
        env = "RAPPORT_LEDGER_KEY",
        default_value = "data/ledger.key",
        global = true
    )]
    pub ledger_key: PathBuf,
    /// Host pages allowed to embed the portal from other origins (`https://shop.example`),
    /// repeatable or comma-separated; none by default (see `cors`).
    #[arg(
        long = "allow-origin",
        env = "RAPPORT_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    pub allow_origins: Vec<String>,
    /// Seed the demo customer (demo@rapport.example, password "demo") and the demo privacy
    /// officer (officer@rapport.example, password "officer") when the database has no
    /// accounts. Off unless asked for (`make run` asks): a real deployment creates its
    /// accounts with `add-account`.
    #[arg(long, env = "RAPPORT_DEMO_DATA", default_value_t = false, num_args = 0..=1,
          default_missing_value = "true", action = clap::ArgAction::Set)]
    pub demo_data: bool,
    /// Limits on every door.
    #[command(flatten)]
    pub limits: LimitFlags,
    /// Something to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Limits on every door; see [`crate::limits::Limits`] for what each guards.
#[derive(Debug, Clone, Args)]
pub struct LimitFlags {
    /// Read-only database connections (pages, exports, the audit); the writer is one more.
    #[arg(long, env = "RAPPORT_DB_READERS", default_value_t = crate::store::DEFAULT_READERS, global = true)]
    pub db_readers: usize,
    /// Sign-in attempts one account may receive per sign-in window (then 429).
    #[arg(long, env = "RAPPORT_SIGN_IN_PER_ACCOUNT", default_value_t = Limits::default().sign_in_per_account)]
    pub sign_in_per_account: u32,
    /// Sign-in attempts one client address may make per sign-in window (then 429).
    #[arg(long, env = "RAPPORT_SIGN_IN_PER_CLIENT", default_value_t = Limits::default().sign_in_per_client)]
    pub sign_in_per_client: u32,
    /// The sign-in window, in seconds.
    #[arg(long, env = "RAPPORT_SIGN_IN_WINDOW_SECS", default_value_t = Limits::default().sign_in_window.as_secs())]
    pub sign_in_window_secs: u64,
    /// Changes one customer may make per write window (then 429).
    #[arg(long, env = "RAPPORT_WRITES_PER_CUSTOMER", default_value_t = Limits::default().writes_per_customer)]
    pub writes_per_customer: u32,
    /// The write window, in seconds.
    #[arg(long, env = "RAPPORT_WRITE_WINDOW_SECS", default_value_t = Limits::default().write_window.as_secs())]
    pub write_window_secs: u64,
    /// Password hashes computed at once; by default half the cores (at least one).
    #[arg(long, env = "RAPPORT_HASH_CONCURRENCY", default_value_t = Limits::default().hash_concurrency)]
    pub hash_concurrency: usize,
    /// Sign-ins that may wait for a hashing slot (then 503).
    #[arg(long, env = "RAPPORT_HASH_QUEUE", default_value_t = Limits::default().hash_queue)]
    pub hash_queue: usize,
    /// Open connections at most.
    #[arg(long, env = "RAPPORT_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// API requests handled at once (then 503).
    #[arg(long, env = "RAPPORT_MAX_IN_FLIGHT", default_value_t = Limits::default().max_in_flight)]
    pub max_in_flight: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "RAPPORT_HEADER_TIMEOUT_SECS", default_value_t = Limits::default().header_timeout.as_secs())]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, env = "RAPPORT_BODY_TIMEOUT_SECS", default_value_t = Limits::default().body_timeout.as_secs())]
    pub body_timeout_secs: u64,
    /// Seconds a request may take to be answered (then 503).
    #[arg(long, env = "RAPPORT_REQUEST_TIMEOUT_SECS", default_value_t = Limits::default().request_timeout.as_secs())]
    pub request_timeout_secs: u64,
    /// Largest request body in bytes (then 413).
    #[arg(long, env = "RAPPORT_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes)]
    pub max_body_bytes: usize,
    /// Seconds of pause that end a customer's visit (the welcome page's "since your last visit").
    #[arg(long, env = "RAPPORT_VISIT_GAP_SECS", default_value_t = Limits::default().visit_gap.as_secs())]
    pub visit_gap_secs: u64,
    /// Seconds between sweeps of expired sessions.
    #[arg(long, env = "RAPPORT_PRUNE_EVERY_SECS", default_value_t = 600)]
    pub prune_every_secs: u64,
}

impl LimitFlags {
    /// The limits these flags set.
    #[must_use]
    pub fn limits(&self) -> Limits {
        Limits {
            sign_in_per_account: self.sign_in_per_account,
            sign_in_per_client: self.sign_in_per_client,
            sign_in_window: Duration::from_secs(self.sign_in_window_secs),
            writes_per_customer: self.writes_per_customer,
            write_window: Duration::from_secs(self.write_window_secs),
            hash_concurrency: self.hash_concurrency,
            hash_queue: self.hash_queue,
            max_connections: self.max_connections,
            max_in_flight: self.max_in_flight,
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            body_timeout: Duration::from_secs(self.body_timeout_secs),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            max_body_bytes: self.max_body_bytes,
            visit_gap: Duration::from_secs(self.visit_gap_secs),
        }
    }

    /// How often expired sessions are swept.
    #[must_use]
    pub fn prune_every(&self) -> Duration {
        Duration::from_secs(self.prune_every_secs.max(1))
    }
}

/// Tasks the binary runs instead of serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Replace a customer's history with a generated one (creating the customer if needed).
    SeedHistory(SeedHistory),
    /// Carry out (or refuse) customers' erasure requests.
    Erase(Erase),
    /// Create an account: a customer (with an empty profile) or, with `--officer`, a privacy
    /// officer. The password comes from `RAPPORT_PASSWORD`, else a prompt that does not echo.
    AddAccount(AddAccount),
    /// Verify an exported consent ledger offline: its chain and its signed head.
    VerifyLedger(crate::ledger_cli::VerifyLedger),
    /// Print the ledger key's public half (made when missing), for `verify-ledger`.
    LedgerKey(crate::ledger_cli::LedgerKeyArgs),
    /// Take an online backup of the database (the server may keep running).
    Backup(crate::backup::BackupArgs),
    /// Restore a backup into an empty database of the same engine.
    Restore(crate::backup::RestoreArgs),
    /// The business's side of customers' orders: list the open ones, fulfil one.
    Orders(Orders),
}

/// `orders`: what the business does with the orders customers place in the portal.
#[derive(Debug, Clone, Args)]
pub struct Orders {
    /// What to do.
    #[command(subcommand)]
    pub action: OrdersAction,
}

/// `orders list` or `orders fulfil REFERENCE`.
#[derive(Debug, Clone, Subcommand)]
pub enum OrdersAction {
    /// List the orders not yet fulfilled, oldest first.
    List,
    /// Mark an order fulfilled: it becomes a purchase in the customer's history.
    Fulfil {
        /// The order's reference, such as R-7KX2M9QD.
        reference: String,
    },
}

/// `add-account`: how a real deployment gets its first privacy officer (and its customers),
/// without a password on the command line where `ps` and shell history would keep it.
#[derive(Debug, Clone, Args)]
pub struct AddAccount {
    /// The account's sign-in e-mail; an e-mail already in use is refused.
    #[arg(long)]
    pub email: String,
    /// Make a privacy officer (who reads the audit) instead of a customer.
    #[arg(long)]
    pub officer: bool,
}

/// `erase`: carries out open erasure requests, or refuses one with a reason.
///
/// Erasure deletes the customer's profile, preferences, saved designs, orders, visits,
/// history, sessions and sign-in, and the link from their consent ledger pseudonym to them;
/// the ledger entries stay, so the chain still verifies (see `store::consent`).
#[derive(Debug, Clone, Args)]
pub struct Erase {
    /// The request to act on; every open request when not given.
    #[arg(long)]
    pub request: Option<i64>,
    /// Refuse the request (`--request` is then required) with this reason, shown to the
    /// customer, instead of carrying it out.
    #[arg(long, requires = "request")]
    pub refuse: Option<String>,
}

/// `seed-history`: realistic demo history, the same for the same seed.
#[derive(Debug, Clone, Args)]
pub struct SeedHistory {
    /// The customer's e-mail.
    #[arg(long, default_value = crate::store::demo::DEMO_EMAIL)]
    pub email: String,
    /// How many events.
    #[arg(long, default_value_t = 100_000)]
    pub events: usize,
    /// The random seed: the same seed (and `--end`) gives the same history.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// When the history ends, in Unix seconds; now when not given.
    #[arg(long)]
    pub end: Option<i64>,
    /// Password for the customer when they have to be created.
    #[arg(long, default_value = crate::store::demo::DEMO_PASSWORD)]
    pub password: String,
}

/// Reads and checks the configuration the settings name; a mistake stops the server with
/// every problem listed, as the portal would show them.
pub fn load_config(settings: &Settings) -> Result<PortalConfig, String> {
    let path = settings.config.clone().unwrap_or_else(|| {
        let served = settings.dist.join("config.json");
        if served.exists() {
            served
        } else {
            PathBuf::from("public/config.json")
        }
    });
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("reading {}: {err}", path.display()))?;
    // The server speaks every language; the portal build decides which it offers.
    PortalConfig::from_json(&text, &LANGUAGES).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        format!("{} has mistakes:\n{}", path.display(), list.join("\n"))
    })
}

/// Languages the portal ships translations for (`locales/*.json`).
pub const LANGUAGES: [&str; 2] = ["en", "sv"];
