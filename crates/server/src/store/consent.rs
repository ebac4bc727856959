//! The consent ledger, the customers' pseudonyms in it, and the catalog of consent screens.
//!
//! # Append-only, also below the API
//!
//! `consent_ledger` and `consent_screens` have `BEFORE UPDATE` and `BEFORE DELETE` triggers
//! that abort, so no code path (nor a mistaken manual statement) can change evidence; only
//! someone who drops the triggers can, and the hash chain then shows where (see
//! [`rapport_domain::consent::verify_chain`]).
//!
//! # Erasure without breaking the chain
//!
//! Erasure must remove a customer's personal data, yet the ledger may not change. So the
//! ledger itself holds nothing that points to a person:
//! - the customer appears as `customer_ref`, a random 128-bit pseudonym; the only link from
//!   pseudonym to customer is a row in `consent_subjects`, which erasure deletes;
//! - the user agent appears as a salted SHA-256; the raw string and the salt live in
//!   `consent_user_agents`, which erasure deletes.
//!
//! Both hashed fields stay, so every entry still hashes to its stored hash and the chain
//! verifies; what remains is a pseudonymous proof that "someone" decided so on that screen at
//! that time. Erasure never runs an UPDATE or DELETE on the ledger, so the triggers need no
//! exception.
//!
//! # The catalog
//!
//! The configuration only holds each purpose's current text. Every text a customer is shown
//! is registered in `consent_screens` (keyed by purpose, version, language and hash) before a
//! decision on it is recorded, so older versions stay in the catalog after the configuration
//! moves on, and the audit can show the exact text behind any ledger entry's hash.

use super::{StoreError, history, now};
use crate::ledger_key::LedgerKey;
use rapport_domain::consent::{
    ConsentDecision, ConsentReceipt, GENESIS_HASH, HeadSignature, LedgerEntry, RecordConsent,
    ScreenText, SeenAndChosen, SignedHead, entry_hash, user_agent_sha256,
};
use rapport_domain::consent_trend::{ConsentTrend, TrendMonth};
use rapport_domain::history::{Channel, ConsentChange, EventDetails};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

/// The schema, appended to the store's migrations.
pub const MIGRATION: &str = r"
    CREATE TABLE consent_subjects (
        customer_id  INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
        customer_ref TEXT NOT NULL UNIQUE
    );
    CREATE TABLE consent_ledger (
        seq               INTEGER PRIMARY KEY,
        customer_ref      TEXT NOT NULL,
        purpose           TEXT NOT NULL,
        decision          TEXT NOT NULL CHECK (decision IN ('given', 'withdrawn')),
        purpose_version   INTEGER NOT NULL,
        language          TEXT NOT NULL,
        text_sha256       TEXT NOT NULL,
        screen            TEXT NOT NULL,
        portal_build      TEXT NOT NULL,
        recorded_at       INTEGER NOT NULL,
        user_agent_sha256 TEXT NOT NULL,
        prev_hash         TEXT NOT NULL,
        hash              TEXT NOT NULL
    );
    CREATE INDEX consent_ledger_by_customer ON consent_ledger(customer_ref, seq);
    CREATE INDEX consent_ledger_by_time ON consent_ledger(recorded_at, seq);
    CREATE TABLE consent_user_agents (
        seq         INTEGER PRIMARY KEY REFERENCES consent_ledger(seq),
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        salt        TEXT NOT NULL,
        user_agent  TEXT NOT NULL
    );
    CREATE INDEX consent_user_agents_by_customer ON consent_user_agents(customer_id);
    CREATE TABLE consent_screens (
        purpose     TEXT NOT NULL,
        version     INTEGER NOT NULL,
        language    TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        title       TEXT NOT NULL,
        description TEXT NOT NULL,
        policy      TEXT NOT NULL,
        first_seen  INTEGER NOT NULL,
        PRIMARY KEY (purpose, version, language, text_sha256)
    ) WITHOUT ROWID;

    CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger BEGIN
        SELECT RAISE(ABORT, 'the consent ledger is append-only');
    END;
    CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger BEGIN
        SELECT RAISE(ABORT, 'the consent ledger is append-only');
    END;
    CREATE TRIGGER consent_user_agents_no_update BEFORE UPDATE ON consent_user_agents BEGIN
        SELECT RAISE(ABORT, 'recorded user agents are append-only: erased, never changed');
    END;
    CREATE TRIGGER consent_screens_no_update BEFORE UPDATE ON consent_screens BEGIN
        SELECT RAISE(ABORT, 'the consent screen catalog is append-only');
    END;
    CREATE TRIGGER consent_screens_no_delete BEFORE DELETE ON consent_screens BEGIN
        SELECT RAISE(ABORT, 'the consent screen catalog is append-only');
    END;
