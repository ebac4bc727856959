//! `GET` and `PUT /me/designs`: saved designs are a versioned document like the profile
//! (ETag, If-Match, 412 with the current document, 428), refused with the domain's codes when
//! they break a rule, and reachable only by their own customer.

mod common;

use common::{error_of, shipped_config, start};
use rapport_domain::Versioned;
use rapport_domain::api::ConflictBody;
use rapport_domain::designs::Designs;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A design of the shipped catalogue, priced by the catalogue itself (the oracle).
fn design(id: &str, name: &str) -> Value {
    let catalogue = shipped_config().catalogue().unwrap().unwrap();
    let spec = catalogue.start("fika-box");
    let seen = catalogue.quote(&spec);
    json!({ "id": id, "name": name, "spec": spec, "seen": seen, "names": { "fika-box": "Fika box" } })
}

fn designs(list: &[Value]) -> Value {
    json!({ "designs": list })
}

#[tokio::test]
async fn designs_are_versioned_like_the_profile() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;

    let first = server.get("/me/designs", Some(&ann)).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["etag"], "\"1\"");
    let first: Versioned<Designs> = first.json().await.unwrap();
    assert_eq!(
        first.data,
        Designs::default(),
        "a new customer has no designs"
    );

    let mine = designs(&[design("d1", "  Morning box  ")]);
    let saved = server
        .put_document("/me/designs", &ann, Some("\"1\""), &mine)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    assert_eq!(saved.headers()["etag"], "\"2\"");
    let saved: Versioned<Designs> = saved.json().await.unwrap();
    assert_eq!(saved.data.designs[0].name, "Morning box", "stored trimmed");
    let read: Versioned<Designs> = server.get_json("/me/designs", &ann).await;
    assert_eq!(read, saved);

    // Another tab, still at version 1: refused, and told how the designs are now.
    let stale = server
        .put_document(
            "/me/designs",
            &ann,
            Some("\"1\""),
            &designs(&[design("d9", "Other tab")]),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    let conflict: ConflictBody<Value> = stale.json().await.unwrap();
    assert_eq!(conflict.error.code, "version_conflict");
    assert_eq!(conflict.current.version.0, 2);
    assert_eq!(
        serde_json::from_value::<Designs>(conflict.current.data).unwrap(),
        saved.data
    );

    let blind = server.put_document("/me/designs", &ann, None, &mine).await;
    assert_eq!(blind.status(), StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(error_of(blind).await.error.code, "version_required");
    let after: Versioned<Designs> = server.get_json("/me/designs", &ann).await;
    assert_eq!(after, saved, "neither refused write changed anything");
}

#[tokio::test]
async fn designs_that_break_a_rule_are_refused_with_its_code_and_field() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let good = design("d1", "Morning box");
    let with_name = |name: &str| design("d2", name);
    let too_many: Vec<Value> = (0..51).map(|i| design(&format!("d{i}"), "Box")).collect();
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            designs(&[good.clone(), with_name("   ")]),
            "design_name_missing",
            "designs[1].name",
        ),
        (
            designs(&[good.clone(), with_name(&"x".repeat(81))]),
            "design_name_too_long",
            "designs[1].name",
        ),
        (
            designs(&[good.clone(), with_name("Box\u{202E}xob")]),
            "bidi_control",
            "designs[1].name",
        ),
        (
            designs(&[good.clone(), with_name("Two\nlines")]),
            "control_character",
            "designs[1].name",
        ),
        (
            designs(&[design("x1", "Box")]),
            "bad_design_id",
            "designs[0].id",
        ),
        (
            designs(&[good.clone(), design("d1", "Same id")]),
            "bad_design_id",
            "designs[1].id",
        ),
        (designs(&too_many), "too_many_designs", "designs"),
    ];
    for (body, code, field) in cases {
        let response = server
            .put_document("/me/designs", &ann, Some("\"1\""), &body)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{code}"
        );
        let error = error_of(response).await.error;
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            (code, Some(field))
        );
    }
    let still: Versioned<Designs> = server.get_json("/me/designs", &ann).await;
    assert_eq!(still.version.0, 1, "nothing refused was stored");
}

#[tokio::test]
async fn a_customer_reaches_only_their_own_designs() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let bo = server.other_customer("Bo Ek", "bo@example.se").await;
    let officer = server.officer().await;
    let anns = designs(&[design("d1", "Ann's box")]);
    let saved = server
        .put_document("/me/designs", &ann, Some("\"1\""), &anns)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);

    let bos: Versioned<Designs> = server.get_json("/me/designs", &bo).await;
    assert_eq!(
        (bos.version.0, bos.data),
        (1, Designs::default()),
        "Bo sees his own, empty, designs"
    );
    // Bo writing at Ann's version meets his own document's version, never hers.
    let over = server
        .put_document(
            "/me/designs",
            &bo,
            Some("\"2\""),
            &designs(&[design("d1", "Bo's")]),
        )
        .await;
    assert_eq!(over.status(), StatusCode::PRECONDITION_FAILED);
    let conflict: ConflictBody<Value> = over.json().await.unwrap();
    assert_eq!(conflict.current.data, json!({ "designs": [] }));
    let anns_now: Versioned<Designs> = server.get_json("/me/designs", &ann).await;
    assert_eq!(anns_now.data.designs[0].name, "Ann's box");

    assert_eq!(
        server.get("/me/designs", Some(&officer)).await.status(),
        StatusCode::FORBIDDEN
    );
    let officer_put = server
        .put_document("/me/designs", &officer, Some("\"1\""), &anns)
        .await;
    assert_eq!(officer_put.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        server.get("/me/designs", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_demo_customer_starts_with_a_design_that_can_be_ordered_as_seen() {
    let server = start().await;
    let demo = server.demo().await;
    let saved: Versioned<Designs> = server.get_json("/me/designs", &demo).await;
    assert_eq!(saved.data.designs.len(), 1);
    let catalogue = shipped_config().catalogue().unwrap().unwrap();
    for design in &saved.data.designs {
        assert_eq!(catalogue.price(&design.spec), Ok(design.seen.clone()));
    }
}
