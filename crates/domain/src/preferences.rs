//! The customer's answers to the business's checklists and their contact choices.
//!
//! The document is checked against the configuration it was answered under, on both sides:
//! the portal never offers what the configuration lacks, and the backend refuses it anyway
//! (an unknown item, a second choice in a single-choice checklist, a channel not offered).

use crate::config::{Channel, Choice, Frequency, PortalConfig};
use crate::text::{self, Lines, TextProblem};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Longest "other" answer we keep.
pub const OTHER_MAX_CHARS: usize = 200;

/// Everything the customer chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Answers by checklist id; a checklist not answered is absent.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// How, how often and about what the business may contact them.
    #[serde(default)]
    pub contact: ContactChoices,
}

/// The answer to one checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Ids of the items picked.
    #[serde(default)]
    pub chosen: BTreeSet<String>,
    /// The customer's own words, when the checklist allows "other".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub other: String,
}

impl Answer {
    /// Whether nothing is picked and nothing written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty() && self.other.trim().is_empty()
    }
}

/// One ticked cell of the contact grid: this topic, on this channel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Subscription {
    /// The topic id.
    pub topic: String,
    /// The channel.
    pub channel: Channel,
}

/// The contact controls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChoices {
    /// The ticked cells; every cell starts unticked.
    #[serde(default)]
    pub subscriptions: BTreeSet<Subscription>,
    /// Chosen frequency per channel; a channel without one has the configured default.
    #[serde(default)]
    pub frequencies: BTreeMap<Channel, Frequency>,
    /// No contact at all until this date (`YYYY-MM-DD`), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_until: Option<String>,
}

impl ContactChoices {
    /// Whether this cell is ticked.
    #[must_use]
    pub fn is_subscribed(&self, topic: &str, channel: Channel) -> bool {
        self.subscriptions
            .iter()
            .any(|s| s.topic == topic && s.channel == channel)
    }

    /// Ticks or unticks one cell.
    pub fn set_subscribed(&mut self, topic: &str, channel: Channel, on: bool) {
        let cell = Subscription {
            topic: topic.to_owned(),
            channel,
        };
        if on {
            self.subscriptions.insert(cell);
        } else {
            self.subscriptions.remove(&cell);
        }
    }
}

/// One thing wrong with a preferences document, at a path into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferenceProblem {
    /// Where, such as `answers.gift_buyer.chosen`.
    pub path: String,
    /// What.
    pub issue: PreferenceIssue,
}

/// The kinds of problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreferenceIssue {
    /// An answer to a checklist the configuration does not have.
    UnknownChecklist(String),
    /// An item the checklist does not have.
    UnknownItem(String),
    /// More than one item in a single-choice checklist, or more than `max_choices`.
    TooManyChoices {
        /// The most allowed.
        max: usize,
    },
    /// Words in "other" where the checklist allows none.
    OtherNotAllowed,
    /// "Other" longer than [`OTHER_MAX_CHARS`].
    OtherTooLong,
    /// "Other" holds characters no free text may hold (see [`crate::text`]).
    Text(TextProblem),
    /// A topic the contact grid does not have.
    UnknownTopic(String),
    /// A channel the contact grid does not offer.
    ChannelNotOffered(String),
    /// A frequency the contact grid does not offer.
    FrequencyNotOffered(String),
    /// Contact choices where the configuration has no contact grid.
    NoContactGrid,
    /// A pause date that is not `YYYY-MM-DD`.
    BadDate(String),
}

impl PreferenceIssue {
    /// Stable code for error bodies.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownChecklist(_) => "unknown_checklist",
            Self::UnknownItem(_) => "unknown_item",
            Self::TooManyChoices { .. } => "too_many_choices",
            Self::OtherNotAllowed => "other_not_allowed",
            Self::OtherTooLong => "too_long",
            Self::Text(problem) => problem.code(),
            Self::UnknownTopic(_) => "unknown_topic",
            Self::ChannelNotOffered(_) => "channel_not_offered",
            Self::FrequencyNotOffered(_) => "frequency_not_offered",
            Self::NoContactGrid => "no_contact_grid",
            Self::BadDate(_) => "bad_date",
        }
    }
}

