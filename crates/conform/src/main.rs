//! `rapport-conform`: checks that a business's store, reached through its mapping, does what
//! the portal needs, with two test customers. One line per check, then
//! `conform: N passed, M failed`; the exit status is 1 when any check failed.
//!
//! ```text
//! rapport-conform --config config.json --a ann@x.example:pw1 --b bo@x.example:pw2 \
//!     --origin https://portal.example [--base-url http://127.0.0.1:8888/v1]
//! ```

mod checks;
mod http;

use checks::{Customer, Run, Sessions};
use rapport_domain::config::BackendConfig;
use rapport_domain::mapping::{AuthKind, Engine, Operation};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

const USAGE: &str = "usage: rapport-conform --config FILE --a EMAIL:PASSWORD --b EMAIL:PASSWORD \
[--origin ORIGIN] [--base-url URL]\n\
(with \"auth\": {\"kind\": \"header\"}, --a and --b are SUBJECT:TOKEN, as a host page hands them over)";

struct Args {
    config: String,
    a: Customer,
    b: Customer,
    origin: Option<String>,
    base_url: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut config = None;
    let mut a = None;
    let mut b = None;
    let mut origin = None;
    let mut base_url = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--config" => config = Some(value()?),
            "--a" => a = Some(customer(&value()?)?),
            "--b" => b = Some(customer(&value()?)?),
            "--origin" => origin = Some(value()?),
            "--base-url" => base_url = Some(value()?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(Args {
        config: config.ok_or(USAGE)?,
        a: a.ok_or(USAGE)?,
        b: b.ok_or(USAGE)?,
        origin,
        base_url,
    })
}

fn customer(text: &str) -> Result<Customer, String> {
    let (username, password) = text
        .split_once(':')
        .ok_or_else(|| format!("{text:?} is not EMAIL:PASSWORD"))?;
    Ok(Customer {
        username: username.to_owned(),
        password: password.to_owned(),
    })
}

/// The engine for the file's `backend` (a whole config.json, or just its backend object).
fn engine(path: &str, base_url: Option<&str>) -> Result<Engine, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let backend = json.get("backend").cloned().unwrap_or(json);
    let mut backend: BackendConfig =
        serde_json::from_value(backend).map_err(|e| format!("{path}: backend: {e}"))?;
    if let Some(url) = base_url {
        backend.base_url = url.to_owned();
    }
    Engine::for_backend(&backend).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("{path}: {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let engine = match engine(&args.config, args.base_url.as_deref()) {
        Ok(engine) => engine,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| format!("{:x}", d.as_nanos() % 0xffff_ffff))
        .unwrap_or_default();
    let run = Run {
        engine,
        client: http::Client::new(),
        a: args.a,
        b: args.b,
        origin: args.origin,
        nonce,
    };
    let mut report = Report::default();
    let handed_over = run.engine.mapping().auth.kind == AuthKind::Header;
    let sessions = if handed_over {
        // No sign-in of its own: the host page hands over each customer's token.
        run.handed_over()
    } else {
        run.sign_in(&run.a).and_then(|a| {
            Ok(Sessions {
                a,
                b: run.sign_in(&run.b)?,
            })
        })
    };
    report.line(
        "sign-in",
        sessions.as_ref().map(|_| ()).map_err(Clone::clone),
    );
    if handed_over {
        report.line("refuses-a-wrong-token", run.refuses_wrong_token());
    } else {
        report.line(
            "sign-in-refuses-bad-password",
            run.sign_in_refuses_bad_password(),
        );
    }
    let Ok(s) = sessions else {
        report.line(
            "everything-else",
            Err("needs both customers signed in".into()),
        );
        return report.finish();
    };
    // B's preferences first, while no other check has written them.
    report.line("racing-first-writes", run.racing_first_writes(&s));
    report.line("profile-round-trip", run.profile_round_trip(&s));
    report.line("preferences-round-trip", run.preferences_round_trip(&s));
    report.line("stale-write-refused", run.stale_write_refused(&s));
    report.line("write-without-version", run.write_without_version(&s));
    report.line("isolation", run.isolation(&s));
    if run.engine.offers(Operation::HistoryPage) {
        let history = run.history_paging(&s);
        report.line(
            "history-paging",
            history.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        for filter in run.engine.history_filters() {
            let name = format!("history-filter-{}", format!("{filter:?}").to_lowercase());
            let outcome = match &history {
                Ok(all) => run.history_filter(&s, filter, all),
                Err(_) => Err("needs history-paging".into()),
            };
            report.line(&name, outcome);
        }
    } else {
        println!("skip history: the mapping has no history_page");
    }
    if run.engine.offers(Operation::Refresh) {
        report.line("refresh", run.refresh(&s));
    }
    for op in [Operation::ConsentsRead, Operation::Export] {
        if run.engine.offers(op) {
            report.line(&op.as_str().replace('_', "-"), run.other_read(&s, op));
        }
    }
    report.line("cors-preflight", run.cors(&s));
    report.line("error-mapping", run.error_mapping(&s));
    report.finish()
}

#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
}

impl Report {
    fn line(&mut self, name: &str, outcome: checks::Outcome) {
        match outcome {
            Ok(()) => {
                self.passed += 1;
                println!("ok   {name}");
            }
            Err(why) => {
                self.failed += 1;
                println!("FAIL {name}: {why}");
            }
        }
    }

    fn finish(self) -> ExitCode {
        println!("conform: {} passed, {} failed", self.passed, self.failed);
        if self.failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_split_at_the_first_colon() {
        let c = customer("ann@x.example:pa:ss").unwrap();
        assert_eq!(
            (c.username.as_str(), c.password.as_str()),
            ("ann@x.example", "pa:ss")
        );
        assert!(customer("no-colon").is_err());
    }

    #[test]
    fn the_examples_give_engines_and_a_bad_file_lists_its_mistakes() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/backends");
        for store in [
            "rapport",
            "rapport-host-token",
            "kinto",
            "pocketbase",
            "json-server",
        ] {
            let engine = engine(
                &format!("{root}/{store}/config.json"),
                Some("http://127.0.0.1:1"),
            );
            assert!(engine.is_ok(), "{store}: {:?}", engine.err());
        }
        let dir = std::env::temp_dir().join(format!("conform-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bad = dir.join("config.json");
        std::fs::write(
            &bad,
            r#"{"backend": {"base_url": "http://x", "kind": "mapped",
                "mapping": {"auth": {"kind": "basic"}, "version": {"read": "etag", "send": "if_match", "current": "refetch"},
                            "operations": {}}}}"#,
        )
        .unwrap();
        let message = engine(bad.to_str().unwrap(), None).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        for expected in [
            "backend.mapping.operations: has no `profile_read`",
            "backend.mapping.operations: has no `sign_in`",
            "backend.mapping.auth.subject: is missing",
        ] {
            assert!(message.contains(expected), "{expected} not in {message}");
        }
    }
}
