//! The customer's history: events, their search index, keyset pages and the derived facts.
//!
//! Pages are newest first and continue from a keyset cursor `(occurred_at, id)`, never an
//! offset: an offset shifts when events arrive between two page fetches (showing one twice),
//! a keyset does not. Every page query is served by an index whose leading columns are the
//! customer and the filter columns followed by `(occurred_at, id)`, so a page of 50 reads about
//! 50 index entries however long the history is. The facts are SQL aggregates over indexes
//! (tested against [`DerivedFacts::compute`] on the same data).

use super::StoreError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_domain::history::{
    BasketValue, Channel, ChannelUse, DerivedFacts, EventDetails, EventKind, HistoryEvent,
    HistoryQuery, MonthSpend, ProductBought, SPENDING_MONTHS, TOP_PRODUCTS,
};
use rapport_domain::time::{add_months, month_of};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// The schema, appended to the store's migrations.
///
/// Purchase totals, currency and units are copied out of the JSON details into columns so the
/// medians are read by walking a partial index. Counts (per kind and channel, per currency,
/// units per product) are kept as running tallies by triggers, so the facts never count
/// 100,000 rows; the triggers also run on deletes, including the cascade from a customer, so
/// the tallies cannot drift from the events. The FTS5 table's rowid is the event id.
pub const MIGRATION: &str = r"
    CREATE TABLE history_events (
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL
                    CHECK (kind IN ('purchase', 'interaction', 'consent_change', 'request')),
        channel     TEXT NOT NULL CHECK (channel IN ('web', 'email', 'phone', 'store', 'chat')),
        occurred_at INTEGER NOT NULL,
        details     TEXT NOT NULL,
        total_minor INTEGER,
        currency    TEXT,
        units       INTEGER
    );
    CREATE INDEX history_timeline
        ON history_events(customer_id, occurred_at DESC, id DESC);
    CREATE INDEX history_by_kind
        ON history_events(customer_id, kind, occurred_at DESC, id DESC);
    CREATE INDEX history_by_channel
        ON history_events(customer_id, channel, occurred_at DESC, id DESC);
    CREATE INDEX history_by_kind_channel
        ON history_events(customer_id, kind, channel, occurred_at DESC, id DESC);
    CREATE INDEX history_purchase_totals
        ON history_events(customer_id, currency, total_minor) WHERE kind = 'purchase';
    CREATE INDEX history_purchase_units
        ON history_events(customer_id, units) WHERE kind = 'purchase';
    CREATE TABLE history_items (
        event_id    INTEGER NOT NULL REFERENCES history_events(id) ON DELETE CASCADE,
        customer_id INTEGER NOT NULL,
        product     TEXT NOT NULL,
        quantity    INTEGER NOT NULL
    );
    CREATE INDEX history_items_by_event ON history_items(event_id);
    CREATE VIRTUAL TABLE history_search USING fts5(
        text,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '2 3'
    );

    CREATE TABLE history_tallies (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        channel     TEXT NOT NULL,
        events      INTEGER NOT NULL,
        PRIMARY KEY (customer_id, kind, channel)
    ) WITHOUT ROWID;
    CREATE TABLE history_currency_tallies (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        currency    TEXT NOT NULL,
        purchases   INTEGER NOT NULL,
        PRIMARY KEY (customer_id, currency)
    ) WITHOUT ROWID;
    CREATE TABLE history_product_tallies (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        product     TEXT NOT NULL,
        units       INTEGER NOT NULL,
        PRIMARY KEY (customer_id, product)
    ) WITHOUT ROWID;
    CREATE INDEX history_products_most ON history_product_tallies(customer_id, units DESC, product);

    CREATE TRIGGER history_event_added AFTER INSERT ON history_events BEGIN
        INSERT INTO history_tallies (customer_id, kind, channel, events)
        VALUES (new.customer_id, new.kind, new.channel, 1)
        ON CONFLICT (customer_id, kind, channel) DO UPDATE SET events = events + 1;
    END;
    CREATE TRIGGER history_purchase_added AFTER INSERT ON history_events
    WHEN new.kind = 'purchase' BEGIN
        INSERT INTO history_currency_tallies (customer_id, currency, purchases)
        VALUES (new.customer_id, new.currency, 1)
        ON CONFLICT (customer_id, currency) DO UPDATE SET purchases = purchases + 1;
    END;
    CREATE TRIGGER history_event_removed AFTER DELETE ON history_events BEGIN
        UPDATE history_tallies SET events = events - 1
        WHERE customer_id = old.customer_id AND kind = old.kind AND channel = old.channel;
        UPDATE history_currency_tallies SET purchases = purchases - 1
        WHERE old.kind = 'purchase' AND customer_id = old.customer_id
          AND currency = old.currency;
        DELETE FROM history_search WHERE rowid = old.id;
    END;
    CREATE TRIGGER history_item_added AFTER INSERT ON history_items BEGIN
        INSERT INTO history_product_tallies (customer_id, product, units)
        VALUES (new.customer_id, new.product, new.quantity)
        ON CONFLICT (customer_id, product) DO UPDATE SET units = units + new.quantity;
    END;
    CREATE TRIGGER history_item_removed AFTER DELETE ON history_items BEGIN
        UPDATE history_product_tallies SET units = units - old.quantity
        WHERE customer_id = old.customer_id AND product = old.product;
    END;
