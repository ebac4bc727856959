//! Documents seen as flat maps of named fields, so that edits can be listed ("Newsletter:
//! monthly -> never") and merged field by field when two people changed the same record.
//!
//! A field absent from a document and a field holding JSON `null` mean the same thing, so a
//! ticked box can be "present and true" and an unticked one simply absent.

use crate::config::{Channel, Frequency};
use crate::preferences::{Answer, Preferences, Subscription};
use crate::profile::{ContactMethod, Profile};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A document as named fields.
pub type FieldMap = BTreeMap<String, Value>;

/// A document that can be taken apart into fields and put back together.
pub trait Fields: Sized {
    /// The document's fields; absent means empty.
    fn to_fields(&self) -> FieldMap;
    /// The document these fields describe; fields it does not know are ignored.
    fn from_fields(fields: &FieldMap) -> Self;
}

/// A document a customer edits: fields for listing and merging changes, and the form it is
/// stored in (trimmed, empty answers dropped), which is what "changed" is measured against.
pub trait Editable: Fields + Clone + PartialEq {
    /// The document as it would be stored.
    #[must_use]
    fn normalized(&self) -> Self;
}

impl Editable for Profile {
    fn normalized(&self) -> Self {
        Profile::normalized(self)
    }
}

impl Editable for Preferences {
    fn normalized(&self) -> Self {
        Preferences::normalized(self)
    }
}

/// One field that differs between two versions of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The field's name, such as `contact.frequencies.email`.
    pub field: String,
    /// Its value before (`null` when absent).
    pub before: Value,
    /// Its value after (`null` when absent).
    pub after: Value,
}

/// The fields that differ from `before` to `after`, in field-name order.
#[must_use]
pub fn changes<T: Fields>(before: &T, after: &T) -> Vec<Change> {
    let (before, after) = (before.to_fields(), after.to_fields());
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (b, a) = (get(&before, name), get(&after, name));
            (b != a).then(|| Change {
                field: name.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// A field both sides changed, differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The field's name.
    pub field: String,
    /// The value both started from.
    pub base: Value,
    /// This side's value.
    pub mine: Value,
    /// The other side's value.
    pub theirs: Value,
}

/// A three-way merge: what could be combined, and what needs a person to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge<T> {
    /// Both sides' changes combined; conflicting fields hold *their* value until resolved,
    /// so nothing saved elsewhere is lost by merging.
    pub merged: T,
    /// Fields changed on both sides to different values.
    pub conflicts: Vec<Conflict>,
}

/// Merges `mine` and `theirs`, both edited from `base`: a field changed on one side only
/// takes that change; changed to the same value on both, that value; changed differently,
/// a [`Conflict`].
#[must_use]
pub fn merge<T: Fields>(base: &T, mine: &T, theirs: &T) -> Merge<T> {
    let (base, mine, theirs) = (base.to_fields(), mine.to_fields(), theirs.to_fields());
    let names: BTreeSet<&String> = base
        .keys()
        .chain(mine.keys())
        .chain(theirs.keys())
        .collect();
    let mut merged = FieldMap::new();
    let mut conflicts = Vec::new();
    for name in names {
        let (b, m, t) = (get(&base, name), get(&mine, name), get(&theirs, name));
        let value = if m == t || m == b {
            t
        } else if t == b {
            m
        } else {
            conflicts.push(Conflict {
                field: name.clone(),
                base: b,
                mine: m,
                theirs: t.clone(),
            });
            t
        };
        if !value.is_null() {
            merged.insert(name.clone(), value);
        }
    }
    Merge {
        merged: T::from_fields(&merged),
        conflicts,
    }
}

/// `document` with `field` set to `value` (used to apply a person's choice in a conflict).
#[must_use]
pub fn with_field<T: Fields>(document: &T, field: &str, value: Value) -> T {
    let mut fields = document.to_fields();
    if value.is_null() {
        fields.remove(field);
    } else {
        fields.insert(field.to_owned(), value);
    }
    T::from_fields(&fields)
}

fn get(fields: &FieldMap, name: &str) -> Value {
    fields.get(name).cloned().unwrap_or(Value::Null)
}

fn text(value: &str) -> Option<Value> {
    (!value.is_empty()).then(|| Value::String(value.to_owned()))
}

fn string_at(fields: &FieldMap, name: &str) -> String {
    fields
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl Fields for Profile {
    fn to_fields(&self) -> FieldMap {
        [
            ("name", text(&self.name)),
            ("email", text(&self.email)),
            ("phone", text(&self.phone)),
            (
                "preferred_contact",
                self.preferred_contact
                    .map(|m| Value::String(m.as_str().into())),
            ),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name.to_owned(), v)))
        .collect()
    }

    fn from_fields(fields: &FieldMap) -> Self {
        Profile {
            name: string_at(fields, "name"),
            email: string_at(fields, "email"),
            phone: string_at(fields, "phone"),
            preferred_contact: ContactMethod::parse(&string_at(fields, "preferred_contact")),
        }
    }
}

