use super::*;
use crate::config::PortalConfig;
use crate::history::{Channel, EventKind, HistoryQuery};
use crate::{Preferences, Profile};
use serde_json::json;

fn answer(status: u16, headers: &[(&str, &str)], body: Value) -> Answer {
    Answer {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.to_string().into_bytes(),
    }
}

/// A Kinto-like store: Basic auth, records under `/data`, ETag versions, create with
/// If-None-Match, the current record in a 412's details, history paged by a Next-Page link.
fn kinto_like() -> Engine {
    let mapping = json!({
        "auth": { "kind": "basic", "subject": "/user/id" },
        "version": {
            "read": "etag", "send": "if_match", "conflict": [412],
            "current": { "at": { "data": "/details/existing", "version": "/details/existing/last_modified" } }
        },
        "operations": {
            "sign_in": { "method": "GET", "url": "/" },
            "profile_read": { "method": "GET", "url": "/records/profile", "data": "/data", "missing": [404] },
            "profile_write": { "method": "PUT", "url": "/records/profile", "body": { "data": "{document}" }, "data": "/data" },
            "profile_create": { "method": "PUT", "url": "/records/profile", "headers": { "If-None-Match": "*" }, "body": { "data": "{document}" }, "data": "/data" },
            "preferences_read": { "method": "GET", "url": "/records/preferences", "data": "/data", "missing": [404] },
            "preferences_write": { "method": "PUT", "url": "/records/preferences", "body": { "data": "{document}" }, "data": "/data" },
            "history_page": { "method": "GET", "url": "/history?_sort=-occurred_at" }
        },
        "history": {
            "events": "/data",
            "event_fields": { "id": "/seq", "channel": "/channel", "occurred_at": "/at", "kind": "/kind", "details": "/details" },
            "paging": { "next_link": { "next": { "header": "Next-Page" } } },
            "limit": "_limit",
            "filters": { "kind": { "param": "kind" }, "from": { "param": "min_at" } }
        },
        "errors": { "code": "/errno", "message": "/message" }
    });
    Engine::new(
        "http://127.0.0.1:8888/v1/",
        Mapping::from_value(&mapping, "backend.mapping").unwrap(),
    )
}

fn session() -> Session {
    Session {
        credential: "Basic YTpi".into(),
        subject: "account:ann".into(),
        role: Role::Customer,
    }
}

#[test]
fn the_built_in_contract_is_a_valid_mapping_and_matches_the_example() {
    let text: Value = serde_json::from_str(RAPPORT).unwrap();
    let checked = Mapping::from_value(&text, "m").unwrap();
    assert_eq!(Engine::rapport("/api").capabilities(), Capabilities::ALL);
    assert!(!checked.capabilities.audit);
    let example: Value = serde_json::from_str(include_str!(
        "../../../../examples/backends/rapport/config.json"
    ))
    .unwrap();
    assert_eq!(
        example["backend"]["mapping"], text,
        "examples/backends/rapport drifted"
    );
}

#[test]
fn todays_config_still_means_our_own_contract() {
    let backend: BackendConfig = serde_json::from_value(json!({ "base_url": "/api" })).unwrap();
    let engine = Engine::for_backend(&backend).unwrap();
    assert_eq!(engine, Engine::rapport("/api"));
    let request = engine.read_request(Document::Profile, &session()).unwrap();
    assert_eq!(request.url, "/api/me/profile");
    assert_eq!(request.header("authorization"), Some("Basic YTpi"));
}

#[test]
fn sign_in_reads_token_subject_and_role_at_their_pointers() {
    let engine = Engine::rapport("https://api.example/rapport");
    let request = engine.sign_in_request("ann@x.example", "pw \"1\"").unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://api.example/rapport/session");
    assert!(request.header("authorization").is_none());
    assert_eq!(
        serde_json::from_str::<Value>(request.body.as_deref().unwrap()).unwrap(),
        json!({ "email": "ann@x.example", "password": "pw \"1\"" })
    );
    let ok = answer(
        200,
        &[],
        json!({ "token": "t0k", "expires_in": 3600, "subject": "s-1", "role": "privacy_officer" }),
    );
    let session = engine.sign_in_answer("ann", "pw", &ok).unwrap();
    assert_eq!(session.credential, "Bearer t0k");
    assert_eq!(session.subject, "s-1");
    assert_eq!(session.role, Role::PrivacyOfficer);
    assert!(
        !format!("{session:?}").contains("t0k"),
        "the token is never printed"
    );

    let refused = answer(
        401,
        &[],
        json!({ "error": { "code": "bad_credentials", "message": "no" } }),
    );
    assert_eq!(
        engine.sign_in_answer("ann", "bad", &refused),
        Err(Failure::SignedOut(Operation::SignIn))
    );
    let no_token = answer(200, &[], json!({ "subject": "s-1", "role": "customer" }));
    let err = engine.sign_in_answer("ann", "pw", &no_token).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sign_in: the mapping expected a value at /token but found nothing; the answer is an object with role, subject"
    );
}

