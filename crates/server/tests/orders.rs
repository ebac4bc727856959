//! `POST` and `GET /me/orders` and `rapport-server orders`: an order is priced again by the
//! backend from its own catalogue (a rule broken: 422 with its code; a price that is not
//! today's: 409 with today's quote), lands in the history as a request of kind `order`, and
//! becomes a purchase when the business fulfils it with the command.

mod common;

use common::{ToArg, error_of, shipped_config, start};
use rapport_domain::api::PriceChangedBody;
use rapport_domain::catalogue::{Catalogue, Quote, Specification};
use rapport_domain::config::PortalConfig;
use rapport_domain::designs::{OrderReceipt, PlacedOrder, is_reference};
use rapport_domain::history::{
    DataRequest, EventDetails, HistoryPage, Purchase, PurchaseItem, RequestKind, RequestStatus,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::{Command, Output};

fn catalogue() -> Catalogue {
    shipped_config().catalogue().unwrap().unwrap()
}

fn spec(model: &str, options: &[(&str, u32)]) -> Specification {
    Specification {
        model: model.into(),
        options: options
            .iter()
            .map(|(id, n)| ((*id).to_owned(), *n))
            .collect(),
    }
}

/// A design of the shipped catalogue that can be ordered: three mugs need the piece price.
fn mugs_box() -> Specification {
    spec(
        "gift-crate",
        &[
            ("dark-roast", 1),
            ("mug", 3),
            ("engraving", 1),
            ("wooden-crate", 1),
        ],
    )
}

/// An order of `spec` at `quote`'s total.
fn order(name: &str, spec: &Specification, quote: &Quote) -> Value {
    json!({
        "design": "d1",
        "name": name,
        "spec": spec,
        "total_minor": quote.total_minor,
        "currency": quote.currency,
    })
}

async fn history_of(server: &common::TestServer, token: &str, kind: &str) -> Vec<EventDetails> {
    let page: HistoryPage = server
        .get_json(&format!("/me/history?kind={kind}&limit=100"), token)
        .await;
    page.events.into_iter().map(|e| e.details).collect()
}

fn order_requests(events: &[EventDetails]) -> Vec<DataRequest> {
    events
        .iter()
        .filter_map(|e| match e {
            EventDetails::Request(r) if r.kind == RequestKind::Order => Some(r.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn an_order_at_todays_price_is_received_and_shows_in_history_and_orders() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let spec = mugs_box();
    let quote = catalogue().price(&spec).unwrap();

    let placed = server
        .post(
            "/me/orders",
            &ann,
            &order("Mugs for the team", &spec, &quote),
        )
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);
    let receipt: OrderReceipt = placed.json().await.unwrap();
    assert!(is_reference(&receipt.reference), "{}", receipt.reference);
    assert_eq!(receipt.quote, quote);

    let requests = order_requests(&history_of(&server, &ann, "request").await);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].status, RequestStatus::Received);
    let summary = requests[0].order.as_ref().expect("the order's summary");
    assert_eq!(
        (
            summary.reference.as_str(),
            summary.name.as_str(),
            summary.model.as_str()
        ),
        (
            receipt.reference.as_str(),
            "Mugs for the team",
            "gift-crate"
        )
    );
    assert_eq!(
        (summary.total_minor, summary.currency.as_str()),
        (quote.total_minor, "SEK")
    );

    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert_eq!(
        orders,
        vec![PlacedOrder {
            reference: receipt.reference.clone(),
            name: "Mugs for the team".into(),
            model: "gift-crate".into(),
            total_minor: quote.total_minor,
            currency: "SEK".into(),
            status: RequestStatus::Received,
            received_at: receipt.received_at,
            fulfilled_at: None,
        }]
    );

    // Newest first.
    let second = spec_quote("fika-box", &[("decaf", 1)]);
    let later = server
        .post("/me/orders", &ann, &order("Decaf", &second.0, &second.1))
        .await;
    assert_eq!(later.status(), StatusCode::CREATED);
    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert_eq!(
        orders.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        ["Decaf", "Mugs for the team"]
    );
}

fn spec_quote(model: &str, options: &[(&str, u32)]) -> (Specification, Quote) {
    let spec = spec(model, options);
    let quote = catalogue().price(&spec).unwrap();
    (spec, quote)
}

#[tokio::test]
async fn a_price_that_is_not_todays_is_refused_with_the_quote_now() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let spec = mugs_box();
    let quote = catalogue().price(&spec).unwrap();
    for (total, currency) in [
        (quote.total_minor - 1, "SEK"),
        (quote.total_minor + 100, "SEK"),
        (quote.total_minor, "EUR"),
    ] {
        let mut body = order("Mugs", &spec, &quote);
        body["total_minor"] = json!(total);
        body["currency"] = json!(currency);
        let refused = server.post("/me/orders", &ann, &body).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{total} {currency}");
        let body: PriceChangedBody = refused.json().await.unwrap();
        assert_eq!(body.error.code, "price_changed");
        assert_eq!(body.quote, quote);
    }
    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert!(orders.is_empty(), "nothing refused was stored");
    assert!(order_requests(&history_of(&server, &ann, "request").await).is_empty());
}

