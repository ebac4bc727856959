//! The customer's history on PostgreSQL (see the SQLite `history` module for the keyset
//! pages and the facts; the queries are the same, the search is a `tsvector`).

use super::{Postgres, customers, exec, opt, rows};
use crate::store::StoreError;
use crate::store::history::Cursor;
use crate::store::history_demo;
use deadpool_postgres::GenericClient;
use rapport_domain::api::Role;
use rapport_domain::history::{
    BasketValue, Channel, ChannelUse, DerivedFacts, EventDetails, EventKind, HistoryEvent,
    HistoryQuery, MonthSpend, ProductBought, TOP_PRODUCTS,
};
use tokio_postgres::types::ToSql;

/// Events inserted per statement: arrays this long keep a 100,000-event seed to a hundred
/// round trips without building statements of unbounded size.
const BATCH: usize = 1000;

/// Adds events for a customer in the caller's transaction, a batch per statement; their ids.
pub async fn insert_on<C: GenericClient>(
    client: &C,
    customer: i64,
    events: &[(Channel, i64, EventDetails)],
) -> Result<Vec<i64>, StoreError> {
    let mut all = Vec::with_capacity(events.len());
    for batch in events.chunks(BATCH) {
        // Ids are taken first so the items can name their event without relying on the
        // order of RETURNING rows, which SQL does not promise.
        let ids: Vec<i64> = rows(
            client,
            "SELECT nextval(pg_get_serial_sequence('history_events', 'id'))
             FROM generate_series(1, $1::bigint)",
            &[&i64::try_from(batch.len()).unwrap_or(i64::MAX)],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
        let mut kinds = Vec::with_capacity(batch.len());
        let mut channels = Vec::with_capacity(batch.len());
        let mut times = Vec::with_capacity(batch.len());
        let mut details = Vec::with_capacity(batch.len());
        let mut totals: Vec<Option<i64>> = Vec::with_capacity(batch.len());
        let mut currencies: Vec<Option<String>> = Vec::with_capacity(batch.len());
        let mut units: Vec<Option<i64>> = Vec::with_capacity(batch.len());
        let mut texts = Vec::with_capacity(batch.len());
        let (mut item_events, mut products, mut quantities) = (Vec::new(), Vec::new(), Vec::new());
        for ((channel, at, event), id) in batch.iter().zip(&ids) {
            kinds.push(event.kind().as_str());
            channels.push(channel.as_str());
            times.push(*at);
            texts.push(search_words(&event.describe()));
            match event {
                EventDetails::Purchase(p) => {
                    details.push(serde_json::to_string(p)?);
                    totals.push(Some(p.total_minor));
                    currencies.push(Some(p.currency.clone()));
                    units.push(Some(i64::try_from(p.units()).unwrap_or(i64::MAX)));
                    for line in &p.items {
                        item_events.push(*id);
                        products.push(line.product.as_str());
                        quantities.push(i64::from(line.quantity));
                    }
                }
                other => {
                    details.push(match other {
                        EventDetails::Interaction(d) => serde_json::to_string(d)?,
                        EventDetails::ConsentChange(d) => serde_json::to_string(d)?,
                        EventDetails::Request(d) => serde_json::to_string(d)?,
                        EventDetails::Purchase(_) => unreachable!("matched above"),
                    });
                    totals.push(None);
                    currencies.push(None);
                    units.push(None);
                }
            }
        }
        exec(
            client,
            "INSERT INTO history_events
                 (id, customer_id, kind, channel, occurred_at, details, total_minor, currency,
                  units, search)
             SELECT id, $2, kind, channel, at, details, total, currency, units,
                    array_to_tsvector(string_to_array(text, ' '))
             FROM unnest($1::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                         $7::bigint[], $8::text[], $9::bigint[], $10::text[])
                  AS e(id, kind, channel, at, details, total, currency, units, text)",
            &[
                &ids,
                &customer,
                &kinds,
                &channels,
                &times,
                &details,
                &totals,
                &currencies,
                &units,
                &texts,
            ],
        )
        .await?;
        if !item_events.is_empty() {
            exec(
                client,
                "INSERT INTO history_items (event_id, customer_id, product, quantity)
                 SELECT event_id, $2, product, quantity
                 FROM unnest($1::bigint[], $3::text[], $4::bigint[])
                      AS i(event_id, product, quantity)",
                &[&item_events, &customer, &products, &quantities],
            )
            .await?;
        }
        all.extend(ids);
    }
    Ok(all)
}

/// Adds events to a customer's history in one transaction; their ids.
pub async fn add_events(
    pg: &Postgres,
    customer: i64,
    events: &[(Channel, i64, EventDetails)],
) -> Result<Vec<i64>, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    let ids = insert_on(&tx, customer, events).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Replaces the history of the customer with this e-mail by a generated one (creating the
/// customer when there is none), in one transaction; their id.
pub async fn seed(
    pg: &Postgres,
    email: &str,
    password_hash: &str,
    count: usize,
    seed: u64,
    end: i64,
) -> Result<i64, StoreError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    let customer = match customers::id_by_email(&tx, email).await? {
        Some(id) => id,
        None => {
            let id = customers::create_on(&tx, email, password_hash, Role::Customer).await?;
            super::documents::create_on(&tx, id, &crate::store::api::empty_profile(email)).await?;
            id
        }
    };
    seed_on(&tx, customer, count, seed, end).await?;
    tx.commit().await?;
    Ok(customer)
}

/// Replaces a customer's history by a generated one, in the caller's transaction.
pub async fn seed_on<C: GenericClient>(
    client: &C,
    customer: i64,
    count: usize,
    seed: u64,
    end: i64,
) -> Result<(), StoreError> {
    exec(
        client,
        "DELETE FROM history_events WHERE customer_id = $1",
        &[&customer],
    )
    .await?;
    let events = history_demo::generate(count, seed, end);
    let started = std::time::Instant::now();
    let mut last_said = started;
    for (done, chunk) in events.chunks(10 * BATCH).enumerate() {
        insert_on(client, customer, chunk).await?;
        if last_said.elapsed().as_secs() >= 2 {
            last_said = std::time::Instant::now();
            tracing::info!(
                "seeding: {} of {count} events",
                ((done + 1) * 10 * BATCH).min(count)
            );
        }
    }
    Ok(())
}

/// The words an event is found by, space-separated: its description lower-cased and cut
/// into runs of letters and digits, the rule the domain's `search_terms` cuts a search by.
///
/// The lexemes are stored as they are (`array_to_tsvector`), not through a text-search
/// parser: PostgreSQL's parser reads `4.5`, `4-pack` or `e-post` as tokens of its own, and
/// a search must find exactly what the domain's `HistoryQuery::matches` says it finds.
fn search_words(text: &str) -> String {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// The tsquery for search words: every word a prefix (`'word':*`), all required, cast
/// as it is (no parser, as the stored lexemes). Words are runs of letters and digits (see
/// `search_terms`), so the quoting cannot be broken out of.
fn ts_query(terms: &[String]) -> Option<String> {
    let words: Vec<String> = terms
        .iter()
        .filter(|t| t.chars().all(char::is_alphanumeric) && !t.is_empty())
        .map(|t| format!("'{t}':*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" & "))
}

/// One page, newest first (see the SQLite `history::page`).
pub async fn page_on<C: GenericClient>(
    client: &C,
    customer: i64,
    query: &HistoryQuery,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<HistoryEvent>, Option<Cursor>), StoreError> {
    let mut sql = String::from(
        "SELECT e.id, e.kind, e.channel, e.occurred_at, e.details
         FROM history_events AS e WHERE e.customer_id = $1",
    );
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(customer)];
    let mut narrow = |clause: &str, value: Box<dyn ToSql + Sync + Send>| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(search) = ts_query(&query.terms) {
        narrow(" AND e.search @@ (?::text)::tsquery", Box::new(search));
    }
    if let Some(kind) = query.kind {
        narrow(" AND e.kind = ?", Box::new(kind.as_str().to_owned()));
    }
    if let Some(channel) = query.channel {
        narrow(" AND e.channel = ?", Box::new(channel.as_str().to_owned()));
    }
    if let Some(since) = query.since {
        narrow(" AND e.occurred_at >= ?", Box::new(since));
    }
    if let Some(before) = query.before {
        narrow(" AND e.occurred_at < ?", Box::new(before));
    }
    if let Some(after) = after {
        narrow(
            " AND (e.occurred_at, e.id) < (?",
            Box::new(after.occurred_at),
        );
        narrow(", ?)", Box::new(after.id));
    }
    // One more than asked tells whether there is a next page without a second query.
    narrow(
        " ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?",
        Box::new(i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX)),
    );
    let params: Vec<&(dyn ToSql + Sync)> = args
        .iter()
        .map(|arg| &**arg as &(dyn ToSql + Sync))
        .collect();
    let mut events = Vec::with_capacity(limit.min(1024) + 1);
    for row in rows(client, &sql, &params).await? {
        let channel: &str = row.get(2);
        events.push(HistoryEvent {
            id: row.get(0),
            channel: Channel::parse(channel).ok_or_else(|| unknown("channel", channel))?,
            occurred_at: row.get(3),
            details: read_details(row.get(1), row.get(4))?,
        });
    }
    let next = if events.len() > limit {
        events.truncate(limit);
        events.last().map(|e| Cursor {
            occurred_at: e.occurred_at,
            id: e.id,
        })
    } else {
        None
    };
    Ok((events, next))
}

/// One page, newest first.
pub async fn page(
    pg: &Postgres,
    customer: i64,
    query: &HistoryQuery,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<HistoryEvent>, Option<Cursor>), StoreError> {
    page_on(&pg.client().await?, customer, query, after, limit).await
}

fn read_details(kind: &str, json: &str) -> Result<EventDetails, StoreError> {
    Ok(
        match EventKind::parse(kind).ok_or_else(|| unknown("kind", kind))? {
            EventKind::Purchase => EventDetails::Purchase(serde_json::from_str(json)?),
            EventKind::Interaction => EventDetails::Interaction(serde_json::from_str(json)?),
            EventKind::ConsentChange => EventDetails::ConsentChange(serde_json::from_str(json)?),
            EventKind::Request => EventDetails::Request(serde_json::from_str(json)?),
        },
    )
}

fn unknown(column: &str, value: &str) -> StoreError {
    StoreError::Task(format!("history_events.{column} holds unknown {value:?}"))
}

/// The derived facts, from the tallies and index walks (the same queries as on SQLite).
pub async fn facts(pg: &Postgres, customer: i64) -> Result<DerivedFacts, StoreError> {
    let client = pg.client().await?;
    let c = &client;
    async fn value<C: GenericClient>(
        c: &C,
        sql: &str,
        args: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<i64>, StoreError> {
        Ok(opt(c, sql, args).await?.and_then(|row| row.get(0)))
    }
    let customer_since = value(
        c,
        "SELECT MIN(occurred_at) FROM history_events WHERE customer_id = $1",
        &[&customer],
    )
    .await?;
    let first_purchase = value(
        c,
        "SELECT MIN(occurred_at) FROM history_events WHERE customer_id = $1 AND kind = 'purchase'",
        &[&customer],
    )
    .await?;
    let last_purchase = value(
        c,
        "SELECT MAX(occurred_at) FROM history_events WHERE customer_id = $1 AND kind = 'purchase'",
        &[&customer],
    )
    .await?;
    let count = value(
        c,
        "SELECT SUM(events)::bigint FROM history_tallies
         WHERE customer_id = $1 AND kind = 'purchase'",
        &[&customer],
    )
    .await?
    .unwrap_or(0);
    let mean_days_between_purchases = match (first_purchase, last_purchase) {
        (Some(first), Some(last)) if count >= 2 => {
            let gaps = count - 1;
            Some((last - first + gaps * 43_200) / (gaps * 86_400))
        }
        _ => None,
    };
    let typical_basket_units = if count > 0 {
        value(
            c,
            "SELECT units FROM history_events WHERE customer_id = $1 AND kind = 'purchase'
             ORDER BY units LIMIT 1 OFFSET ($2::bigint - 1) / 2",
            &[&customer, &count],
        )
        .await?
    } else {
        None
    };
    let by_currency: Vec<(String, i64)> = rows(
        c,
        "SELECT currency, purchases FROM history_currency_tallies
         WHERE customer_id = $1 AND purchases > 0 ORDER BY purchases DESC, currency",
        &[&customer],
    )
    .await?
    .iter()
    .map(|row| (row.get(0), row.get(1)))
    .collect();
    let mut typical_basket_value = Vec::with_capacity(by_currency.len());
    for (currency, purchases) in by_currency {
        let median_total_minor = value(
            c,
            "SELECT total_minor FROM history_events
             WHERE customer_id = $1 AND kind = 'purchase' AND currency = $2
             ORDER BY total_minor LIMIT 1 OFFSET ($3::bigint - 1) / 2",
            &[&customer, &currency, &purchases],
        )
        .await?
        .ok_or_else(|| StoreError::Task(format!("no {currency} purchases to match the tally")))?;
        typical_basket_value.push(BasketValue {
            currency,
            purchases: purchases.unsigned_abs(),
            median_total_minor,
        });
    }
    let by_channel: Vec<(String, i64)> = rows(
        c,
        "SELECT channel, SUM(events)::bigint FROM history_tallies
         WHERE customer_id = $1 GROUP BY channel HAVING SUM(events) > 0",
        &[&customer],
    )
    .await?
    .iter()
    .map(|row| (row.get(0), row.get(1)))
    .collect();
    let mut channels_used = Vec::with_capacity(by_channel.len());
    for (channel, events) in by_channel {
        let last_at = value(
            c,
            "SELECT MAX(occurred_at) FROM history_events WHERE customer_id = $1 AND channel = $2",
            &[&customer, &channel],
        )
        .await?
        .ok_or_else(|| StoreError::Task(format!("no {channel} events to match the tally")))?;
        channels_used.push(ChannelUse {
            channel: Channel::parse(&channel).ok_or_else(|| unknown("channel", &channel))?,
            events: events.unsigned_abs(),
            last_at,
        });
    }
    channels_used.sort_by(|a, b| b.events.cmp(&a.events).then(a.channel.cmp(&b.channel)));
    let top_products = rows(
        c,
        "SELECT product, units FROM history_product_tallies
         WHERE customer_id = $1 AND units > 0 ORDER BY units DESC, product LIMIT $2",
        &[&customer, &(TOP_PRODUCTS as i64)],
    )
    .await?
    .iter()
    .map(|row| ProductBought {
        product: row.get(0),
        units: row.get::<_, i64>(1).unsigned_abs(),
    })
    .collect();
    let spending_by_month = match last_purchase {
        Some(last) => rows(
            c,
            "SELECT month, currency, total_minor, purchases FROM history_month_tallies
             WHERE customer_id = $1 AND month >= $2 AND purchases > 0
             ORDER BY month, currency COLLATE \"C\"",
            &[
                &customer,
                &crate::store::history::first_spending_month(last),
            ],
        )
        .await?
        .iter()
        .map(|row| MonthSpend {
            month: row.get(0),
            currency: row.get(1),
            total_minor: row.get(2),
            purchases: row.get::<_, i64>(3).unsigned_abs(),
        })
        .collect(),
        None => Vec::new(),
    };
    Ok(DerivedFacts {
        customer_since,
        last_purchase,
        purchase_count: count.unsigned_abs(),
        mean_days_between_purchases,
        typical_basket_units: typical_basket_units.map(i64::unsigned_abs),
        typical_basket_value,
        channels_used,
        top_products,
        spending_by_month,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_prefix_terms() {
        assert_eq!(
            ts_query(&["kaffe".into(), "mörk".into()]).as_deref(),
            Some("'kaffe':* & 'mörk':*")
        );
        assert_eq!(ts_query(&["a'b".into()]), None);
        assert_eq!(ts_query(&[]), None);
        assert_eq!(
            search_words("Kanelbullar 4-pack, 4.5 kg"),
            "kanelbullar 4 pack 4 5 kg"
        );
    }
}