";

/// Spending per calendar month (UTC) and currency, kept as a running tally like the others,
/// so the facts read at most a dozen rows per currency however many purchases there are.
/// Existing purchases are counted in when the table is made. `strftime('%Y-%m', t,
/// 'unixepoch')` is the month key `rapport_domain::time::month_of` writes.
pub const MONTH_MIGRATION: &str = r"
    CREATE TABLE history_month_tallies (
        customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
        month       TEXT NOT NULL,
        currency    TEXT NOT NULL,
        total_minor INTEGER NOT NULL,
        purchases   INTEGER NOT NULL,
        PRIMARY KEY (customer_id, month, currency)
    ) WITHOUT ROWID;
    INSERT INTO history_month_tallies (customer_id, month, currency, total_minor, purchases)
        SELECT customer_id, strftime('%Y-%m', occurred_at, 'unixepoch'), currency,
               SUM(total_minor), COUNT(*)
        FROM history_events WHERE kind = 'purchase'
        GROUP BY customer_id, strftime('%Y-%m', occurred_at, 'unixepoch'), currency;
    CREATE TRIGGER history_purchase_month_added AFTER INSERT ON history_events
    WHEN new.kind = 'purchase' BEGIN
        INSERT INTO history_month_tallies (customer_id, month, currency, total_minor, purchases)
        VALUES (new.customer_id, strftime('%Y-%m', new.occurred_at, 'unixepoch'), new.currency,
                new.total_minor, 1)
        ON CONFLICT (customer_id, month, currency) DO UPDATE
        SET total_minor = total_minor + excluded.total_minor, purchases = purchases + 1;
    END;
    CREATE TRIGGER history_purchase_month_removed AFTER DELETE ON history_events
    WHEN old.kind = 'purchase' BEGIN
        UPDATE history_month_tallies
        SET total_minor = total_minor - old.total_minor, purchases = purchases - 1
        WHERE customer_id = old.customer_id
          AND month = strftime('%Y-%m', old.occurred_at, 'unixepoch')
          AND currency = old.currency;
    END;
";

/// Below this many search hits (over all customers) a page is built from the hits, found by
/// rowid and sorted; above it, by walking the timeline and keeping events that are hits, which
/// finds a page's worth within about `limit × total / hits` steps.
const FEW_HITS: usize = 2000;

/// Where a page ends: the last event shown. The next page starts strictly after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The last shown event's time.
    pub occurred_at: i64,
    /// The last shown event's id; breaks ties between events in the same second.
    pub id: i64,
}

impl Cursor {
    const PREFIX: &'static str = "h1.";