#[tokio::test]
async fn a_design_that_breaks_a_rule_is_refused_with_the_rules_code() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let cases = [
        (
            spec("fika-box", &[("dark-roast", 1), ("engraving", 1)]),
            "option_needs",
        ),
        (
            spec(
                "fika-box",
                &[("dark-roast", 1), ("teapot", 1), ("french-press", 1)],
            ),
            "options_exclude",
        ),
        (
            spec("fika-box", &[("dark-roast", 1), ("electric-grinder", 1)]),
            "option_not_with_model",
        ),
        (spec("fika-box", &[]), "choice_required"),
        (
            spec("fika-box", &[("dark-roast", 1), ("mug", 7)]),
            "quantity_out_of_range",
        ),
        (
            spec("fika-box", &[("dark-roast", 1), ("caviar", 1)]),
            "unknown_option",
        ),
        (spec("space-box", &[("dark-roast", 1)]), "unknown_model"),
        (
            spec("fika-box", &[("dark-roast", 1), ("decaf", 1)]),
            "one_choice_only",
        ),
    ];
    for (spec, code) in cases {
        // The portal's own price for it, so only the rule can be what is refused.
        let quote = catalogue().quote(&spec);
        let refused = server
            .post("/me/orders", &ann, &order("Box", &spec, &quote))
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        let error = error_of(refused).await.error;
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            (code, Some("spec"))
        );
    }
    for (name, code) in [
        ("  ", "design_name_missing"),
        ("Box\u{0007}", "control_character"),
    ] {
        let (spec, quote) = spec_quote("fika-box", &[("dark-roast", 1)]);
        let refused = server
            .post("/me/orders", &ann, &order(name, &spec, &quote))
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error = error_of(refused).await.error;
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            (code, Some("name"))
        );
    }
    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert!(orders.is_empty());
}

/// The shipped configuration with the Fika box's base price raised by `more` öre.
fn with_fika_box_dearer(more: i64) -> PortalConfig {
    let mut config: Value =
        serde_json::from_str(include_str!("../../../public/config.json")).unwrap();
    let models = config["catalogue"]["models"].as_array_mut().unwrap();
    let fika = models.iter_mut().find(|m| m["id"] == "fika-box").unwrap();
    fika["base_price_minor"] = json!(fika["base_price_minor"].as_i64().unwrap() + more);
    PortalConfig::from_json(&config.to_string(), &rapport_server::settings::LANGUAGES).unwrap()
}

#[tokio::test]
async fn a_price_changed_between_saving_and_ordering_is_refused() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    // Saved while the shipped prices held.
    let spec = spec("fika-box", &[("dark-roast", 1), ("buns", 2)]);
    let seen = catalogue().price(&spec).unwrap();
    let design = json!({ "designs": [{ "id": "d1", "name": "Fika", "spec": spec, "seen": seen }] });
    let saved = server
        .put_document("/me/designs", &ann, Some("\"1\""), &design)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);

    // The business raises the price and restarts.
    let dearer = with_fika_box_dearer(1_000);
    let now = dearer.catalogue().unwrap().unwrap().price(&spec).unwrap();
    assert_eq!(now.total_minor, seen.total_minor + 1_000);
    let restarted = server.with_config(dearer).await;
    let refused = reqwest::Client::new()
        .post(restarted.url("/me/orders"))
        .bearer_auth(&ann)
        .json(&order("Fika", &spec, &seen))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let body: PriceChangedBody = refused.json().await.unwrap();
    assert_eq!(
        (body.error.code.as_str(), body.quote),
        ("price_changed", now.clone())
    );

    // At the new price it goes through.
    let accepted = reqwest::Client::new()
        .post(restarted.url("/me/orders"))
        .bearer_auth(&ann)
        .json(&order("Fika", &spec, &now))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let receipt: OrderReceipt = accepted.json().await.unwrap();
    assert_eq!(receipt.quote.total_minor, now.total_minor);
}

#[tokio::test]
async fn without_a_catalogue_no_order_is_taken() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let mut config: Value =
        serde_json::from_str(include_str!("../../../public/config.json")).unwrap();
    config.as_object_mut().unwrap().remove("catalogue");
    let config =
        PortalConfig::from_json(&config.to_string(), &rapport_server::settings::LANGUAGES).unwrap();
    let without = server.with_config(config).await;
    let (spec, quote) = spec_quote("fika-box", &[("dark-roast", 1)]);
    let refused = reqwest::Client::new()
        .post(without.url("/me/orders"))
        .bearer_auth(&ann)
        .json(&order("Box", &spec, &quote))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_of(refused).await.error.code, "not_found");
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_answers_the_first_receipt() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let (spec, quote) = spec_quote("fika-box", &[("dark-roast", 1)]);
    let send = |key: &'static str| {
        reqwest::Client::new()
            .post(server.url("/me/orders"))
            .bearer_auth(&ann)
            .header("Idempotency-Key", key)
            .json(&order("Box", &spec, &quote))
            .send()
    };
    let first: OrderReceipt = send("k-1").await.unwrap().json().await.unwrap();
    let again = send("k-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<OrderReceipt>().await.unwrap(), first);
    let other: OrderReceipt = send("k-2").await.unwrap().json().await.unwrap();
    assert_ne!(other.reference, first.reference);
    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert_eq!(orders.len(), 2, "one order per key");
    assert_eq!(
        send("").await.unwrap().status(),
        StatusCode::BAD_REQUEST,
        "an empty key is a mistake, not no key"
    );
}