#[test]
fn basic_auth_checks_the_password_with_the_sign_in_operation() {
    let engine = kinto_like();
    let request = engine.sign_in_request("ann", "secret").unwrap();
    assert_eq!(request.url, "http://127.0.0.1:8888/v1/");
    assert_eq!(
        request.header("Authorization"),
        Some("Basic YW5uOnNlY3JldA==")
    );
    assert!(
        !format!("{request:?}").contains("YW5u"),
        "credentials are never printed"
    );
    let session = engine
        .sign_in_answer(
            "ann",
            "secret",
            &answer(200, &[], json!({ "user": { "id": "account:ann" } })),
        )
        .unwrap();
    assert_eq!(session.subject, "account:ann");
    assert_eq!(session.credential, "Basic YW5uOnNlY3JldA==");
}

#[test]
fn a_read_takes_data_and_etag_and_a_missing_record_is_unstored() {
    let engine = kinto_like();
    let found = answer(
        200,
        &[("ETag", "\"1732\"")],
        json!({ "data": { "id": "profile", "last_modified": 1732, "name": "Ann", "email": "a@x.example" } }),
    );
    let profile: Versioned<Profile> = engine.read_answer(Document::Profile, &found).unwrap();
    assert_eq!(profile.version, Version(1732));
    assert_eq!(profile.data.name, "Ann");
    let missing: Versioned<Profile> = engine
        .read_answer(Document::Profile, &answer(404, &[], json!({})))
        .unwrap();
    assert_eq!(
        missing,
        Versioned {
            version: UNSTORED,
            data: Profile::default()
        }
    );

    let no_etag = answer(
        200,
        &[],
        json!({ "data": { "name": "Ann", "email": "a@x.example" } }),
    );
    let err = engine
        .read_answer::<Profile>(Document::Profile, &no_etag)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the ETag header but found no ETag header"),
        "{err}"
    );
}

#[test]
fn a_mapping_that_does_not_fit_names_operation_pointer_and_what_was_found() {
    let engine = kinto_like();
    let wrong = answer(
        200,
        &[("ETag", "\"3\"")],
        json!({ "data": { "name": 42, "email": "a@x" } }),
    );
    let err = engine
        .read_answer::<Profile>(Document::Profile, &wrong)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile_read: the mapping expected a value at /data/name but found the number 42 (invalid type: integer `42`, expected a string)"
    );
    let html = Answer {
        status: 200,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: b"<!doctype html><p>Welcome".to_vec(),
    };
    let err = engine
        .read_answer::<Profile>(Document::Profile, &html)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile_read: the mapping expected a value at the whole answer but found an HTML page (text/html), not JSON"
    );
    let elsewhere = answer(200, &[("ETag", "\"3\"")], json!({ "record": {} }));
    let err = engine
        .read_answer::<Profile>(Document::Profile, &elsewhere)
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("at /data but found nothing; the answer is an object with record"),
        "{err}"
    );
}

#[test]
fn writes_send_the_version_and_the_document_as_json() {
    let engine = kinto_like();
    let document = json!({ "name": "Ann \"}{document}", "email": "a@x.example" });
    let update = engine
        .write_request(Document::Profile, &session(), Some(Version(9)), &document)
        .unwrap();
    assert_eq!(update.operation, Operation::ProfileWrite);
    assert_eq!(update.method, "PUT");
    assert_eq!(update.header("if-match"), Some("\"9\""));
    assert_eq!(update.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(update.body.as_deref().unwrap()).unwrap(),
        json!({ "data": document })
    );
    for base in [None, Some(UNSTORED)] {
        let create = engine
            .write_request(Document::Profile, &session(), base, &document)
            .unwrap();
        assert_eq!(create.operation, Operation::ProfileCreate);
        assert_eq!(create.header("if-none-match"), Some("*"));
        assert_eq!(create.header("if-match"), None);
    }
    // Without a create operation a version-less write goes out without a version, for the
    // store to refuse (Rapport answers 428).
    let bare = Engine::rapport("/api")
        .write_request(Document::Profile, &session(), None, &document)
        .unwrap();
    assert_eq!(bare.header("if-match"), None);
}