/// Field names of [`Preferences`]:
/// `answers.<checklist>` (the sorted item ids), `answers.<checklist>.other` (text),
/// `contact.subscriptions.<topic>.<channel>` (true), `contact.frequencies.<channel>`,
/// `contact.paused_until`.
impl Fields for Preferences {
    fn to_fields(&self) -> FieldMap {
        let mut fields = FieldMap::new();
        for (id, answer) in &self.answers {
            if !answer.chosen.is_empty() {
                fields.insert(format!("answers.{id}"), serde_json::json!(answer.chosen));
            }
            if let Some(other) = text(&answer.other) {
                fields.insert(format!("answers.{id}.other"), other);
            }
        }
        for cell in &self.contact.subscriptions {
            fields.insert(
                format!(
                    "contact.subscriptions.{}.{}",
                    cell.topic,
                    cell.channel.as_str()
                ),
                Value::Bool(true),
            );
        }
        for (channel, frequency) in &self.contact.frequencies {
            fields.insert(
                format!("contact.frequencies.{}", channel.as_str()),
                Value::String(frequency.as_str().into()),
            );
        }
        if let Some(date) = self.contact.paused_until.as_deref().and_then(text) {
            fields.insert("contact.paused_until".into(), date);
        }
        fields
    }

    fn from_fields(fields: &FieldMap) -> Self {
        let mut prefs = Preferences::default();
        for (name, value) in fields {
            if let Some(rest) = name.strip_prefix("answers.") {
                if let Some(id) = rest.strip_suffix(".other") {
                    prefs
                        .answers
                        .entry(id.to_owned())
                        .or_insert_with(Answer::default)
                        .other = value.as_str().unwrap_or_default().to_owned();
                } else if let Ok(chosen) = serde_json::from_value::<BTreeSet<String>>(value.clone())
                {
                    prefs
                        .answers
                        .entry(rest.to_owned())
                        .or_insert_with(Answer::default)
                        .chosen = chosen;
                }
            } else if let Some(rest) = name.strip_prefix("contact.subscriptions.") {
                let parsed = rest.rsplit_once('.').and_then(|(topic, channel)| {
                    let channel =
                        serde_json::from_value::<Channel>(Value::String(channel.into())).ok()?;
                    Some(Subscription {
                        topic: topic.to_owned(),
                        channel,
                    })
                });
                if let (Some(cell), Some(true)) = (parsed, value.as_bool()) {
                    prefs.contact.subscriptions.insert(cell);
                }
            } else if let Some(channel) = name.strip_prefix("contact.frequencies.") {
                let channel = serde_json::from_value::<Channel>(Value::String(channel.into()));
                let frequency = serde_json::from_value::<Frequency>(value.clone());
                if let (Ok(channel), Ok(frequency)) = (channel, frequency) {
                    prefs.contact.frequencies.insert(channel, frequency);
                }
            } else if name == "contact.paused_until" {
                prefs.contact.paused_until = value.as_str().map(str::to_owned);
            }
        }
        prefs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prefs(edit: impl FnOnce(&mut Preferences)) -> Preferences {
        let mut prefs = Preferences::default();
        prefs.answers.insert(
            "interests".into(),
            Answer {
                chosen: ["golf".into()].into(),
                other: String::new(),
            },
        );
        prefs
            .contact
            .frequencies
            .insert(Channel::Email, Frequency::Monthly);
        edit(&mut prefs);
        prefs
    }

    #[test]
    fn documents_survive_the_trip_through_fields() {
        let full = prefs(|p| {
            p.answers.get_mut("interests").unwrap().other = "Birds".into();
            p.contact.set_subscribed("offers", Channel::InApp, true);
            p.contact.paused_until = Some("2027-01-01".into());
        });
        assert_eq!(Preferences::from_fields(&full.to_fields()), full);
        let profile = Profile {
            name: "Bo".into(),
            email: "bo@x.se".into(),
            phone: String::new(),
            preferred_contact: Some(ContactMethod::Post),
        };
        assert_eq!(Profile::from_fields(&profile.to_fields()), profile);
    }

    #[test]
    fn changes_list_each_field_that_moved() {
        let before = prefs(|_| {});
        let after = prefs(|p| {
            p.contact
                .frequencies
                .insert(Channel::Email, Frequency::Never);
            p.contact.set_subscribed("news", Channel::Sms, true);
        });
        assert_eq!(
            changes(&before, &after),
            vec![
                Change {
                    field: "contact.frequencies.email".into(),
                    before: json!("monthly"),
                    after: json!("never")
                },
                Change {
                    field: "contact.subscriptions.news.sms".into(),
                    before: json!(null),
                    after: json!(true)
                },
            ]
        );
        assert_eq!(changes(&after, &after), vec![]);
    }

    #[test]
    fn edits_to_different_fields_merge_without_conflict() {
        let base = prefs(|_| {});
        let mine = prefs(|p| {
            p.contact
                .frequencies
                .insert(Channel::Email, Frequency::Weekly)
                .map(drop)
                .unwrap_or(())
        });
        let theirs = prefs(|p| p.contact.set_subscribed("offers", Channel::Email, true));
        let merge = merge(&base, &mine, &theirs);
        assert_eq!(merge.conflicts, vec![]);
        assert_eq!(
            merge.merged.contact.frequencies[&Channel::Email],
            Frequency::Weekly
        );
        assert!(merge.merged.contact.is_subscribed("offers", Channel::Email));
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_holding_theirs() {
        let base = prefs(|_| {});
        let mine = prefs(|p| {
            p.answers.get_mut("interests").unwrap().chosen = ["golf".into(), "music".into()].into();
        });
        let theirs = prefs(|p| {
            p.answers.get_mut("interests").unwrap().chosen = ["reading".into()].into();
        });
        let merge = merge(&base, &mine, &theirs);
        assert_eq!(
            merge.conflicts,
            vec![Conflict {
                field: "answers.interests".into(),
                base: json!(["golf"]),
                mine: json!(["golf", "music"]),
                theirs: json!(["reading"]),
            }]
        );
        assert_eq!(
            merge.merged, theirs,
            "until chosen, what was saved elsewhere stands"
        );
        let resolved = with_field(&merge.merged, "answers.interests", json!(["golf", "music"]));
        assert_eq!(resolved, mine);
    }

    #[test]
    fn a_removal_on_one_side_merges_like_any_change() {
        let base = prefs(|p| p.contact.set_subscribed("offers", Channel::Sms, true));
        let mine = prefs(|_| {});
        let theirs = base.clone();
        let merge = merge(&base, &mine, &theirs);
        assert!(merge.conflicts.is_empty());
        assert!(!merge.merged.contact.is_subscribed("offers", Channel::Sms));
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = Profile {
            name: "Bo".into(),
            ..Profile::default()
        };
        let both = Profile {
            name: "Bo B".into(),
            ..Profile::default()
        };
        let merge = merge(&base, &both, &both);
        assert!(merge.conflicts.is_empty());
        assert_eq!(merge.merged, both);
    }
}
