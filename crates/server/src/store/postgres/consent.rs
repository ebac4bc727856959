//! The consent ledger, its pseudonyms and the screen catalog (see the SQLite `consent`
//! module for the design: hash chain, pseudonyms, erasure without breaking the chain).

use super::{Postgres, exec, now, one, opt, rows, snapshot};
use crate::ledger_key::LedgerKey;
use crate::store::StoreError;
use crate::store::consent::{LedgerFilter, next_entry};
use deadpool_postgres::GenericClient;
use rapport_domain::consent::{
    ConsentDecision, ConsentReceipt, GENESIS_HASH, HeadSignature, LedgerEntry, RecordConsent,
    ScreenText, SeenAndChosen, SignedHead, user_agent_sha256,
};
use rapport_domain::consent_trend::{ConsentTrend, TrendMonth};
use rapport_domain::history::{Channel, ConsentChange, EventDetails};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

const ENTRY_COLUMNS: &str = "l.seq, l.customer_ref, l.purpose, l.decision, l.purpose_version,
    l.language, l.text_sha256, l.screen, l.portal_build, l.recorded_at, u.user_agent,
    l.user_agent_sha256, l.prev_hash, l.hash, s.key_id, s.signature
    FROM consent_ledger AS l LEFT JOIN consent_user_agents AS u ON u.seq = l.seq
    LEFT JOIN consent_ledger_signatures AS s ON s.seq = l.seq";

fn entry_of(row: &Row) -> LedgerEntry {
    LedgerEntry {
        seq: row.get(0),
        customer_ref: row.get(1),
        purpose: row.get(2),
        // As on SQLite: an unknown word cannot pass the CHECK; "withdrawn" is the safe side.
        decision: ConsentDecision::parse(row.get(3)).unwrap_or(ConsentDecision::Withdrawn),
        purpose_version: u32::try_from(row.get::<_, i64>(4)).unwrap_or(u32::MAX),
        language: row.get(5),
        text_sha256: row.get(6),
        screen: row.get(7),
        portal_build: row.get(8),
        recorded_at: row.get(9),
        user_agent: row.get(10),
        user_agent_sha256: row.get(11),
        prev_hash: row.get(12),
        hash: row.get(13),
        signature: match (row.get(14), row.get(15)) {
            (Some(key_id), Some(signature)) => Some(HeadSignature { key_id, signature }),
            _ => None,
        },
    }
}

fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|err| StoreError::Task(err.to_string()))?;
    Ok(hex::encode(buffer))
}

async fn customer_ref<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Option<String>, StoreError> {
    Ok(opt(
        client,
        "SELECT customer_ref FROM consent_subjects WHERE customer_id = $1",
        &[&customer],
    )
    .await?
    .map(|row| row.get(0)))
}

/// The customer's pseudonym, made (random, 128 bits) on first use; safe under concurrency.
pub async fn ensure_customer_ref<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<String, StoreError> {
    if let Some(existing) = customer_ref(client, customer).await? {
        return Ok(existing);
    }
    exec(
        client,
        "INSERT INTO consent_subjects (customer_id, customer_ref) VALUES ($1, $2)
         ON CONFLICT (customer_id) DO NOTHING",
        &[&customer, &random_hex(16)?],
    )
    .await?;
    customer_ref(client, customer)
        .await?
        .ok_or_else(|| StoreError::Task("no pseudonym after insert".into()))
}

async fn register_on<C: GenericClient>(
    client: &C,
    screens: &[ScreenText],
) -> Result<(), StoreError> {
    let at = now();
    for s in screens {
        exec(
            client,
            "INSERT INTO consent_screens
                 (purpose, version, language, text_sha256, title, description, policy, first_seen)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            &[
                &s.purpose,
                &i64::from(s.version),
                &s.language,
                &s.text_sha256,
                &s.title,
                &s.description,
                &s.policy,
                &at,
            ],
        )
        .await?;
    }
    Ok(())
}

/// Adds screens to the catalog; ones already there are left as they are.
pub async fn register_screens(pg: &Postgres, screens: &[ScreenText]) -> Result<(), StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    register_on(&tx, screens).await?;
    tx.commit().await?;
    Ok(())
}