    /// The opaque form clients pass back: URL-safe base64 of `h1.<occurred_at>.<id>`.
    ///
    /// The `h1.` version lets the format change later and still refuse old cursors clearly.
    #[must_use]
    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}{}.{}", Self::PREFIX, self.occurred_at, self.id))
    }

    /// Reads a cursor made by [`Cursor::encode`]; `None` for anything else.
    #[must_use]
    pub fn decode(text: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let (at, id) = text.strip_prefix(Self::PREFIX)?.split_once('.')?;
        Some(Cursor {
            occurred_at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }

    fn of(event: &HistoryEvent) -> Cursor {
        Cursor {
            occurred_at: event.occurred_at,
            id: event.id,
        }
    }
}

/// Adds one event for a customer; returns its id.
pub fn insert(
    conn: &Connection,
    customer: i64,
    channel: Channel,
    occurred_at: i64,
    details: &EventDetails,
) -> Result<i64, StoreError> {
    let (json, total, currency, units) = match details {
        EventDetails::Purchase(p) => (
            serde_json::to_string(p)?,
            Some(p.total_minor),
            Some(p.currency.as_str()),
            Some(i64::try_from(p.units()).unwrap_or(i64::MAX)),
        ),
        EventDetails::Interaction(d) => (serde_json::to_string(d)?, None, None, None),
        EventDetails::ConsentChange(d) => (serde_json::to_string(d)?, None, None, None),
        EventDetails::Request(d) => (serde_json::to_string(d)?, None, None, None),
    };
    conn.prepare_cached(
        "INSERT INTO history_events
             (customer_id, kind, channel, occurred_at, details, total_minor, currency, units)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        customer,
        details.kind().as_str(),
        channel.as_str(),
        occurred_at,
        json,
        total,
        currency,
        units
    ])?;
    let id = conn.last_insert_rowid();
    if let EventDetails::Purchase(purchase) = details {
        let mut item = conn.prepare_cached(
            "INSERT INTO history_items (event_id, customer_id, product, quantity)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for line in &purchase.items {
            item.execute(params![id, customer, line.product, line.quantity])?;
        }
    }
    conn.prepare_cached("INSERT INTO history_search (rowid, text) VALUES (?1, ?2)")?
        .execute(params![id, details.describe()])?;
    Ok(id)
}

/// Removes a customer's whole history (the demo seeder starts over with it).
pub fn delete_all(conn: &Connection, customer: i64) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "DELETE FROM history_events WHERE customer_id = ?1",
        [customer],
    )?)
}

