//! The history API over a real socket: keyset pages under concurrent inserts, filters, search,
//! parameter errors, isolation between customers, exports, and facts against the pure function.
//!
//! Expected answers come from the domain crate's plain-Rust rules (`HistoryQuery::matches`,
//! `DerivedFacts::compute`) applied to the events the test itself inserted, so every SQL path
//! is checked against an independent statement of what it should return.

mod common;

use common::{TestServer, Val, error_of, start};
use rapport_domain::history::{
    Channel, DerivedFacts, EventDetails, EventKind, HistoryEvent, HistoryExport, HistoryPage,
    HistoryQuery, Interaction, InteractionKind, csv_record,
};
use rapport_server::store::{customers, demo, history_demo};
use reqwest::StatusCode;
use std::collections::HashSet;

/// A fixed end, so every run generates the same histories.
const END: i64 = 1_780_000_000;

/// Replaces a customer's history with `count` generated events; returns them with their ids.
async fn fill(server: &TestServer, customer: i64, count: usize, seed: u64) -> Vec<HistoryEvent> {
    server
        .sql(
            "DELETE FROM history_events WHERE customer_id = $1",
            &[Val::Int(customer)],
        )
        .await
        .unwrap();
    let generated = history_demo::generate(count, seed, END);
    let ids = server
        .store
        .add_events(customer, generated.clone())
        .await
        .unwrap();
    generated
        .into_iter()
        .zip(ids)
        .map(|((channel, occurred_at, details), id)| HistoryEvent {
            id,
            channel,
            occurred_at,
            details,
        })
        .collect()
}

/// Adds one interaction; returns it with its id.
async fn add(server: &TestServer, customer: i64, at: i64, summary: &str) -> HistoryEvent {
    let details = EventDetails::Interaction(Interaction {
        kind: InteractionKind::Question,
        summary: summary.into(),
    });
    let id = server
        .store
        .add_events(customer, vec![(Channel::Chat, at, details.clone())])
        .await
        .unwrap()[0];
    HistoryEvent {
        id,
        channel: Channel::Chat,
        occurred_at: at,
        details,
    }
}

async fn demo_id(server: &TestServer) -> i64 {
    server
        .sql_int(
            "SELECT id FROM customers WHERE email = $1",
            &[Val::Text(demo::DEMO_EMAIL.into())],
        )
        .await
}

/// Creates another customer; returns their id and a signed-in token.
async fn other_customer(server: &TestServer, email: &'static str) -> (i64, String) {
    let hash = customers::hash_password("other-secret").unwrap();
    let id = server
        .store
        .create_account(
            email,
            &hash,
            customers::Role::Customer,
            Some(rapport_domain::Profile::default()),
        )
        .await
        .unwrap()
        .unwrap();
    (id, server.sign_in(email, "other-secret").await)
}

/// Newest first, as the API orders.
fn newest_first(mut events: Vec<HistoryEvent>) -> Vec<HistoryEvent> {
    events.sort_by_key(|e| std::cmp::Reverse((e.occurred_at, e.id)));
    events
}

async fn get(server: &TestServer, token: &str, path_and_query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.url(path_and_query))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn page(server: &TestServer, token: &str, query: &[(&str, String)]) -> HistoryPage {
    let response = reqwest::Client::new()
        .get(server.url("/me/history"))
        .query(query)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query:?}");
    response.json().await.unwrap()
}

/// Follows `next_cursor` to the end; checks every page but the last is full.
async fn walk(server: &TestServer, token: &str, query: &HistoryQuery) -> Vec<HistoryEvent> {
    let mut query = query.clone();
    let mut all = Vec::new();
    loop {
        let pairs = query.to_pairs();
        let got = page(server, token, &pairs).await;
        assert!(got.events.len() <= query.limit as usize);
        all.extend(got.events.iter().cloned());
        match got.next_cursor {
            Some(cursor) => {
                assert_eq!(
                    got.events.len(),
                    query.limit as usize,
                    "only the last page is short"
                );
                query.cursor = Some(cursor);
            }
            None => return all,
        }
    }
}

fn ids(events: &[HistoryEvent]) -> Vec<i64> {
    events.iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn pages_cover_the_history_once_each_including_ties_in_the_same_second() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    let mut events = fill(&server, me, 700, 7).await;
    // Thirty events in one second: only the id can order them, across page boundaries.
    for n in 0..30 {
        events.push(add(&server, me, END - 86_400, &format!("Samma sekund {n}")).await);
    }
    let expected = newest_first(events);
    for limit in [1, 7, 50, 200] {
        let query = HistoryQuery {
            limit,
            ..HistoryQuery::default()
        };
        let walked = walk(&server, &token, &query).await;
        assert_eq!(ids(&walked), ids(&expected), "limit {limit}");
        assert_eq!(
            walked, expected,
            "events read back as written (limit {limit})"
        );
    }
    let first = page(&server, &token, &[]).await;
    assert_eq!(first.events.len(), 50, "the default page size");
}

