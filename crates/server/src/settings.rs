//! Command-line flags, each with an environment variable fallback.

use clap::{Args, Parser, Subcommand};
use rapport_domain::config::PortalConfig;
use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// SQLite file, created on first run.
    #[arg(
        long,
        env = "RAPPORT_DB",
        default_value = "data/rapport.sqlite3",
        global = true
    )]
    pub db: PathBuf,
    /// The built portal (Trunk's output) to serve beside the API.
    #[arg(long, env = "RAPPORT_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// The portal's configuration, whose checklists and contact grid the API enforces;
    /// by default the one served with the portal (`<dist>/config.json`), else `public/config.json`.
    #[arg(long, env = "RAPPORT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Host pages allowed to embed the portal from other origins (`https://shop.example`),
    /// repeatable or comma-separated; none by default (see `cors`).
    #[arg(
        long = "allow-origin",
        env = "RAPPORT_ALLOW_ORIGINS",
        value_delimiter = ','
    )]
    pub allow_origins: Vec<String>,
    /// Seed the demo customer when the database has no customers.
    #[arg(long, env = "RAPPORT_DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_data: bool,
    /// Something to do instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Tasks the binary runs instead of serving.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Replace a customer's history with a generated one (creating the customer if needed).
    SeedHistory(SeedHistory),
    /// Carry out (or refuse) customers' erasure requests.
    Erase(Erase),
}

/// `erase`: carries out open erasure requests, or refuses one with a reason.
///
/// Erasure deletes the customer's profile, preferences, history, sessions and sign-in, and
/// the link from their consent ledger pseudonym to them; the ledger entries stay, so the
/// chain still verifies (see `store::consent`).
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
