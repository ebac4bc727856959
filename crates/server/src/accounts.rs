//! `add-account`: how an operator creates accounts, the first privacy officer above all.
//!
//! The password never travels on the command line (where `ps` and shell history keep it)
//! and never reaches a log: it comes from `RAPPORT_PASSWORD` or a prompt that does not echo.

use crate::store::customers::{self, Role};
use crate::store::{Store, StoreError};
use rapport_domain::{Profile, ProfileField};

/// The environment variable `add-account` takes the password from, when set.
pub const PASSWORD_ENV: &str = "RAPPORT_PASSWORD";

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Another account already signs in with this e-mail.
    #[error("an account with the e-mail {0} already exists")]
    Taken(String),
    /// The e-mail is not one.
    #[error("{0:?} is not an e-mail address")]
    NotAnEmail(String),
    /// The password is empty, or the two prompted ones differ.
    #[error("{0}")]
    Password(&'static str),
    /// Reading the prompt failed (no terminal, say).
    #[error("reading the password: {0} (set {PASSWORD_ENV} when there is no terminal)")]
    Prompt(std::io::Error),
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The new account's password: `RAPPORT_PASSWORD` when set, else asked twice on the terminal
/// without echo.
pub fn password_for(email: &str) -> Result<String, AccountError> {
    let password = match std::env::var(PASSWORD_ENV) {
        Ok(password) => password,
        Err(_) => {
            let first = rpassword::prompt_password(format!("Password for {email}: "))
                .map_err(AccountError::Prompt)?;
            let again = rpassword::prompt_password("Once more: ").map_err(AccountError::Prompt)?;
            if first != again {
                return Err(AccountError::Password("the two passwords differ"));
            }
            first
        }
    };
    if password.is_empty() {
        return Err(AccountError::Password("the password is empty"));
    }
    Ok(password)
}

/// Creates the account; a customer also gets an empty profile whose e-mail is theirs.
/// Returns the account id.
pub async fn add_account(
    store: &Store,
    email: &str,
    password: String,
    role: Role,
) -> Result<i64, AccountError> {
    let email = email.trim().to_owned();
    let profile = Profile {
        email: email.clone(),
        ..Profile::default()
    };
    if profile.check(ProfileField::Email).is_some() {
        return Err(AccountError::NotAnEmail(email));
    }
    // Argon2 is slow on purpose: hash before taking the writer.
    let hash = tokio::task::spawn_blocking(move || customers::hash_password(&password))
        .await
        .map_err(|err| StoreError::Task(err.to_string()))??;
    let profile = (role == Role::Customer).then_some(profile);
    store
        .create_account(&email, &hash, role, profile)
        .await?
        .ok_or(AccountError::Taken(email))
}