#[tokio::test]
async fn new_events_between_page_fetches_cause_no_duplicates_or_gaps() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    let before = newest_first(fill(&server, me, 400, 11).await);
    let newest = before[0].occurred_at;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut arrivals = Vec::new();
    for round in 0.. {
        let mut query = vec![("limit", "25".to_owned())];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let got = page(&server, &token, &query).await;
        seen.extend(got.events);
        // New events keep arriving: later than everything, and in the very second of the
        // event the cursor points at (a larger id, so it sorts before the cursor).
        arrivals.push(add(&server, me, newest + 60 + round, "Ny fråga i chatten").await);
        if let Some(last) = seen.last() {
            arrivals.push(add(&server, me, last.occurred_at, "Samtidigt inkommen").await);
        }
        match got.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        ids(&seen),
        ids(&before),
        "exactly the events that were there at the start"
    );
    let unique: HashSet<i64> = seen.iter().map(|e| e.id).collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");

    // A fresh walk sees everything, the arrivals included, each once.
    let mut everything = before.clone();
    everything.extend(arrivals);
    let everything = newest_first(everything);
    let query = HistoryQuery {
        limit: 60,
        ..HistoryQuery::default()
    };
    assert_eq!(ids(&walk(&server, &token, &query).await), ids(&everything));
}

#[tokio::test]
async fn every_filter_and_combination_returns_exactly_the_matching_events() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    let events = newest_first(fill(&server, me, 1500, 3).await);
    let mid = events[events.len() / 2].occurred_at;
    // Another customer's big history makes some words common in the search index, so both
    // ways of answering a search (from few hits, or walking the timeline) are exercised.
    let (bo, _) = other_customer(&server, "bo@example.se").await;
    fill(&server, bo, 6000, 4).await;
    let hits = |word: &'static str| {
        let server = &server;
        async move {
            if server.on_postgres() {
                let query = format!("'{word}':*");
                server
                    .sql_int(
                        "SELECT COUNT(*) FROM history_events
                         WHERE search @@ ($1::text)::tsquery",
                        &[Val::Text(query)],
                    )
                    .await
            } else {
                let query = format!("\"{word}\"*");
                server
                    .sql_int(
                        "SELECT COUNT(*) FROM history_search WHERE history_search MATCH $1",
                        &[Val::Text(query)],
                    )
                    .await
            }
        }
    };
    assert!(hits("at").await > 2000, "a common word");
    assert!(hits("göteborg").await < 2000, "a rarer one");
    let year = 365 * 86_400;

    let mut queries = Vec::new();
    for kind in EventKind::ALL {
        queries.push(HistoryQuery {
            kind: Some(kind),
            ..HistoryQuery::default()
        });
    }
    for channel in Channel::ALL {
        queries.push(HistoryQuery {
            channel: Some(channel),
            ..HistoryQuery::default()
        });
    }
    for (kind, channel) in [
        (EventKind::Purchase, Channel::Store),
        (EventKind::Purchase, Channel::Web),
        (EventKind::Interaction, Channel::Email),
        (EventKind::Purchase, Channel::Chat),
    ] {
        queries.push(HistoryQuery {
            kind: Some(kind),
            channel: Some(channel),
            ..HistoryQuery::default()
        });
    }
    queries.push(HistoryQuery {
        since: Some(mid),
        ..HistoryQuery::default()
    });
    queries.push(HistoryQuery {
        before: Some(mid),
        ..HistoryQuery::default()
    });
    queries.push(HistoryQuery {
        kind: Some(EventKind::Purchase),
        channel: Some(Channel::Store),
        since: Some(mid - year),
        before: Some(mid + year),
        ..HistoryQuery::default()
    });
    for q in [
        "kaffe",
        "BRYGGKAFFE mörk",
        "göteborg",
        "nyhetsbrev",
        "newsletter autumn",
        "4-pack",
        "zzz",
    ] {
        queries.push(HistoryQuery {
            terms: rapport_domain::history::search_terms(q),
            ..HistoryQuery::default()
        });
    }
    queries.push(HistoryQuery {
        kind: Some(EventKind::Purchase),
        terms: vec!["kanelbullar".into()],
        since: Some(mid),
        ..HistoryQuery::default()
    });

    for query in queries {
        let expected: Vec<HistoryEvent> = events
            .iter()
            .filter(|e| query.matches(e))
            .cloned()
            .collect();
        let walked = walk(
            &server,
            &token,
            &HistoryQuery {
                limit: 50,
                ..query.clone()
            },
        )
        .await;
        assert_eq!(ids(&walked), ids(&expected), "{:?}", query.to_pairs());
        let is_search_for = |word: &str| query.terms.iter().any(|t| t == word);
        // The data must exercise these (a chat purchase, by contrast, never happens).
        if is_search_for("kaffe")
            || is_search_for("göteborg")
            || (query.kind.is_some() && query.channel.is_none())
        {
            assert!(
                !expected.is_empty(),
                "the data exercises {:?}",
                query.to_pairs()
            );
        }
    }
}