";

/// The signatures of ledger heads (see [`crate::ledger_key`]), beside the ledger rather
/// than in it: the entries and their hashes stay exactly as before, and a ledger begun
/// before signing is covered from its first signed head on. Append-only like the ledger.
pub const SIGNATURE_MIGRATION: &str = r"
    CREATE TABLE consent_ledger_signatures (
        seq       INTEGER PRIMARY KEY REFERENCES consent_ledger(seq),
        key_id    TEXT NOT NULL,
        signature TEXT NOT NULL
    );
    CREATE TRIGGER consent_ledger_signatures_no_update BEFORE UPDATE ON consent_ledger_signatures BEGIN
        SELECT RAISE(ABORT, 'ledger signatures are append-only');
    END;
    CREATE TRIGGER consent_ledger_signatures_no_delete BEFORE DELETE ON consent_ledger_signatures BEGIN
        SELECT RAISE(ABORT, 'ledger signatures are append-only');
    END;
";

/// The officer's trend chart counts decisions per month and purpose over two years; this
/// index answers that from its own pages, without reading the entries themselves.
pub const TREND_MIGRATION: &str = r"
    CREATE INDEX consent_ledger_trend ON consent_ledger(recorded_at, purpose, decision);
";

/// The longest user agent kept, in characters; longer ones are cut (they are evidence of
/// the browser, not a place to store megabytes).
pub const MAX_USER_AGENT_CHARS: usize = 512;

const ENTRY_COLUMNS: &str = "l.seq, l.customer_ref, l.purpose, l.decision, l.purpose_version,
    l.language, l.text_sha256, l.screen, l.portal_build, l.recorded_at, u.user_agent,
    l.user_agent_sha256, l.prev_hash, l.hash, s.key_id, s.signature
    FROM consent_ledger AS l LEFT JOIN consent_user_agents AS u ON u.seq = l.seq
    LEFT JOIN consent_ledger_signatures AS s ON s.seq = l.seq";

fn entry_of(row: &Row<'_>) -> rusqlite::Result<LedgerEntry> {
    let decision: String = row.get(3)?;
    Ok(LedgerEntry {
        seq: row.get(0)?,
        customer_ref: row.get(1)?,
        purpose: row.get(2)?,
        // An unknown word cannot get past the CHECK constraint; should one appear anyway,
        // reading it as "withdrawn" is the safe side, and the hash shows the change.
        decision: ConsentDecision::parse(&decision).unwrap_or(ConsentDecision::Withdrawn),
        purpose_version: row.get(4)?,
        language: row.get(5)?,
        text_sha256: row.get(6)?,
        screen: row.get(7)?,
        portal_build: row.get(8)?,
        recorded_at: row.get(9)?,
        user_agent: row.get(10)?,
        user_agent_sha256: row.get(11)?,
        prev_hash: row.get(12)?,
        hash: row.get(13)?,
        signature: match (row.get(14)?, row.get(15)?) {
            (Some(key_id), Some(signature)) => Some(HeadSignature { key_id, signature }),
            _ => None,
        },
    })
}

fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|err| StoreError::Task(err.to_string()))?;
    Ok(hex::encode(buffer))
}

/// The customer's pseudonym in the ledger, if they have one yet.
pub fn customer_ref(conn: &Connection, customer: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT customer_ref FROM consent_subjects WHERE customer_id = ?1",
            [customer],
            |row| row.get(0),
        )
        .optional()?)
}

/// The customer's pseudonym, made (random, 128 bits) on first use.
pub fn ensure_customer_ref(conn: &Connection, customer: i64) -> Result<String, StoreError> {
    if let Some(existing) = customer_ref(conn, customer)? {
        return Ok(existing);
    }
    let fresh = random_hex(16)?;
    conn.execute(
        "INSERT INTO consent_subjects (customer_id, customer_ref) VALUES (?1, ?2)",
        params![customer, fresh],
    )?;
    Ok(fresh)
}

