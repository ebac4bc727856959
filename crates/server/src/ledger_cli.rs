//! `rapport-server verify-ledger` and `rapport-server ledger-key`: the ledger key's commands,
//! which need neither the database nor the network.

use crate::ledger_key::{LedgerKey, read_public_key, verify_export};
use crate::settings::{Command, Settings};
use clap::Args;
use rapport_domain::consent::LedgerExport;
use std::path::PathBuf;

/// `verify-ledger`: checks an exported ledger (`GET /api/audit/ledger?format=json`, without
/// filters) against the server's public key. Exits 0 and prints the summary when the chain is
/// intact and its head is signed by that key; otherwise fails naming the first bad entry.
#[derive(Debug, Clone, Args)]
pub struct VerifyLedger {
    /// The exported ledger (JSON).
    #[arg(long)]
    pub export: PathBuf,
    /// The public key: 64 hex digits, or a file holding them (`ledger-key --public`).
    #[arg(long)]
    pub public_key: String,
}

/// `ledger-key`: prints the public key (never the secret).
#[derive(Debug, Clone, Args)]
pub struct LedgerKeyArgs {
    /// Print the public key as 64 hex digits (the default, and the only output there is).
    #[arg(long, default_value_t = true)]
    pub public: bool,
}

/// Runs the command when it is one of these; `None` for anything else.
pub fn run(settings: &Settings) -> Option<Result<(), Box<dyn std::error::Error>>> {
    match &settings.command {
        Some(Command::VerifyLedger(args)) => Some(verify(args).map_err(Into::into)),
        Some(Command::LedgerKey(_)) => Some(
            LedgerKey::load_or_create(&settings.ledger_key)
                .map(|key| {
                    println!("{}", key.public_hex());
                    eprintln!("key id {}", key.key_id());
                })
                .map_err(Into::into),
        ),
        _ => None,
    }
}

fn verify(args: &VerifyLedger) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.export)
        .map_err(|err| format!("reading {}: {err}", args.export.display()))?;
    let export: LedgerExport = serde_json::from_str(&text)
        .map_err(|err| format!("{} is not an exported ledger: {err}", args.export.display()))?;
    let key = read_public_key(&args.public_key)?;
    let report = verify_export(&export, &key);
    if report.intact {
        println!("{}", report.summary);
        Ok(())
    } else {
        Err(format!("ledger NOT verified: {}", report.summary))
    }
}
