//! Customers and their sign-in sessions (see the SQLite `customers` module for the why).

use super::{Postgres, exec, now, one, opt};
use crate::store::StoreError;
use crate::store::customers::SESSION_SECONDS;
use deadpool_postgres::GenericClient;
use rapport_domain::Profile;
use rapport_domain::api::Role;
use sha2::{Digest, Sha256};

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn role_of(text: &str) -> Role {
    if text == Role::PrivacyOfficer.as_str() {
        Role::PrivacyOfficer
    } else {
        Role::Customer
    }
}

/// The account with this e-mail and its stored password hash.
pub async fn password_hash_of(
    pg: &Postgres,
    email: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    let client = pg.client().await?;
    Ok(opt(
        &client,
        "SELECT id, password_hash FROM customers WHERE lower(email) = lower($1)",
        &[&email.trim()],
    )
    .await?
    .map(|row| (row.get(0), row.get(1))))
}

/// Starts a session after pruning the account's expired ones; the token and the role.
pub async fn start_session(pg: &Postgres, customer: i64) -> Result<(String, Role), StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| StoreError::Password(err.to_string()))?;
    let token = hex::encode(bytes);
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    exec(
        &tx,
        "DELETE FROM sessions WHERE customer_id = $1 AND expires_at <= $2",
        &[&customer, &now()],
    )
    .await?;
    exec(
        &tx,
        "INSERT INTO sessions (token_hash, customer_id, expires_at) VALUES ($1, $2, $3)",
        &[
            &token_hash(&token),
            &customer,
            &(now() + SESSION_SECONDS as i64),
        ],
    )
    .await?;
    let role: String = one(
        &tx,
        "SELECT role FROM customers WHERE id = $1",
        &[&customer],
    )
    .await?
    .get(0);
    tx.commit().await?;
    Ok((token, role_of(&role)))
}

async fn session_account_on<C: GenericClient>(
    client: &C,
    token: &str,
) -> Result<Option<(i64, Role)>, StoreError> {
    Ok(opt(
        client,
        "SELECT c.id, c.role FROM sessions AS s JOIN customers AS c ON c.id = s.customer_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
        &[&token_hash(token), &now()],
    )
    .await?
    .map(|row| (row.get(0), role_of(row.get(1)))))
}

/// The account a live session token belongs to, with its role.
pub async fn session_account(
    pg: &Postgres,
    token: &str,
) -> Result<Option<(i64, Role)>, StoreError> {
    session_account_on(&pg.client().await?, token).await
}

/// Ends a session; an unknown token is not an error.
pub async fn end_session(pg: &Postgres, token: &str) -> Result<(), StoreError> {
    exec(
        &pg.client().await?,
        "DELETE FROM sessions WHERE token_hash = $1",
        &[&token_hash(token)],
    )
    .await?;
    Ok(())
}

/// Ends every session of the token's account; how many, or `None` for a dead token.
pub async fn end_all_sessions(pg: &Postgres, token: &str) -> Result<Option<usize>, StoreError> {
    let client = pg.client().await?;
    let Some((account, _)) = session_account_on(&client, token).await? else {
        return Ok(None);
    };
    Ok(Some(
        exec(
            &client,
            "DELETE FROM sessions WHERE customer_id = $1",
            &[&account],
        )
        .await?,
    ))
}

/// Deletes everyone's expired sessions; how many.
pub async fn prune_sessions(pg: &Postgres) -> Result<usize, StoreError> {
    exec(
        &pg.client().await?,
        "DELETE FROM sessions WHERE expires_at <= $1",
        &[&now()],
    )
    .await
}

/// Creates an account (and its first profile, when given); `None` when the e-mail is taken.
pub async fn create_account(
    pg: &Postgres,
    email: &str,
    password_hash: &str,
    role: Role,
    profile: Option<&Profile>,
) -> Result<Option<i64>, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // ON CONFLICT rather than a check first: two operators adding the same e-mail at once
    // cannot both pass a check, and neither sees an error meant for a bug.
    let Some(row) = opt(
        &tx,
        "INSERT INTO customers (email, password_hash, created_at, role)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
        &[&email, &password_hash, &now(), &role.as_str()],
    )
    .await?
    else {
        return Ok(None);
    };
    let id: i64 = row.get(0);
    if let Some(profile) = profile {
        super::documents::create_on(&tx, id, profile).await?;
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// The account's sign-in e-mail.
pub async fn email_on<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Option<String>, StoreError> {
    Ok(opt(
        client,
        "SELECT email FROM customers WHERE id = $1",
        &[&customer],
    )
    .await?
    .map(|row| row.get(0)))
}

/// The id of the customer with this e-mail.
pub async fn id_by_email<C: GenericClient>(
    client: &C,
    email: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(opt(
        client,
        "SELECT id FROM customers WHERE lower(email) = lower($1)",
        &[&email.trim()],
    )
    .await?
    .map(|row| row.get(0)))
}

/// Creates a customer inside a transaction the caller holds; their id.
pub async fn create_on<C: GenericClient>(
    client: &C,
    email: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, StoreError> {
    Ok(one(
        client,
        "INSERT INTO customers (email, password_hash, created_at, role)
         VALUES ($1, $2, $3, $4) RETURNING id",
        &[&email, &password_hash, &now(), &role.as_str()],
    )
    .await?
    .get(0))
}
