//! `POST /me/visits`: page loads within 30 minutes of each other are one visit and keep the
//! same "since your last visit"; a return after longer moves it on to the end of the visit
//! before. Each customer has their own, and they count against the write quota.

mod common;

use common::{Val, start, start_with_limits};
use rapport_domain::visits::{VISIT_GAP_SECS, VisitAnswer};
use rapport_server::limits::Limits;
use reqwest::StatusCode;
use serde_json::json;

async fn visit(server: &common::TestServer, token: &str) -> VisitAnswer {
    let response = server.post("/me/visits", token, &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Moves the customer's last page load `secs` into the past, as time passing would.
async fn age_last_visit(server: &common::TestServer, email: &str, secs: i64) {
    let customer = server
        .sql_int(
            "SELECT id FROM customers WHERE email = $1",
            &[Val::Text(email.into())],
        )
        .await;
    server
        .sql(
            "UPDATE visits SET last_at = last_at - $1 WHERE customer_id = $2",
            &[Val::Int(secs), Val::Int(customer)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn loads_within_the_gap_keep_the_previous_visit_and_a_return_moves_it_on() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;

    let first = visit(&server, &ann).await;
    assert_eq!(
        first.previous_visit_at, None,
        "a first visit has none before it"
    );
    let reload = visit(&server, &ann).await;
    assert_eq!(reload.previous_visit_at, None, "a reload is the same visit");
    assert!(reload.this_visit_at >= first.this_visit_at);

    // Twenty minutes of reading: still the same visit.
    age_last_visit(&server, "ann@example.se", 20 * 60).await;
    assert_eq!(visit(&server, &ann).await.previous_visit_at, None);

    // Back after two hours: "since" is the end of the visit before.
    age_last_visit(&server, "ann@example.se", 2 * 3600).await;
    let back = visit(&server, &ann).await;
    let previous = back.previous_visit_at.expect("the visit before");
    assert!(back.this_visit_at - previous > VISIT_GAP_SECS);
    // Reloading in the new visit keeps that time.
    assert_eq!(visit(&server, &ann).await.previous_visit_at, Some(previous));

    // Another customer's visits are their own.
    let bo = server.other_customer("Bo Ek", "bo@example.se").await;
    assert_eq!(visit(&server, &bo).await.previous_visit_at, None);
    let officer = server.officer().await;
    let by_officer = server.post("/me/visits", &officer, &json!({})).await;
    assert_eq!(by_officer.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn visits_count_against_the_write_quota() {
    let server = start_with_limits(Limits {
        writes_per_customer: 3,
        ..Limits::default()
    })
    .await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    for _ in 0..3 {
        visit(&server, &ann).await;
    }
    let over = server.post("/me/visits", &ann, &json!({})).await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
}
