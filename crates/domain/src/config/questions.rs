//! What the business asks: the purposes data is used for, the checklists customers answer,
//! and the grid of topics and channels through which customers control contact.
//!
//! Compared with Keycloak's declarative user profile (attributes with annotations and
//! validators), every question here must name the purpose it serves and say why it is asked,
//! in every language the portal offers: a configuration that cannot explain a question to a
//! customer does not load.

use super::{ConfigIssue, ConfigProblem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Text in every configured language: `{ "en": "Interests", "sv": "Intressen" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// The text in `language`, or in any language when that one is missing (the configuration
    /// check makes sure it is not).
    #[must_use]
    pub fn get(&self, language: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }
}

/// Why the business may use a datum (GDPR Art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// The customer's consent, which they can withdraw.
    Consent,
    /// Needed to fulfil the customer's contract.
    Contract,
    /// The business's legitimate interest, which the customer can object to.
    LegitimateInterest,
    /// Required by law.
    LegalObligation,
}

/// A purpose data is used for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable identifier, referred to by checklists and topics.
    pub id: String,
    /// Short name shown to customers.
    pub title: Localized,
    /// What the business does with the data for this purpose.
    pub description: Localized,
    /// The legal basis; `consent` means the customer must agree first.
    pub legal_basis: LegalBasis,
    /// The policy text customers read before deciding, per language. Together with the title
    /// and description it is the exact text a consent screen shows, whose SHA-256 the consent
    /// ledger keeps (see [`crate::consent::shown_text`]).
    pub policy: Localized,
    /// Version of the purpose's text; a new version asks customers again.
    pub version: u32,
    /// Whether the service cannot be given without this purpose (a contract or a legal
    /// obligation); such a purpose is shown but not offered as a choice.
    #[serde(default)]
    pub required: bool,
}

impl Purpose {
    /// Whether using data for this purpose needs the customer's consent.
    #[must_use]
    pub fn needs_consent(&self) -> bool {
        self.legal_basis == LegalBasis::Consent
    }
}

/// One choice or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// Radio buttons: at most one item.
    Single,
    /// Checkboxes: any number of items, up to `max_choices` when set.
    Multiple,
}

/// A checklist: a group of items the customer picks from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Stable identifier; answers are stored under it.
    pub id: String,
    /// The question.
    pub label: Localized,
    /// More about the question, shown under it.
    #[serde(default)]
    pub description: Option<Localized>,
    /// Why the business asks, shown beside the question.
    pub why_we_ask: Localized,
    /// The purpose the answers serve (an id from `purposes`).
    pub purpose: String,
    /// Single or multiple choice.
    pub choice: Choice,
    /// For multiple choice: the most items a customer may pick.
    #[serde(default)]
    pub max_choices: Option<usize>,
    /// Whether the customer may add their own answer in words ("Other: …").
    #[serde(default)]
    pub other: bool,
    /// What can be picked.
    pub items: Vec<ChecklistItem>,
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// Stable identifier, unique within its checklist.
    pub id: String,
    /// What the customer reads.
    pub label: Localized,
    /// More about the item.
    #[serde(default)]
    pub description: Option<Localized>,
}

/// A channel the business can contact customers through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Text messages.
    Sms,
    /// Phone calls.
    Phone,
    /// Letters.
    Post,
    /// Messages inside the business's app.
    InApp,
}

impl Channel {
    /// The identifier used on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Phone => "phone",
            Self::Post => "post",
            Self::InApp => "in_app",
        }
    }
}

/// How often the customer wants to hear from the business on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every day at most.
    Daily,
    /// Once a week at most.
    Weekly,
    /// Once a month at most.
    Monthly,
    /// Once a quarter at most.
    Quarterly,
    /// Once a year at most.
    Yearly,
    /// Not at all.
    Never,
}

impl Frequency {
    /// The identifier used on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::Yearly => "yearly",
            Self::Never => "never",
        }
    }
}

/// A subject the business writes about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable identifier.
    pub id: String,
    /// What the customer reads.
    pub label: Localized,
    /// More about the topic.
    #[serde(default)]
    pub description: Option<Localized>,
    /// The purpose contact about this topic serves.
    pub purpose: String,
}

/// The contact grid: topics x channels, with a frequency per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactConfig {
    /// Channels offered, in column order.
    pub channels: Vec<Channel>,
    /// Frequencies offered, in menu order.
    pub frequencies: Vec<Frequency>,
    /// The frequency a channel has until the customer picks one.
    pub default_frequency: Frequency,
    /// Topics, in row order.
    pub topics: Vec<Topic>,
}

/// Checks purposes, checklists and the contact grid, reporting every mistake.
pub(super) fn check(
    purposes: &[Purpose],
    checklists: &[Checklist],
    contact: Option<&ContactConfig>,
    languages: &[String],
    problems: &mut Vec<ConfigProblem>,
) {
    let mut report = |path: String, issue| problems.push(ConfigProblem { path, issue });
    let purpose_ids: Vec<&str> = purposes.iter().map(|p| p.id.as_str()).collect();

    for (i, purpose) in purposes.iter().enumerate() {
        let at = format!("purposes[{i}]");
        check_id(
            &purpose_ids[..i],
            &purpose.id,
            &format!("{at}.id"),
            &mut report,
        );
        check_text(
            &purpose.title,
            &format!("{at}.title"),
            languages,
            &mut report,
        );
        check_text(
            &purpose.description,
            &format!("{at}.description"),
            languages,
            &mut report,
        );
        check_text(
            &purpose.policy,
            &format!("{at}.policy"),
            languages,
            &mut report,
        );
        if purpose.version == 0 {
            report(format!("{at}.version"), ConfigIssue::VersionZero);
        }
        // Consent must be freely given: a purpose the service cannot do without rests on
        // another legal basis, and a required "consent" would be a choice with one answer.
        if purpose.required && purpose.needs_consent() {
            report(format!("{at}.required"), ConfigIssue::RequiredConsent);
        }
    }

    let mut checklist_ids = Vec::new();
    for (i, list) in checklists.iter().enumerate() {
        let at = format!("checklists[{i}]");
        check_id(&checklist_ids, &list.id, &format!("{at}.id"), &mut report);
        checklist_ids.push(list.id.as_str());
        check_text(&list.label, &format!("{at}.label"), languages, &mut report);
        if let Some(description) = &list.description {
            check_text(
                description,
                &format!("{at}.description"),
                languages,
                &mut report,
            );
        }
        check_text(
            &list.why_we_ask,
            &format!("{at}.why_we_ask"),
            languages,
            &mut report,
        );
        check_purpose(
            &purpose_ids,
            &list.purpose,
            &format!("{at}.purpose"),
            &mut report,
        );
        if list.items.is_empty() {
            report(format!("{at}.items"), ConfigIssue::NoItems);
        }
        match (list.choice, list.max_choices) {
            (Choice::Single, Some(_)) => {
                report(format!("{at}.max_choices"), ConfigIssue::MaxOnSingle)
            }
            (Choice::Multiple, Some(max)) if max == 0 || max > list.items.len() => report(
                format!("{at}.max_choices"),
                ConfigIssue::MaxOutOfRange {
                    max,
                    items: list.items.len(),
                },
            ),
            _ => {}
        }
        let mut item_ids = Vec::new();
        for (j, item) in list.items.iter().enumerate() {
            let at = format!("{at}.items[{j}]");
            check_id(&item_ids, &item.id, &format!("{at}.id"), &mut report);
            item_ids.push(item.id.as_str());
            check_text(&item.label, &format!("{at}.label"), languages, &mut report);
            if let Some(description) = &item.description {
                check_text(
                    description,
                    &format!("{at}.description"),
                    languages,
                    &mut report,
                );
            }
        }
    }

    let Some(contact) = contact else { return };
    if contact.channels.is_empty() {
        report("contact.channels".into(), ConfigIssue::NoChannels);
    }
    for (i, channel) in contact.channels.iter().enumerate() {
        if contact.channels[..i].contains(channel) {
            report(
                format!("contact.channels[{i}]"),
                ConfigIssue::Duplicate(channel.as_str().into()),
            );
        }
    }
    for (i, frequency) in contact.frequencies.iter().enumerate() {
        if contact.frequencies[..i].contains(frequency) {
            report(
                format!("contact.frequencies[{i}]"),
                ConfigIssue::Duplicate(frequency.as_str().into()),
            );
        }
    }
    if !contact.frequencies.contains(&contact.default_frequency) {
        report(
            "contact.default_frequency".into(),
            ConfigIssue::DefaultFrequencyNotOffered(contact.default_frequency.as_str().into()),
        );
    }
    let mut topic_ids = Vec::new();
    for (i, topic) in contact.topics.iter().enumerate() {
        let at = format!("contact.topics[{i}]");
        check_id(&topic_ids, &topic.id, &format!("{at}.id"), &mut report);
        topic_ids.push(topic.id.as_str());
        check_text(&topic.label, &format!("{at}.label"), languages, &mut report);
        if let Some(description) = &topic.description {
            check_text(
                description,
                &format!("{at}.description"),
                languages,
                &mut report,
            );
        }
        check_purpose(
            &purpose_ids,
            &topic.purpose,
            &format!("{at}.purpose"),
            &mut report,
        );
    }
}

/// Identifiers end up in stored answers and URLs: short, lowercase, no surprises.
pub(crate) fn check_id(
    earlier: &[&str],
    id: &str,
    path: &str,
    report: &mut impl FnMut(String, ConfigIssue),
) {
    let well_formed = (1..=40).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !well_formed {
        report(path.into(), ConfigIssue::BadId(id.into()));
    } else if earlier.contains(&id) {
        report(path.into(), ConfigIssue::Duplicate(id.into()));
    }
}

pub(crate) fn check_text(
    text: &Localized,
    path: &str,
    languages: &[String],
    report: &mut impl FnMut(String, ConfigIssue),
) {
    for language in languages {
        match text.0.get(language) {
            None => report(path.into(), ConfigIssue::MissingText(language.clone())),
            Some(value) if value.trim().is_empty() => {
                report(format!("{path}.{language}"), ConfigIssue::EmptyText)
            }
            Some(_) => {}
        }
    }
}

pub(super) fn check_purpose(
    known: &[&str],
    id: &str,
    path: &str,
    report: &mut impl FnMut(String, ConfigIssue),
) {
    if !known.contains(&id) {
        report(
            path.into(),
            ConfigIssue::UnknownPurpose {
                id: id.into(),
                known: known.iter().map(|s| (*s).to_owned()).collect(),
            },
        );
    }
}