/// Adds screens to the catalog; ones already there are left as they are.
pub fn register_screens(conn: &Connection, screens: &[ScreenText]) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO consent_screens
             (purpose, version, language, text_sha256, title, description, policy, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let at = now();
    for s in screens {
        insert.execute(params![
            s.purpose,
            s.version,
            s.language,
            s.text_sha256,
            s.title,
            s.description,
            s.policy,
            at
        ])?;
    }
    Ok(())
}

/// Every screen in the catalog, by purpose, version and language.
pub fn screens(conn: &Connection) -> Result<Vec<ScreenText>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT purpose, version, language, title, description, policy, text_sha256
         FROM consent_screens ORDER BY purpose, version, language, first_seen",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(ScreenText {
            purpose: row.get(0)?,
            version: row.get(1)?,
            language: row.get(2)?,
            title: row.get(3)?,
            description: row.get(4)?,
            policy: row.get(5)?,
            text_sha256: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The entry that follows `last_seq` (whose hash is `prev_hash`) for this decision, hashed,
/// and the salt its user agent's hash was made with. Both engines append exactly this.
pub(crate) fn next_entry(
    last_seq: i64,
    prev_hash: String,
    customer_ref: String,
    request: &RecordConsent,
    user_agent: &str,
) -> Result<(LedgerEntry, String), StoreError> {
    let user_agent: String = user_agent.chars().take(MAX_USER_AGENT_CHARS).collect();
    let salt = random_hex(16)?;
    let mut entry = LedgerEntry {
        seq: last_seq + 1,
        customer_ref,
        purpose: request.purpose.clone(),
        decision: request.decision,
        purpose_version: request.purpose_version,
        language: request.language.clone(),
        text_sha256: request.text_sha256.clone(),
        screen: request.screen.clone(),
        portal_build: request.portal_build.clone(),
        recorded_at: now(),
        user_agent_sha256: user_agent_sha256(&salt, &user_agent),
        user_agent: Some(user_agent),
        prev_hash,
        hash: String::new(),
        signature: None,
    };
    entry.hash = entry_hash(&entry);
    Ok((entry, salt))
}

/// Records one checked decision (`screen` is what [`RecordConsent::check`] returned), its
/// user agent, its signature by `key` as the new head and a `consent_change` history event,
/// in one transaction; returns the customer's receipt.
pub fn record(
    conn: &mut Connection,
    customer: i64,
    request: &RecordConsent,
    screen: &ScreenText,
    user_agent: &str,
    key: &LedgerKey,
) -> Result<ConsentReceipt, StoreError> {
    // Every change runs on the one writer, inside a transaction that holds SQLite's write
    // lock from its start (see `sqlite`), so two appends can never follow the same entry.
    let tx = conn.savepoint()?;
    register_screens(&tx, std::slice::from_ref(screen))?;
    let customer_ref = ensure_customer_ref(&tx, customer)?;
    let (last_seq, prev_hash) = tx
        .query_row(
            "SELECT seq, hash FROM consent_ledger ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_owned()));
    let (entry, salt) = next_entry(last_seq, prev_hash, customer_ref, request, user_agent)?;
    let signature = key.sign(entry.seq, &entry.hash);
    tx.execute(
        "INSERT INTO consent_ledger
             (seq, customer_ref, purpose, decision, purpose_version, language, text_sha256,
              screen, portal_build, recorded_at, user_agent_sha256, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            entry.seq,
            entry.customer_ref,
            entry.purpose,
            entry.decision.as_str(),
            entry.purpose_version,
            entry.language,
            entry.text_sha256,
            entry.screen,
            entry.portal_build,
            entry.recorded_at,
            entry.user_agent_sha256,
            entry.prev_hash,
            entry.hash
        ],
    )?;
    tx.execute(
        "INSERT INTO consent_user_agents (seq, customer_id, salt, user_agent)
         VALUES (?1, ?2, ?3, ?4)",
        params![entry.seq, customer, salt, entry.user_agent],
    )?;
    tx.execute(
        "INSERT INTO consent_ledger_signatures (seq, key_id, signature) VALUES (?1, ?2, ?3)",
        params![entry.seq, signature.key_id, signature.signature],
    )?;
    let number: u32 = tx.query_row(
        "SELECT COUNT(*) FROM consent_ledger WHERE customer_ref = ?1",
        [&entry.customer_ref],
        |row| row.get(0),
    )?;
    history::insert(
        &tx,
        customer,
        Channel::Web,
        entry.recorded_at,
        &EventDetails::ConsentChange(ConsentChange {
            purpose: entry.purpose.clone(),
            decision: entry.decision,
            version: entry.purpose_version,
        }),
    )?;
    tx.commit()?;
    Ok(ConsentReceipt::of(&entry, number))
}

/// The customer's receipts, oldest first and numbered from 1.
pub fn receipts_of(conn: &Connection, customer: i64) -> Result<Vec<ConsentReceipt>, StoreError> {
    Ok(ConsentReceipt::numbered(&entries_of(conn, customer)?))
}

/// The newest signed entry and its signature: the head an export carries.
pub fn signed_head(conn: &Connection) -> Result<Option<SignedHead>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} WHERE s.seq IS NOT NULL ORDER BY l.seq DESC LIMIT 1"
    ))?;
    let entry = statement.query_row([], entry_of).optional()?;
    Ok(entry.as_ref().and_then(SignedHead::of))
}

