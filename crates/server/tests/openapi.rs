//! The reference server's answers checked against `docs/openapi.yaml`: each answer's status is
//! documented for its operation, and its JSON fits the documented schema. A mapping written
//! from the contract (and `Engine::rapport`) can only be right if the contract is.

mod common;

use serde_json::{Value, json};

fn spec() -> Value {
    serde_yaml::from_str(include_str!("../../../docs/openapi.yaml")).expect("openapi.yaml parses")
}

/// Follows `$ref`s (`#/components/...`) until a value that is not one.
fn resolve<'a>(spec: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("local $ref");
        value = spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{reference} is not in openapi.yaml"));
    }
    value
}

/// Every way `value` breaks `schema`, each with where (`/data/email`).
fn problems(spec: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let schema = resolve(spec, schema);
    let mut found = Vec::new();
    for (key, all) in [("oneOf", false), ("anyOf", false), ("allOf", true)] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let failing: Vec<Vec<String>> = options
                .iter()
                .map(|option| problems(spec, option, value, at))
                .collect();
            let fits = if all {
                failing.iter().all(Vec::is_empty)
            } else {
                failing.iter().any(Vec::is_empty)
            };
            if !fits {
                found.push(format!("{at}: fits no {key} option: {failing:?}"));
            }
        }
    }
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return found;
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
            other => vec![other.as_str().unwrap_or("")],
        };
        let fits = kinds.iter().any(|k| match *k {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !fits {
            found.push(format!("{at}: {value} is not {kinds:?}"));
            return found;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        found.push(format!("{at}: {value} is not one of {options:?}"));
    }
    if let Some(object) = value.as_object() {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                found.push(format!("{at}: the required {name} is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, item) in object {
            let here = format!("{at}/{name}");
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(property), _) => found.extend(problems(spec, property, item, &here)),
                (None, Some(Value::Bool(false))) => {
                    found.push(format!("{here}: not in the schema"));
                }
                (None, Some(extra)) if extra.is_object() => {
                    found.extend(problems(spec, extra, item, &here));
                }
                _ => {}
            }
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, item) in values.iter().enumerate() {
            found.extend(problems(spec, items, item, &format!("{at}/{i}")));
        }
    }
    found
}

/// Checks one answer of `method path` against the contract.
async fn check(spec: &Value, method: &str, path: &str, response: reqwest::Response) -> Vec<String> {
    let status = response.status().as_u16().to_string();
    let body = response.text().await.unwrap();
    let operation = &spec["paths"][path][method.to_lowercase()];
    assert!(
        operation.is_object(),
        "{method} {path} is not in openapi.yaml"
    );
    let Some(documented) = operation["responses"].get(&status) else {
        return vec![format!(
            "{method} {path}: {status} is not a documented answer"
        )];
    };
    let documented = resolve(spec, documented);
    let Some(schema) = documented.pointer("/content/application~1json/schema") else {
        return Vec::new();
    };
    let value: Value = serde_json::from_str(&body)
        .unwrap_or_else(|_| panic!("{method} {path} {status}: not JSON: {body}"));
    problems(spec, schema, &value, "")
        .into_iter()
        .map(|p| format!("{method} {path} {status}: {p}"))
        .collect()
}