/// Every screen in the catalog, by purpose, version and language.
pub async fn screens(pg: &Postgres) -> Result<Vec<ScreenText>, StoreError> {
    Ok(rows(
        &pg.client().await?,
        "SELECT purpose, version, language, title, description, policy, text_sha256
         FROM consent_screens ORDER BY purpose, version, language, first_seen",
        &[],
    )
    .await?
    .iter()
    .map(|row| ScreenText {
        purpose: row.get(0),
        version: u32::try_from(row.get::<_, i64>(1)).unwrap_or(u32::MAX),
        language: row.get(2),
        title: row.get(3),
        description: row.get(4),
        policy: row.get(5),
        text_sha256: row.get(6),
    })
    .collect())
}

/// Records one checked decision, its user agent, its signature as the new head and a
/// `consent_change` history event, in one transaction; the customer's receipt.
pub async fn record(
    pg: &Postgres,
    customer: i64,
    request: &RecordConsent,
    screen: &ScreenText,
    user_agent: &str,
    key: &LedgerKey,
) -> Result<ConsentReceipt, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // EXCLUSIVE lets readers (the audit, receipts) carry on but makes appenders take turns,
    // so the chain's end read below is still the end when this entry is added after it.
    // Taken first: an appender holding rows another appender waits for (a new screen, say)
    // while itself waiting for the lock would deadlock.
    tx.batch_execute("LOCK TABLE consent_ledger IN EXCLUSIVE MODE")
        .await?;
    register_on(&tx, std::slice::from_ref(screen)).await?;
    let customer_ref = ensure_customer_ref(&tx, customer).await?;
    let (last_seq, prev_hash) = opt(
        &tx,
        "SELECT seq, hash FROM consent_ledger ORDER BY seq DESC LIMIT 1",
        &[],
    )
    .await?
    .map_or((0, GENESIS_HASH.to_owned()), |row| (row.get(0), row.get(1)));
    let (entry, salt) = next_entry(last_seq, prev_hash, customer_ref, request, user_agent)?;
    let signature = key.sign(entry.seq, &entry.hash);
    exec(
        &tx,
        "INSERT INTO consent_ledger
             (seq, customer_ref, purpose, decision, purpose_version, language, text_sha256,
              screen, portal_build, recorded_at, user_agent_sha256, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            &entry.seq,
            &entry.customer_ref,
            &entry.purpose,
            &entry.decision.as_str(),
            &i64::from(entry.purpose_version),
            &entry.language,
            &entry.text_sha256,
            &entry.screen,
            &entry.portal_build,
            &entry.recorded_at,
            &entry.user_agent_sha256,
            &entry.prev_hash,
            &entry.hash,
        ],
    )
    .await?;
    exec(
        &tx,
        "INSERT INTO consent_user_agents (seq, customer_id, salt, user_agent)
         VALUES ($1, $2, $3, $4)",
        &[&entry.seq, &customer, &salt, &entry.user_agent],
    )
    .await?;
    exec(
        &tx,
        "INSERT INTO consent_ledger_signatures (seq, key_id, signature) VALUES ($1, $2, $3)",
        &[&entry.seq, &signature.key_id, &signature.signature],
    )
    .await?;
    let number: i64 = one(
        &tx,
        "SELECT COUNT(*) FROM consent_ledger WHERE customer_ref = $1",
        &[&entry.customer_ref],
    )
    .await?
    .get(0);
    super::history::insert_on(
        &tx,
        customer,
        &[(
            Channel::Web,
            entry.recorded_at,
            EventDetails::ConsentChange(ConsentChange {
                purpose: entry.purpose.clone(),
                decision: entry.decision,
                version: entry.purpose_version,
            }),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(ConsentReceipt::of(
        &entry,
        u32::try_from(number).unwrap_or(u32::MAX),
    ))
}

/// The customer's receipts, oldest first and numbered from 1.
pub async fn receipts_on<C: GenericClient>(
    client: &C,
    customer: i64,
) -> Result<Vec<ConsentReceipt>, StoreError> {
    let Some(reference) = customer_ref(client, customer).await? else {
        return Ok(Vec::new());
    };
    let filter = LedgerFilter {
        customer_ref: Some(reference),
        ..LedgerFilter::default()
    };
    Ok(ConsentReceipt::numbered(&entries(client, &filter).await?))
}

/// The customer's receipts, oldest first and numbered from 1.
pub async fn receipts_of(pg: &Postgres, customer: i64) -> Result<Vec<ConsentReceipt>, StoreError> {
    receipts_on(&pg.client().await?, customer).await
}

async fn signed_head<C: GenericClient>(client: &C) -> Result<Option<SignedHead>, StoreError> {
    let entry = opt(
        client,
        &format!("SELECT {ENTRY_COLUMNS} WHERE s.seq IS NOT NULL ORDER BY l.seq DESC LIMIT 1"),
        &[],
    )
    .await?
    .map(|row| entry_of(&row));
    Ok(entry.as_ref().and_then(SignedHead::of))
}

/// Ledger entries passing `filter` and the signed head, from one snapshot.
pub async fn ledger(
    pg: &Postgres,
    filter: &LedgerFilter,
) -> Result<(Vec<LedgerEntry>, Option<SignedHead>), StoreError> {
    let mut client = pg.client().await?;
    let tx = snapshot(&mut client).await?;
    let entries = entries(&tx, filter).await?;
    let head = signed_head(&tx).await?;
    tx.commit().await?;
    Ok((entries, head))
}

/// The whole ledger and the first entry whose kept user agent does not hash to the entry's
/// `user_agent_sha256`, from one snapshot.
pub async fn ledger_to_verify(
    pg: &Postgres,
) -> Result<(Vec<LedgerEntry>, Option<i64>), StoreError> {
    let mut client = pg.client().await?;
    let tx = snapshot(&mut client).await?;
    let all = entries(&tx, &LedgerFilter::default()).await?;
    let mismatch = rows(
        &tx,
        "SELECT u.seq, u.salt, u.user_agent, l.user_agent_sha256
         FROM consent_user_agents AS u JOIN consent_ledger AS l ON l.seq = u.seq
         ORDER BY u.seq",
        &[],
    )
    .await?
    .iter()
    .find(|row| user_agent_sha256(row.get(1), row.get(2)) != row.get::<_, String>(3))
    .map(|row| row.get(0));
    tx.commit().await?;
    Ok((all, mismatch))
}

/// Signs the newest entry when no entry is signed yet (see the SQLite module); the seq.
pub async fn sign_unsigned_ledger(
    pg: &Postgres,
    key: &LedgerKey,
) -> Result<Option<i64>, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    tx.batch_execute("LOCK TABLE consent_ledger IN EXCLUSIVE MODE")
        .await?;
    let any_signed: bool = one(
        &tx,
        "SELECT EXISTS (SELECT 1 FROM consent_ledger_signatures)",
        &[],
    )
    .await?
    .get(0);
    if any_signed {
        return Ok(None);
    }
    let Some(newest) = opt(
        &tx,
        "SELECT seq, hash FROM consent_ledger ORDER BY seq DESC LIMIT 1",
        &[],
    )
    .await?
    else {
        return Ok(None);
    };
    let (seq, hash): (i64, String) = (newest.get(0), newest.get(1));
    let signature = key.sign(seq, &hash);
    exec(
        &tx,
        "INSERT INTO consent_ledger_signatures (seq, key_id, signature) VALUES ($1, $2, $3)",
        &[&seq, &signature.key_id, &signature.signature],
    )
    .await?;
    tx.commit().await?;
    Ok(Some(seq))
}

/// Ledger entries passing `filter`, in `seq` order (newest first when it says so).
pub async fn entries<C: GenericClient>(
    client: &C,
    filter: &LedgerFilter,
) -> Result<Vec<LedgerEntry>, StoreError> {
    let mut sql = format!("SELECT {ENTRY_COLUMNS} WHERE TRUE");
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let mut narrow = |clause: &str, value: Box<dyn ToSql + Sync + Send>| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(purpose) = &filter.purpose {
        narrow(" AND l.purpose = ?", Box::new(purpose.clone()));
    }
    if let Some(decision) = filter.decision {
        narrow(
            " AND l.decision = ?",
            Box::new(decision.as_str().to_owned()),
        );
    }
    if let Some(language) = &filter.language {
        narrow(" AND l.language = ?", Box::new(language.clone()));
    }
    if let Some(since) = filter.since {
        narrow(" AND l.recorded_at >= ?", Box::new(since));
    }
    if let Some(before) = filter.before {
        narrow(" AND l.recorded_at < ?", Box::new(before));
    }
    if let Some(reference) = &filter.customer_ref {
        narrow(" AND l.customer_ref = ?", Box::new(reference.clone()));
    }
    let (past, order) = if filter.newest_first {
        (" AND l.seq < ?", " ORDER BY l.seq DESC")
    } else {
        (" AND l.seq > ?", " ORDER BY l.seq")
    };
    if let Some(after) = filter.after {
        narrow(past, Box::new(after));
    }
    match filter.limit {
        Some(limit) => narrow(&format!("{order} LIMIT ?"), Box::new(i64::from(limit))),
        None => sql.push_str(order),
    }
    let params: Vec<&(dyn ToSql + Sync)> = args
        .iter()
        .map(|arg| &**arg as &(dyn ToSql + Sync))
        .collect();
    Ok(rows(client, &sql, &params)
        .await?
        .iter()
        .map(entry_of)
        .collect())
}

/// For each purpose a pseudonym decided on before `before`, the last such decision and the
/// catalog's text for it; `None` when the pseudonym has no entries at all.
pub async fn seen_and_chosen(
    pg: &Postgres,
    customer_ref: &str,
    before: i64,
) -> Result<Option<Vec<SeenAndChosen>>, StoreError> {
    let mut client = pg.client().await?;
    let tx = snapshot(&mut client).await?;
    let all = entries(
        &tx,
        &LedgerFilter {
            customer_ref: Some(customer_ref.to_owned()),
            ..LedgerFilter::default()
        },
    )
    .await?;
    if all.is_empty() {
        return Ok(None);
    }
    let mut latest: std::collections::BTreeMap<String, LedgerEntry> = Default::default();
    for entry in all.into_iter().filter(|e| e.recorded_at < before) {
        latest.insert(entry.purpose.clone(), entry);
    }
    let mut answer = Vec::with_capacity(latest.len());
    for (purpose, entry) in latest {
        let shown = opt(
            &tx,
            "SELECT title, description, policy FROM consent_screens
             WHERE purpose = $1 AND version = $2 AND language = $3 AND text_sha256 = $4",
            &[
                &entry.purpose,
                &i64::from(entry.purpose_version),
                &entry.language,
                &entry.text_sha256,
            ],
        )
        .await?
        .map(|row| ScreenText {
            purpose: entry.purpose.clone(),
            version: entry.purpose_version,
            language: entry.language.clone(),
            title: row.get(0),
            description: row.get(1),
            policy: row.get(2),
            text_sha256: entry.text_sha256.clone(),
        });
        answer.push(SeenAndChosen {
            purpose,
            entry,
            screen: shown,
        });
    }
    tx.commit().await?;
    Ok(Some(answer))
}

/// Decisions per month and purpose recorded from `since` on, oldest month first (byte
/// order, as SQLite and the domain crate sort).
pub async fn trend(pg: &Postgres, since: i64) -> Result<ConsentTrend, StoreError> {
    let client = pg.client().await?;
    let months = rows(
        &client,
        "SELECT utc_month(recorded_at) AS month, purpose,
                COUNT(*) FILTER (WHERE decision = 'given'),
                COUNT(*) FILTER (WHERE decision = 'withdrawn')
         FROM consent_ledger WHERE recorded_at >= $1
         GROUP BY utc_month(recorded_at), purpose
         ORDER BY utc_month(recorded_at), purpose COLLATE \"C\"",
        &[&since],
    )
    .await?
    .iter()
    .map(|row| TrendMonth {
        month: row.get(0),
        purpose: row.get(1),
        given: row.get::<_, i64>(2).unsigned_abs(),
        withdrawn: row.get::<_, i64>(3).unsigned_abs(),
    })
    .collect();
    Ok(ConsentTrend { months })
}