/// Signs the newest entry when no entry is signed yet: once, for a ledger begun before
/// signing, so its past is covered from then on. Never re-signs a ledger that has
/// signatures (that would vouch for whatever the database holds now); returns the seq signed.
pub fn sign_unsigned_ledger(conn: &Connection, key: &LedgerKey) -> Result<Option<i64>, StoreError> {
    let any_signed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM consent_ledger_signatures)",
        [],
        |row| row.get(0),
    )?;
    if any_signed {
        return Ok(None);
    }
    let newest = conn
        .query_row(
            "SELECT seq, hash FROM consent_ledger ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
        )
        .optional()?;
    let Some((seq, hash)) = newest else {
        return Ok(None);
    };
    let signature = key.sign(seq, &hash);
    conn.execute(
        "INSERT INTO consent_ledger_signatures (seq, key_id, signature) VALUES (?1, ?2, ?3)",
        params![seq, signature.key_id, signature.signature],
    )?;
    Ok(Some(seq))
}

/// The customer's own entries, oldest first; none when they have never decided.
pub fn entries_of(conn: &Connection, customer: i64) -> Result<Vec<LedgerEntry>, StoreError> {
    let Some(reference) = customer_ref(conn, customer)? else {
        return Ok(Vec::new());
    };
    let filter = LedgerFilter {
        customer_ref: Some(reference),
        ..LedgerFilter::default()
    };
    entries(conn, &filter)
}

/// Which ledger entries an audit asks for; every field narrows, `None` does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    /// Only this purpose.
    pub purpose: Option<String>,
    /// Only this decision.
    pub decision: Option<ConsentDecision>,
    /// Only this language.
    pub language: Option<String>,
    /// Recorded at or after, Unix seconds.
    pub since: Option<i64>,
    /// Recorded before, Unix seconds.
    pub before: Option<i64>,
    /// Only this customer pseudonym.
    pub customer_ref: Option<String>,
    /// The paging cursor: only entries after this `seq` (before it when `newest_first`).
    pub after: Option<i64>,
    /// Newest entries first.
    pub newest_first: bool,
    /// At most this many entries.
    pub limit: Option<u32>,
}

