//! The business's configuration of the portal: one JSON file, read at start-up.
//!
//! A configuration written by hand will have mistakes, so reading it never stops at the first
//! one: every problem comes back with the path of the setting it concerns (`theme.accent`,
//! `languages[2]`) and what to do about it, and the portal shows that list instead of a broken page.

mod questions;

pub(crate) use questions::{check_id, check_text};

pub use questions::{
    Channel, Checklist, ChecklistItem, Choice, ContactConfig, Frequency, LegalBasis, Localized,
    Purpose, Topic,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The whole configuration file (`public/config.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PortalConfig {
    /// Where the customer's data lives.
    pub backend: BackendConfig,
    /// Languages offered to customers, by code, in switcher order.
    pub languages: Vec<String>,
    /// The language used when the browser asks for none of [`PortalConfig::languages`].
    pub default_language: String,
    /// The path the portal is served under on the host site, such as `/` or `/account/`.
    #[serde(default = "default_base_path")]
    pub base_path: String,
    /// Colours and shapes, applied as CSS custom properties (`--rapport-<name>`).
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
    /// A demo account to show on the sign-in page; only for demonstration sites.
    #[serde(default)]
    pub demo_account: Option<DemoAccount>,
    /// What data is used for; checklists and topics name one each.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// The questions customers answer about themselves, in page order.
    #[serde(default)]
    pub checklists: Vec<Checklist>,
    /// The contact grid; without it the portal shows no contact controls.
    #[serde(default)]
    pub contact: Option<ContactConfig>,
    /// Why the portal asks for each profile field (`name`, `email`, `phone`,
    /// `preferred_contact`), and the purpose the answer serves.
    #[serde(default)]
    pub profile_fields: BTreeMap<String, FieldReason>,
    /// The business's privacy policy, shown on the privacy page; paragraphs are separated by
    /// blank lines.
    #[serde(default)]
    pub privacy_policy: Option<Localized>,
    /// The products customers can design (see [`crate::catalogue::Catalogue`]). Kept as JSON
    /// here and read by the configurator's own code, so the portal's first screen does not
    /// carry it; [`PortalConfig::from_json`] checks it all the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "Option<crate::catalogue::Catalogue>")
    )]
    pub catalogue: Option<serde_json::Value>,
    /// The purpose (based on consent) under which the welcome page suggests products from the
    /// customer's own answers and purchases; without it, or without that consent, none are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalisation_purpose: Option<String>,
}

/// Why a profile field is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldReason {
    /// The purpose the field serves (an id from `purposes`).
    pub purpose: String,
    /// Why we ask, in every language.
    pub why_we_ask: Localized,
}

/// The profile fields a reason can be given for.
pub const PROFILE_FIELDS: [&str; 4] = ["name", "email", "phone", "preferred_contact"];

/// Credentials printed on the sign-in page of a demonstration site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DemoAccount {
    /// The demo customer's e-mail.
    pub email: String,
    /// The demo customer's password.
    pub password: String,
}

fn default_base_path() -> String {
    "/".into()
}

/// Which backend the portal talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    /// Base URL of the JSON API: absolute (`https://api.example.com/rapport`) or a path on
    /// the portal's own origin (`/api`).
    pub base_url: String,
    /// Rapport's own contract (the default) or a store described by `mapping`.
    #[serde(default, skip_serializing_if = "BackendKind::is_rapport")]
    pub kind: BackendKind,
    /// How a mapped store's requests and answers look (see [`crate::mapping::Mapping`]).
    /// Kept as JSON here and read part by part, so every mistake in it is listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "json-schema",
        schemars(with = "Option<crate::mapping::Mapping>")
    )]
    pub mapping: Option<serde_json::Value>,
}

/// Which kind of backend.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    /// The HTTP contract of `docs/openapi.yaml`.
    #[default]
    Rapport,
    /// A business's own JSON store, described by `backend.mapping`.
    Mapped,
}