impl fmt::Display for PreferenceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.issue {
            PreferenceIssue::UnknownChecklist(id) => write!(f, "\"{id}\" is not a checklist"),
            PreferenceIssue::UnknownItem(id) => {
                write!(f, "\"{id}\" is not an item of this checklist")
            }
            PreferenceIssue::TooManyChoices { max } => write!(f, "at most {max} may be chosen"),
            PreferenceIssue::OtherNotAllowed => {
                write!(f, "this checklist takes no answer in words")
            }
            PreferenceIssue::OtherTooLong => write!(f, "longer than {OTHER_MAX_CHARS} characters"),
            PreferenceIssue::Text(problem) => f.write_str(&problem.message("the answer")),
            PreferenceIssue::UnknownTopic(id) => write!(f, "\"{id}\" is not a topic"),
            PreferenceIssue::ChannelNotOffered(id) => {
                write!(f, "\"{id}\" is not an offered channel")
            }
            PreferenceIssue::FrequencyNotOffered(id) => {
                write!(f, "\"{id}\" is not an offered frequency")
            }
            PreferenceIssue::NoContactGrid => write!(f, "this portal has no contact controls"),
            PreferenceIssue::BadDate(value) => write!(f, "\"{value}\" is not a date (YYYY-MM-DD)"),
        }
    }
}

impl Preferences {
    /// Everything in the document that the configuration does not allow.
    #[must_use]
    pub fn problems(&self, config: &PortalConfig) -> Vec<PreferenceProblem> {
        let mut problems = Vec::new();
        let mut report = |path: String, issue| problems.push(PreferenceProblem { path, issue });

        for (id, answer) in &self.answers {
            let at = format!("answers.{id}");
            let Some(list) = config.checklist(id) else {
                report(at, PreferenceIssue::UnknownChecklist(id.clone()));
                continue;
            };
            for item in &answer.chosen {
                if !list.items.iter().any(|i| &i.id == item) {
                    report(
                        format!("{at}.chosen"),
                        PreferenceIssue::UnknownItem(item.clone()),
                    );
                }
            }
            let max = match list.choice {
                Choice::Single => Some(1),
                Choice::Multiple => list.max_choices,
            };
            if let Some(max) = max.filter(|max| answer.chosen.len() > *max) {
                report(
                    format!("{at}.chosen"),
                    PreferenceIssue::TooManyChoices { max },
                );
            }
            if let Some(problem) = text::check(&answer.other, Lines::Single) {
                report(format!("{at}.other"), PreferenceIssue::Text(problem));
            } else if !answer.other.trim().is_empty() && !list.other {
                report(format!("{at}.other"), PreferenceIssue::OtherNotAllowed);
            } else if answer.other.chars().count() > OTHER_MAX_CHARS {
                report(format!("{at}.other"), PreferenceIssue::OtherTooLong);
            }
        }

        let contact = &self.contact;
        let untouched = contact.subscriptions.is_empty() && contact.frequencies.is_empty();
        match &config.contact {
            None if untouched && contact.paused_until.is_none() => {}
            None => report("contact".into(), PreferenceIssue::NoContactGrid),
            Some(grid) => {
                for cell in &contact.subscriptions {
                    if !grid.topics.iter().any(|t| t.id == cell.topic) {
                        report(
                            "contact.subscriptions".into(),
                            PreferenceIssue::UnknownTopic(cell.topic.clone()),
                        );
                    }
                    if !grid.channels.contains(&cell.channel) {
                        report(
                            "contact.subscriptions".into(),
                            PreferenceIssue::ChannelNotOffered(cell.channel.as_str().into()),
                        );
                    }
                }
                for (channel, frequency) in &contact.frequencies {
                    let at = format!("contact.frequencies.{}", channel.as_str());
                    if !grid.channels.contains(channel) {
                        report(
                            at,
                            PreferenceIssue::ChannelNotOffered(channel.as_str().into()),
                        );
                    } else if !grid.frequencies.contains(frequency) {
                        report(
                            at,
                            PreferenceIssue::FrequencyNotOffered(frequency.as_str().into()),
                        );
                    }
                }
            }
        }
        if let Some(date) = contact.paused_until.as_deref().filter(|d| !is_iso_date(d)) {
            report(
                "contact.paused_until".into(),
                PreferenceIssue::BadDate(date.into()),
            );
        }
        problems
    }