/// Ledger entries passing `filter`, in `seq` order (newest first when it says so).
pub fn entries(conn: &Connection, filter: &LedgerFilter) -> Result<Vec<LedgerEntry>, StoreError> {
    let mut sql = format!("SELECT {ENTRY_COLUMNS} WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut narrow = |clause: &str, value: Value| {
        sql.push_str(clause);
        args.push(value);
    };
    if let Some(purpose) = &filter.purpose {
        narrow(" AND l.purpose = ?", purpose.clone().into());
    }
    if let Some(decision) = filter.decision {
        narrow(" AND l.decision = ?", decision.as_str().to_owned().into());
    }
    if let Some(language) = &filter.language {
        narrow(" AND l.language = ?", language.clone().into());
    }
    if let Some(since) = filter.since {
        narrow(" AND l.recorded_at >= ?", since.into());
    }
    if let Some(before) = filter.before {
        narrow(" AND l.recorded_at < ?", before.into());
    }
    if let Some(reference) = &filter.customer_ref {
        narrow(" AND l.customer_ref = ?", reference.clone().into());
    }
    let (past, order) = if filter.newest_first {
        (" AND l.seq < ?", " ORDER BY l.seq DESC")
    } else {
        (" AND l.seq > ?", " ORDER BY l.seq")
    };
    if let Some(after) = filter.after {
        narrow(past, after.into());
    }
    match filter.limit {
        Some(limit) => narrow(&format!("{order} LIMIT ?"), i64::from(limit).into()),
        None => sql.push_str(order),
    }
    let mut statement = conn.prepare(&sql)?;
    let rows = statement.query_map(params_from_iter(args), entry_of)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The first entry whose kept user agent does not hash, with its salt, to the entry's
/// `user_agent_sha256`: the raw user agent sits outside the chain (so it can be erased), and
/// this check extends the chain's protection to it while it exists.
pub fn first_user_agent_mismatch(conn: &Connection) -> Result<Option<i64>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT u.seq, u.salt, u.user_agent, l.user_agent_sha256
         FROM consent_user_agents AS u JOIN consent_ledger AS l ON l.seq = u.seq
         ORDER BY u.seq",
    )?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let (seq, salt, agent, hash): (i64, String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
        if user_agent_sha256(&salt, &agent) != hash {
            return Ok(Some(seq));
        }
    }
    Ok(None)
}

/// For each purpose a customer (by pseudonym) decided on before `before` (Unix seconds), the
/// last such decision and the catalog's text for the hash it names; `None` when the
/// pseudonym has no entries at all.
pub fn seen_and_chosen(
    conn: &Connection,
    customer_ref: &str,
    before: i64,
) -> Result<Option<Vec<SeenAndChosen>>, StoreError> {
    let all = entries(
        conn,
        &LedgerFilter {
            customer_ref: Some(customer_ref.to_owned()),
            ..LedgerFilter::default()
        },
    )?;
    if all.is_empty() {
        return Ok(None);
    }
    let mut latest: std::collections::BTreeMap<String, LedgerEntry> = Default::default();
    for entry in all.into_iter().filter(|e| e.recorded_at < before) {
        latest.insert(entry.purpose.clone(), entry);
    }
    let mut screen = conn.prepare_cached(
        "SELECT title, description, policy FROM consent_screens
         WHERE purpose = ?1 AND version = ?2 AND language = ?3 AND text_sha256 = ?4",
    )?;
    let mut answer = Vec::with_capacity(latest.len());
    for (purpose, entry) in latest {
        let shown = screen
            .query_row(
                params![
                    entry.purpose,
                    entry.purpose_version,
                    entry.language,
                    entry.text_sha256
                ],
                |row| {
                    Ok(ScreenText {
                        purpose: entry.purpose.clone(),
                        version: entry.purpose_version,
                        language: entry.language.clone(),
                        title: row.get(0)?,
                        description: row.get(1)?,
                        policy: row.get(2)?,
                        text_sha256: entry.text_sha256.clone(),
                    })
                },
            )
            .optional()?;
        answer.push(SeenAndChosen {
            purpose,
            entry,
            screen: shown,
        });
    }
    Ok(Some(answer))
}

/// Decisions per month and purpose recorded from `since` on (see
/// [`rapport_domain::consent_trend`]), oldest month first.
pub fn trend(conn: &Connection, since: i64) -> Result<ConsentTrend, StoreError> {
    let months = conn
        .prepare_cached(
            "SELECT strftime('%Y-%m', recorded_at, 'unixepoch') AS month, purpose,
                    SUM(decision = 'given'), SUM(decision = 'withdrawn')
             FROM consent_ledger WHERE recorded_at >= ?1
             GROUP BY month, purpose ORDER BY month, purpose",
        )?
        .query_map([since], |row| {
            Ok(TrendMonth {
                month: row.get(0)?,
                purpose: row.get(1)?,
                given: row.get::<_, i64>(2)?.unsigned_abs(),
                withdrawn: row.get::<_, i64>(3)?.unsigned_abs(),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(ConsentTrend { months })
}