#[test]
fn versions_can_travel_in_the_query_or_the_body() {
    let mut mapping = kinto_like().mapping().clone();
    mapping.version.send = VersionSink::Query("v".into());
    let engine = Engine::new("https://s.example", mapping.clone());
    let request = engine
        .write_request(
            Document::Preferences,
            &session(),
            Some(Version(4)),
            &json!({}),
        )
        .unwrap();
    assert_eq!(request.url, "https://s.example/records/preferences?v=4");
    mapping.version.send = VersionSink::Body("/meta/version".into());
    let engine = Engine::new("https://s.example", mapping);
    let request = engine
        .write_request(
            Document::Preferences,
            &session(),
            Some(Version(4)),
            &json!({ "answers": {} }),
        )
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(request.body.as_deref().unwrap()).unwrap(),
        json!({ "data": { "answers": {} }, "meta": { "version": 4 } })
    );
}

#[test]
fn a_conflict_carries_the_current_record_or_asks_for_a_read() {
    let engine = kinto_like();
    let request = engine
        .write_request(Document::Profile, &session(), Some(Version(1)), &json!({}))
        .unwrap();
    let conflict = answer(
        412,
        &[],
        json!({ "errno": 114, "message": "modified meanwhile",
                "details": { "existing": { "last_modified": 2, "name": "Bo", "email": "b@x.example" } } }),
    );
    let saved: Saved<Profile> = engine
        .write_answer(Document::Profile, &request, &conflict)
        .unwrap();
    let Saved::Conflict(Some(current)) = saved else {
        panic!("{saved:?}")
    };
    assert_eq!(current.version, Version(2));
    assert_eq!(current.data.name, "Bo");

    // A conflict status without the record where the mapping says: read it again.
    let mut lost_race = engine.mapping().clone();
    lost_race.version.conflict = vec![409, 412];
    let bare = answer(
        409,
        &[],
        json!({ "errno": 122, "message": "Integrity constraint violated" }),
    );
    let saved: Saved<Profile> = Engine::new("http://x", lost_race)
        .write_answer(Document::Profile, &request, &bare)
        .unwrap();
    assert_eq!(saved, Saved::Conflict(None));

    let mut mapping = engine.mapping().clone();
    mapping.version.current = CurrentRecord::Refetch;
    mapping.version.conflict = vec![409, 412];
    let engine = Engine::new("http://x", mapping);
    let saved: Saved<Profile> = engine
        .write_answer(Document::Profile, &request, &answer(409, &[], json!({})))
        .unwrap();
    assert_eq!(saved, Saved::Conflict(None));

    let ok = answer(
        200,
        &[("etag", "\"3\"")],
        json!({ "data": { "name": "Al", "email": "a@x.example" } }),
    );
    let saved: Saved<Profile> = engine
        .write_answer(Document::Profile, &request, &ok)
        .unwrap();
    assert!(matches!(
        saved,
        Saved::Saved(Versioned {
            version: Version(3),
            ..
        })
    ));
}

#[test]
fn errors_land_on_their_field() {
    let engine = Engine::rapport("/api");
    let request = engine
        .write_request(Document::Profile, &session(), Some(Version(1)), &json!({}))
        .unwrap();
    let refused = answer(
        422,
        &[],
        json!({ "error": { "code": "not_an_email", "message": "not an e-mail", "field": "email" } }),
    );
    let Err(Failure::Refused(refusal)) =
        engine.write_answer::<Profile>(Document::Profile, &request, &refused)
    else {
        panic!()
    };
    assert_eq!(refusal.field.as_deref(), Some("email"));
    assert_eq!(refusal.code.as_deref(), Some("not_an_email"));

    let mut mapping = engine.mapping().clone();
    mapping.errors = ErrorPointers {
        message: Some("/message".into()),
        field_key: Some("/data".into()),
        ..ErrorPointers::default()
    };
    let pocketbase_like = answer(
        400,
        &[],
        json!({ "status": 400, "message": "Failed.", "data": { "email": { "code": "validation_is_email" } } }),
    );
    let Err(Failure::Refused(refusal)) = Engine::new("/x", mapping).write_answer::<Profile>(
        Document::Profile,
        &request,
        &pocketbase_like,
    ) else {
        panic!()
    };
    assert_eq!(refusal.field.as_deref(), Some("email"));
    assert_eq!(refusal.message.as_deref(), Some("Failed."));

    let gateway = Answer {
        status: 502,
        headers: vec![],
        body: b"<html>Bad gateway</html>".to_vec(),
    };
    let err = engine
        .write_answer::<Profile>(Document::Profile, &request, &gateway)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile_write: the store refused with 502 and an HTML page (no content type), not JSON"
    );
}

