//! A saved design against today's catalogue, and the edits "My designs" makes to the designs
//! document: what changed since the customer saw the price, whether it can be ordered, and
//! new, changed, confirmed and copied designs with their remembered price and names.
//!
//! The portal's configurator is thin over these; they are plain functions so the rules (an
//! order waits until the customer has seen the price it will be charged) are tested natively.

use crate::catalogue::{Catalogue, Change, Quote, SpecProblem, Specification, compare};
use crate::designs::{Design, Designs, NAME_MAX_CHARS};
use std::collections::BTreeMap;

/// Where a saved design stands today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// What it costs now.
    pub now: Quote,
    /// How that differs from what the customer saw; empty when nothing changed.
    pub changes: Vec<Change>,
    /// What stops it from being ordered as it stands.
    pub problems: Vec<SpecProblem>,
}

impl Review {
    /// Whether the customer has seen the price an order would be charged.
    #[must_use]
    pub fn price_seen(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether an order can go out: the price was seen and the rules allow the design.
    #[must_use]
    pub fn orderable(&self) -> bool {
        self.price_seen() && self.problems.is_empty()
    }
}

/// `design` priced and checked against `catalogue`.
#[must_use]
pub fn review(catalogue: &Catalogue, design: &Design) -> Review {
    let now = catalogue.quote(&design.spec);
    Review {
        changes: compare(&design.seen, &now),
        problems: catalogue.problems(&design.spec),
        now,
    }
}

/// The names of the model and the chosen options in `language`, as the customer sees them now.
/// An id the catalogue no longer knows keeps the name it had in `earlier`.
#[must_use]
pub fn names(
    catalogue: &Catalogue,
    spec: &Specification,
    language: &str,
    earlier: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let model = catalogue
        .model(&spec.model)
        .map(|m| m.name.get(language).to_owned());
    std::iter::once((spec.model.clone(), model))
        .chain(spec.options.keys().map(|id| {
            let now = catalogue
                .option(id)
                .map(|(_, o)| o.name.get(language).to_owned());
            (id.clone(), now)
        }))
        .filter_map(|(id, now)| {
            let name = now.or_else(|| earlier.get(&id).cloned())?;
            Some((id, name))
        })
        .collect()
}

/// The name of `id` (a model or an option) for the customer: the catalogue's now, or as the
/// customer saw it, or the id itself as a last resort.
#[must_use]
pub fn name_of(
    catalogue: &Catalogue,
    seen: &BTreeMap<String, String>,
    id: &str,
    language: &str,
) -> String {
    catalogue
        .model(id)
        .map(|m| m.name.get(language).to_owned())
        .or_else(|| {
            catalogue
                .option(id)
                .map(|(_, o)| o.name.get(language).to_owned())
        })
        .or_else(|| seen.get(id).cloned())
        .unwrap_or_else(|| id.to_owned())
}

/// A new design of `spec`, at the price the customer sees now.
#[must_use]
pub fn new_design(
    catalogue: &Catalogue,
    id: String,
    name: &str,
    spec: Specification,
    language: &str,
) -> Design {
    Design {
        id,
        name: name.trim().to_owned(),
        seen: catalogue.quote(&spec),
        names: names(catalogue, &spec, language, &BTreeMap::new()),
        spec,
    }
}

/// `design` with its choices changed to `spec`. The configurator shows the live price, so a
/// design whose price the customer had seen now remembers the new one; a design with a price
/// change not yet confirmed keeps what was seen, so the change is still shown until confirmed.
#[must_use]
pub fn with_spec(
    catalogue: &Catalogue,
    design: &Design,
    spec: Specification,
    language: &str,
) -> Design {
    let seen_before = review(catalogue, design).price_seen();
    Design {
        seen: if seen_before {
            catalogue.quote(&spec)
        } else {
            design.seen.clone()
        },
        names: names(catalogue, &spec, language, &design.names),
        spec,
        ..design.clone()
    }
}

/// `design` once the customer has confirmed they saw its price now.
#[must_use]
pub fn confirm_price(catalogue: &Catalogue, design: &Design, language: &str) -> Design {
    Design {
        seen: catalogue.quote(&design.spec),
        names: names(catalogue, &design.spec, language, &design.names),
        ..design.clone()
    }
}

/// A design id not used in `designs`, made from the time (milliseconds since 1970), so ids
/// sort in the order designs were made (`Designs::from_fields` relies on that).
#[must_use]
pub fn new_id(now_ms: u64, designs: &Designs) -> String {
    let mut n = now_ms;
    loop {
        let id = format!("d{}", base36(n));
        if designs.get(&id).is_none() {
            return id;
        }
        n += 1;
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A copy of design `id` under `new_id`, named by `copy_name` (such as "Copy of …"), cut to the
/// longest name allowed; appended after the others. `None` when there is no such design.
#[must_use]
pub fn duplicate(
    designs: &Designs,
    id: &str,
    new_id: String,
    copy_name: impl FnOnce(&str) -> String,
) -> Option<Designs> {
    let original = designs.get(id)?;
    let copy = Design {
        id: new_id,
        name: copy_name(&original.name)
            .chars()
            .take(NAME_MAX_CHARS)
            .collect(),
        ..original.clone()
    };
    let mut next = designs.clone();
    next.designs.push(copy);
    Some(next)
}

/// `designs` with design `id` replaced by what `change` makes of it.
#[must_use]
pub fn update(designs: &Designs, id: &str, change: impl FnOnce(&Design) -> Design) -> Designs {
    let mut next = designs.clone();
    if let Some(design) = next.designs.iter_mut().find(|d| d.id == id) {
        *design = change(design);
    }
    next
}

/// `designs` without design `id`.
#[must_use]
pub fn remove(designs: &Designs, id: &str) -> Designs {
    let mut next = designs.clone();
    next.designs.retain(|d| d.id != id);
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::QuoteLine;
    use serde_json::json;

    fn text(en: &str) -> serde_json::Value {
        json!({ "en": en, "sv": format!("{en} (sv)") })
    }

    fn shop(mug_price: i64, with_buns: bool) -> Catalogue {
        let mut extras = vec![
            json!({ "id": "mug", "name": text("Mug"), "price": { "add": mug_price },
                                       "quantity": { "min": 1, "max": 6 } }),
        ];
        if with_buns {
            extras.push(json!({ "id": "buns", "name": text("Buns"), "price": { "add": 4_900 } }));
        }
        let value = json!({
            "currency": "SEK",
            "models": [{ "id": "box", "name": text("Box"), "base_price_minor": 29_900 }],
            "groups": [
                { "id": "coffee", "name": text("Coffee"), "choice": "single", "required": true, "options": [
                    { "id": "dark", "name": text("Dark"), "price": { "add": 0 }, "default": true }
                ]},
                { "id": "extras", "name": text("Extras"), "choice": "multiple", "options": extras }
            ]
        });
        Catalogue::from_value(&value, "catalogue", &["en".into(), "sv".into()], &[])
            .expect("a valid catalogue")
    }

    fn design(catalogue: &Catalogue) -> Design {
        let spec = catalogue.start("box");
        let spec = catalogue.choose(&spec, "mug", 2).spec;
        let spec = catalogue.choose(&spec, "buns", 1).spec;
        new_design(catalogue, "d1".into(), "  Mine ", spec, "en")
    }

    #[test]
    fn a_new_design_remembers_the_price_and_names_it_was_made_with() {
        let shop = shop(14_900, true);
        let made = design(&shop);
        assert_eq!(made.name, "Mine");
        assert_eq!(made.seen.total_minor, 29_900 + 2 * 14_900 + 4_900);
        assert_eq!(made.names.get("box").map(String::as_str), Some("Box"));
        assert_eq!(made.names.get("mug").map(String::as_str), Some("Mug"));
        assert!(review(&shop, &made).orderable());
    }

    #[test]
    fn a_price_change_and_a_dropped_option_wait_for_confirmation() {
        let made = design(&shop(14_900, true));
        let changed = shop(16_900, false);
        let now = review(&changed, &made);
        assert_eq!(
            now.changes,
            vec![
                Change::Option {
                    option: "mug".into(),
                    was: 29_800,
                    now: 33_800
                },
                Change::Gone {
                    option: "buns".into(),
                    was: 4_900
                },
            ]
        );
        assert_eq!(
            now.problems,
            vec![SpecProblem::UnknownOption("buns".into())]
        );
        assert!(!now.orderable());
        // The dropped option keeps the name the customer knew it by.
        assert_eq!(name_of(&changed, &made.names, "buns", "en"), "Buns");

        // Confirming records the new price; removing the dropped option lets it be ordered.
        let confirmed = confirm_price(&changed, &made, "en");
        assert!(review(&changed, &confirmed).price_seen());
        let fixed = with_spec(
            &changed,
            &confirmed,
            changed.remove(&confirmed.spec, "buns").spec,
            "en",
        );
        let now = review(&changed, &fixed);
        assert!(now.orderable(), "{now:?}");
        assert_eq!(fixed.seen.total_minor, 29_900 + 2 * 16_900);
    }

    #[test]
    fn changing_choices_updates_the_seen_price_only_once_the_old_one_was_confirmed() {
        let made = design(&shop(14_900, true));
        let changed = shop(16_900, true);
        let more = changed.choose(&made.spec, "mug", 3).spec;
        let unconfirmed = with_spec(&changed, &made, more.clone(), "sv");
        assert_eq!(unconfirmed.seen, made.seen);
        assert!(!review(&changed, &unconfirmed).price_seen());
        assert_eq!(
            unconfirmed.names.get("mug").map(String::as_str),
            Some("Mug (sv)")
        );

        let confirmed = confirm_price(&changed, &made, "en");
        let after = with_spec(&changed, &confirmed, more, "en");
        assert_eq!(
            after.seen.lines.iter().find(|l| l.option == "mug"),
            Some(&QuoteLine {
                option: "mug".into(),
                quantity: 3,
                amount_minor: 3 * 16_900
            })
        );
        assert!(review(&changed, &after).orderable());
    }

    #[test]
    fn ids_are_new_and_sort_in_the_order_made() {
        let mut designs = Designs::default();
        let first = new_id(1_700_000_000_000, &designs);
        designs.designs.push(Design {
            id: first.clone(),
            ..Design::default()
        });
        let same_ms = new_id(1_700_000_000_000, &designs);
        assert_ne!(first, same_ms);
        assert!(first < same_ms && first.len() == same_ms.len());
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
        designs.designs.push(Design {
            id: same_ms,
            name: "x".into(),
            ..Design::default()
        });
        assert!(
            designs
                .problems()
                .iter()
                .all(|p| !matches!(p, crate::designs::DesignsProblem::BadId(_)))
        );
    }

    #[test]
    fn duplicate_rename_and_remove_touch_only_their_design() {
        let shop = shop(14_900, true);
        let designs = Designs {
            designs: vec![design(&shop)],
        };
        let copied =
            duplicate(&designs, "d1", "d2".into(), |n| format!("Copy of {n}")).expect("d1 exists");
        assert_eq!(copied.designs.len(), 2);
        assert_eq!(copied.designs[1].name, "Copy of Mine");
        assert_eq!(copied.designs[1].spec, copied.designs[0].spec);
        assert!(duplicate(&designs, "nope", "d3".into(), |n| n.to_owned()).is_none());
        let long = duplicate(&designs, "d1", "d3".into(), |_| "x".repeat(200)).expect("d1");
        assert_eq!(long.designs[1].name.chars().count(), NAME_MAX_CHARS);

        let renamed = update(&copied, "d2", |d| Design {
            name: "Other".into(),
            ..d.clone()
        });
        assert_eq!(renamed.designs[0].name, "Mine");
        assert_eq!(renamed.designs[1].name, "Other");
        let removed = remove(&renamed, "d1");
        assert_eq!(removed.designs.len(), 1);
        assert_eq!(removed.designs[0].id, "d2");
    }
}
