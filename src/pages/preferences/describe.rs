//! Naming the preferences' fields and values for the change review and the conflict view.

use super::contact::{cell_label, frequency_label, frequency_select_label};
use crate::editor::describe::{Cx, Describe};
use crate::i18n::*;
use rapport_domain::Preferences;
use rapport_domain::config::{Channel, Frequency};
use serde_json::Value;

fn channel(id: &str) -> Option<Channel> {
    serde_json::from_value(Value::String(id.into())).ok()
}

impl Describe for Preferences {
    fn field_label(field: &str, cx: &Cx) -> String {
        let (i18n, lang) = (cx.i18n, cx.language());
        if let Some(rest) = field.strip_prefix("answers.") {
            let (id, other) = rest
                .strip_suffix(".other")
                .map_or((rest, false), |id| (id, true));
            let label = cx
                .config
                .checklist(id)
                .map_or(id.to_owned(), |c| c.label.get(lang).to_owned());
            return if other {
                format!("{label}: {}", t_string!(i18n, preferences.other))
            } else {
                label
            };
        }
        if let Some((topic, ch)) = field
            .strip_prefix("contact.subscriptions.")
            .and_then(|r| r.rsplit_once('.'))
        {
            let topic_label = cx
                .config
                .contact
                .as_ref()
                .and_then(|g| g.topics.iter().find(|t| t.id == topic))
                .map_or(topic.to_owned(), |t| t.label.get(lang).to_owned());
            return channel(ch).map_or(field.to_owned(), |ch| cell_label(i18n, &topic_label, ch));
        }
        if let Some(ch) = field.strip_prefix("contact.frequencies.").and_then(channel) {
            return frequency_select_label(i18n, ch);
        }
        if field == "contact.paused_until" {
            return t_string!(i18n, preferences.paused_label).to_owned();
        }
        field.to_owned()
    }

    fn value_text(field: &str, value: &Value, cx: &Cx) -> String {
        let (i18n, lang) = (cx.i18n, cx.language());
        if let Some(id) = field
            .strip_prefix("answers.")
            .filter(|id| !id.ends_with(".other"))
        {
            let items: Vec<String> = value
                .as_array()
                .map(|chosen| {
                    chosen
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|item| {
                            cx.config
                                .checklist(id)
                                .and_then(|c| c.items.iter().find(|i| i.id == item))
                                .map_or(item.to_owned(), |i| i.label.get(lang).to_owned())
                        })
                        .collect()
                })
                .unwrap_or_default();
            return if items.is_empty() {
                t_string!(i18n, preferences.no_answer).to_owned()
            } else {
                items.join(", ")
            };
        }
        if field.starts_with("contact.subscriptions.") {
            return if value.as_bool() == Some(true) {
                t_string!(i18n, editor.yes)
            } else {
                t_string!(i18n, editor.no)
            }
            .to_owned();
        }
        if field.starts_with("contact.frequencies.") {
            let default = cx
                .config
                .contact
                .as_ref()
                .map_or(Frequency::Never, |g| g.default_frequency);
            let frequency = serde_json::from_value::<Frequency>(value.clone()).unwrap_or(default);
            return frequency_label(i18n, frequency);
        }
        match value.as_str() {
            Some(text) if !text.is_empty() => text.to_owned(),
            _ => cx.empty(),
        }
    }
}
