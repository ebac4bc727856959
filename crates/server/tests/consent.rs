//! The customer's side of consent over a real socket: decisions and receipts, refused hashes
//! and versions, outdated consent after a new purpose version, the data export, erasure
//! requests, and one customer never reaching another's consent data.

mod common;

use common::{decision_under, error_of, shipped_config, start};
use rapport_domain::consent::{
    ConsentDecision, ConsentReceipt, DataExport, ErasureRequest, GENESIS_HASH, LedgerExport,
    MyConsents, ScreenText, entry_hash,
};
use rapport_domain::history::{
    ConsentDecision as HistoryDecision, EventDetails, HistoryPage, RequestStatus,
};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn giving_and_withdrawing_consent_each_give_a_provable_receipt() {
    let server = start().await;
    let demo = server.demo().await;

    let response = server
        .post(
            "/me/consents",
            &demo,
            &server.decision("marketing", "given", "sv"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let first: ConsentReceipt = response.json().await.unwrap();
    assert_eq!(first.number, 1);
    assert_eq!(first.decision, ConsentDecision::Given);
    assert_eq!(first.language, "sv");
    assert_eq!(first.screen, "privacy");
    let marketing = shipped_config().purpose("marketing").unwrap().clone();
    assert_eq!(
        first.text_sha256,
        ScreenText::of(&marketing, "sv").unwrap().text_sha256
    );

    let response = server
        .post(
            "/me/consents",
            &demo,
            &server.decision("marketing", "withdrawn", "en"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let second: ConsentReceipt = response.json().await.unwrap();
    assert_eq!(second.number, 2);

    // The officer's ledger holds the entries the receipts name, chained and hashed.
    let officer = server.officer().await;
    let ledger: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    let [one, two] = ledger.entries.as_slice() else {
        panic!("{:?}", ledger.entries);
    };
    assert_eq!((one.seq, one.prev_hash.as_str()), (1, GENESIS_HASH));
    assert_eq!(two.prev_hash, one.hash);
    assert_eq!(one.hash, entry_hash(one));
    assert_eq!(first.entry_hash, one.hash);
    assert_eq!(second.entry_hash, two.hash);
    assert_eq!(one.customer_ref, two.customer_ref);
    assert_eq!(one.user_agent.as_deref(), Some("RapportTest/1.0"));
    assert_eq!(one.portal_build, "0.1.0+test");

    let mine: MyConsents = server.get_json("/me/consents", &demo).await;
    assert_eq!(mine.receipts, vec![first, second]);
    assert_eq!(mine.purposes.len(), shipped_config().purposes.len());
    let state = mine
        .purposes
        .iter()
        .find(|p| p.purpose == "marketing")
        .unwrap();
    assert_eq!(state.decision, Some(ConsentDecision::Withdrawn));
    assert!(!state.outdated);
    let untouched = mine
        .purposes
        .iter()
        .find(|p| p.purpose == "personalisation")
        .unwrap();
    assert_eq!(untouched.decision, None, "nothing is pre-ticked");

    // Each change is in the customer's history as a consent change.
    let history: HistoryPage = server
        .get_json("/me/history?kind=consent_change", &demo)
        .await;
    let marketing_changes: Vec<HistoryDecision> = history
        .events
        .iter()
        .filter_map(|e| match &e.details {
            EventDetails::ConsentChange(c) if c.purpose == "marketing" => Some(c.decision),
            _ => None,
        })
        .collect();
    // Newest first.
    assert_eq!(
        marketing_changes,
        [HistoryDecision::Withdrawn, HistoryDecision::Given]
    );
}

#[tokio::test]
async fn a_wrong_hash_version_or_label_is_refused_naming_the_field_and_records_nothing() {
    let server = start().await;
    let demo = server.demo().await;
    let good = server.decision("personalisation", "given", "en");
    let cases = [
        ("text_sha256", json!("0".repeat(64)), "text_mismatch"),
        // The Swedish text's hash sent as if the English text had been shown.
        (
            "text_sha256",
            server.decision("personalisation", "given", "sv")["text_sha256"].clone(),
            "text_mismatch",
        ),
        ("purpose_version", json!(0), "outdated_version"),
        ("purpose_version", json!(2), "unknown_version"),
        ("purpose", json!("nonsense"), "unknown_purpose"),
        ("purpose", json!("service"), "consent_not_applicable"),
        ("language", json!("de"), "unknown_language"),
        ("screen", json!(""), "bad_screen"),
        ("portal_build", json!("x\u{7}"), "bad_portal_build"),
    ];
    for (field, value, code) in cases {
        let mut body = good.clone();
        body[field] = value;
        let response = server.post("/me/consents", &demo, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let error = error_of(response).await.error;
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            (code, Some(field))
        );
    }
    let mut body = good.clone();
    body["decision"] = json!("maybe");
    let response = server.post("/me/consents", &demo, &body).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let mine: MyConsents = server.get_json("/me/consents", &demo).await;
    assert!(mine.receipts.is_empty());
}

#[tokio::test]
async fn a_new_purpose_version_marks_the_old_consent_outdated_and_asks_again() {
    let server = start().await;
    let demo = server.demo().await;
    let response = server
        .post(
            "/me/consents",
            &demo,
            &server.decision("marketing", "given", "en"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // The business publishes version 2 of the marketing text and restarts.
    let mut config = shipped_config();
    let marketing = config
        .purposes
        .iter_mut()
        .find(|p| p.id == "marketing")
        .unwrap();
    marketing.version = 2;
    for text in marketing.policy.0.values_mut() {
        text.push_str(" (2)");
    }
    let bumped = server.with_config(config.clone()).await;
    let client = reqwest::Client::new();

    let mine: MyConsents = bumped.get_json("/me/consents", &demo).await;
    let state = mine
        .purposes
        .iter()
        .find(|p| p.purpose == "marketing")
        .unwrap();
    assert_eq!(
        (state.version, state.current_version, state.outdated),
        (Some(1), 2, true)
    );

    // Agreeing to the old text again is refused; agreeing to the new one is recorded.
    let old = client
        .post(bumped.url("/me/consents"))
        .bearer_auth(&demo)
        .json(&server.decision("marketing", "given", "en"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_of(old).await.error.code, "outdated_version");
    let new = client
        .post(bumped.url("/me/consents"))
        .bearer_auth(&demo)
        .json(&decision_under(&config, "marketing", "given", "en"))
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), StatusCode::CREATED);
    let mine: MyConsents = bumped.get_json("/me/consents", &demo).await;
    let state = mine
        .purposes
        .iter()
        .find(|p| p.purpose == "marketing")
        .unwrap();
    assert_eq!((state.version, state.outdated), (Some(2), false));
}

#[tokio::test]
async fn the_export_holds_profile_preferences_consents_history_and_requests() {
    let server = start().await;
    let demo = server.demo().await;
    let response = server
        .post(
            "/me/consents",
            &demo,
            &server.decision("personalisation", "given", "en"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = server.post("/me/erasure", &demo, &json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let response = server.get("/me/export", Some(&demo)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response
        .headers()
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"rapport-my-data-"),
        "{disposition}"
    );
    let export: DataExport = response.json().await.unwrap();
    assert_eq!(export.account_email, "demo@rapport.example");
    assert_eq!(export.profile.name, "Astrid Lindqvist");
    assert_eq!(export.preferences, rapport_domain::Preferences::default());
    assert_eq!(export.consents.receipts.len(), 1);
    assert_eq!(export.consents.receipts[0].purpose, "personalisation");
    // 300 seeded events, the consent change and the erasure request.
    assert_eq!(export.history.len(), 302);
    assert_eq!(export.requests.len(), 1);
    assert_eq!(export.requests[0].status, RequestStatus::Received);
}

#[tokio::test]
async fn asking_for_erasure_twice_keeps_one_open_request() {
    let server = start().await;
    let demo = server.demo().await;
    let first = server.post("/me/erasure", &demo, &json!({})).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: ErasureRequest = first.json().await.unwrap();
    assert_eq!(first.status, RequestStatus::Received);
    let again = server.post("/me/erasure", &demo, &json!({})).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: ErasureRequest = again.json().await.unwrap();
    assert_eq!(again.id, first.id);
    let list: Vec<ErasureRequest> = server.get_json("/me/erasure", &demo).await;
    assert_eq!(list, vec![first]);
}

#[tokio::test]
async fn a_customer_reaches_only_their_own_consents_export_and_requests() {
    let server = start().await;
    server.add_customer("bo@example.se", "bo-secret").await;
    let bo = server.sign_in("bo@example.se", "bo-secret").await;
    let demo = server.demo().await;

    let bo_receipt: ConsentReceipt = server
        .post(
            "/me/consents",
            &bo,
            &server.decision("marketing", "given", "sv"),
        )
        .await
        .json()
        .await
        .unwrap();
    let bo_request: ErasureRequest = server
        .post("/me/erasure", &bo, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let officer = server.officer().await;
    let ledger: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    let bo_entry = ledger.entries[0].clone();
    assert_eq!(bo_entry.hash, bo_receipt.entry_hash);

    // Nothing of Bo's reaches Astrid, even when she names Bo's pseudonym or request.
    for path in [
        "/me/consents".to_owned(),
        format!("/me/consents?customer={}", bo_entry.customer_ref),
        format!("/me/consents?customer_ref={}", bo_entry.customer_ref),
    ] {
        let mine: MyConsents = server.get_json(&path, &demo).await;
        assert!(mine.receipts.is_empty(), "{path}");
        assert!(mine.purposes.iter().all(|p| p.decision.is_none()), "{path}");
    }
    let export: DataExport = server
        .get_json(
            &format!("/me/export?customer={}", bo_entry.customer_ref),
            &demo,
        )
        .await;
    assert!(export.consents.receipts.is_empty());
    assert!(export.requests.is_empty());
    assert_eq!(export.account_email, "demo@rapport.example");
    let text = serde_json::to_string(&export).unwrap();
    assert!(!text.contains(&bo_entry.customer_ref));
    assert!(!text.contains("bo@example.se"));
    let list: Vec<ErasureRequest> = server.get_json("/me/erasure", &demo).await;
    assert!(list.is_empty());
    for path in [
        format!("/me/erasure/{}", bo_request.id),
        format!("/me/consents/{}", bo_entry.seq),
    ] {
        let response = server.get(&path, Some(&demo)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }

    // Bo still sees his own.
    let his: MyConsents = server.get_json("/me/consents", &bo).await;
    assert_eq!(his.receipts, vec![bo_receipt]);
}

#[tokio::test]
async fn customer_endpoints_need_a_session_and_refuse_officers() {
    let server = start().await;
    let officer = server.officer().await;
    for path in ["/me/consents", "/me/export", "/me/erasure", "/me/profile"] {
        let anonymous = server.get(path, None).await;
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
        let response = server.get(path, Some(&officer)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(error_of(response).await.error.code, "forbidden");
    }
    for path in ["/me/consents", "/me/erasure"] {
        let body = server.decision("marketing", "given", "en");
        let response = server.post(path, &officer, &body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let anonymous = reqwest::Client::new()
            .post(server.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn receipts_reveal_nothing_of_other_customers_decisions() {
    let server = start().await;
    let others = server.other_customer("Bo Ek", "bo@example.se").await;
    for decision in ["given", "withdrawn", "given"] {
        let response = server
            .post(
                "/me/consents",
                &others,
                &server.decision("marketing", decision, "sv"),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let demo = server.demo().await;
    let response = server
        .post(
            "/me/consents",
            &demo,
            &server.decision("personalisation", "given", "en"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: serde_json::Value = response.json().await.unwrap();
    let officer = server.officer().await;
    let ledger: LedgerExport = server.get_json("/audit/ledger?format=json", &officer).await;
    assert_eq!(ledger.entries.len(), 4);
    let mine = &ledger.entries[3];

    // The receipt, as sent and as listed: the customer's own count, their entry's hash, and
    // neither the global sequence nor the hash of the entry before (Bo's).
    let listed: serde_json::Value = server.get_json("/me/consents", &demo).await;
    let exported: serde_json::Value = server.get_json("/me/export", &demo).await;
    for (what, receipt) in [
        ("POST", &receipt),
        ("GET", &listed["receipts"][0]),
        ("export", &exported["consents"]["receipts"][0]),
    ] {
        assert_eq!(receipt["number"], 1, "{what}: {receipt}");
        assert_eq!(receipt["entry_hash"], mine.hash.as_str(), "{what}");
        for private in ["seq", "prev_hash", "customer_ref", "signature"] {
            assert!(
                receipt.get(private).is_none(),
                "{what}: {private} in {receipt}"
            );
        }
    }
    for text in [
        listed.to_string(),
        exported.to_string(),
        receipt.to_string(),
    ] {
        for other in &ledger.entries[..3] {
            assert!(
                !text.contains(&other.hash),
                "another customer's hash in {text}"
            );
            assert!(!text.contains(&other.customer_ref));
        }
    }
}