#[tokio::test]
async fn answers_fit_the_contract() {
    let spec = spec();
    let server = common::start().await;
    let client = reqwest::Client::new();
    let url = |path: &str| server.url(path);
    let mut found = Vec::new();

    let sign_in = |email: &str, password: &str| {
        client
            .post(url("/session"))
            .json(&json!({ "email": email, "password": password }))
            .send()
    };
    found.extend(
        check(
            &spec,
            "POST",
            "/session",
            sign_in("demo@rapport.example", "demo").await.unwrap(),
        )
        .await,
    );
    found.extend(
        check(
            &spec,
            "POST",
            "/session",
            sign_in("demo@rapport.example", "wrong").await.unwrap(),
        )
        .await,
    );
    let token = server.demo().await;
    let officer = server.officer().await;

    for path in [
        "/me/profile",
        "/me/preferences",
        "/me/designs",
        "/me/orders",
        "/me/consents",
        "/me/export",
        "/me/erasure",
        "/me/history",
        "/me/history/facts",
    ] {
        let answer = client
            .get(url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        found.extend(check(&spec, "GET", path, answer).await);
    }
    let answer = client.get(url("/me/profile")).send().await.unwrap();
    found.extend(check(&spec, "GET", "/me/profile", answer).await);
    for path in [
        "/audit/screens",
        "/audit/ledger",
        "/audit/verify",
        "/audit/consents/trend",
    ] {
        let answer = client
            .get(url(path))
            .bearer_auth(&officer)
            .send()
            .await
            .unwrap();
        found.extend(check(&spec, "GET", path, answer).await);
        let answer = client
            .get(url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        found.extend(check(&spec, "GET", path, answer).await);
    }

    let profile = json!({ "name": "Ann", "email": "ann@example.com" });
    let put = |if_match: Option<&str>, body: &Value| {
        let mut request = client
            .put(url("/me/profile"))
            .bearer_auth(&token)
            .json(body);
        if let Some(version) = if_match {
            request = request.header("If-Match", version);
        }
        request.send()
    };
    let current: Value = server.get_json("/me/profile", &token).await;
    let version = format!("\"{}\"", current["version"]);
    // Stored (200), then the same version again (412, stale), then no version at all (428).
    for if_match in [Some(&version), Some(&version), None] {
        let answer = put(if_match.map(String::as_str), &profile).await.unwrap();
        found.extend(check(&spec, "PUT", "/me/profile", answer).await);
    }
    let bad = json!({ "name": "Ann", "email": "not an e-mail" });
    let now: Value = server.get_json("/me/profile", &token).await;
    let version = format!("\"{}\"", now["version"]);
    found.extend(
        check(
            &spec,
            "PUT",
            "/me/profile",
            put(Some(&version), &bad).await.unwrap(),
        )
        .await,
    );

    found.extend(designs_orders_and_visits(&spec, &server, &token, &officer).await);

    assert!(
        found.is_empty(),
        "answers that break openapi.yaml:\n{}",
        found.join("\n")
    );
}

/// Every answer of the designs, orders and visits endpoints, each once.
async fn designs_orders_and_visits(
    spec: &Value,
    server: &common::TestServer,
    token: &str,
    officer: &str,
) -> Vec<String> {
    let mut found = Vec::new();
    let client = reqwest::Client::new();
    let catalogue = common::shipped_config().catalogue().unwrap().unwrap();
    let design = catalogue.start("fika-box");
    let quote = catalogue.price(&design).unwrap();
    let designs = |name: &str| json!({ "designs": [{ "id": "d1", "name": name, "spec": design, "seen": quote, "names": {} }] });
    let current: Value = server.get_json("/me/designs", token).await;
    let version = format!("\"{}\"", current["version"]);
    // Stored, stale, no version, a rule broken; then an officer.
    for (if_match, name) in [
        (Some(&version), "Mine"),
        (Some(&version), "Mine"),
        (None, "Mine"),
        (Some(&version), " "),
    ] {
        let answer = server
            .put_document(
                "/me/designs",
                token,
                if_match.map(String::as_str),
                &designs(name),
            )
            .await;
        found.extend(check(spec, "PUT", "/me/designs", answer).await);
    }
    let answer = server.get("/me/designs", Some(officer)).await;
    found.extend(check(spec, "GET", "/me/designs", answer).await);

    let order = |total: i64, model: &str| {
        json!({ "name": "Mine", "spec": { "model": model, "options": design.options },
                "total_minor": total, "currency": "SEK" })
    };
    // Received, a price that is not today's, a rule broken, a body that is not an order.
    for body in [
        order(quote.total_minor, "fika-box"),
        order(quote.total_minor - 1, "fika-box"),
        order(quote.total_minor, "no-such-model"),
        json!({ "name": 1 }),
    ] {
        let answer = server.post("/me/orders", token, &body).await;
        found.extend(check(spec, "POST", "/me/orders", answer).await);
    }
    let answer = client
        .get(server.url("/me/orders"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    found.extend(check(spec, "GET", "/me/orders", answer).await);
    for _ in 0..2 {
        let answer = server.post("/me/visits", token, &json!({})).await;
        found.extend(check(spec, "POST", "/me/visits", answer).await);
    }
    let answer = server.get("/me/export", Some(token)).await;
    found.extend(check(spec, "GET", "/me/export", answer).await);
    found
}

#[test]
fn the_validator_finds_what_breaks_a_schema() {
    let spec = spec();
    let schema = json!({ "$ref": "#/components/schemas/SignInResponse" });
    let good = json!({ "token": "t", "expires_in": 3600, "subject": "s", "role": "customer" });
    assert!(problems(&spec, &schema, &good, "").is_empty());
    let bad = json!({ "token": 1, "expires_in": 3600, "role": "admin" });
    let found = problems(&spec, &schema, &bad, "");
    assert_eq!(found.len(), 3, "{found:?}");
}