#[test]
fn fields_map_both_ways() {
    let mut mapping = kinto_like().mapping().clone();
    let fields: std::collections::BTreeMap<String, String> = [
        ("name", "/full_name"),
        ("email", "/contact/email"),
        ("preferred_contact", "/contact/how"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    for op in [Operation::ProfileRead, Operation::ProfileWrite] {
        mapping.operations.get_mut(&op).unwrap().fields = Some(fields.clone());
    }
    let engine = Engine::new("http://x", mapping);
    let stored = answer(
        200,
        &[("ETag", "\"5\"")],
        json!({ "data": { "full_name": "Ann", "contact": { "email": "a@x.example", "how": "sms" } } }),
    );
    let profile: Versioned<Profile> = engine.read_answer(Document::Profile, &stored).unwrap();
    assert_eq!(
        profile.data.preferred_contact,
        Some(crate::ContactMethod::Sms)
    );
    let request = engine
        .write_request(
            Document::Profile,
            &session(),
            Some(Version(5)),
            &serde_json::to_value(&profile.data).unwrap(),
        )
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(request.body.as_deref().unwrap()).unwrap(),
        json!({ "data": { "full_name": "Ann", "contact": { "email": "a@x.example", "how": "sms" } } })
    );
}

#[test]
fn history_pages_by_next_link_and_never_leaves_the_origin() {
    let engine = kinto_like();
    let query = HistoryQuery {
        kind: Some(EventKind::Purchase),
        since: Some(100),
        limit: 2,
        ..HistoryQuery::default()
    };
    let request = engine.history_request(&session(), &query).unwrap();
    assert_eq!(
        request.url,
        "http://127.0.0.1:8888/v1/history?_sort=-occurred_at&kind=purchase&min_at=100&_limit=2"
    );
    let event = |seq: i64| {
        json!({ "id": format!("r{seq}"), "seq": seq, "channel": "web", "at": 1000 - seq, "kind": "interaction",
                "details": { "kind": "question", "summary": "Asked" } })
    };
    let page = engine
        .history_answer(
            &query,
            &answer(
                200,
                &[("Next-Page", "http://127.0.0.1:8888/v1/history?_token=abc")],
                json!({ "data": [event(1), event(2)] }),
            ),
        )
        .unwrap();
    assert_eq!(page.events.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        page.next_cursor.as_deref(),
        Some("http://127.0.0.1:8888/v1/history?_token=abc")
    );
    let next = HistoryQuery {
        cursor: page.next_cursor,
        ..query.clone()
    };
    assert_eq!(
        engine.history_request(&session(), &next).unwrap().url,
        "http://127.0.0.1:8888/v1/history?_token=abc"
    );
    let evil = HistoryQuery {
        cursor: Some("http://127.0.0.1:8888.evil.example/x".into()),
        ..query.clone()
    };
    assert!(engine.history_request(&session(), &evil).is_err());
    let err = engine
        .history_answer(
            &query,
            &answer(
                200,
                &[("Next-Page", "https://evil.example/x")],
                json!({ "data": [] }),
            ),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("outside the store's origin"),
        "{err}"
    );

    let unsupported = HistoryQuery {
        channel: Some(Channel::Web),
        ..HistoryQuery::default()
    };
    assert!(matches!(
        engine.history_request(&session(), &unsupported),
        Err(Failure::NotOffered(Operation::HistoryPage, _))
    ));
    assert_eq!(engine.history_filters(), [Filter::Kind, Filter::From]);

    let broken = answer(200, &[], json!({ "data": [event(1), { "seq": "x" }] }));
    let err = engine.history_answer(&query, &broken).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("history_page: the mapping expected a value at /data/1"),
        "{err}"
    );
}