/// One page, newest first, of the events that pass `query`'s filters and search, starting
/// after `after`; with the cursor of the next page when there are more.
///
/// `query.cursor` and `query.limit` are not read: the caller decodes the cursor (and answers
/// a bad one as the client's mistake) and chooses the size, so the export can use big pages.
pub fn page(
    conn: &Connection,
    customer: i64,
    query: &HistoryQuery,
    after: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<HistoryEvent>, Option<Cursor>), StoreError> {
    let search = fts_query(&query.terms);
    let few_hits = match &search {
        Some(search) => {
            conn.prepare_cached(
                "SELECT COUNT(*) FROM (SELECT 1 FROM history_search
                 WHERE history_search MATCH ?1 LIMIT ?2)",
            )?
            .query_row(params![search, FEW_HITS as i64 + 1], |row| {
                row.get::<_, i64>(0)
            })? <= FEW_HITS as i64
        }
        None => false,
    };
    let mut args: Vec<Value> = Vec::new();
    let mut sql = String::from("SELECT e.id, e.kind, e.channel, e.occurred_at, e.details ");
    match &search {
        // Few hits: start from them (CROSS JOIN fixes that order in SQLite), look each up by
        // rowid, sort at most FEW_HITS rows. Cheap however rare the word is.
        Some(search) if few_hits => {
            sql.push_str(
                "FROM history_search CROSS JOIN history_events AS e
                 ON e.id = history_search.rowid
                 WHERE history_search MATCH ? AND e.customer_id = ?",
            );
            args.push(search.clone().into());
            args.push(customer.into());
        }
        // Many hits: walk the time-ordered index and keep the rows that are hits (`+e.id`
        // stops the planner from looking hits up one by one and sorting them all), which
        // stops after `limit` hits, and hits are dense enough to find them quickly.
        Some(search) => {
            sql.push_str(
                "FROM history_events AS e WHERE e.customer_id = ?
                 AND +e.id IN (SELECT rowid FROM history_search WHERE history_search MATCH ?)",
            );
            args.push(customer.into());
            args.push(search.clone().into());
        }
        None => {
            sql.push_str("FROM history_events AS e WHERE e.customer_id = ?");
            args.push(customer.into());
        }
    }
    if let Some(kind) = query.kind {
        sql.push_str(" AND e.kind = ?");
        args.push(kind.as_str().to_owned().into());
    }
    if let Some(channel) = query.channel {
        sql.push_str(" AND e.channel = ?");
        args.push(channel.as_str().to_owned().into());
    }
    if let Some(since) = query.since {
        sql.push_str(" AND e.occurred_at >= ?");
        args.push(since.into());
    }
    if let Some(before) = query.before {
        sql.push_str(" AND e.occurred_at < ?");
        args.push(before.into());
    }
    if let Some(after) = after {
        sql.push_str(" AND (e.occurred_at, e.id) < (?, ?)");
        args.push(after.occurred_at.into());
        args.push(after.id.into());
    }
    sql.push_str(" ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?");
    // One more than asked tells whether there is a next page without a second query.
    args.push(
        i64::try_from(limit.saturating_add(1))
            .unwrap_or(i64::MAX)
            .into(),
    );

    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(args))?;
    let mut events = Vec::with_capacity(limit.min(1024) + 1);
    while let Some(row) = rows.next()? {
        let kind: String = row.get(1)?;
        let channel: String = row.get(2)?;
        let details: String = row.get(4)?;
        events.push(HistoryEvent {
            id: row.get(0)?,
            channel: Channel::parse(&channel).ok_or_else(|| unknown("channel", &channel))?,
            occurred_at: row.get(3)?,
            details: read_details(&kind, &details)?,
        });
    }
    let next = if events.len() > limit {
        events.truncate(limit);
        events.last().map(Cursor::of)
    } else {
        None
    };
    Ok((events, next))
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

