//! The HTTP contract, exercised over a real socket against a temporary SQLite file.

mod common;

use common::{error_of, fresh_database, start, start_with};
use rapport_domain::api::ConflictBody;
use rapport_domain::{ContactMethod, Profile, Versioned};
use rapport_server::store::{Store, demo};
use reqwest::StatusCode;
use serde_json::json;

fn edited(name: &str) -> serde_json::Value {
    json!({ "name": name, "email": "astrid@example.se", "phone": "", "preferred_contact": "post" })
}

#[tokio::test]
async fn sign_in_with_the_wrong_password_is_refused_in_the_error_shape() {
    let server = start().await;
    let response = reqwest::Client::new()
        .post(server.url("/session"))
        .json(&json!({ "email": demo::DEMO_EMAIL, "password": "wrong" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(response).await.error.code, "bad_credentials");
}

#[tokio::test]
async fn the_profile_needs_a_live_session() {
    let server = start().await;
    let anonymous = reqwest::Client::new()
        .get(server.url("/me/profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(anonymous).await.error.code, "unauthorized");

    let forged = server.get_profile("not-a-token").await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    let token = server.demo().await;
    let signed_out = reqwest::Client::new()
        .delete(server.url("/session"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        server.get_profile(&token).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_profile_is_read_with_its_version_as_etag() {
    let server = start().await;
    let token = server.demo().await;
    let response = server.get_profile(&token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let profile: Versioned<Profile> = response.json().await.unwrap();
    assert_eq!(profile.version.0, 1);
    assert_eq!(profile.data.email, demo::DEMO_EMAIL);
}

#[tokio::test]
async fn a_write_against_the_current_version_is_stored_and_bumps_it() {
    let server = start().await;
    let token = server.demo().await;
    let response = server
        .put_profile(&token, Some("\"1\""), edited("  Astrid L  "))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let saved: Versioned<Profile> = response.json().await.unwrap();
    assert_eq!(saved.data.name, "Astrid L", "stored trimmed");

    let reread: Versioned<Profile> = server.get_profile(&token).await.json().await.unwrap();
    assert_eq!(reread, saved);
    assert_eq!(reread.data.preferred_contact, Some(ContactMethod::Post));
}

#[tokio::test]
async fn a_stale_write_gets_412_with_the_current_record_and_changes_nothing() {
    let server = start().await;
    let token = server.demo().await;
    let first = server
        .put_profile(&token, Some("\"1\""), edited("From the call centre"))
        .await;
    assert_eq!(first.status(), StatusCode::OK);

    let stale = server
        .put_profile(&token, Some("\"1\""), edited("From an old tab"))
        .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.headers()["etag"], "\"2\"");
    let conflict: ConflictBody<Profile> = stale.json().await.unwrap();
    assert_eq!(conflict.error.code, "version_conflict");
    assert_eq!(conflict.current.version.0, 2);
    assert_eq!(conflict.current.data.name, "From the call centre");

    let now: Versioned<Profile> = server.get_profile(&token).await.json().await.unwrap();
    assert_eq!(now.data.name, "From the call centre");
}

#[tokio::test]
async fn writes_without_or_with_a_malformed_version_are_refused() {
    let server = start().await;
    let token = server.demo().await;
    let blind = server.put_profile(&token, None, edited("Blind")).await;
    assert_eq!(blind.status(), StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(error_of(blind).await.error.code, "version_required");

    let weak = server
        .put_profile(&token, Some("W/\"1\""), edited("Weak"))
        .await;
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn invalid_fields_are_refused_naming_the_field() {
    let server = start().await;
    let token = server.demo().await;
    let cases = [
        (
            json!({ "name": "A", "email": "not-an-email" }),
            "email",
            "not_an_email",
        ),
        (
            json!({ "name": " ", "email": "a@b.se" }),
            "name",
            "required",
        ),
        (
            json!({ "name": "A", "email": "a@b.se", "phone": "call me" }),
            "phone",
            "not_a_phone",
        ),
        (
            json!({ "name": "A", "email": "a@b.se", "preferred_contact": "sms" }),
            "preferred_contact",
            "method_needs_phone",
        ),
    ];
    for (body, field, code) in cases {
        let response = server.put_profile(&token, Some("\"1\""), body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let error = error_of(response).await.error;
        assert_eq!(
            (error.field.as_deref(), error.code.as_str()),
            (Some(field), code)
        );
    }
    let malformed = server
        .put_profile(&token, Some("\"1\""), json!({ "name": 5 }))
        .await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(error_of(malformed).await.error.message.contains("name"));
    let unknown_method = server
        .put_profile(
            &token,
            Some("\"1\""),
            json!({ "name": "A", "email": "a@b.se", "preferred_contact": "pigeon" }),
        )
        .await;
    assert!(unknown_method.status().is_client_error());
}

#[tokio::test]
async fn a_customer_reaches_only_their_own_profile() {
    let server = start().await;
    let bo = server.other_customer("Bo", "bo@example.se").await;
    let astrid = server.demo().await;

    let seen_by_bo: Versioned<Profile> = server.get_profile(&bo).await.json().await.unwrap();
    assert_eq!(seen_by_bo.data.name, "Bo");
    let write = server.put_profile(&bo, Some("\"1\""), edited("Bo B")).await;
    assert_eq!(write.status(), StatusCode::OK);
    let seen_by_astrid: Versioned<Profile> =
        server.get_profile(&astrid).await.json().await.unwrap();
    assert_eq!(seen_by_astrid.data.name, "Astrid Lindqvist");
}

#[tokio::test]
async fn unknown_api_paths_answer_404_in_the_error_shape() {
    let server = start().await;
    let response = reqwest::get(server.url("/nothing/here")).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_of(response).await.error.code, "not_found");
}

#[tokio::test]
async fn data_outlives_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    {
        let store = Store::connect(&database, 1).await.unwrap();
        assert!(store.seed_demo_if_empty().await.unwrap());
    }
    let reopened = Store::connect(&database, 1).await.unwrap();
    assert!(
        !reopened.seed_demo_if_empty().await.unwrap(),
        "seeded once only"
    );
    let (id, _) = reopened
        .password_hash_of(demo::DEMO_EMAIL)
        .await
        .unwrap()
        .unwrap();
    let profile = reopened.load::<Profile>(id).await.unwrap().unwrap();
    assert_eq!(profile.data.email, demo::DEMO_EMAIL);
}

#[tokio::test]
async fn a_database_from_a_newer_release_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let store = Store::connect(&database, 1).await.unwrap();
    // As a newer release would leave it: more migrations run than this binary knows.
    if let Some(pg) = store.postgres() {
        pg.client()
            .await
            .unwrap()
            .batch_execute("UPDATE rapport_schema SET version = 999")
            .await
            .unwrap();
    } else {
        store
            .sqlite()
            .unwrap()
            .call(|conn| {
                conn.pragma_update(None, "user_version", 999)
                    .map_err(rapport_server::store::StoreError::from)
            })
            .await
            .unwrap();
    }
    drop(store);
    let Err(refusal) = Store::connect(&database, 1).await else {
        panic!("a newer database was opened");
    };
    let message = refusal.to_string();
    assert!(message.contains("schema version 999"), "{message}");
    assert!(message.contains("newer release"), "{message}");
}

#[tokio::test]
async fn the_portal_is_served_under_a_strict_policy_with_deep_links() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<html><script type=\"module\">boot()</script><div id=\"rapport\"></div></html>",
    )
    .unwrap();
    let server = start_with(Some(dist.path())).await;
    for path in ["/", "/profile", "/history"] {
        let response = reqwest::get(format!("{}{path}", server.base))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        // The real hash of the inline script: printf 'boot()' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-MeZS89WlF0u+o0hCvHTBt4q1WHU+U+sJKgbdRUc36mY=';"
            ),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(response.text().await.unwrap().contains("id=\"rapport\""));
    }
    let api = reqwest::get(server.url("/me/profile")).await.unwrap();
    assert_eq!(
        api.status(),
        StatusCode::UNAUTHORIZED,
        "the API is not shadowed by the portal"
    );
}

#[tokio::test]
async fn profile_text_with_controls_overrides_or_only_invisible_characters_is_refused() {
    let server = start().await;
    let token = server.demo().await;
    let cases = [
        (
            json!({ "name": "Bo\u{0}", "email": "a@b.se" }),
            "name",
            "control_character",
        ),
        (
            json!({ "name": "Bo\nEk", "email": "a@b.se" }),
            "name",
            "control_character",
        ),
        (
            json!({ "name": "\u{1b}]0;owned\u{7}", "email": "a@b.se" }),
            "name",
            "control_character",
        ),
        (
            json!({ "name": "Bo\u{202E}kE", "email": "a@b.se" }),
            "name",
            "bidi_control",
        ),
        (
            json!({ "name": "\u{200B}\u{200C}", "email": "a@b.se" }),
            "name",
            "invisible_only",
        ),
        (
            json!({ "name": "Bo", "email": "a@b.se\u{2066}" }),
            "email",
            "bidi_control",
        ),
        (
            json!({ "name": "Bo", "email": "a@b.se", "phone": "070\u{85}1234567" }),
            "phone",
            "control_character",
        ),
    ];
    for (body, field, code) in cases {
        let response = server
            .put_profile(&token, Some("\"1\""), body.clone())
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error = error_of(response).await.error;
        assert_eq!(
            (error.field.as_deref(), error.code.as_str()),
            (Some(field), code),
            "{body}"
        );
    }
    // Accepted text is stored trimmed and in NFC.
    let response = server
        .put_profile(
            &token,
            Some("\"1\""),
            json!({ "name": "  A\u{30A}sa O\u{308}berg ", "email": "asa@example.se" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: serde_json::Value = server.get_profile(&token).await.json().await.unwrap();
    assert_eq!(saved["data"]["name"], "\u{C5}sa \u{D6}berg", "{saved}");
}
