//! Customers and their sign-in sessions.
//!
//! Passwords are stored as Argon2id hashes; session tokens are random and only their SHA-256
//! is stored, so a copy of the database does not let anyone sign in.

use super::{StoreError, now};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// Adds each account's role. Existing accounts are customers; officers are made on purpose
/// (the demo seed, or an operator), never through the API.
pub const ROLE_MIGRATION: &str = r"
    ALTER TABLE customers ADD COLUMN role TEXT NOT NULL DEFAULT 'customer'
        CHECK (role IN ('customer', 'privacy_officer'));
";

pub use rapport_domain::api::Role;

/// How long a session lasts.
pub const SESSION_SECONDS: u64 = 12 * 60 * 60;

/// Hashes a password for storage (Argon2id with a random salt).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| StoreError::Password(err.to_string()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|err| StoreError::Password(err.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| StoreError::Password(err.to_string()))
}

/// Creates a customer; returns their id.
pub fn create(conn: &Connection, email: &str, password_hash: &str) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO customers (email, password_hash, created_at) VALUES (?1, ?2, ?3)",
        params![email, password_hash, now()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Whether an account with this e-mail (compared without case, as sign-in does) exists.
pub fn email_taken(conn: &Connection, email: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM customers WHERE email = ?1",
            [email.trim()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The account with this e-mail and its stored password hash.
pub fn password_hash_of(
    conn: &Connection,
    email: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, password_hash FROM customers WHERE email = ?1",
            [email.trim()],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?)
}

/// Whether `password` matches the stored Argon2 hash (a hash that cannot be read never
/// matches). Slow on purpose: run it on the blocking pool.
#[must_use]
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Starts a session for a customer; returns the bearer token (shown once, stored hashed).
pub fn start_session(conn: &Connection, customer: i64) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| StoreError::Password(err.to_string()))?;
    let token = hex::encode(bytes);
    conn.execute(
        "INSERT INTO sessions (token_hash, customer_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash(&token), customer, now() + SESSION_SECONDS as i64],
    )?;
    Ok(token)
}

/// The account a live session token belongs to, with its role.
pub fn session_account(conn: &Connection, token: &str) -> Result<Option<(i64, Role)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT c.id, c.role FROM sessions AS s JOIN customers AS c ON c.id = s.customer_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            params![token_hash(token), now()],
            |row| {
                let role: String = row.get(1)?;
                Ok((
                    row.get(0)?,
                    if role == Role::PrivacyOfficer.as_str() {
                        Role::PrivacyOfficer
                    } else {
                        Role::Customer
                    },
                ))
            },
        )
        .optional()?)
}

/// Gives an account a role.
pub fn set_role(conn: &Connection, customer: i64, role: Role) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE customers SET role = ?1 WHERE id = ?2",
        params![role.as_str(), customer],
    )?;
    Ok(())
}

/// The account's sign-in e-mail.
pub fn email(conn: &Connection, customer: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT email FROM customers WHERE id = ?1",
            [customer],
            |row| row.get(0),
        )
        .optional()?)
}

/// Ends a session (sign out). Ending an unknown token is not an error.
pub fn end_session(conn: &Connection, token: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

/// Ends every session of the account the token belongs to ("sign out everywhere"); returns
/// how many ended, or `None` when the token names no live session.
pub fn end_all_sessions(conn: &Connection, token: &str) -> Result<Option<usize>, StoreError> {
    let Some((account, _)) = session_account(conn, token)? else {
        return Ok(None);
    };
    Ok(Some(conn.execute(
        "DELETE FROM sessions WHERE customer_id = ?1",
        [account],
    )?))
}

/// Deletes sessions that have expired: the account's alone (cheap, at each sign-in), or
/// everyone's (the periodic sweep). Returns how many.
pub fn prune_sessions(conn: &Connection, account: Option<i64>) -> Result<usize, StoreError> {
    Ok(match account {
        Some(account) => conn.execute(
            "DELETE FROM sessions WHERE customer_id = ?1 AND expires_at <= ?2",
            params![account, now()],
        )?,
        None => conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now()])?,
    })
}

/// The customer's opaque subject name (see `SignInResponse::subject`).
#[must_use]
pub fn subject(customer: i64) -> String {
    hex::encode(&Sha256::digest(format!("rapport-subject:{customer}").as_bytes())[..12])
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}
