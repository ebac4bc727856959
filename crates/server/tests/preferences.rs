//! `/me/preferences` over a real socket: versions enforced, the configuration's schema enforced.

mod common;

use common::{error_of, start};
use rapport_domain::api::ConflictBody;
use rapport_domain::{Preferences, Versioned};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get(server: &common::TestServer, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.url("/me/preferences"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn put(
    server: &common::TestServer,
    token: &str,
    version: &str,
    body: Value,
) -> reqwest::Response {
    reqwest::Client::new()
        .put(server.url("/me/preferences"))
        .bearer_auth(token)
        .header("If-Match", version)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn choices(interests: &[&str]) -> Value {
    json!({
        "answers": { "interests": { "chosen": interests, "other": "Birdwatching" }, "gift_buyer": { "chosen": ["often"] } },
        "contact": {
            "subscriptions": [ { "topic": "offers", "channel": "email" }, { "topic": "orders", "channel": "sms" } ],
            "frequencies": { "email": "weekly" },
            "paused_until": "2027-03-01"
        }
    })
}

#[tokio::test]
async fn a_new_customer_starts_with_nothing_chosen() {
    let server = start().await;
    let token = server.demo().await;
    let response = get(&server, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let prefs: Versioned<Preferences> = response.json().await.unwrap();
    assert_eq!(prefs.data, Preferences::default(), "nothing pre-ticked");
}

#[tokio::test]
async fn choices_are_stored_and_read_back() {
    let server = start().await;
    let token = server.demo().await;
    let saved = put(&server, &token, "\"1\"", choices(&["golf", "music"])).await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.headers()["etag"], "\"2\"");
    let reread: Versioned<Preferences> = get(&server, &token).await.json().await.unwrap();
    assert_eq!(reread.version.0, 2);
    assert_eq!(reread.data.answers["interests"].chosen.len(), 2);
    assert_eq!(reread.data.contact.subscriptions.len(), 2);
    assert_eq!(
        reread.data.contact.paused_until.as_deref(),
        Some("2027-03-01")
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_document() {
    let server = start().await;
    let token = server.demo().await;
    assert_eq!(
        put(&server, &token, "\"1\"", choices(&["golf"]))
            .await
            .status(),
        StatusCode::OK
    );
    let stale = put(&server, &token, "\"1\"", choices(&["reading"])).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let conflict: ConflictBody<Preferences> = stale.json().await.unwrap();
    assert_eq!(conflict.current.version.0, 2);
    assert!(
        conflict.current.data.answers["interests"]
            .chosen
            .contains("golf")
    );
    let now: Versioned<Preferences> = get(&server, &token).await.json().await.unwrap();
    assert!(
        !now.data.answers["interests"].chosen.contains("reading"),
        "nothing overwritten"
    );

    let blind = reqwest::Client::new()
        .put(server.url("/me/preferences"))
        .bearer_auth(&token)
        .json(&choices(&["golf"]))
        .send()
        .await
        .unwrap();
    assert_eq!(blind.status(), StatusCode::PRECONDITION_REQUIRED);
}

#[tokio::test]
async fn what_the_configuration_does_not_allow_is_refused_naming_it() {
    let server = start().await;
    let token = server.demo().await;
    let cases = [
        (
            json!({ "answers": { "interests": { "chosen": ["golf", "curling"] } } }),
            "answers.interests.chosen",
            "unknown_item",
        ),
        (
            json!({ "answers": { "gift_buyer": { "chosen": ["often", "rarely"] } } }),
            "answers.gift_buyer.chosen",
            "too_many_choices",
        ),
        (
            json!({ "answers": { "shoe_size": { "chosen": ["42"] } } }),
            "answers.shoe_size",
            "unknown_checklist",
        ),
        (
            json!({ "answers": { "children": { "chosen": [], "other": "twins" } } }),
            "answers.children.other",
            "other_not_allowed",
        ),
        (
            json!({ "contact": { "subscriptions": [ { "topic": "gossip", "channel": "email" } ] } }),
            "contact.subscriptions",
            "unknown_topic",
        ),
        (
            json!({ "contact": { "frequencies": { "email": "daily" } } }),
            "contact.frequencies.email",
            "frequency_not_offered",
        ),
        (
            json!({ "contact": { "paused_until": "next week" } }),
            "contact.paused_until",
            "bad_date",
        ),
    ];
    for (body, field, code) in cases {
        let response = put(&server, &token, "\"1\"", body).await;
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
        assert!(error.message.starts_with(field), "{}", error.message);
    }
    let unknown_channel = put(
        &server,
        &token,
        "\"1\"",
        json!({ "contact": { "frequencies": { "pigeon": "weekly" } } }),
    )
    .await;
    assert_eq!(unknown_channel.status(), StatusCode::BAD_REQUEST);
    assert!(
        error_of(unknown_channel)
            .await
            .error
            .message
            .contains("pigeon")
    );
    let now: Versioned<Preferences> = get(&server, &token).await.json().await.unwrap();
    assert_eq!(now.version.0, 1, "no refused write changed anything");
}

#[tokio::test]
async fn a_customer_reaches_only_their_own_preferences() {
    let server = start().await;
    let astrid = server.demo().await;
    let bo = server.other_customer("Bo", "bo@example.se").await;
    assert_eq!(
        put(&server, &bo, "\"1\"", choices(&["golf"]))
            .await
            .status(),
        StatusCode::OK
    );
    let astrids: Versioned<Preferences> = get(&server, &astrid).await.json().await.unwrap();
    assert_eq!(astrids.data, Preferences::default());
    assert_eq!(
        get(&server, "forged").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_other_answer_with_controls_overrides_or_only_invisible_characters_is_refused() {
    let server = start().await;
    let token = server.demo().await;
    for (other, code) in [
        ("golf\u{0}", "control_character"),
        ("\u{1b}[2Jgolf", "control_character"),
        ("golf\nclub", "control_character"),
        ("\u{202E}flog", "bidi_control"),
        ("\u{2067}golf\u{2069}", "bidi_control"),
        ("\u{200B}\u{200D}\u{FEFF}", "invisible_only"),
    ] {
        let body = json!({ "answers": { "interests": { "chosen": [], "other": other } } });
        let response = put(&server, &token, "\"1\"", body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{other:?}"
        );
        let error = error_of(response).await.error;
        assert_eq!(
            (error.field.as_deref(), error.code.as_str()),
            (Some("answers.interests.other"), code),
            "{other:?}"
        );
    }
    // Accepted text is stored trimmed and in NFC: "Å" typed as A + combining ring.
    let body =
        json!({ "answers": { "interests": { "chosen": [], "other": " A\u{30A}ka skridskor " } } });
    let response = put(&server, &token, "\"1\"", body).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Value = reqwest::Client::new()
        .get(server.url("/me/preferences"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        saved["data"]["answers"]["interests"]["other"], "\u{C5}ka skridskor",
        "{saved}"
    );
}