    /// The document without what the configuration no longer offers (a checklist, item,
    /// topic, channel or frequency the business has since removed), which could otherwise
    /// never be saved again. The portal shows what was dropped in the change review.
    #[must_use]
    pub fn within(&self, config: &PortalConfig) -> Preferences {
        let mut kept = self.clone();
        kept.answers.retain(|id, _| config.checklist(id).is_some());
        for (id, answer) in &mut kept.answers {
            if let Some(list) = config.checklist(id) {
                answer
                    .chosen
                    .retain(|item| list.items.iter().any(|i| &i.id == item));
            }
        }
        match &config.contact {
            None => kept.contact = ContactChoices::default(),
            Some(grid) => {
                kept.contact.subscriptions.retain(|cell| {
                    grid.channels.contains(&cell.channel)
                        && grid.topics.iter().any(|t| t.id == cell.topic)
                });
                kept.contact.frequencies.retain(|channel, frequency| {
                    grid.channels.contains(channel) && grid.frequencies.contains(frequency)
                });
            }
        }
        kept
    }

    /// The same document without empty answers, as it should be stored and compared.
    #[must_use]
    pub fn normalized(&self) -> Preferences {
        let mut clean = self.clone();
        clean.answers.retain(|_, answer| !answer.is_empty());
        for answer in clean.answers.values_mut() {
            answer.other = text::clean(&answer.other);
        }
        clean.contact.paused_until = clean.contact.paused_until.filter(|d| !d.trim().is_empty());
        clean
    }
}

