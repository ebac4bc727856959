//! `rapport-server add-account`, run as the real binary over a fresh database.

mod common;

use rapport_domain::Profile;
use rapport_server::store::customers::{self, Role};
use rapport_server::store::{Database, Store};
use std::process::{Command, Output};

/// Runs `add-account` with the password in `RAPPORT_PASSWORD` (without it the command would
/// prompt on the terminal).
fn add_account(db: &str, email: &str, officer: bool, password: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rapport-server"));
    command
        .args(["--db"])
        .arg(db)
        .args(["add-account", "--email", email])
        .env("RAPPORT_PASSWORD", password)
        .env("RUST_LOG", "debug")
        .stdin(std::process::Stdio::null());
    if officer {
        command.arg("--officer");
    }
    command.output().unwrap()
}

/// The account with this e-mail and password, with its role, straight from the store.
fn account(db: &str, email: &str, password: &str) -> Option<(i64, Role)> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(&Database::parse(db), 1).await.unwrap();
        let (id, stored) = store.password_hash_of(email).await.unwrap()?;
        if !customers::verify_password(&stored, password) {
            return None;
        }
        let (token, _) = store.start_session(id).await.unwrap();
        store.session_account(&token).await.unwrap()
    })
}

#[test]
fn add_account_creates_a_customer_with_a_profile_and_never_prints_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database_arg(dir.path());
    let password = "correct horse battery staple 7731";
    let output = add_account(&db, "New.Customer@example.se", false, password);
    assert!(output.status.success(), "{}", common::command_text(&output));
    assert!(
        !common::command_text(&output).contains(password),
        "{}",
        common::command_text(&output)
    );

    let (id, role) = account(&db, "new.customer@example.se", password).expect("signs in");
    assert_eq!(role, Role::Customer);
    assert!(account(&db, "new.customer@example.se", "wrong").is_none());
    let profile = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async {
            let store = Store::connect(&Database::parse(&db), 1).await.unwrap();
            store.load::<Profile>(id).await.unwrap()
        })
        .expect("a profile");
    assert_eq!(profile.data.email, "New.Customer@example.se");
    assert_eq!(profile.data.name, "");

    // No demo accounts came with it.
    assert!(account(&db, "demo@rapport.example", "demo").is_none());
    assert!(account(&db, "officer@rapport.example", "officer").is_none());
}

#[test]
fn add_account_makes_an_officer_and_refuses_a_taken_email() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database_arg(dir.path());
    let output = add_account(&db, "dpo@example.se", true, "officer-secret-99");
    assert!(output.status.success(), "{}", common::command_text(&output));
    let (_, role) = account(&db, "dpo@example.se", "officer-secret-99").expect("signs in");
    assert_eq!(role, Role::PrivacyOfficer);

    // The same e-mail in another case is the same account.
    let again = add_account(&db, "DPO@example.se", false, "another-one");
    assert!(!again.status.success());
    assert!(
        common::command_text(&again).contains("already exists"),
        "{}",
        common::command_text(&again)
    );
    assert!(!common::command_text(&again).contains("another-one"));
    assert!(account(&db, "dpo@example.se", "another-one").is_none());
}

#[test]
fn add_account_refuses_an_empty_password_and_a_bad_email() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_database_arg(dir.path());
    let empty = add_account(&db, "someone@example.se", false, "");
    assert!(!empty.status.success());
    assert!(
        common::command_text(&empty).contains("empty"),
        "{}",
        common::command_text(&empty)
    );
    let bad = add_account(&db, "not an e-mail", false, "secret-1");
    assert!(!bad.status.success());
    assert!(
        common::command_text(&bad).contains("not an e-mail"),
        "{}",
        common::command_text(&bad)
    );
    assert!(account(&db, "someone@example.se", "secret-1").is_none());
}