#[tokio::test]
async fn dates_in_the_query_cover_whole_days() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    fill(&server, me, 0, 1).await;
    // 2024-05-01T00:00:00Z, 23:59:59Z the same day, and the next day's midnight.
    let inside = add(&server, me, 1_714_521_600, "Första maj").await;
    let late = add(&server, me, 1_714_607_999, "Sent första maj").await;
    add(&server, me, 1_714_608_000, "Andra maj").await;
    add(&server, me, 1_714_521_599, "Sista april").await;
    let got = page(
        &server,
        &token,
        &[("from", "2024-05-01".into()), ("to", "2024-05-01".into())],
    )
    .await;
    assert_eq!(ids(&got.events), vec![late.id, inside.id]);
    let got = page(
        &server,
        &token,
        &[
            ("from", "2024-05-01T12:00:00Z".into()),
            ("to", "1714608000".into()),
        ],
    )
    .await;
    assert_eq!(got.events.len(), 2, "seconds are inclusive at both ends");
}

#[tokio::test]
async fn unusable_parameters_answer_400_naming_the_parameter() {
    let server = start().await;
    let token = server.demo().await;
    let cases = [
        ("/me/history?kind=purchases", "kind"),
        ("/me/history?channel=fax", "channel"),
        ("/me/history?from=2024-02-30", "from"),
        ("/me/history?to=soon", "to"),
        ("/me/history?from=2024-02-01&to=2024-01-01", "to"),
        ("/me/history?limit=0", "limit"),
        ("/me/history?limit=201", "limit"),
        ("/me/history?limit=abc", "limit"),
        ("/me/history?q=%21%21%21", "q"),
        ("/me/history?cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("/me/history?cursor=%25%25", "cursor"),
        ("/me/history?chanel=web", "chanel"),
        ("/me/history?kind=request&kind=purchase", "kind"),
        ("/me/history/export?format=xml", "format"),
        ("/me/history/export?kind=purchase", "kind"),
    ];
    for (path, field) in cases {
        let response = get(&server, &token, path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let error = error_of(response).await.error;
        assert_eq!(error.code, "bad_request", "{path}");
        assert_eq!(
            error.field.as_deref(),
            Some(field),
            "{path}: {}",
            error.message
        );
    }
    for path in ["/me/history", "/me/history/facts", "/me/history/export"] {
        let response = reqwest::get(server.url(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn a_customer_never_sees_another_customers_events() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    let mine = fill(&server, me, 300, 5).await;
    let (bo, bo_token) = other_customer(&server, "bo@example.se").await;
    let theirs = fill(&server, bo, 300, 6).await;
    let secret = add(&server, bo, END, "Bos hemliga fråga om ostar").await;

    let all = HistoryQuery {
        limit: 200,
        ..HistoryQuery::default()
    };
    let seen_by_me: HashSet<i64> = ids(&walk(&server, &token, &all).await)
        .into_iter()
        .collect();
    assert_eq!(seen_by_me, mine.iter().map(|e| e.id).collect());
    let seen_by_bo: HashSet<i64> = ids(&walk(&server, &bo_token, &all).await)
        .into_iter()
        .collect();
    assert!(seen_by_bo.contains(&secret.id));
    assert_eq!(seen_by_bo.len(), theirs.len() + 1);

    let search = page(&server, &token, &[("q", "hemliga".into())]).await;
    assert!(search.events.is_empty(), "search stays within the customer");
    // A cursor from Bo's history only positions; it cannot reach Bo's events.
    let bo_page = page(&server, &bo_token, &[("limit", "5".into())]).await;
    let with_bos_cursor = page(&server, &token, &[("cursor", bo_page.next_cursor.unwrap())]).await;
    assert!(
        with_bos_cursor
            .events
            .iter()
            .all(|e| seen_by_me.contains(&e.id))
    );

    let export: HistoryExport = get(&server, &token, "/me/history/export?format=json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export.events.len(), mine.len());
    let facts: DerivedFacts = get(&server, &token, "/me/history/facts")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(facts, DerivedFacts::compute(&mine));
}

#[tokio::test]
async fn exports_carry_every_event_as_csv_and_json() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    // More than two export chunks, so the stream's seams are crossed.
    let mut events = fill(&server, me, 2_345, 9).await;
    events.push(add(&server, me, END, "Sa \"hej\", och =SUM(A1) sen\nny rad").await);
    let expected = newest_first(events);

    let response = get(&server, &token, "/me/history/export?format=json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"rapport-history-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".json\""), "{disposition}");
    let export: HistoryExport = response.json().await.unwrap();
    assert_eq!(export.events, expected);
    let default: HistoryExport = get(&server, &token, "/me/history/export")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        default.events.len(),
        expected.len(),
        "JSON unless asked otherwise"
    );

    let response = get(&server, &token, "/me/history/export?format=csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".csv\"")
    );
    let csv = response.text().await.unwrap();
    let (header, body) = csv.split_once("\r\n").unwrap();
    assert_eq!(
        header,
        "id,occurred_at,kind,channel,description,total_minor,currency,store,details"
    );
    let rows: String = expected.iter().map(csv_record).collect();
    assert_eq!(body, rows);
    assert!(
        body.starts_with(&format!(
            "{},2026-05-28T20:26:40Z,interaction,chat,\"Sa \"\"hej\"\", och =SUM(A1) sen\nny rad\"",
            expected[0].id
        )),
        "{}",
        &body[..120]
    );
}

#[tokio::test]
async fn facts_match_the_pure_computation_and_follow_changes() {
    let server = start().await;
    let me = demo_id(&server).await;
    let token = server.demo().await;
    let facts = |token: String| {
        let url = server.url("/me/history/facts");
        async move {
            let response = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<DerivedFacts>().await.unwrap()
        }
    };

    fill(&server, me, 0, 1).await;
    assert_eq!(facts(token.clone()).await, DerivedFacts::default());

    let events = fill(&server, me, 3_000, 21).await;
    let expected = DerivedFacts::compute(&events);
    assert!(
        expected.purchase_count > 500,
        "a history with plenty of purchases"
    );
    assert!(
        expected.typical_basket_value.len() >= 2,
        "more than one currency"
    );
    assert_eq!(expected.top_products.len(), 5);
    let months: HashSet<&str> = expected
        .spending_by_month
        .iter()
        .map(|m| m.month.as_str())
        .collect();
    let currencies: HashSet<&str> = expected
        .spending_by_month
        .iter()
        .map(|m| m.currency.as_str())
        .collect();
    assert_eq!(months.len(), 12, "a purchase in each of the last 12 months");
    assert_eq!(currencies.len(), 2, "in both currencies");
    assert_eq!(facts(token.clone()).await, expected);

    // Replacing the history (deletes, then inserts) must leave the tallies exact.
    let mut events = fill(&server, me, 1_200, 22).await;
    assert_eq!(facts(token.clone()).await, DerivedFacts::compute(&events));
    events.push(add(&server, me, END + 10, "Ringde och frågade").await);
    assert_eq!(facts(token.clone()).await, DerivedFacts::compute(&events));

    // Deleting a customer cascades through the tallies without touching anyone else's.
    let (bo, bo_token) = other_customer(&server, "bo@example.se").await;
    let bos = fill(&server, bo, 500, 23).await;
    assert_eq!(facts(bo_token).await, DerivedFacts::compute(&bos));
    server
        .sql("DELETE FROM customers WHERE id = $1", &[Val::Int(bo)])
        .await
        .unwrap();
    assert_eq!(facts(token).await, DerivedFacts::compute(&events));
}

#[tokio::test]
async fn the_demo_customer_starts_with_a_history() {
    let server = start().await;
    let token = server.demo().await;
    let query = HistoryQuery {
        limit: 200,
        ..HistoryQuery::default()
    };
    let events = walk(&server, &token, &query).await;
    assert_eq!(events.len(), demo::DEMO_HISTORY_EVENTS);
    let facts: DerivedFacts = get(&server, &token, "/me/history/facts")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(facts, DerivedFacts::compute(&events));
}

#[tokio::test]
async fn huge_or_negative_date_bounds_are_refused_not_wrapped() {
    let server = start().await;
    let token = server.demo().await;
    for (path, field) in [
        ("/me/history?to=9223372036854775807", "to"),
        ("/me/history?from=9223372036854775807", "from"),
        ("/me/history?to=253402300800", "to"),
        ("/me/history?from=-1", "from"),
        ("/me/history/export?to=9223372036854775807", "to"),
    ] {
        let response = get(&server, &token, path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let error = error_of(response).await.error;
        assert_eq!(
            error.field.as_deref(),
            Some(field),
            "{path}: {}",
            error.message
        );
    }
    // The latest accepted bound is the end of year 9999, and it includes today.
    let response = get(&server, &token, "/me/history?to=253402300799").await;
    assert_eq!(response.status(), StatusCode::OK);
}
