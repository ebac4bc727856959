//! Fields and values as the customer reads them, for the change review and the conflict view.

use crate::i18n::*;
use leptos_i18n::I18nContext;
use rapport_domain::config::PortalConfig;
use rapport_domain::fields::{Editable, changes};
use serde_json::Value;

/// What describing needs: the language and the business's configuration (for its labels).
#[derive(Clone)]
pub struct Cx {
    /// Translations.
    pub i18n: I18nContext<Locale>,
    /// The configuration, for checklist, topic and purpose names.
    pub config: PortalConfig,
}

impl Cx {
    /// The current language's code.
    #[must_use]
    pub fn language(&self) -> &'static str {
        leptos_i18n::Locale::as_str(self.i18n.get_locale())
    }

    /// "(empty)" in the current language.
    #[must_use]
    pub fn empty(&self) -> String {
        t_string!(self.i18n, editor.empty).to_owned()
    }
}

/// A document whose fields can be named for a customer.
pub trait Describe {
    /// The field's name, such as "E-mail: how often".
    fn field_label(field: &str, cx: &Cx) -> String;
    /// One of the field's values, such as "Monthly"; `null` is the empty value.
    fn value_text(field: &str, value: &Value, cx: &Cx) -> String;
}

/// One change, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// The field's machine name (stable, for keys and ids).
    pub field: String,
    /// Its name for people.
    pub label: String,
    /// The value before.
    pub before: String,
    /// The value after.
    pub after: String,
}

/// The changes from `before` to `after`, described.
pub fn described_changes<T: Editable + Describe>(before: &T, after: &T, cx: &Cx) -> Vec<Described> {
    changes(before, &after.normalized())
        .into_iter()
        .map(|change| Described {
            label: T::field_label(&change.field, cx),
            before: T::value_text(&change.field, &change.before, cx),
            after: T::value_text(&change.field, &change.after, cx),
            field: change.field,
        })
        .collect()
}
