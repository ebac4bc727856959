//! The designs document's fields as the customer reads them in the change review and after
//! a conflict: "“Weekend box”: options — Stoneware mug × 2, Cinnamon buns".

use super::Shop;
use super::work::Work;
use crate::editor::describe::{Cx, Describe};
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::catalogue::{Quote, Specification};
use rapport_domain::designs::Designs;
use rapport_domain::saved_design::name_of;
use serde_json::Value;
use std::collections::BTreeMap;

impl Describe for Designs {
    fn field_label(field: &str, cx: &Cx) -> String {
        let (id, part) = split(field);
        let name = design_name(id);
        let i18n = cx.i18n;
        match part {
            "name" => t_string!(i18n, design.designs_field_name, name).to_string(),
            "model" => t_string!(i18n, design.designs_field_model, name).to_string(),
            "options" => t_string!(i18n, design.designs_field_options, name).to_string(),
            "seen" => t_string!(i18n, design.designs_field_seen, name).to_string(),
            _ => t_string!(i18n, design.designs_field_names, name).to_string(),
        }
    }

    fn value_text(field: &str, value: &Value, cx: &Cx) -> String {
        if value.is_null() {
            return cx.empty();
        }
        let (_, part) = split(field);
        let lang = cx.language();
        let catalogue = use_context::<Shop>().map(|s| s.0.get_untracked());
        let name = |id: &str| match &catalogue {
            Some(c) => name_of(c, &BTreeMap::new(), id, lang),
            None => id.to_owned(),
        };
        match part {
            "name" | "model" => {
                let text = value.as_str().unwrap_or_default();
                if part == "model" {
                    name(text)
                } else {
                    text.to_owned()
                }
            }
            "options" => {
                let options: Specification = Specification {
                    options: serde_json::from_value(value.clone()).unwrap_or_default(),
                    ..Specification::default()
                };
                let listed: Vec<String> = options
                    .options
                    .iter()
                    .map(|(id, n)| {
                        if *n > 1 {
                            format!("{} × {n}", name(id))
                        } else {
                            name(id)
                        }
                    })
                    .collect();
                if listed.is_empty() {
                    t_string!(cx.i18n, design.no_options).to_string()
                } else {
                    super::words::joined(listed)
                }
            }
            "seen" => serde_json::from_value::<Quote>(value.clone())
                .map(|q| super::words::money(cx.i18n, q.total_minor, &q.currency))
                .unwrap_or_else(|_| cx.empty()),
            _ => serde_json::from_value::<BTreeMap<String, String>>(value.clone())
                .map(|names| super::words::joined(names.into_values()))
                .unwrap_or_else(|_| cx.empty()),
        }
    }
}

/// `designs.d1.name` → (`d1`, `name`).
fn split(field: &str) -> (&str, &str) {
    field
        .strip_prefix("designs.")
        .and_then(|rest| rest.split_once('.'))
        .unwrap_or(("", field))
}

/// The design's name in the draft, else as saved, else its id.
fn design_name(id: &str) -> String {
    use_context::<Work>()
        .and_then(|work| work.editor)
        .and_then(|editor| {
            editor
                .draft
                .with_untracked(|d| d.get(id).map(|d| d.name.clone()))
                .or_else(|| {
                    editor
                        .stored
                        .with_untracked(|s| s.data.get(id).map(|d| d.name.clone()))
                })
        })
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| id.to_owned())
}