#[test]
fn history_pages_by_number_and_offset_with_joined_filters() {
    let mut mapping = kinto_like().mapping().clone();
    let history = mapping.history.as_mut().unwrap();
    history.paging = Paging::Page {
        param: "page".into(),
    };
    history.limit = Some("perPage".into());
    history.join = Some(" && ".into());
    history.filters = [
        (
            Filter::Kind,
            FilterParam {
                param: "filter".into(),
                value: "kind='{value}'".into(),
            },
        ),
        (
            Filter::To,
            FilterParam {
                param: "filter".into(),
                value: "at<={value}".into(),
            },
        ),
    ]
    .into_iter()
    .collect();
    let engine = Engine::new("http://x", mapping.clone());
    let query = HistoryQuery {
        kind: Some(EventKind::Purchase),
        before: Some(51),
        limit: 1,
        ..HistoryQuery::default()
    };
    assert_eq!(
        engine.history_request(&session(), &query).unwrap().url,
        "http://x/history?_sort=-occurred_at&filter=kind%3D%27purchase%27%20%26%26%20at%3C%3D50&perPage=1&page=1"
    );
    let one = json!({ "data": [{ "seq": 1, "channel": "web", "at": 5, "kind": "interaction", "details": { "kind": "visit", "summary": "x" } }] });
    let page = engine
        .history_answer(&query, &answer(200, &[], one.clone()))
        .unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("2"));
    let last = engine
        .history_answer(&query, &answer(200, &[], json!({ "data": [] })))
        .unwrap();
    assert_eq!(last.next_cursor, None);

    let history = mapping.history.as_mut().unwrap();
    history.paging = Paging::Offset {
        param: "skip".into(),
    };
    let engine = Engine::new("http://x", mapping);
    let second = HistoryQuery {
        cursor: Some("1".into()),
        ..query
    };
    assert!(
        engine
            .history_request(&session(), &second)
            .unwrap()
            .url
            .ends_with("&skip=1")
    );
    let page = engine
        .history_answer(&second, &answer(200, &[], one))
        .unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("2"));
}

#[test]
fn a_handed_over_token_and_a_refresh() {
    let engine = Engine::rapport("/api");
    let session = engine.handed_over("host-token", "s-9", Role::Customer);
    let request = engine
        .read_request(Document::Preferences, &session)
        .unwrap();
    assert_eq!(request.header("Authorization"), Some("Bearer host-token"));
    assert!(!request.url.contains("host-token"));
    let stranger = request.clone().without_credential();
    assert_eq!(stranger.header("authorization"), None);
    assert!(
        engine.refresh_request(&session).is_none(),
        "our contract has no refresh"
    );

    let mut mapping = engine.mapping().clone();
    mapping.operations.insert(
        Operation::Refresh,
        serde_json::from_value(json!({ "method": "POST", "url": "/refresh" })).unwrap(),
    );
    let engine = Engine::new("/api", mapping);
    let refresh = engine.refresh_request(&session).unwrap();
    assert_eq!(refresh.header("authorization"), Some("Bearer host-token"));
    let renewed = engine
        .refresh_answer(&session, &answer(200, &[], json!({ "token": "fresh" })))
        .unwrap();
    assert_eq!(renewed.credential, "Bearer fresh");
    assert_eq!(renewed.subject, "s-9");
}

#[test]
fn subjects_fill_whole_segments_percent_encoded() {
    let mut mapping = kinto_like().mapping().clone();
    mapping
        .operations
        .get_mut(&Operation::ProfileRead)
        .unwrap()
        .url = "/users/{subject}/profile".into();
    let engine = Engine::new("http://x", mapping);
    let mut odd = session();
    odd.subject = "../../admin?all=1".into();
    assert_eq!(
        engine.read_request(Document::Profile, &odd).unwrap().url,
        "http://x/users/..%2F..%2Fadmin%3Fall%3D1/profile"
    );
}