#[tokio::test]
async fn a_customer_reaches_only_their_own_orders() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let bo = server.other_customer("Bo Ek", "bo@example.se").await;
    let officer = server.officer().await;
    let (spec, quote) = spec_quote("fika-box", &[("dark-roast", 1)]);
    let placed = server
        .post("/me/orders", &ann, &order("Ann's", &spec, &quote))
        .await;
    assert_eq!(placed.status(), StatusCode::CREATED);

    let bos: Vec<PlacedOrder> = server.get_json("/me/orders", &bo).await;
    assert!(bos.is_empty());
    assert!(order_requests(&history_of(&server, &bo, "request").await).is_empty());
    assert_eq!(
        server.get("/me/orders", Some(&officer)).await.status(),
        StatusCode::FORBIDDEN
    );
    let by_officer = server
        .post("/me/orders", &officer, &order("Officer's", &spec, &quote))
        .await;
    assert_eq!(by_officer.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        server.get("/me/orders", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

fn rapport_server(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport-server"))
        .args(["--db", db])
        .args(args)
        .env("RUST_LOG", "info")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fulfilling_with_the_command_turns_the_order_into_a_purchase() {
    let server = start().await;
    let ann = server.other_customer("Ann Berg", "ann@example.se").await;
    let spec = mugs_box();
    let quote = catalogue().price(&spec).unwrap();
    let receipt: OrderReceipt = server
        .post(
            "/me/orders",
            &ann,
            &order("Mugs for the team", &spec, &quote),
        )
        .await
        .json()
        .await
        .unwrap();
    let db = server.database.to_arg();

    let list = rapport_server(&db, &["orders", "list"]);
    assert!(list.status.success(), "{}", common::command_text(&list));
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(listed.contains(&receipt.reference), "{listed}");
    assert!(listed.contains("ann@example.se"), "{listed}");

    let fulfil = rapport_server(&db, &["orders", "fulfil", &receipt.reference]);
    assert!(fulfil.status.success(), "{}", common::command_text(&fulfil));

    let orders: Vec<PlacedOrder> = server.get_json("/me/orders", &ann).await;
    assert_eq!(orders[0].status, RequestStatus::Done);
    let fulfilled_at = orders[0].fulfilled_at.expect("when it was fulfilled");
    assert!(fulfilled_at >= receipt.received_at);

    // The purchase, named in the configuration's default language with the quote's prices.
    let purchases: Vec<Purchase> = history_of(&server, &ann, "purchase")
        .await
        .into_iter()
        .filter_map(|e| match e {
            EventDetails::Purchase(p) => Some(p),
            _ => None,
        })
        .collect();
    let catalogue = catalogue();
    let name = |id: &str| catalogue.option(id).unwrap().1.name.get("en").to_owned();
    let item = |product: String, quantity, unit_price_minor| PurchaseItem {
        product,
        quantity,
        unit_price_minor,
    };
    let wooden = quote
        .lines
        .iter()
        .find(|l| l.option == "wooden-crate")
        .unwrap();
    assert_eq!(
        purchases,
        vec![Purchase {
            items: vec![
                item("Gift crate".into(), 1, quote.base_minor),
                item(name("dark-roast"), 1, 0),
                item(name("mug"), 3, 14_900),
                item(name("engraving"), 1, 9_900),
                item(name("wooden-crate"), 1, wooden.amount_minor),
            ],
            total_minor: quote.total_minor,
            currency: "SEK".into(),
            store: "Web shop".into(),
        }]
    );
    let requests = order_requests(&history_of(&server, &ann, "request").await);
    assert_eq!(
        requests.iter().map(|r| r.status).collect::<Vec<_>>(),
        [RequestStatus::Done, RequestStatus::Received],
        "newest first"
    );
    assert_eq!(requests[0].order, requests[1].order, "the same summary");

    let again = rapport_server(&db, &["orders", "fulfil", &receipt.reference]);
    assert!(!again.status.success());
    assert!(
        common::command_text(&again).contains("fulfilled already"),
        "{}",
        common::command_text(&again)
    );
    let unknown = rapport_server(&db, &["orders", "fulfil", "R-00000000"]);
    assert!(!unknown.status.success());
    assert!(
        common::command_text(&unknown).contains("no order R-00000000"),
        "{}",
        common::command_text(&unknown)
    );
    let list = rapport_server(&db, &["orders", "list"]);
    assert!(
        !String::from_utf8_lossy(&list.stdout).contains(&receipt.reference),
        "a fulfilled order is no longer open"
    );
    let purchases_after = history_of(&server, &ann, "purchase").await;
    assert_eq!(
        purchases_after.len(),
        1,
        "fulfilling twice bought nothing twice"
    );
}