/// `YYYY-MM-DD` with a month and day that exist (leap years included).
#[must_use]
pub fn is_iso_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Ok(year), Ok(month), Ok(day)) = (
        year.parse::<u32>(),
        month.parse::<u32>(),
        day.parse::<u32>(),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PortalConfig {
        PortalConfig::from_json(include_str!("../../../public/config.json"), &["en", "sv"]).unwrap()
    }

    fn answer(items: &[&str]) -> Answer {
        Answer {
            chosen: items.iter().map(|s| (*s).to_owned()).collect(),
            other: String::new(),
        }
    }

    fn with_answer(id: &str, answer: Answer) -> Preferences {
        let mut prefs = Preferences::default();
        prefs.answers.insert(id.into(), answer);
        prefs
    }

    fn codes(prefs: &Preferences) -> Vec<(String, &'static str)> {
        prefs
            .problems(&config())
            .into_iter()
            .map(|p| (p.path, p.issue.code()))
            .collect()
    }

    #[test]
    fn a_valid_document_has_no_problems() {
        let mut prefs = with_answer("interests", answer(&["golf", "music"]));
        prefs
            .answers
            .insert("gift_buyer".into(), answer(&["often"]));
        prefs.answers.get_mut("interests").unwrap().other = "Birdwatching".into();
        prefs.contact.set_subscribed("offers", Channel::Email, true);
        prefs
            .contact
            .frequencies
            .insert(Channel::Email, Frequency::Weekly);
        prefs.contact.paused_until = Some("2028-02-29".into());
        assert_eq!(codes(&prefs), vec![]);
    }

    #[test]
    fn each_kind_of_mistake_is_refused_at_its_path() {
        let mut too_long = answer(&[]);
        too_long.other = "x".repeat(OTHER_MAX_CHARS + 1);
        let mut words_not_allowed = answer(&["often"]);
        words_not_allowed.other = "every day".into();
        let other = |words: &str| {
            let mut answer = answer(&[]);
            answer.other = words.into();
            answer
        };
        let cases = [
            (
                with_answer("shoe_size", answer(&["42"])),
                "answers.shoe_size",
                "unknown_checklist",
            ),
            (
                with_answer("interests", answer(&["golf", "curling"])),
                "answers.interests.chosen",
                "unknown_item",
            ),
            (
                with_answer("gift_buyer", answer(&["often", "rarely"])),
                "answers.gift_buyer.chosen",
                "too_many_choices",
            ),
            (
                with_answer("gift_buyer", words_not_allowed),
                "answers.gift_buyer.other",
                "other_not_allowed",
            ),
            (
                with_answer("interests", too_long),
                "answers.interests.other",
                "too_long",
            ),
            (
                with_answer("interests", other("golf\u{1b}[2J")),
                "answers.interests.other",
                "control_character",
            ),
            (
                with_answer("interests", other("\u{202E}flog")),
                "answers.interests.other",
                "bidi_control",
            ),
            (
                with_answer("interests", other("\u{200B}\u{FEFF}")),
                "answers.interests.other",
                "invisible_only",
            ),
        ];
        for (prefs, path, code) in cases {
            assert_eq!(codes(&prefs), vec![(path.to_owned(), code)]);
        }
    }

    #[test]
    fn contact_choices_outside_the_grid_are_refused() {
        let mut prefs = Preferences::default();
        prefs.contact.set_subscribed("gossip", Channel::Email, true);
        prefs
            .contact
            .frequencies
            .insert(Channel::Sms, Frequency::Daily);
        prefs.contact.paused_until = Some("2027-02-30".into());
        assert_eq!(
            codes(&prefs),
            vec![
                ("contact.subscriptions".into(), "unknown_topic"),
                ("contact.frequencies.sms".into(), "frequency_not_offered"),
                ("contact.paused_until".into(), "bad_date"),
            ]
        );
    }

    #[test]
    fn what_the_configuration_no_longer_offers_is_dropped() {
        let mut prefs = with_answer("interests", answer(&["golf", "curling"]));
        prefs.answers.insert("shoe_size".into(), answer(&["42"]));
        prefs.contact.set_subscribed("offers", Channel::Email, true);
        prefs.contact.set_subscribed("gossip", Channel::Email, true);
        prefs
            .contact
            .frequencies
            .insert(Channel::Email, Frequency::Daily);
        let kept = prefs.within(&config());
        assert_eq!(codes(&kept), vec![]);
        assert_eq!(
            kept.answers["interests"].chosen.iter().collect::<Vec<_>>(),
            vec!["golf"]
        );
        assert!(!kept.answers.contains_key("shoe_size"));
        assert!(kept.contact.is_subscribed("offers", Channel::Email));
        assert_eq!(kept.contact.subscriptions.len(), 1);
        assert!(kept.contact.frequencies.is_empty());
        assert_eq!(kept.within(&config()), kept, "idempotent");
    }

    #[test]
    fn dates() {
        for good in ["2024-02-29", "2027-12-31", "2000-02-29"] {
            assert!(is_iso_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2027-13-01",
            "2027-1-01",
            "27-01-01",
            "2027-01-00",
            "tomorrow",
            "",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }

    #[test]
    fn normalizing_drops_empty_answers() {
        let mut prefs = with_answer("interests", answer(&[]));
        prefs
            .answers
            .insert("gift_buyer".into(), answer(&["often"]));
        prefs.contact.paused_until = Some(String::new());
        let clean = prefs.normalized();
        assert_eq!(clean.answers.keys().collect::<Vec<_>>(), vec!["gift_buyer"]);
        assert_eq!(clean.contact.paused_until, None);
    }

    #[test]
    fn the_wire_shape_is_stable() {
        let mut prefs = with_answer("gift_buyer", answer(&["often"]));
        prefs.contact.set_subscribed("offers", Channel::InApp, true);
        prefs
            .contact
            .frequencies
            .insert(Channel::InApp, Frequency::Quarterly);
        assert_eq!(
            serde_json::to_value(&prefs).unwrap(),
            serde_json::json!({
                "answers": { "gift_buyer": { "chosen": ["often"] } },
                "contact": {
                    "subscriptions": [ { "topic": "offers", "channel": "in_app" } ],
                    "frequencies": { "in_app": "quarterly" }
                }
            })
        );
    }
}
