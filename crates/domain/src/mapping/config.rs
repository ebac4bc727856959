//! What a business writes under `backend.mapping`: how each of the portal's operations becomes
//! a request to its own store, and where the answer's data, version and errors live.
//!
//! Read part by part ([`Mapping::from_value`]) so that a mapping with several mistakes gets
//! them all listed, each with its path, instead of stopping at serde's first one.

use super::check;
use crate::config::{ConfigIssue, ConfigProblem};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A whole mapping: auth, the version rule, every operation, history paging, errors and what
/// the store offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// How a customer is signed in and how each request carries that.
    pub auth: Auth,
    /// How versions are read, sent back, and how a conflict is recognised.
    pub version: VersionMapping,
    /// One request template per operation the store offers.
    pub operations: BTreeMap<Operation, OpMapping>,
    /// Paging and filters of the history; absent when the store keeps no history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryMapping>,
    /// Where an error answer keeps its code, message and field.
    #[serde(default)]
    pub errors: ErrorPointers,
    /// What the store offers beyond profile and preferences.
    #[serde(default)]
    pub capabilities: Capabilities,
}

/// Everything the portal asks of a store, named as in the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Credentials in, a session out (or, for Basic, a check that they are right).
    SignIn,
    /// A fresh token for one that was refused with 401.
    Refresh,
    /// Read the customer's profile.
    ProfileRead,
    /// Replace the profile at a known version.
    ProfileWrite,
    /// Store the profile for the first time (no version yet).
    ProfileCreate,
    /// Read the checklist answers and contact choices.
    PreferencesRead,
    /// Replace them at a known version.
    PreferencesWrite,
    /// Store them for the first time.
    PreferencesCreate,
    /// The customer's consent decisions.
    ConsentsRead,
    /// Record one decision.
    ConsentRecord,
    /// One page of the history.
    HistoryPage,
    /// Ask for erasure.
    ErasureRequest,
    /// Everything held about the customer, as one JSON document.
    Export,
}

impl Operation {
    /// Every operation, in the order the documentation lists them.
    pub const ALL: [Operation; 13] = [
        Self::SignIn,
        Self::Refresh,
        Self::ProfileRead,
        Self::ProfileWrite,
        Self::ProfileCreate,
        Self::PreferencesRead,
        Self::PreferencesWrite,
        Self::PreferencesCreate,
        Self::ConsentsRead,
        Self::ConsentRecord,
        Self::HistoryPage,
        Self::ErasureRequest,
        Self::Export,
    ];

    /// The name used in the configuration and in messages.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::Refresh => "refresh",
            Self::ProfileRead => "profile_read",
            Self::ProfileWrite => "profile_write",
            Self::ProfileCreate => "profile_create",
            Self::PreferencesRead => "preferences_read",
            Self::PreferencesWrite => "preferences_write",
            Self::PreferencesCreate => "preferences_create",
            Self::ConsentsRead => "consents_read",
            Self::ConsentRecord => "consent_record",
            Self::HistoryPage => "history_page",
            Self::ErasureRequest => "erasure_request",
            Self::Export => "export",
        }
    }

    /// The operation named `name` in a configuration.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// The placeholders its templates may use. `password` only ever goes into a body, and no
    /// token is ever a placeholder: a token in a URL ends up in logs.
    #[must_use]
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Self::SignIn => &["username", "password"],
            Self::ProfileWrite | Self::PreferencesWrite => &["subject", "version", "document"],
            Self::ProfileCreate | Self::PreferencesCreate | Self::ConsentRecord => {
                &["subject", "document"]
            }
            _ => &["subject"],
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How customers are signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// The `sign_in` operation answers with a token (and subject, and maybe a role).
    SignIn,
    /// HTTP Basic with the customer's own e-mail and password, kept for the tab's lifetime
    /// only; the `sign_in` operation checks them and answers with the subject.
    Basic,
    /// Only a token handed over by the host page, sent in a fixed header.
    Header,
}

/// How customers are signed in and how each request proves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// Which of the three ways.
    pub kind: AuthKind,
    /// Pointer to the token in the sign-in (and refresh) answer; `sign_in` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Pointer to the customer's stable id in the sign-in answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Pointer to the role (`customer` or `privacy_officer`); customers when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The header the token travels in.
    #[serde(default = "authorization")]
    pub header: String,
    /// What goes before the token in that header, such as `Bearer `.
    #[serde(default = "bearer")]
    pub prefix: String,
}

fn authorization() -> String {
    "Authorization".into()
}

fn bearer() -> String {
    "Bearer ".into()
}

