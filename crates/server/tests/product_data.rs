//! A customer's designs, orders and visits are theirs: "Download my data" carries them, and
//! an erasure removes them, on either engine.

mod common;

use common::{Val, shipped_config, start};
use rapport_domain::consent::{DataExport, ErasureRequest};
use rapport_domain::designs::OrderReceipt;
use rapport_domain::history::RequestStatus;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_export_carries_designs_orders_and_visits_and_erasure_removes_them() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let bo = server.other_customer("Bo Ek", "bo@example.se").await;
    let catalogue = shipped_config().catalogue().unwrap().unwrap();
    let spec = catalogue.start("barista-kit");
    let quote = catalogue.price(&spec).unwrap();
    let designs = json!({ "designs": [
        { "id": "d1", "name": "Espresso corner", "spec": spec, "seen": quote }
    ] });
    let order = json!({
        "design": "d1", "name": "Espresso corner", "spec": spec,
        "total_minor": quote.total_minor, "currency": quote.currency,
    });
    let mut receipts = Vec::new();
    for token in [&ann, &bo] {
        let saved = server
            .put_document("/me/designs", token, Some("\"1\""), &designs)
            .await;
        assert_eq!(saved.status(), StatusCode::OK);
        let placed = server.post("/me/orders", token, &order).await;
        assert_eq!(placed.status(), StatusCode::CREATED);
        receipts.push(placed.json::<OrderReceipt>().await.unwrap());
        let visited = server.post("/me/visits", token, &json!({})).await;
        assert_eq!(visited.status(), StatusCode::OK);
    }

    let export: DataExport = server.get_json("/me/export", &ann).await;
    assert_eq!(export.designs.designs.len(), 1);
    assert_eq!(export.designs.designs[0].name, "Espresso corner");
    assert_eq!(export.orders.len(), 1, "Ann's order, not Bo's");
    let exported = &export.orders[0];
    assert_eq!(exported.order.reference, receipts[0].reference);
    assert_eq!(exported.order.status, RequestStatus::Received);
    assert_eq!(exported.request.spec, spec);
    assert_eq!(exported.quote, quote);
    assert!(export.visits.is_some());

    let (ann_id, bo_id) = (
        id_of(&server, "ann@example.se").await,
        id_of(&server, "bo@example.se").await,
    );
    let request: ErasureRequest = server
        .post("/me/erasure", &ann, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    server.store.erase(request.id).await.unwrap();
    for table in ["designs", "orders", "visits"] {
        let left = server
            .sql_int(
                &format!("SELECT COUNT(*) FROM {table} WHERE customer_id = $1"),
                &[Val::Int(ann_id)],
            )
            .await;
        assert_eq!(left, 0, "{table} keeps nothing of Ann");
        let kept = server
            .sql_int(
                &format!("SELECT COUNT(*) FROM {table} WHERE customer_id = $1"),
                &[Val::Int(bo_id)],
            )
            .await;
        assert_eq!(kept, 1, "{table} keeps Bo's");
    }
    let bos: DataExport = server.get_json("/me/export", &bo).await;
    assert_eq!(bos.orders[0].order.reference, receipts[1].reference);
}

async fn id_of(server: &common::TestServer, email: &str) -> i64 {
    server
        .sql_int(
            "SELECT id FROM customers WHERE email = $1",
            &[Val::Text(email.into())],
        )
        .await
}
