//! Command-line flags, each with an environment variable fallback.

use clap::Parser;
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
    /// Seed the demo customer when the database has no customers.
    #[arg(long, env = "RAPPORT_DEMO_DATA", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_data: bool,
}
