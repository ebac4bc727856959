//! The rules a parsed mapping must keep, each broken one reported with its path: templates
//! that only use their operation's placeholders as whole tokens, pointers that are pointers,
//! what each auth kind and capability needs.

use super::config::{
    AuthKind, CurrentRecord, Filter, Mapping, OpMapping, Operation, Paging, Place, VersionSink,
    VersionSource,
};
use super::template::{self, Token};
use crate::config::{ConfigIssue, ConfigProblem};
use serde_json::Value;

struct Report<'a>(&'a mut Vec<ConfigProblem>);

impl Report<'_> {
    fn at(&mut self, path: String, message: impl Into<String>) {
        self.0.push(ConfigProblem {
            path,
            issue: ConfigIssue::Mapping(message.into()),
        });
    }

    fn pointer(&mut self, path: String, pointer: &str) {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            self.at(
                path,
                format!(
                    "\"{pointer}\" is not a JSON Pointer; start it with / (such as \"/data/email\"), or use \"\" for the whole answer"
                ),
            );
        }
    }
}

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Every broken rule in `mapping`, found at path `at`.
pub(super) fn mapping(mapping: &Mapping, at: &str, problems: &mut Vec<ConfigProblem>) {
    let mut report = Report(problems);
    let ops = &mapping.operations;
    let needed: &[Operation] = &[
        Operation::ProfileRead,
        Operation::ProfileWrite,
        Operation::PreferencesRead,
        Operation::PreferencesWrite,
    ];
    for op in needed {
        if !ops.contains_key(op) {
            report.at(
                format!("{at}.operations"),
                format!("has no `{op}`; every store must offer it"),
            );
        }
    }

    let auth = &mapping.auth;
    let a = format!("{at}.auth");
    match auth.kind {
        AuthKind::SignIn | AuthKind::Basic => {
            if !ops.contains_key(&Operation::SignIn) {
                report.at(
                    format!("{at}.operations"),
                    "has no `sign_in`, which this auth kind uses to check a customer's password",
                );
            }
            if auth.subject.is_none() {
                report.at(
                    format!("{a}.subject"),
                    "is missing: say where the sign-in answer keeps the customer's id",
                );
            }
        }
        AuthKind::Header => {}
    }
    if auth.kind == AuthKind::SignIn && auth.token.is_none() {
        report.at(
            format!("{a}.token"),
            "is missing: say where the sign-in answer keeps the token",
        );
    }
    if auth.kind != AuthKind::SignIn && ops.contains_key(&Operation::Refresh) {
        report.at(
            format!("{at}.operations.refresh"),
            "only a sign-in token can be refreshed; remove it or use \"kind\": \"sign_in\"",
        );
    }
    for (name, pointer) in [
        ("token", &auth.token),
        ("subject", &auth.subject),
        ("role", &auth.role),
    ] {
        if let Some(pointer) = pointer {
            report.pointer(format!("{a}.{name}"), pointer);
        }
    }
    if !template::is_header_name(&auth.header) {
        report.at(
            format!("{a}.header"),
            format!("\"{}\" is not a header name", auth.header),
        );
    }

    for (op, mapping) in ops {
        operation(*op, mapping, &format!("{at}.operations.{op}"), &mut report);
    }

    let v = format!("{at}.version");
    match &mapping.version.read {
        VersionSource::Pointer(p) => report.pointer(format!("{v}.read.pointer"), p),
        VersionSource::Etag => {}
    }
    match &mapping.version.send {
        VersionSink::Body(p) if p.is_empty() || !p.starts_with('/') => report.at(
            format!("{v}.send.body"),
            format!("\"{p}\" must point into the body, such as \"/version\""),
        ),
        VersionSink::Query(name) if name.is_empty() => {
            report.at(format!("{v}.send.query"), "name the query parameter")
        }
        _ => {}
    }
    if mapping.version.conflict.is_empty() {
        report.at(
            format!("{v}.conflict"),
            "list the statuses that mean someone else saved first, such as [412]",
        );
    }
    for (i, status) in mapping.version.conflict.iter().enumerate() {
        if !(400..500).contains(status) {
            report.at(
                format!("{v}.conflict[{i}]"),
                format!("{status} is not a 4xx status; a conflict is the client's stale version"),
            );
        }
    }
    if let CurrentRecord::At { data, version } = &mapping.version.current {
        report.pointer(format!("{v}.current.at.data"), data);
        report.pointer(format!("{v}.current.at.version"), version);
    }

    let has_history_op = ops.contains_key(&Operation::HistoryPage);
    match &mapping.history {
        Some(history) => {
            let h = format!("{at}.history");
            if !has_history_op {
                report.at(
                    h.clone(),
                    "needs a `history_page` operation to page through",
                );
            }
            report.pointer(format!("{h}.events"), &history.events);
            for (field, pointer) in history.event_fields.iter().flatten() {
                report.pointer(format!("{h}.event_fields.{field}"), pointer);
            }
            match &history.paging {
                Paging::Cursor { next, .. } | Paging::NextLink { next } => {
                    if let Place::Pointer(p) = next {
                        report.pointer(format!("{h}.paging.next.pointer"), p);
                    }
                }
                Paging::Page { .. } | Paging::Offset { .. } => {
                    if history.limit.is_none() {
                        report.at(
                            format!("{h}.limit"),
                            "page and offset paging need the page-size parameter, or pages could overlap",
                        );
                    }
                }
            }
            let mut params: Vec<&str> = Vec::new();
            for (filter, param) in &history.filters {
                let f = format!("{h}.filters.{}", filter_name(*filter));
                if !param.value.contains("{value}") {
                    report.at(format!("{f}.value"), "must contain {value}");
                }
                if params.contains(&param.param.as_str()) && history.join.is_none() {
                    report.at(
                        f,
                        format!(
                            "\"{}\" is shared with another filter; set `history.join` to say how their values combine",
                            param.param
                        ),
                    );
                }
                params.push(&param.param);
            }
            if mapping.capabilities.search && !history.filters.contains_key(&Filter::Q) {
                report.at(
                    format!("{at}.capabilities.search"),
                    "is true but `history.filters` has no `q`; map the search parameter or set it false",
                );
            }
        }
        None if has_history_op => report.at(
            format!("{at}.history"),
            "is missing: `history_page` needs to know where the events are and how to page",
        ),
        None => {}
    }

    let c = format!("{at}.capabilities");
    let caps = &mapping.capabilities;
    for (on, op, name) in [
        (caps.exports, Operation::Export, "exports"),
        (caps.erasure, Operation::ErasureRequest, "erasure"),
    ] {
        if on && !ops.contains_key(&op) {
            report.at(
                format!("{c}.{name}"),
                format!("is true but there is no `{op}` operation"),
            );
        }
    }
    if caps.audit {
        report.at(
            format!("{c}.audit"),
            "the officer's audit needs Rapport's own contract; a mapped store cannot offer it",
        );
    }
    if caps.search && mapping.history.is_none() {
        report.at(format!("{c}.search"), "is true but there is no `history`");
    }
}

