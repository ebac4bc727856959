//! The demo customer and privacy officer a new database starts with when asked for
//! (`--demo-data`, which `make run` passes), so the portal can be tried at once.

use super::customers::Role;
use super::{StoreError, customers, documents, history_demo, now};
use rapport_domain::{ContactMethod, Profile};
use rusqlite::Connection;

/// The demo customer's sign-in e-mail.
pub const DEMO_EMAIL: &str = "demo@rapport.example";
/// The demo customer's password; shown on the sign-in page in demo mode.
pub const DEMO_PASSWORD: &str = "demo";

/// The demo privacy officer's sign-in e-mail.
pub const OFFICER_EMAIL: &str = "officer@rapport.example";
/// The demo privacy officer's password.
pub const OFFICER_PASSWORD: &str = "officer";

/// How many events the demo customer's history starts with: enough to page, filter and search.
pub const DEMO_HISTORY_EVENTS: usize = 300;
/// The seed of the demo customer's history, so every new database shows the same story.
pub const DEMO_HISTORY_SEED: u64 = 42;

/// Adds the demo customer and the demo privacy officer when there are no accounts yet;
/// returns whether it did.
pub fn seed_if_empty(conn: &mut Connection) -> Result<bool, StoreError> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM customers", [], |row| row.get(0))?;
    if count > 0 {
        return Ok(false);
    }
    let hash = customers::hash_password(DEMO_PASSWORD)?;
    let officer_hash = customers::hash_password(OFFICER_PASSWORD)?;
    let tx = conn.savepoint()?;
    let id = customers::create(&tx, DEMO_EMAIL, &hash)?;
    documents::create(&tx, id, &demo_profile())?;
    history_demo::seed(&tx, id, DEMO_HISTORY_EVENTS, DEMO_HISTORY_SEED, now())?;
    let officer = customers::create(&tx, OFFICER_EMAIL, &officer_hash)?;
    customers::set_role(&tx, officer, Role::PrivacyOfficer)?;
    tx.commit()?;
    // No password in the log, not even a demo one: the README gives them.
    tracing::info!(
        "created the demo customer {DEMO_EMAIL} and the demo privacy officer {OFFICER_EMAIL}"
    );
    Ok(true)
}

/// The demo customer's profile.
#[must_use]
pub fn demo_profile() -> Profile {
    Profile {
        name: "Astrid Lindqvist".into(),
        email: DEMO_EMAIL.into(),
        phone: "+46 70 123 45 67".into(),
        preferred_contact: Some(ContactMethod::Email),
    }
}
