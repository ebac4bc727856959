//! The privacy officer's audit over a real socket: who may reach it, the screen catalog, the
//! ledger's filters and exports, what a customer saw and chose on a date, the chain
//! verification (also after tampering with the SQLite file), and erasure keeping the chain.

mod common;

use common::{TestServer, Val, error_of, shipped_config, start};
use rapport_domain::consent::{
    ChainReport, ConsentDecision, ConsentReceipt, CustomerAt, ErasureRequest, LEDGER_CSV_HEADER,
    LedgerEntry, LedgerExport, LedgerPage, ScreenText, entry_hash,
};
use rapport_domain::consent_trend::{ConsentTrend, TrendMonth};
use rapport_domain::history::RequestStatus;
use rapport_domain::time::month_of;
use rapport_server::store::consent::LedgerFilter;
use rapport_server::store::demo;
use reqwest::StatusCode;
use serde_json::json;

/// Every audit endpoint, as a GET path.
const AUDIT_PATHS: [&str; 7] = [
    "/audit/screens",
    "/audit/consents/trend",
    "/audit/ledger",
    "/audit/ledger?format=csv",
    "/audit/ledger?purpose=marketing&decision=given",
    "/audit/customers/0123456789abcdef0123456789abcdef/at?date=2024-05-01",
    "/audit/verify",
];