impl BackendKind {
    fn is_rapport(&self) -> bool {
        *self == Self::Rapport
    }
}

/// Theme settings the stylesheet reads; anything else is a typo.
pub const THEME_KEYS: [&str; 6] = [
    "accent",
    "accent-text",
    "background",
    "text",
    "radius",
    "font",
];

/// One mistake in a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// Where the mistake is, as a path into the JSON (`theme.accent`); empty for the whole file.
    pub path: String,
    /// What is wrong and how to fix it.
    pub issue: ConfigIssue,
}

/// The kinds of configuration mistakes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigIssue {
    /// The file is not valid JSON of the expected shape; the text is the parser's explanation.
    Shape(String),
    /// A language the portal has no translations for.
    UnsupportedLanguage {
        /// The code found.
        code: String,
        /// The codes the portal has.
        supported: Vec<String>,
    },
    /// A language listed twice.
    DuplicateLanguage(String),
    /// No languages at all.
    NoLanguages,
    /// The default language is not one of the offered languages.
    DefaultNotOffered(String),
    /// The backend URL is neither absolute http(s) nor a path starting with `/`.
    BadBaseUrl(String),
    /// The base path does not start and end with `/`.
    BadBasePath(String),
    /// A theme key the stylesheet does not know.
    UnknownThemeKey(String),
    /// A theme value that could break out of its CSS property.
    UnsafeThemeValue(String),
    /// An identifier that is not 1 to 40 lowercase letters, digits, `_` or `-`.
    BadId(String),
    /// An identifier or value used twice where each must be unique.
    Duplicate(String),
    /// A text without a version in one of the portal's languages.
    MissingText(String),
    /// A text that is empty.
    EmptyText,
    /// A reference to a purpose that is not in `purposes`.
    UnknownPurpose {
        /// The id referred to.
        id: String,
        /// The purpose ids there are.
        known: Vec<String>,
    },
    /// A purpose version of 0; versions start at 1.
    VersionZero,
    /// A purpose marked `required` whose legal basis is consent.
    RequiredConsent,
    /// A checklist without items.
    NoItems,
    /// `max_choices` on a single-choice checklist.
    MaxOnSingle,
    /// `max_choices` of 0, or more than there are items.
    MaxOutOfRange {
        /// The value found.
        max: usize,
        /// How many items the checklist has.
        items: usize,
    },
    /// A contact grid without channels.
    NoChannels,
    /// The default frequency is not among the offered ones.
    DefaultFrequencyNotOffered(String),
    /// A reason given for a profile field the portal does not have.
    UnknownProfileField(String),
    /// A mistake in a backend mapping; the text says what and how to fix it.
    Mapping(String),
    /// A mistake in the product catalogue; the text says what and how to fix it.
    Catalogue(String),
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape(detail) => write!(f, "{detail}"),
            Self::UnsupportedLanguage { code, supported } => write!(
                f,
                "\"{code}\" is not a language the portal has translations for; use one of {}",
                supported.join(", ")
            ),
            Self::DuplicateLanguage(code) => {
                write!(f, "\"{code}\" is listed twice; list each language once")
            }
            Self::NoLanguages => write!(
                f,
                "no languages are listed; list at least one, such as \"en\""
            ),
            Self::DefaultNotOffered(code) => {
                write!(
                    f,
                    "\"{code}\" is not in `languages`; add it there or pick one of them"
                )
            }
            Self::BadBaseUrl(url) => write!(
                f,
                "\"{url}\" is not an http(s) URL or a path starting with /; for example \"/api\""
            ),
            Self::BadBasePath(path) => {
                write!(
                    f,
                    "\"{path}\" must start and end with /; for example \"/account/\""
                )
            }
            Self::UnknownThemeKey(key) => write!(
                f,
                "\"{key}\" is not a theme setting; use one of {}",
                THEME_KEYS.join(", ")
            ),
            Self::BadId(id) => write!(
                f,
                "\"{id}\" is not a usable id; use 1 to 40 lowercase letters, digits, _ or -, such as \"golf\""
            ),
            Self::Duplicate(id) => write!(f, "\"{id}\" is used twice; each must be unique"),
            Self::MissingText(language) => write!(
                f,
                "has no \"{language}\" text; give a text for every language in `languages`"
            ),
            Self::EmptyText => write!(f, "is empty; write the text customers should read"),
            Self::UnknownPurpose { id, known } if known.is_empty() => {
                write!(f, "\"{id}\" is not a purpose; add it to `purposes` first")
            }
            Self::UnknownPurpose { id, known } => write!(
                f,
                "\"{id}\" is not a purpose; use one of {} or add it to `purposes`",
                known.join(", ")
            ),
            Self::VersionZero => write!(f, "versions start at 1"),
            Self::RequiredConsent => write!(
                f,
                "a purpose based on consent cannot be required, as consent must be freely given; set \"required\": false or give it another legal_basis"
            ),
            Self::NoItems => write!(f, "a checklist needs at least one item"),
            Self::MaxOnSingle => write!(
                f,
                "max_choices only applies to \"choice\": \"multiple\"; remove it or change the choice"
            ),
            Self::MaxOutOfRange { max, items } => write!(
                f,
                "{max} is not between 1 and the number of items ({items})"
            ),
            Self::NoChannels => write!(
                f,
                "no channels are listed; list at least one, such as \"email\""
            ),
            Self::DefaultFrequencyNotOffered(frequency) => write!(
                f,
                "\"{frequency}\" is not in `contact.frequencies`; add it there or pick one of them"
            ),
            Self::UnknownProfileField(field) => write!(
                f,
                "\"{field}\" is not a profile field; use one of {}",
                PROFILE_FIELDS.join(", ")
            ),
            Self::Mapping(text) | Self::Catalogue(text) => f.write_str(text),
            Self::UnsafeThemeValue(value) => write!(
                f,
                "\"{value}\" is not allowed in a theme value: use a plain CSS value such as #0b6e4f or 8px, without ; {{ }} < > \\ or url("
            ),
        }
    }
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.issue)
        } else {
            write!(f, "{}: {}", self.path, self.issue)
        }
    }
}