/// The FTS5 expression for search words: every word as a quoted prefix, all required.
///
/// Words are runs of letters and digits (see `search_terms`), so quoting cannot be broken
/// out of and FTS5 operators typed by a customer are only ever searched for as text.
fn fts_query(terms: &[String]) -> Option<String> {
    let words: Vec<String> = terms
        .iter()
        .filter(|t| t.chars().all(char::is_alphanumeric) && !t.is_empty())
        .map(|t| format!("\"{t}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// The derived facts, from the tallies and from index walks; no query counts events.
pub fn facts(conn: &Connection, customer: i64) -> Result<DerivedFacts, StoreError> {
    let one = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<Option<i64>, StoreError> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(args, |row| row.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    };
    // MIN and MAX alone in a query are one index lookup each; together they would scan.
    let customer_since = one(
        "SELECT MIN(occurred_at) FROM history_events WHERE customer_id = ?1",
        &[&customer],
    )?;
    let first_purchase = one(
        "SELECT MIN(occurred_at) FROM history_events WHERE customer_id = ?1 AND kind = 'purchase'",
        &[&customer],
    )?;
    let last_purchase = one(
        "SELECT MAX(occurred_at) FROM history_events WHERE customer_id = ?1 AND kind = 'purchase'",
        &[&customer],
    )?;
    let count = one(
        "SELECT SUM(events) FROM history_tallies WHERE customer_id = ?1 AND kind = 'purchase'",
        &[&customer],
    )?
    .unwrap_or(0);
    let mean_days_between_purchases = match (first_purchase, last_purchase) {
        (Some(first), Some(last)) if count >= 2 => {
            let gaps = count - 1;
            Some((last - first + gaps * 43_200) / (gaps * 86_400))
        }
        _ => None,
    };
    // Lower median: the ((n - 1) / 2)-th smallest, read by walking the partial index.
    let typical_basket_units = if count > 0 {
        one(
            "SELECT units FROM history_events
             WHERE customer_id = ?1 AND kind = 'purchase'
             ORDER BY units LIMIT 1 OFFSET (?2 - 1) / 2",
            &[&customer, &count],
        )?
    } else {
        None
    };

    let by_currency: Vec<(String, i64)> = conn
        .prepare_cached(
            "SELECT currency, purchases FROM history_currency_tallies
             WHERE customer_id = ?1 AND purchases > 0
             ORDER BY purchases DESC, currency",
        )?
        .query_map([customer], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut typical_basket_value = Vec::with_capacity(by_currency.len());
    for (currency, purchases) in by_currency {
        let median_total_minor = one(
            "SELECT total_minor FROM history_events
             WHERE customer_id = ?1 AND kind = 'purchase' AND currency = ?2
             ORDER BY total_minor LIMIT 1 OFFSET (?3 - 1) / 2",
            &[&customer, &currency, &purchases],
        )?
        .ok_or_else(|| StoreError::Task(format!("no {currency} purchases to match the tally")))?;
        typical_basket_value.push(BasketValue {
            currency,
            purchases: purchases.unsigned_abs(),
            median_total_minor,
        });
    }

    let by_channel: Vec<(String, i64)> = conn
        .prepare_cached(
            "SELECT channel, SUM(events) FROM history_tallies
             WHERE customer_id = ?1 GROUP BY channel HAVING SUM(events) > 0",
        )?
        .query_map([customer], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut channels_used = Vec::with_capacity(by_channel.len());
    for (channel, events) in by_channel {
        let last_at = one(
            "SELECT MAX(occurred_at) FROM history_events WHERE customer_id = ?1 AND channel = ?2",
            &[&customer, &channel],
        )?
        .ok_or_else(|| StoreError::Task(format!("no {channel} events to match the tally")))?;
        channels_used.push(ChannelUse {
            channel: Channel::parse(&channel).ok_or_else(|| unknown("channel", &channel))?,
            events: events.unsigned_abs(),
            last_at,
        });
    }
    channels_used.sort_by(|a, b| b.events.cmp(&a.events).then(a.channel.cmp(&b.channel)));

    let top_products = conn
        .prepare_cached(
            "SELECT product, units FROM history_product_tallies
             WHERE customer_id = ?1 AND units > 0
             ORDER BY units DESC, product LIMIT ?2",
        )?
        .query_map(params![customer, TOP_PRODUCTS as i64], |row| {
            Ok(ProductBought {
                product: row.get(0)?,
                units: row.get::<_, i64>(1)?.unsigned_abs(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let spending_by_month = match last_purchase {
        Some(last) => conn
            .prepare_cached(
                "SELECT month, currency, total_minor, purchases FROM history_month_tallies
                 WHERE customer_id = ?1 AND month >= ?2 AND purchases > 0
                 ORDER BY month, currency",
            )?
            .query_map(params![customer, first_spending_month(last)], |row| {
                Ok(MonthSpend {
                    month: row.get(0)?,
                    currency: row.get(1)?,
                    total_minor: row.get(2)?,
                    purchases: row.get::<_, i64>(3)?.unsigned_abs(),
                })
            })?
            .collect::<Result<_, _>>()?,
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

/// The first month `DerivedFacts::spending_by_month` covers when the latest purchase was at
/// `last` (both engines ask for the tallies from it on).
#[must_use]
pub fn first_spending_month(last: i64) -> String {
    let month = month_of(last);
    add_months(&month, 1 - SPENDING_MONTHS).unwrap_or(month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let cursor = Cursor {
            occurred_at: 1_700_000_000,
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "abc", "aDEuMS4y!", &URL_SAFE_NO_PAD.encode("h2.1.2")] {
            assert_eq!(Cursor::decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn search_words_become_quoted_prefixes() {
        assert_eq!(
            fts_query(&["kaffe".into(), "mörk".into()]).as_deref(),
            Some("\"kaffe\"* AND \"mörk\"*")
        );
        assert_eq!(fts_query(&["a\"b".into()]), None);
        assert_eq!(fts_query(&[]), None);
    }
}