fn filter_name(filter: Filter) -> &'static str {
    match filter {
        Filter::Kind => "kind",
        Filter::Channel => "channel",
        Filter::From => "from",
        Filter::To => "to",
        Filter::Q => "q",
    }
}

fn operation(op: Operation, mapping: &OpMapping, at: &str, report: &mut Report<'_>) {
    if !METHODS.contains(&mapping.method.as_str()) {
        report.at(
            format!("{at}.method"),
            format!(
                "\"{}\" is not one of {}",
                mapping.method,
                METHODS.join(", ")
            ),
        );
    }
    let allowed = op.placeholders();
    let url = &mapping.url;
    if !url.starts_with('/') || url.starts_with("//") {
        report.at(
            format!("{at}.url"),
            format!(
                "\"{url}\" must be a path below the backend's base_url, starting with / (such as \"/records/{{subject}}\")"
            ),
        );
    }
    match template::parse_url(url) {
        Err(message) => report.at(format!("{at}.url"), message),
        Ok(tokens) => {
            for token in tokens {
                if let Token::Placeholder(name) = token {
                    if name == "document" || name == "password" {
                        report.at(
                            format!("{at}.url"),
                            format!("{{{name}}} may only be used in the body"),
                        );
                    } else if !allowed.contains(&name.as_str()) {
                        report.at(format!("{at}.url"), unknown(op, &name));
                    }
                }
            }
        }
    }
    for (name, value) in &mapping.headers {
        let h = format!("{at}.headers.{name}");
        if !template::is_header_name(name) {
            report.at(h.clone(), format!("\"{name}\" is not a header name"));
        }
        match template::placeholder(value) {
            Some(p) if p == "password" || p == "document" => {
                report.at(h, format!("{{{p}}} may only be used in the body"))
            }
            Some(p) if !allowed.contains(&p) => report.at(h, unknown(op, p)),
            Some(_) => {}
            None if value.contains(['{', '}']) => report.at(
                h,
                "a header value may be one whole placeholder, such as \"{version}\", or plain text",
            ),
            None => {}
        }
    }
    if let Some(body) = &mapping.body {
        body_strings(body, &format!("{at}.body"), &mut |path, text| {
            match template::placeholder(text) {
                Some(p) if !allowed.contains(&p) => report.at(path, unknown(op, p)),
                Some(_) => {}
                None if text.contains(['{', '}']) => report.at(
                    path,
                    format!(
                        "\"{text}\": a placeholder must be the whole string, such as \"{{document}}\"; text is never spliced"
                    ),
                ),
                None => {}
            }
        });
    }
    if let Some(data) = &mapping.data {
        report.pointer(format!("{at}.data"), data);
    }
    for (field, pointer) in mapping.fields.iter().flatten() {
        report.pointer(format!("{at}.fields.{field}"), pointer);
        if pointer.is_empty() {
            report.at(
                format!("{at}.fields.{field}"),
                "a field needs a pointer of its own",
            );
        }
    }
    for (i, status) in mapping.missing.iter().enumerate() {
        if !(400..500).contains(status) {
            report.at(
                format!("{at}.missing[{i}]"),
                format!("{status} is not a 4xx status"),
            );
        }
    }
}

fn unknown(op: Operation, name: &str) -> String {
    format!(
        "{{{name}}} is not a placeholder of {op}; it can use {}",
        op.placeholders()
            .iter()
            .map(|p| format!("{{{p}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn body_strings(value: &Value, at: &str, visit: &mut dyn FnMut(String, &str)) {
    match value {
        Value::String(text) => visit(at.to_owned(), text),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                body_strings(item, &format!("{at}[{i}]"), visit);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                body_strings(item, &format!("{at}.{key}"), visit);
            }
        }
        _ => {}
    }
}