impl PortalConfig {
    /// Reads and checks a configuration file, a mapped backend's mapping included.
    ///
    /// `supported_languages` are the languages the portal was built with.
    pub fn from_json(json: &str, supported_languages: &[&str]) -> Result<Self, Vec<ConfigProblem>> {
        let config = Self::parse(json)?;
        let mut problems = config.problems(supported_languages);
        problems.extend(config.mapping_problems());
        problems.extend(config.catalogue().err().unwrap_or_default());
        config.unless(problems)
    }

    /// The product catalogue, read and checked; `Ok(None)` when the business offers none.
    pub fn catalogue(&self) -> Result<Option<crate::catalogue::Catalogue>, Vec<ConfigProblem>> {
        self.catalogue
            .as_ref()
            .map(|value| {
                crate::catalogue::Catalogue::from_value(
                    value,
                    "catalogue",
                    &self.languages,
                    &self.checklists,
                )
            })
            .transpose()
    }

    /// Reads and checks a configuration file, except for the inside of a mapped backend's
    /// mapping, which whoever builds its engine checks ([`crate::mapping::Engine::for_backend`]
    /// lists the same mistakes), and the inside of the catalogue, which
    /// [`PortalConfig::catalogue`] checks. The portal reads its configuration this way so that
    /// the mapping's and the catalogue's code load only where they are used.
    pub fn from_json_shallow(
        json: &str,
        supported_languages: &[&str],
    ) -> Result<Self, Vec<ConfigProblem>> {
        let config = Self::parse(json)?;
        let problems = config.problems(supported_languages);
        config.unless(problems)
    }