async fn record(
    server: &TestServer,
    token: &str,
    purpose: &str,
    decision: &str,
    language: &str,
) -> LedgerEntry {
    let response = server
        .post(
            "/me/consents",
            token,
            &server.decision(purpose, decision, language),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: ConsentReceipt = response.json().await.unwrap();
    // The receipt names the entry by its hash; the test reads that entry from the store.
    let (all, _) = server.store.ledger(LedgerFilter::default()).await.unwrap();
    all.into_iter()
        .find(|e| e.hash == receipt.entry_hash)
        .expect("the receipt's entry")
}

/// Runs SQL on the database directly, as someone with the database (and no API) could:
/// `unguard` names the append-only guards to remove first, as (SQLite trigger, PostgreSQL
/// table and trigger); `sql` is the change, the same on both engines.
async fn tamper(server: &TestServer, unguard: &[(&str, &str, &str)], sql: &str) {
    let mut batch = String::new();
    for (sqlite, table, postgres) in unguard {
        batch.push_str(&if server.on_postgres() {
            format!("ALTER TABLE {table} DISABLE TRIGGER {postgres};")
        } else {
            format!("DROP TRIGGER {sqlite};")
        });
    }
    batch.push_str(sql);
    server.sql_batch(&batch).await.unwrap();
}

const LEDGER_UPDATE_GUARD: (&str, &str, &str) = (
    "consent_ledger_no_update",
    "consent_ledger",
    "consent_ledger_append_only",
);
const LEDGER_DELETE_GUARD: (&str, &str, &str) = (
    "consent_ledger_no_delete",
    "consent_ledger",
    "consent_ledger_append_only",
);

async fn verify(server: &TestServer, officer: &str) -> ChainReport {
    let response = server.get("/audit/verify", Some(officer)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn ledger(server: &TestServer, officer: &str, query: &str) -> Vec<LedgerEntry> {
    let response = server
        .get(&format!("/audit/ledger{query}"), Some(officer))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    let body: serde_json::Value = response.json().await.unwrap();
    serde_json::from_value(body["entries"].clone()).unwrap()
}

#[tokio::test]
async fn every_audit_endpoint_refuses_customers_and_anonymous_callers() {
    let server = start().await;
    let customer = server.demo().await;
    let officer = server.officer().await;
    for path in AUDIT_PATHS {
        let anonymous = server.get(path, None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(error_of(anonymous).await.error.code, "unauthorized");

        let response = server.get(path, Some(&customer)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_of(response).await.error.code, "forbidden");

        let response = server.get(path, Some("not-a-token")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // The officer reaches them (the unknown pseudonym is simply not found).
    for path in AUDIT_PATHS {
        let status = server.get(path, Some(&officer)).await.status();
        let expected = if path.contains("/customers/") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{path}");
    }
}

#[tokio::test]
async fn a_customer_cannot_look_up_another_customer_through_the_audit() {
    let server = start().await;
    server.add_customer("bo@example.se", "bo-secret").await;
    let bo = server.sign_in("bo@example.se", "bo-secret").await;
    let demo = server.demo().await;
    let entry = record(&server, &bo, "marketing", "given", "en").await;
    let paths = [
        format!("/audit/customers/{}/at?date=2100-01-01", entry.customer_ref),
        format!("/audit/ledger?customer={}", entry.customer_ref),
        format!("/audit/ledger?customer={}&format=csv", entry.customer_ref),
    ];
    for path in &paths {
        for token in [&demo, &bo] {
            let response = server.get(path, Some(token)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        }
    }
}

#[tokio::test]
async fn the_catalog_shows_every_purpose_in_every_language_with_its_hash() {
    let server = start().await;
    let officer = server.officer().await;
    let body: serde_json::Value = server.get_json("/audit/screens", &officer).await;
    let screens: Vec<ScreenText> = serde_json::from_value(body["screens"].clone()).unwrap();
    let config = shipped_config();
    assert_eq!(
        screens.len(),
        config.purposes.len() * config.languages.len()
    );
    for purpose in &config.purposes {
        for language in &config.languages {
            let expected = ScreenText::of(purpose, language).unwrap();
            assert!(screens.contains(&expected), "{} {language}", purpose.id);
        }
    }
}

#[tokio::test]
async fn the_catalog_keeps_old_versions_after_the_configuration_moves_on() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    let old = record(&server, &demo, "marketing", "given", "sv").await;
    // The officer looks at the catalog while version 1 is current.
    assert_eq!(
        server.get("/audit/screens", Some(&officer)).await.status(),
        StatusCode::OK
    );

    let mut config = shipped_config();
    let marketing = config
        .purposes
        .iter_mut()
        .find(|p| p.id == "marketing")
        .unwrap();
    marketing.version = 2;
    marketing
        .policy
        .0
        .insert("sv".into(), "Ny policytext för version 2.".into());
    let bumped = server.with_config(config).await;
    let body: serde_json::Value = reqwest::Client::new()
        .get(bumped.url("/audit/screens"))
        .bearer_auth(&officer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let screens: Vec<ScreenText> = serde_json::from_value(body["screens"].clone()).unwrap();
    let versions: Vec<(u32, &str)> = screens
        .iter()
        .filter(|s| s.purpose == "marketing")
        .map(|s| (s.version, s.language.as_str()))
        .collect();
    assert_eq!(versions, [(1, "en"), (1, "sv"), (2, "en"), (2, "sv")]);
    assert!(
        screens
            .iter()
            .any(|s| s.text_sha256 == old.text_sha256 && s.version == 1)
    );
    assert!(
        screens
            .iter()
            .any(|s| s.version == 2 && s.policy == "Ny policytext för version 2.")
    );
}

#[tokio::test]
async fn the_ledger_filters_and_exports_as_json_and_csv() {
    let server = start().await;
    server.add_customer("bo@example.se", "bo-secret").await;
    let bo = server.sign_in("bo@example.se", "bo-secret").await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    record(&server, &demo, "marketing", "given", "en").await;
    record(&server, &demo, "personalisation", "given", "sv").await;
    let bo_entry = record(&server, &bo, "marketing", "given", "sv").await;
    record(&server, &demo, "marketing", "withdrawn", "en").await;

    let seqs = |entries: Vec<LedgerEntry>| entries.iter().map(|e| e.seq).collect::<Vec<_>>();
    assert_eq!(seqs(ledger(&server, &officer, "").await), [1, 2, 3, 4]);
    assert_eq!(
        seqs(ledger(&server, &officer, "?purpose=marketing").await),
        [1, 3, 4]
    );
    assert_eq!(
        seqs(ledger(&server, &officer, "?purpose=marketing&decision=given").await),
        [1, 3]
    );
    assert_eq!(
        seqs(ledger(&server, &officer, "?decision=withdrawn").await),
        [4]
    );
    assert_eq!(
        seqs(ledger(&server, &officer, "?language=sv").await),
        [2, 3]
    );
    assert_eq!(
        seqs(
            ledger(
                &server,
                &officer,
                &format!("?customer={}", bo_entry.customer_ref)
            )
            .await
        ),
        [3]
    );
    assert_eq!(
        seqs(ledger(&server, &officer, "?from=2000-01-01&to=2100-12-31").await),
        [1, 2, 3, 4]
    );
    assert!(ledger(&server, &officer, "?to=2000-01-01").await.is_empty());
    assert!(
        ledger(&server, &officer, "?from=2100-01-01")
            .await
            .is_empty()
    );

    let response = server
        .get("/audit/ledger?format=csv&purpose=marketing", Some(&officer))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"rapport-consent-ledger-")
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(format!("{}\r\n", lines[0]), LEDGER_CSV_HEADER);
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("1,"));
    assert!(lines[3].contains(",withdrawn,"));

    for (query, field) in [
        ("?decision=maybe", "decision"),
        ("?from=yesterday", "from"),
        ("?to=2024-13-01", "to"),
        ("?format=xml", "format"),
        ("?sort=seq", "sort"),
    ] {
        let response = server
            .get(&format!("/audit/ledger{query}"), Some(&officer))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error_of(response).await.error.field.as_deref(), Some(field));
    }
}

#[tokio::test]
async fn what_a_customer_saw_and_chose_on_a_date() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    record(&server, &demo, "marketing", "given", "sv").await;
    let last = record(&server, &demo, "marketing", "withdrawn", "en").await;
    record(&server, &demo, "personalisation", "given", "sv").await;
    let today = &rapport_domain::time::format_utc(rapport_server::store::now())[..10];

    let at: CustomerAt = server
        .get_json(
            &format!("/audit/customers/{}/at?date={today}", last.customer_ref),
            &officer,
        )
        .await;
    assert_eq!(at.date, today);
    let purposes: Vec<&str> = at.purposes.iter().map(|p| p.purpose.as_str()).collect();
    assert_eq!(purposes, ["marketing", "personalisation"]);
    let marketing = &at.purposes[0];
    assert_eq!(marketing.entry, last);
    assert_eq!(marketing.entry.decision, ConsentDecision::Withdrawn);
    let config = shipped_config();
    let expected = ScreenText::of(config.purpose("marketing").unwrap(), "en").unwrap();
    assert_eq!(marketing.screen.as_ref(), Some(&expected));

    // Before any decision: nothing chosen yet.
    let before: CustomerAt = server
        .get_json(
            &format!("/audit/customers/{}/at?date=2000-01-01", last.customer_ref),
            &officer,
        )
        .await;
    assert!(before.purposes.is_empty());

    for query in [
        "",
        "?date=01/05/2024",
        "?date=2024-05-01T00:00:00Z",
        "?at=2024-05-01",
    ] {
        let response = server
            .get(
                &format!("/audit/customers/{}/at{query}", last.customer_ref),
                Some(&officer),
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
    }
}

#[tokio::test]
async fn no_route_changes_or_removes_ledger_entries() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    let entry = record(&server, &demo, "marketing", "given", "en").await;
    let client = reqwest::Client::new();
    let paths = [
        "/me/consents".to_owned(),
        format!("/me/consents/{}", entry.seq),
        "/audit/ledger".to_owned(),
        format!("/audit/ledger/{}", entry.seq),
        "/audit/screens".to_owned(),
        "/audit/verify".to_owned(),
    ];
    let changed = json!({ "decision": "withdrawn" });
    for path in &paths {
        for token in [&demo, &officer] {
            for method in [
                reqwest::Method::PUT,
                reqwest::Method::PATCH,
                reqwest::Method::DELETE,
            ] {
                let status = client
                    .request(method.clone(), server.url(path))
                    .bearer_auth(token)
                    .json(&changed)
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert!(
                    status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                    "{method} {path}: {status}"
                );
            }
        }
        // POST appends on /me/consents only; nowhere else does it reach the ledger.
        if path != "/me/consents" {
            let status = server.post(path, &officer, &changed).await.status();
            assert!(
                status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                "POST {path}: {status}"
            );
        }
    }
    let entries = ledger(&server, &officer, "").await;
    assert_eq!(entries, vec![entry]);
}

#[tokio::test]
async fn the_database_itself_refuses_to_update_or_delete_ledger_entries() {
    let server = start().await;
    let demo = server.demo().await;
    record(&server, &demo, "marketing", "given", "en").await;
    for sql in [
        "UPDATE consent_ledger SET decision = 'withdrawn' WHERE seq = 1",
        "DELETE FROM consent_ledger WHERE seq = 1",
        "DELETE FROM consent_ledger",
        "UPDATE consent_screens SET policy = 'other'",
        "UPDATE consent_user_agents SET user_agent = 'other'",
        "DELETE FROM consent_screens",
    ]
    .into_iter()
    // TRUNCATE skips row triggers on PostgreSQL, so it has guards of its own there.
    .chain(
        server
            .on_postgres()
            .then_some("TRUNCATE consent_ledger CASCADE"),
    ) {
        let error = server.sql(sql, &[]).await.unwrap_err();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
}

#[tokio::test]
async fn verification_names_the_entry_altered_directly_in_sqlite() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    for decision in ["given", "withdrawn", "given", "withdrawn"] {
        record(&server, &demo, "marketing", decision, "en").await;
    }
    let report = verify(&server, &officer).await;
    assert_eq!((report.entries, report.intact), (4, true));
    assert_eq!(report.first_broken, None);
    assert!(
        report
            .summary
            .starts_with("4 entries, chain intact, head (entry 4) signed by key "),
        "{}",
        report.summary
    );
    assert_eq!(report.signed_head.map(|head| head.seq), Some(4));

    // An attacker with the file drops the guard and flips a decision.
    tamper(
        &server,
        &[LEDGER_UPDATE_GUARD],
        "UPDATE consent_ledger SET decision = 'given' WHERE seq = 2;",
    )
    .await;
    let report = verify(&server, &officer).await;
    assert_eq!(report.entries, 4);
    assert!(!report.intact);
    assert_eq!(report.first_broken, Some(2));
    assert!(report.summary.contains("entry 2"), "{}", report.summary);
}

#[tokio::test]
async fn verification_names_the_entry_whose_kept_user_agent_was_altered() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    for _ in 0..3 {
        record(&server, &demo, "marketing", "given", "en").await;
    }
    tamper(
        &server,
        &[(
            "consent_user_agents_no_update",
            "consent_user_agents",
            "consent_user_agents_no_update",
        )],
        "UPDATE consent_user_agents SET user_agent = 'Forged/1.0' WHERE seq = 3;",
    )
    .await;
    let report = verify(&server, &officer).await;
    assert_eq!((report.intact, report.first_broken), (false, Some(3)));
    assert!(report.summary.contains("user agent"), "{}", report.summary);
}

#[tokio::test]
async fn verification_names_the_entry_after_one_deleted_directly_in_sqlite() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    for _ in 0..3 {
        record(&server, &demo, "personalisation", "given", "en").await;
    }
    tamper(
        &server,
        &[
            LEDGER_DELETE_GUARD,
            (
                "consent_ledger_signatures_no_delete",
                "consent_ledger_signatures",
                "consent_ledger_signatures_append_only",
            ),
        ],
        "DELETE FROM consent_ledger_signatures WHERE seq = 2;
                 DELETE FROM consent_user_agents WHERE seq = 2;
                 DELETE FROM consent_ledger WHERE seq = 2;",
    )
    .await;
    let report = verify(&server, &officer).await;
    assert_eq!((report.entries, report.first_broken), (2, Some(3)));
}

/// Counts rows of `table` whose `column` is `value`.
async fn count(server: &TestServer, table: &str, column: &str, value: i64) -> i64 {
    server
        .sql_int(
            &format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"),
            &[Val::Int(value)],
        )
        .await
}

#[tokio::test]
async fn erasure_removes_personal_data_and_keeps_a_verifiable_pseudonymous_ledger() {
    let server = start().await;
    server.add_customer("bo@example.se", "bo-secret").await;
    let bo = server.sign_in("bo@example.se", "bo-secret").await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    let astrid = server
        .sql_int(
            "SELECT id FROM customers WHERE email = $1",
            &[Val::Text(demo::DEMO_EMAIL.into())],
        )
        .await;
    record(&server, &demo, "marketing", "given", "sv").await;
    record(&server, &bo, "marketing", "given", "en").await;
    let astrids_last = record(&server, &demo, "personalisation", "given", "en").await;
    let request: ErasureRequest = server
        .post("/me/erasure", &demo, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let before = ledger(&server, &officer, "").await;

    let id = request.id;
    server.store.erase(id).await.unwrap();

    // Gone: sign-in, session, profile, preferences, history, user agents, pseudonym link.
    let response = reqwest::Client::new()
        .post(server.url("/session"))
        .json(&json!({ "email": demo::DEMO_EMAIL, "password": demo::DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.get("/me/profile", Some(&demo)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    for (table, column) in [
        ("customers", "id"),
        ("sessions", "customer_id"),
        ("profiles", "customer_id"),
        ("preferences", "customer_id"),
        ("history_events", "customer_id"),
        ("history_tallies", "customer_id"),
        ("consent_user_agents", "customer_id"),
        ("consent_subjects", "customer_id"),
        ("erasure_requests", "customer_id"),
    ] {
        assert_eq!(count(&server, table, column, astrid).await, 0, "{table}");
    }

    // Kept: every ledger entry, hashed fields unchanged, Astrid's without their user agent.
    let after = ledger(&server, &officer, "").await;
    assert_eq!(after.len(), before.len());
    for (old, new) in before.iter().zip(&after) {
        assert_eq!(new.hash, old.hash);
        assert_eq!(new.customer_ref, old.customer_ref);
        if old.customer_ref == astrids_last.customer_ref {
            assert_eq!(new.user_agent, None);
        } else {
            assert_eq!(new.user_agent.as_deref(), Some("RapportTest/1.0"));
        }
    }
    let report = verify(&server, &officer).await;
    assert!(report.intact, "{}", report.summary);
    assert_eq!(report.entries, 3);

    // The pseudonymous proof: the request is done, under the pseudonym, linked to no one.
    let row = server
        .sql(
            "SELECT status, customer_ref, customer_id FROM erasure_requests WHERE id = $1",
            &[Val::Int(id)],
        )
        .await
        .unwrap();
    assert_eq!(
        row,
        vec![vec![
            Val::Text("done".into()),
            Val::Text(astrids_last.customer_ref.clone()),
            Val::Null
        ]]
    );
    // What Astrid decided stays answerable, pseudonymously.
    let at = server
        .get(
            &format!(
                "/audit/customers/{}/at?date=2100-01-01",
                astrids_last.customer_ref
            ),
            Some(&officer),
        )
        .await;
    assert_eq!(at.status(), StatusCode::OK);

    // A closed request cannot be carried out again.
    let again = server.store.erase(id).await;
    assert!(again.is_err());

    // Bo is untouched.
    let his: serde_json::Value = server.get_json("/me/consents", &bo).await;
    assert_eq!(his["receipts"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_erasure_tells_the_customer_why() {
    let server = start().await;
    let demo = server.demo().await;
    let request: ErasureRequest = server
        .post("/me/erasure", &demo, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let id = request.id;
    server.store.start_erasure(id).await.unwrap();
    let list: Vec<ErasureRequest> = server.get_json("/me/erasure", &demo).await;
    assert_eq!(list[0].status, RequestStatus::InProgress);
    server
        .store
        .refuse_erasure(id, "An open order must be delivered first.")
        .await
        .unwrap();
    let list: Vec<ErasureRequest> = server.get_json("/me/erasure", &demo).await;
    assert_eq!(list[0].status, RequestStatus::Refused);
    assert_eq!(
        list[0].reason.as_deref(),
        Some("An open order must be delivered first.")
    );
    // A new request can be made after a refusal.
    let response = server.post("/me/erasure", &demo, &json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_ledger_answers_in_pages_with_the_signed_head() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    for decision in ["given", "withdrawn", "given", "withdrawn", "given"] {
        record(&server, &demo, "marketing", decision, "en").await;
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut query = "?limit=2".to_owned();
    loop {
        let page: LedgerPage = server
            .get_json(&format!("/audit/ledger{query}"), &officer)
            .await;
        pages += 1;
        assert!(page.entries.len() <= 2);
        assert_eq!(page.head.as_ref().map(|h| h.seq), Some(5));
        seen.extend(page.entries.iter().map(|e| e.seq));
        match page.next_cursor {
            Some(cursor) => query = format!("?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!((seen, pages), (vec![1, 2, 3, 4, 5], 3));
    // Filters and pages together.
    let page: LedgerPage = server
        .get_json("/audit/ledger?decision=given&limit=1&cursor=1", &officer)
        .await;
    assert_eq!(page.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [3]);
    assert_eq!(page.next_cursor.as_deref(), Some("3"));
    // Newest first, for browsing.
    let page: LedgerPage = server
        .get_json("/audit/ledger?order=newest&limit=2&cursor=4", &officer)
        .await;
    assert_eq!(
        page.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [3, 2]
    );
    assert_eq!(page.next_cursor.as_deref(), Some("2"));
    // The default page is bounded.
    let page: LedgerPage = server.get_json("/audit/ledger", &officer).await;
    assert_eq!(page.entries.len(), 5);
    assert_eq!(page.next_cursor, None);
    for (query, field) in [
        ("?limit=0", "limit"),
        ("?limit=1001", "limit"),
        ("?limit=ten", "limit"),
        ("?cursor=abc", "cursor"),
        ("?order=random", "order"),
    ] {
        let response = server
            .get(&format!("/audit/ledger{query}"), Some(&officer))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error_of(response).await.error.field.as_deref(), Some(field));
    }
}

#[tokio::test]
async fn huge_or_negative_date_bounds_are_refused_naming_the_parameter() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    record(&server, &demo, "marketing", "given", "en").await;
    for (query, field) in [
        ("?to=9223372036854775807", "to"),
        ("?from=9223372036854775807", "from"),
        ("?to=99999999999999999999", "to"),
        ("?from=-1", "from"),
        ("?to=-9223372036854775808", "to"),
    ] {
        let response = server
            .get(&format!("/audit/ledger{query}"), Some(&officer))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(error_of(response).await.error.field.as_deref(), Some(field));
    }
    // The largest accepted bound still finds today's entries.
    assert_eq!(ledger(&server, &officer, "?to=253402300799").await.len(), 1);
}

/// Runs `rapport-server` with `args`; returns (success, stdout, stdout and stderr together).
fn rapport_server(args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rapport-server"))
        .args(args)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let all = format!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    (output.status.success(), stdout, all)
}

#[tokio::test]
async fn an_exported_ledger_verifies_offline_and_a_rewrite_is_named() {
    let server = start().await;
    let demo = server.demo().await;
    let officer = server.officer().await;
    for decision in ["given", "withdrawn", "given", "withdrawn"] {
        record(&server, &demo, "marketing", decision, "en").await;
    }
    let dir = tempfile::tempdir().unwrap();
    let key_path = server.ledger_key.to_str().unwrap().to_owned();
    let (ok, public_key, _) =
        rapport_server(&["--ledger-key", &key_path, "ledger-key", "--public"]);
    assert!(ok);
    // The key is the last line (a log line comes first when the key had to be made).
    let public_key = public_key.lines().last().unwrap().trim().to_owned();
    let export: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    assert_eq!(export.public_key, public_key);
    assert_eq!(export.head.as_ref().map(|h| h.seq), Some(4));
    let file = dir.path().join("ledger.json");
    let write = |export: &LedgerExport| {
        std::fs::write(&file, serde_json::to_string(export).unwrap()).unwrap();
    };
    let file_arg = file.to_str().unwrap().to_owned();
    let check =
        |key: &str| rapport_server(&["verify-ledger", "--export", &file_arg, "--public-key", key]);

    write(&export);
    let (ok, out, err) = check(&public_key);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("4 entries, chain intact, head (entry 4) signed"),
        "{out}"
    );
    // The key may also be given as a file.
    let key_file = dir.path().join("public.key");
    std::fs::write(&key_file, &public_key).unwrap();
    assert!(check(key_file.to_str().unwrap()).0);

    // An entry altered in the exported file.
    let mut altered = export.clone();
    altered.entries[1].decision = ConsentDecision::Given;
    write(&altered);
    let (ok, _, err) = check(&public_key);
    assert!(!ok);
    assert!(err.contains("chain broken at entry 2"), "{err}");

    // Another key does not vouch for it.
    write(&export);
    let other = rapport_server::ledger_key::LedgerKey::generate().unwrap();
    let (ok, _, err) = check(&other.public_hex());
    assert!(!ok);
    assert!(err.contains("no entry carries a valid signature"), "{err}");

    // Someone with the database (not the key) rewrites entry 2 and recomputes every hash
    // after it, so the chain alone is intact again; the server's export and verification,
    // and the offline command, all name entry 2.
    let (mut entries, _) = server.store.ledger(LedgerFilter::default()).await.unwrap();
    entries[1].decision = ConsentDecision::Given;
    for i in 1..entries.len() {
        entries[i].prev_hash = entries[i - 1].hash.clone();
        entries[i].hash = entry_hash(&entries[i]);
    }
    tamper(&server, &[LEDGER_UPDATE_GUARD], "").await;
    for entry in &entries[1..] {
        server
            .sql(
                "UPDATE consent_ledger SET decision = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                &[
                    Val::Text(entry.decision.as_str().into()),
                    Val::Text(entry.prev_hash.clone()),
                    Val::Text(entry.hash.clone()),
                    Val::Int(entry.seq),
                ],
            )
            .await
            .unwrap();
    }
    let chain = rapport_domain::consent::verify_chain(&entries);
    assert!(chain.intact, "a consistent rewrite: {}", chain.summary);
    let report = verify(&server, &officer).await;
    assert_eq!(
        (report.intact, report.first_broken),
        (false, Some(2)),
        "{}",
        report.summary
    );
    let rewritten: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    write(&rewritten);
    let (ok, _, err) = check(&public_key);
    assert!(!ok);
    assert!(err.contains("chain broken at entry 2"), "{err}");
    assert!(err.contains("signature"), "{err}");
}

#[tokio::test]
async fn the_consent_trend_counts_decisions_per_purpose_and_month() {
    let server = start().await;
    let officer = server.officer().await;
    let ann = server.other_customer("Ann", "ann@example.se").await;
    let bo = server.other_customer("Bo", "bo@example.se").await;
    let empty: ConsentTrend = server.get_json("/audit/consents/trend", &officer).await;
    assert_eq!(empty, ConsentTrend::default(), "no decisions yet");

    let mut entries = Vec::new();
    for (token, purpose, decision) in [
        (&ann, "marketing", "given"),
        (&ann, "marketing", "withdrawn"),
        (&ann, "marketing", "given"),
        (&bo, "marketing", "given"),
        (&bo, "personalisation", "given"),
        (&bo, "personalisation", "withdrawn"),
        (&ann, "personalisation", "given"),
        (&bo, "marketing", "withdrawn"),
    ] {
        entries.push(record(&server, token, purpose, decision, "sv").await);
    }
    // Move some decisions back in time, as a ledger a few years old holds them: three
    // about five months back, one just inside the two years and one just outside.
    let now = rapport_server::store::now();
    let month = 31 * 86_400;
    let moved = [
        (entries[0].seq, now - 5 * month),
        (entries[1].seq, now - 5 * month),
        (entries[4].seq, now - 5 * month),
        (entries[6].seq, now - 22 * month),
        (entries[7].seq, now - 25 * month),
    ];
    let updates: String = moved
        .iter()
        .map(|(seq, at)| format!("UPDATE consent_ledger SET recorded_at = {at} WHERE seq = {seq};"))
        .collect();
    tamper(&server, &[LEDGER_UPDATE_GUARD], &updates).await;

    let trend: ConsentTrend = server.get_json("/audit/consents/trend", &officer).await;
    let row = |at: i64, purpose: &str, given: u64, withdrawn: u64| TrendMonth {
        month: month_of(at),
        purpose: purpose.into(),
        given,
        withdrawn,
    };
    assert_eq!(
        trend.months,
        [
            row(now - 22 * month, "personalisation", 1, 0),
            row(now - 5 * month, "marketing", 1, 1),
            row(now - 5 * month, "personalisation", 1, 0),
            row(now, "marketing", 2, 0),
            row(now, "personalisation", 0, 1),
        ],
        "the withdrawal 25 months back is outside the window"
    );
    // And the same as the domain crate's rule over the whole ledger.
    let (all, _) = server.store.ledger(LedgerFilter::default()).await.unwrap();
    assert_eq!(trend, ConsentTrend::compute(&all, now));

    let response = server.get("/audit/consents/trend", Some(&ann)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