#[test]
fn the_portal_config_lists_every_mapping_mistake_with_its_path() {
    let mut config: Value =
        serde_json::from_str(include_str!("../../../../public/config.json")).unwrap();
    config["backend"] = json!({
        "base_url": "https://store.example",
        "kind": "mapped",
        "mapping": {
            "auth": { "kind": "sign_in", "subject": "data/id" },
            "version": { "read": "etag", "send": { "header": "X" }, "current": "refetch" },
            "operations": {
                "profile_read": { "method": "FETCH", "url": "records/{subject}" },
                "profile_write": { "method": "PUT", "url": "/r/{token}", "body": { "d": "doc: {document}" } },
                "preferences_read": { "method": "GET", "url": "/p/x{subject}", "colour": 1 },
                "preference_write": { "method": "PUT", "url": "/p" }
            },
            "capabilities": { "audit": true, "exports": true },
            "extra": 1
        }
    });
    let problems: Vec<String> = match PortalConfig::from_json(&config.to_string(), &["en", "sv"]) {
        Ok(_) => panic!("accepted"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    let expected = [
        "backend.mapping.extra: \"extra\" is not part of a mapping",
        "backend.mapping.version.send.header: unknown variant `header`",
        "backend.mapping.operations.preference_write: \"preference_write\" is not an operation",
        "backend.mapping.operations.preferences_read.colour: unknown field `colour`",
    ];
    for e in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing {e:?} in {problems:#?}"
        );
    }
    // Shape mistakes stop the semantic checks; with the shapes fixed, those are all listed.
    let mapping = &mut config["backend"]["mapping"];
    mapping.as_object_mut().unwrap().remove("extra");
    mapping["version"]["send"] = json!("if_match");
    let ops = mapping["operations"].as_object_mut().unwrap();
    ops.remove("preference_write");
    ops["preferences_read"]
        .as_object_mut()
        .unwrap()
        .remove("colour");
    let problems: Vec<String> = match PortalConfig::from_json(&config.to_string(), &["en", "sv"]) {
        Ok(_) => panic!("accepted"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    let expected = [
        "backend.mapping.operations: has no `preferences_write`",
        "backend.mapping.operations: has no `sign_in`",
        "backend.mapping.auth.subject: \"data/id\" is not a JSON Pointer",
        "backend.mapping.auth.token: is missing",
        "backend.mapping.operations.profile_read.method: \"FETCH\" is not one of GET, POST, PUT, PATCH, DELETE",
        "backend.mapping.operations.profile_read.url: \"records/{subject}\" must be a path",
        "backend.mapping.operations.profile_write.url: {token} is not a placeholder of profile_write",
        "backend.mapping.operations.profile_write.body.d: \"doc: {document}\": a placeholder must be the whole string",
        "backend.mapping.operations.preferences_read.url: {subject} must be a whole path segment",
        "backend.mapping.capabilities.exports: is true but there is no `export` operation",
        "backend.mapping.capabilities.audit: the officer's audit needs Rapport's own contract",
    ];
    for e in expected {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing {e:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
}

#[test]
fn kind_and_mapping_must_agree() {
    let mut config: Value =
        serde_json::from_str(include_str!("../../../../public/config.json")).unwrap();
    config["backend"] = json!({ "base_url": "/api", "kind": "mapped" });
    let problems = PortalConfig::from_json(&config.to_string(), &["en", "sv"]).unwrap_err();
    assert_eq!(problems[0].path, "backend.mapping");
    let backend: BackendConfig = serde_json::from_value(config["backend"].clone()).unwrap();
    assert_eq!(
        Engine::for_backend(&backend).unwrap_err()[0].path,
        "backend.mapping"
    );
    config["backend"] = json!({ "base_url": "/api", "mapping": {} });
    let problems = PortalConfig::from_json(&config.to_string(), &["en", "sv"]).unwrap_err();
    assert_eq!(problems[0].path, "backend.kind");
}

#[test]
fn the_example_stores_are_valid_mappings() {
    for (name, text) in [
        (
            "kinto",
            include_str!("../../../../examples/backends/kinto/config.json"),
        ),
        (
            "pocketbase",
            include_str!("../../../../examples/backends/pocketbase/config.json"),
        ),
        (
            "json-server",
            include_str!("../../../../examples/backends/json-server/config.json"),
        ),
    ] {
        let config: Value = serde_json::from_str(text).unwrap();
        let backend: BackendConfig = serde_json::from_value(config["backend"].clone()).unwrap();
        if let Err(problems) = Engine::for_backend(&backend) {
            panic!("{name}: {problems:?}");
        }
    }
    let _: Versioned<Preferences> = Versioned {
        version: UNSTORED,
        data: Preferences::default(),
    };
}