    fn parse(json: &str) -> Result<Self, Vec<ConfigProblem>> {
        crate::json_path::parse(json).map_err(|mistake| {
            vec![ConfigProblem {
                path: mistake.path,
                issue: ConfigIssue::Shape(mistake.message),
            }]
        })
    }

    fn unless(self, problems: Vec<ConfigProblem>) -> Result<Self, Vec<ConfigProblem>> {
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }

    /// The mistakes inside a mapped backend's mapping.
    #[must_use]
    pub fn mapping_problems(&self) -> Vec<ConfigProblem> {
        match (self.backend.kind, &self.backend.mapping) {
            (BackendKind::Mapped, Some(mapping)) => {
                crate::mapping::Mapping::from_value(mapping, "backend.mapping")
                    .err()
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    /// Every mistake in an already parsed configuration.
    #[must_use]
    pub fn problems(&self, supported_languages: &[&str]) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let mut report = |path: String, issue| problems.push(ConfigProblem { path, issue });

        if self.languages.is_empty() {
            report("languages".into(), ConfigIssue::NoLanguages);
        }
        for (i, code) in self.languages.iter().enumerate() {
            if !supported_languages.contains(&code.as_str()) {
                report(
                    format!("languages[{i}]"),
                    ConfigIssue::UnsupportedLanguage {
                        code: code.clone(),
                        supported: supported_languages
                            .iter()
                            .map(|s| (*s).to_owned())
                            .collect(),
                    },
                );
            } else if self.languages[..i].contains(code) {
                report(
                    format!("languages[{i}]"),
                    ConfigIssue::DuplicateLanguage(code.clone()),
                );
            }
        }
        if !self.languages.is_empty() && !self.languages.contains(&self.default_language) {
            report(
                "default_language".into(),
                ConfigIssue::DefaultNotOffered(self.default_language.clone()),
            );
        }

        let url = self.backend.base_url.as_str();
        let absolute = ["https://", "http://"].iter().any(|scheme| {
            url.strip_prefix(scheme)
                .is_some_and(|rest| !rest.is_empty())
        });
        let same_origin_path = url.starts_with('/') && !url.starts_with("//");
        if !(absolute || same_origin_path) || url.chars().any(char::is_whitespace) {
            report(
                "backend.base_url".into(),
                ConfigIssue::BadBaseUrl(url.to_owned()),
            );
        }

        match (self.backend.kind, &self.backend.mapping) {
            (BackendKind::Mapped, None) => report(
                "backend.mapping".into(),
                ConfigIssue::Mapping(
                    "is missing: a \"mapped\" backend needs a mapping (see docs/backends.md)"
                        .into(),
                ),
            ),
            (BackendKind::Rapport, Some(_)) => report(
                "backend.kind".into(),
                ConfigIssue::Mapping(
                    "a mapping is only read with \"kind\": \"mapped\"; add it or remove the mapping"
                        .into(),
                ),
            ),
            // Checked by `mapping_problems`, apart: see `from_json_shallow`.
            (BackendKind::Mapped, Some(_)) | (BackendKind::Rapport, None) => {}
        }

        let base = self.base_path.as_str();
        if !base.starts_with('/') || !base.ends_with('/') || base.contains("//") {
            report(
                "base_path".into(),
                ConfigIssue::BadBasePath(base.to_owned()),
            );
        }

        for (key, value) in &self.theme {
            if !THEME_KEYS.contains(&key.as_str()) {
                report(
                    format!("theme.{key}"),
                    ConfigIssue::UnknownThemeKey(key.clone()),
                );
            } else if !is_safe_css_value(value) {
                report(
                    format!("theme.{key}"),
                    ConfigIssue::UnsafeThemeValue(value.clone()),
                );
            }
        }
        questions::check(
            &self.purposes,
            &self.checklists,
            self.contact.as_ref(),
            &self.languages,
            &mut problems,
        );
        let purpose_ids: Vec<&str> = self.purposes.iter().map(|p| p.id.as_str()).collect();
        let mut report = |path: String, issue| problems.push(ConfigProblem { path, issue });
        for (field, reason) in &self.profile_fields {
            let at = format!("profile_fields.{field}");
            if !PROFILE_FIELDS.contains(&field.as_str()) {
                report(at.clone(), ConfigIssue::UnknownProfileField(field.clone()));
            }
            questions::check_purpose(
                &purpose_ids,
                &reason.purpose,
                &format!("{at}.purpose"),
                &mut report,
            );
            questions::check_text(
                &reason.why_we_ask,
                &format!("{at}.why_we_ask"),
                &self.languages,
                &mut report,
            );
        }
        if let Some(policy) = &self.privacy_policy {
            questions::check_text(policy, "privacy_policy", &self.languages, &mut report);
        }
        if let Some(id) = &self.personalisation_purpose {
            questions::check_purpose(&purpose_ids, id, "personalisation_purpose", &mut report);
            if self.purpose(id).is_some_and(|p| !p.needs_consent()) {
                report(
                    "personalisation_purpose".into(),
                    ConfigIssue::Catalogue(format!(
                        "\"{id}\" is not based on consent; suggestions from a customer's own data need their consent"
                    )),
                );
            }
        }
        problems
    }

    /// The purpose with this id.
    #[must_use]
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// The checklist with this id.
    #[must_use]
    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    /// The base path as the router wants it: no trailing slash, empty for the site root.
    #[must_use]
    pub fn router_base(&self) -> &str {
        self.base_path.trim_end_matches('/')
    }
}

/// A theme value goes into a CSS custom property; refuse anything that could end the
/// declaration, open a block, fetch a URL, or escape characters.
fn is_safe_css_value(value: &str) -> bool {
    !value.trim().is_empty()
        && value.len() <= 120
        && !value
            .chars()
            .any(|c| matches!(c, ';' | '{' | '}' | '<' | '>' | '\\' | '\n' | '\r'))
        && !value.to_ascii_lowercase().contains("url(")
        && !value.contains("/*")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUPPORTED: &[&str] = &["en", "sv"];

    fn good() -> serde_json::Value {
        let text = |en: &str| serde_json::json!({ "en": en, "sv": format!("{en} (sv)") });
        serde_json::json!({
            "backend": { "base_url": "/api" },
            "languages": ["en", "sv"],
            "default_language": "en",
            "theme": { "accent": "#0b6e4f", "radius": "6px" },
            "purposes": [
                { "id": "marketing", "title": text("Marketing"), "description": text("Offers"),
                  "policy": text("We send offers."), "legal_basis": "consent", "version": 1 },
                { "id": "service", "title": text("Service"), "description": text("Orders"),
                  "policy": text("We handle orders."), "legal_basis": "contract", "version": 2,
                  "required": true }
            ],
            "checklists": [
                { "id": "interests", "label": text("Interests"), "why_we_ask": text("To suggest"),
                  "purpose": "marketing", "choice": "multiple", "max_choices": 2, "other": true,
                  "items": [ { "id": "golf", "label": text("Golf") }, { "id": "music", "label": text("Music") } ] },
                { "id": "gift_buyer", "label": text("Gifts?"), "why_we_ask": text("Reminders"),
                  "purpose": "marketing", "choice": "single",
                  "items": [ { "id": "yes", "label": text("Yes") }, { "id": "no", "label": text("No") } ] }
            ],
            "contact": {
                "channels": ["email", "sms"],
                "frequencies": ["weekly", "monthly", "never"],
                "default_frequency": "monthly",
                "topics": [ { "id": "offers", "label": text("Offers"), "purpose": "marketing" } ]
            }
        })
    }

    fn problems_of(config: &serde_json::Value) -> Vec<String> {
        match PortalConfig::from_json(&config.to_string(), SUPPORTED) {
            Ok(_) => vec![],
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    /// `good()` with the value at `path` replaced; numeric segments index arrays.
    fn with(path: &[&str], value: serde_json::Value) -> serde_json::Value {
        let mut config = good();
        let mut slot = &mut config;
        for key in path {
            slot = match key.parse::<usize>() {
                Ok(index) => &mut slot[index],
                Err(_) => &mut slot[*key],
            };
        }
        *slot = value;
        config
    }

    #[test]
    fn the_shipped_configuration_is_valid() {
        let shipped = include_str!("../../../../public/config.json");
        let config = PortalConfig::from_json(shipped, SUPPORTED).expect("public/config.json");
        assert_eq!(config.router_base(), "");
        assert!(config.catalogue().expect("catalogue").is_some());
    }

    #[test]
    fn a_good_configuration_reads() {
        assert_eq!(problems_of(&good()), Vec::<String>::new());
    }

    #[test]
    fn each_mistake_is_named_by_its_path() {
        use serde_json::json;
        let cases: Vec<(serde_json::Value, &str)> = vec![
            (json!("not an object"), "invalid type: string"),
            (
                with(&["languages"], json!("en")),
                "languages: invalid type: string",
            ),
            (
                with(&["languages"], json!([])),
                "languages: no languages are listed",
            ),
            (
                with(&["languages"], json!(["en", "de"])),
                "languages[1]: \"de\" is not a language",
            ),
            (
                with(&["languages"], json!(["en", "sv", "en"])),
                "languages[2]: \"en\" is listed twice",
            ),
            (
                with(&["default_language"], json!("sv-FI")),
                "default_language: \"sv-FI\" is not in `languages`",
            ),
            (
                with(&["backend", "base_url"], json!("ftp://x")),
                "backend.base_url: \"ftp://x\" is not",
            ),
            (
                with(&["backend", "base_url"], json!("//evil.example")),
                "backend.base_url: \"//evil.example\"",
            ),
            (
                with(&["backend", "base_url"], json!(42)),
                "backend.base_url: invalid type: integer",
            ),
            (
                with(&["backend", "baseurl"], json!("/api")),
                "backend.baseurl: unknown field `baseurl`",
            ),
            (
                with(&["catalogue"], json!({ "currency": "SEK", "models": [] })),
                "catalogue.models: no models are listed",
            ),
            (
                with(&["catalogue"], json!({ "currency": "SEK" })),
                "catalogue: missing field `models`",
            ),
            (
                with(&["personalisation_purpose"], json!("profiling")),
                "personalisation_purpose: \"profiling\" is not a purpose",
            ),
            (
                with(&["base_path"], json!("account")),
                "base_path: \"account\" must start and end with /",
            ),
            (
                with(&["theme", "acent"], json!("red")),
                "theme.acent: \"acent\" is not a theme setting",
            ),
            (
                with(&["theme", "accent"], json!("red;}body{display:none")),
                "theme.accent: \"red;}body",
            ),
            (
                with(&["theme", "font"], json!("url(https://x/f.woff)")),
                "theme.font: \"url(",
            ),
            (
                with(&["purposes", "0", "policy", "sv"], json!("  ")),
                "purposes[0].policy.sv: is empty",
            ),
            (
                with(
                    &["purposes", "1", "policy"],
                    json!({ "en": "We handle orders." }),
                ),
                "purposes[1].policy: has no \"sv\" text",
            ),
            (
                with(&["purposes", "1", "policy"], json!(null)),
                "purposes[1].policy: invalid type: null",
            ),
            (
                with(&["purposes", "0", "required"], json!(true)),
                "purposes[0].required: a purpose based on consent cannot be required",
            ),
            (
                with(&["langauges"], json!(["en"])),
                "langauges: unknown field `langauges`",
            ),
            (
                with(&["checklists", "0", "items", "1", "id"], json!("golf")),
                "checklists[0].items[1].id: \"golf\" is used twice",
            ),
            (
                with(&["checklists", "1", "id"], json!("interests")),
                "checklists[1].id: \"interests\" is used twice",
            ),
            (
                with(&["checklists", "0", "id"], json!("Golf Club")),
                "checklists[0].id: \"Golf Club\" is not a usable id",
            ),
            (
                with(&["checklists", "0", "label"], json!({ "en": "Interests" })),
                "checklists[0].label: has no \"sv\" text",
            ),
            (
                with(&["checklists", "0", "why_we_ask", "sv"], json!(" ")),
                "checklists[0].why_we_ask.sv: is empty",
            ),
            (
                with(&["checklists", "1", "purpose"], json!("profiling")),
                "checklists[1].purpose: \"profiling\" is not a purpose; use one of marketing, service",
            ),
            (
                with(&["checklists", "1", "items"], json!([])),
                "checklists[1].items: a checklist needs at least one item",
            ),
            (
                with(&["checklists", "1", "max_choices"], json!(1)),
                "checklists[1].max_choices: max_choices only applies",
            ),
            (
                with(&["checklists", "0", "max_choices"], json!(3)),
                "checklists[0].max_choices: 3 is not between 1 and the number of items (2)",
            ),
            (
                with(&["checklists", "0", "choice"], json!("several")),
                "checklists[0].choice: unknown variant `several`",
            ),
            (
                with(&["checklists", "0", "items", "0", "colour"], json!("red")),
                "checklists[0].items[0].colour: unknown field `colour`",
            ),
            (
                with(&["purposes", "1", "id"], json!("marketing")),
                "purposes[1].id: \"marketing\" is used twice",
            ),
            (
                with(&["purposes", "0", "version"], json!(0)),
                "purposes[0].version: versions start at 1",
            ),
            (
                with(&["purposes", "0", "legal_basis"], json!("because")),
                "purposes[0].legal_basis: unknown variant `because`",
            ),
            (
                with(&["contact", "channels"], json!([])),
                "contact.channels: no channels are listed",
            ),
            (
                with(&["contact", "channels"], json!(["email", "email"])),
                "contact.channels[1]: \"email\" is used twice",
            ),
            (
                with(&["contact", "channels", "1"], json!("pigeon")),
                "contact.channels[1]: unknown variant `pigeon`",
            ),
            (
                with(&["contact", "default_frequency"], json!("quarterly")),
                "contact.default_frequency: \"quarterly\" is not in `contact.frequencies`",
            ),
            (
                with(&["contact", "topics", "0", "purpose"], json!("sales")),
                "contact.topics[0].purpose: \"sales\" is not a purpose",
            ),
            (
                with(
                    &["profile_fields", "shoe_size"],
                    json!({ "purpose": "service", "why_we_ask": { "en": "x", "sv": "y" } }),
                ),
                "profile_fields.shoe_size: \"shoe_size\" is not a profile field",
            ),
            (
                with(
                    &["profile_fields", "email"],
                    json!({ "purpose": "spying", "why_we_ask": { "en": "x", "sv": "y" } }),
                ),
                "profile_fields.email.purpose: \"spying\" is not a purpose",
            ),
            (
                with(&["privacy_policy"], json!({ "en": "Our policy" })),
                "privacy_policy: has no \"sv\" text",
            ),
        ];
        for (config, expected) in cases {
            let problems = problems_of(&config);
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "expected a problem starting with {expected:?}, got {problems:?}"
            );
        }
    }

    #[test]
    fn several_mistakes_are_all_reported() {
        let mut config = good();
        config["contact"]["default_frequency"] = serde_json::json!("daily");
        config["default_language"] = serde_json::json!("fi");
        config["base_path"] = serde_json::json!("nope");
        assert_eq!(problems_of(&config).len(), 3);
    }

    #[test]
    fn router_base_drops_the_trailing_slash() {
        let mut config: PortalConfig = serde_json::from_value(good()).unwrap();
        config.base_path = "/account/".into();
        assert_eq!(config.router_base(), "/account");
    }
}