/// One operation's request template and where its answer keeps the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OpMapping {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: String,
    /// Path below the backend's `base_url`, with `{placeholder}`s as whole path segments or
    /// whole query values; each is percent-encoded.
    pub url: String,
    /// Extra headers; a value may be exactly one placeholder.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// JSON body; any string that is exactly `"{name}"` becomes that value (`{document}`: the
    /// document itself, as JSON, never spliced into text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Pointer to the data in the answer; the whole answer when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Field by field: the portal's field name to a pointer below `data`. Written back the
    /// same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// Statuses meaning "nothing stored yet" for a read (such as 404): an empty document
    /// that the next save creates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<u16>,
}

/// How versions work in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionMapping {
    /// Where an answer says the version: `"etag"` or `{"pointer": "/version"}`.
    pub read: VersionSource,
    /// How a write names the version it edited.
    pub send: VersionSink,
    /// Statuses meaning "someone else saved first".
    #[serde(default = "default_conflict")]
    pub conflict: Vec<u16>,
    /// Where the conflict answer keeps the record as it is now.
    pub current: CurrentRecord,
}

fn default_conflict() -> Vec<u16> {
    vec![412]
}

/// Where an answer carries the record's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionSource {
    /// The `ETag` header (strong, quoted).
    Etag,
    /// A number (or a string of digits) at this pointer in the answer.
    Pointer(String),
}

/// How a write carries the version it was based on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum VersionSink {
    /// `If-Match: "<version>"`.
    IfMatch,
    /// A query parameter of this name.
    Query(String),
    /// A number at this pointer in the body.
    Body(String),
}

/// Where a conflict answer keeps the current record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CurrentRecord {
    /// Nowhere: read it again.
    Refetch,
    /// At these pointers of the conflict answer.
    At {
        /// The document (field map of the read operation applies).
        data: String,
        /// Its version.
        version: String,
    },
}

/// Paging and filters of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HistoryMapping {
    /// Pointer to the list of events in a page.
    pub events: String,
    /// Each event field by field (`id`, `channel`, `occurred_at`, `kind`, `details`) to a
    /// pointer in the store's item, when its items are not already in Rapport's shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_fields: Option<BTreeMap<String, String>>,
    /// How the next page is asked for.
    pub paging: Paging,
    /// The query parameter for the page size, if the store takes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// The filters the store can do; any other is turned off in the page, not faked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<Filter, FilterParam>,
    /// Joins the values of filters that share one parameter (such as ` && `).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<String>,
}

/// How the next page of history is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Paging {
    /// An opaque cursor from each answer, sent back in a query parameter.
    Cursor {
        /// The query parameter.
        param: String,
        /// Where the answer keeps the next cursor.
        next: Place,
    },
    /// The answer names the next page's whole URL (on the same origin).
    NextLink {
        /// Where the answer keeps it.
        next: Place,
    },
    /// Pages numbered from 1 in a query parameter.
    Page {
        /// The query parameter.
        param: String,
    },
    /// Items skipped, in a query parameter.
    Offset {
        /// The query parameter.
        param: String,
    },
}

/// A place in an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A header of this name.
    Header(String),
    /// A pointer into the body.
    Pointer(String),
}

/// The history filters the portal offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// One kind of event.
    Kind,
    /// One channel.
    Channel,
    /// At or after this time, Unix seconds.
    From,
    /// At or before this time, Unix seconds.
    To,
    /// Search words.
    Q,
}

/// One filter as the store takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FilterParam {
    /// The query parameter.
    pub param: String,
    /// The parameter's value, with `{value}` where the filter's value goes.
    #[serde(default = "plain_value")]
    pub value: String,
}

fn plain_value() -> String {
    "{value}".into()
}

/// Where an error answer keeps what went wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorPointers {
    /// Pointer to a stable code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Pointer to a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Pointer to the name of the field at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Pointer to an object whose first key is the field at fault (PocketBase's `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_key: Option<String>,
}

/// What a store offers beyond profile and preferences; pages hide the rest and say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Customer since, last purchase and the other facts derived from history.
    #[serde(default)]
    pub derived_facts: bool,
    /// Full-text search of the history.
    #[serde(default)]
    pub search: bool,
    /// Downloads of the customer's data.
    #[serde(default)]
    pub exports: bool,
    /// A hash-chained, signed consent ledger: only then may the privacy page claim that
    /// decisions are tamper-evident.
    #[serde(default)]
    pub tamper_evident_ledger: bool,
    /// Erasure requests.
    #[serde(default)]
    pub erasure: bool,
    /// The privacy officer's audit (Rapport's own contract only).
    #[serde(default)]
    pub audit: bool,
    /// Saved product designs and orders re-priced by the backend (Rapport's own contract
    /// only: a generic store cannot check a price against the catalogue's rules).
    #[serde(default)]
    pub designs: bool,
    /// Remembering the customer's last visit, for the welcome page's "since your last visit".
    #[serde(default)]
    pub visits: bool,
}

