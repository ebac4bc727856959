//! Command-line flags, each with an environment variable fallback.

use clap::Parser;
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
    #[arg(long, env = "RAPPORT_DB", default_value = "data/rapport.sqlite3")]
    pub db: PathBuf,
    /// The built portal (Trunk's output) to serve beside the API.
    #[arg(long, env = "RAPPORT_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// The portal's configuration, whose checklists and contact grid the API enforces;
    /// by default the one served with the portal (`<dist>/config.json`), else `public/config.json`.
    #[arg(long, env = "RAPPORT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Seed the demo customer when the database has no customers.
    #[arg(long, env = "RAPPORT_DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_data: bool,
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