impl Capabilities {
    /// Everything: Rapport's own contract.
    pub const ALL: Capabilities = Capabilities {
        derived_facts: true,
        search: true,
        exports: true,
        tamper_evident_ledger: true,
        erasure: true,
        audit: true,
        designs: true,
        visits: true,
    };
}

fn problem(problems: &mut Vec<ConfigProblem>, path: String, message: String) {
    problems.push(ConfigProblem {
        path,
        issue: ConfigIssue::Mapping(message),
    });
}

/// Parses one part of the mapping; a shape mistake is reported under `at` and the part skipped.
fn part<T: DeserializeOwned>(
    value: &Value,
    at: &str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<T> {
    let text = value.to_string();
    match crate::json_path::parse::<T>(&text) {
        Ok(parsed) => Some(parsed),
        Err(mistake) => {
            let path = if mistake.path.is_empty() {
                at.to_owned()
            } else {
                format!("{at}.{}", mistake.path)
            };
            problems.push(ConfigProblem {
                path,
                issue: ConfigIssue::Shape(mistake.message),
            });
            None
        }
    }
}

impl Mapping {
    /// Reads a mapping found at path `at`, listing every mistake in it.
    pub fn from_value(value: &Value, at: &str) -> Result<Mapping, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let Some(object) = value.as_object() else {
            problem(
                &mut problems,
                at.into(),
                "must be an object with auth, version and operations".into(),
            );
            return Err(problems);
        };
        for key in object.keys() {
            if ![
                "auth",
                "version",
                "operations",
                "history",
                "errors",
                "capabilities",
            ]
            .contains(&key.as_str())
            {
                problem(
                    &mut problems,
                    format!("{at}.{key}"),
                    format!(
                        "\"{key}\" is not part of a mapping; use auth, version, operations, history, errors or capabilities"
                    ),
                );
            }
        }
        let required = |key: &str, problems: &mut Vec<ConfigProblem>| {
            let found = object.get(key);
            if found.is_none() {
                problem(
                    problems,
                    format!("{at}.{key}"),
                    format!("is missing; a mapping needs `{key}`"),
                );
            }
            found
        };
        let auth = required("auth", &mut problems)
            .and_then(|v| part::<Auth>(v, &format!("{at}.auth"), &mut problems));
        let version = required("version", &mut problems)
            .and_then(|v| part::<VersionMapping>(v, &format!("{at}.version"), &mut problems));
        let mut operations = BTreeMap::new();
        let mut operations_ok = true;
        match required("operations", &mut problems).map(Value::as_object) {
            Some(Some(ops)) => {
                for (name, op) in ops {
                    let here = format!("{at}.operations.{name}");
                    match Operation::parse(name) {
                        None => {
                            operations_ok = false;
                            problem(
                                &mut problems,
                                here,
                                format!(
                                    "\"{name}\" is not an operation; use one of {}",
                                    Operation::ALL.map(Operation::as_str).join(", ")
                                ),
                            );
                        }
                        Some(operation) => match part::<OpMapping>(op, &here, &mut problems) {
                            Some(op) => {
                                operations.insert(operation, op);
                            }
                            None => operations_ok = false,
                        },
                    }
                }
            }
            Some(None) => {
                operations_ok = false;
                problem(
                    &mut problems,
                    format!("{at}.operations"),
                    "must be an object of operations, such as {\"profile_read\": {...}}".into(),
                );
            }
            None => operations_ok = false,
        }
        // Outer None: the part had a mistake (already reported); inner None: not given.
        let history: Option<Option<HistoryMapping>> = match object.get("history") {
            None => Some(None),
            Some(v) => part(v, &format!("{at}.history"), &mut problems).map(Some),
        };
        let errors = match object.get("errors") {
            None => Some(ErrorPointers::default()),
            Some(v) => part(v, &format!("{at}.errors"), &mut problems),
        };
        let capabilities = match object.get("capabilities") {
            None => Some(Capabilities::default()),
            Some(v) => part(v, &format!("{at}.capabilities"), &mut problems),
        };
        if let (Some(auth), Some(version), true, Some(history), Some(errors), Some(capabilities)) =
            (auth, version, operations_ok, history, errors, capabilities)
        {
            let mapping = Mapping {
                auth,
                version,
                operations,
                history,
                errors,
                capabilities,
            };
            check::mapping(&mapping, at, &mut problems);
            if problems.is_empty() {
                return Ok(mapping);
            }
        }
        Err(problems)
    }
}
