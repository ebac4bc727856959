//! A customer's choices (a [`Specification`]) and the catalogue's rules over them: what may be
//! chosen now and, when not, why and what would allow it; what a choice takes away with it;
//! and whether a design can be ordered.

use super::check::MAX_QUANTITY;
use super::{Catalogue, OptionGroup};
use crate::config::Choice;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A model and the options chosen for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Specification {
    /// The model's id.
    pub model: String,
    /// Chosen options by id, with how many (1 for an option not sold by the piece).
    #[serde(default)]
    pub options: BTreeMap<String, u32>,
}

/// Why an option cannot be chosen right now, and so what would allow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// It comes only with these models; choosing one of them allows it.
    OnlyWithModels(Vec<String>),
    /// It cannot be combined with this chosen option; removing that allows it.
    ExcludedBy(String),
    /// It needs these options, not chosen yet; choosing them allows it.
    Needs(Vec<String>),
}

/// Why a specification cannot be ordered as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecProblem {
    /// The model is not in the catalogue (any more).
    UnknownModel(String),
    /// The option is not in the catalogue (any more).
    UnknownOption(String),
    /// The number of pieces is outside what the option allows.
    QuantityOutOfRange {
        /// The option.
        option: String,
        /// How many were asked for.
        quantity: u32,
        /// The least allowed.
        min: u32,
        /// The most allowed.
        max: u32,
    },
    /// More than one option of a single-choice group.
    OneChoiceOnly(String),
    /// Nothing chosen in a required group.
    ChoiceRequired(String),
    /// A chosen option lacks options it needs.
    Needs {
        /// The chosen option.
        option: String,
        /// What it needs and is missing.
        missing: Vec<String>,
    },
    /// Two chosen options exclude each other.
    Excludes {
        /// One option.
        option: String,
        /// The other.
        other: String,
    },
    /// A chosen option does not come with the chosen model.
    NotWithModel {
        /// The option.
        option: String,
        /// The model.
        model: String,
    },
}

impl SpecProblem {
    /// The code the backend answers with; the portal words it in the customer's language.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownModel(_) => "unknown_model",
            Self::UnknownOption(_) => "unknown_option",
            Self::QuantityOutOfRange { .. } => "quantity_out_of_range",
            Self::OneChoiceOnly(_) => "one_choice_only",
            Self::ChoiceRequired(_) => "choice_required",
            Self::Needs { .. } => "option_needs",
            Self::Excludes { .. } => "options_exclude",
            Self::NotWithModel { .. } => "option_not_with_model",
        }
    }

    /// The same in English, for logs and API clients.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::UnknownModel(id) => format!("\"{id}\" is not a model of the catalogue"),
            Self::UnknownOption(id) => format!("\"{id}\" is not an option of the catalogue"),
            Self::QuantityOutOfRange {
                option,
                quantity,
                min,
                max,
            } => format!("{quantity} of \"{option}\" is not between {min} and {max}"),
            Self::OneChoiceOnly(group) => format!("choose one option only in \"{group}\""),
            Self::ChoiceRequired(group) => format!("choose an option in \"{group}\""),
            Self::Needs { option, missing } => {
                format!("\"{option}\" needs {}", missing.join(", "))
            }
            Self::Excludes { option, other } => {
                format!("\"{option}\" cannot be combined with \"{other}\"")
            }
            Self::NotWithModel { option, model } => {
                format!("\"{option}\" does not come with \"{model}\"")
            }
        }
    }
}

/// What choosing or removing an option came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toggled {
    /// The specification after the change.
    pub spec: Specification,
    /// Options taken out with it (a single-choice sibling, options that needed the one
    /// removed, options the new model does not have), for the page to say so.
    pub also_removed: Vec<String>,
}

impl Catalogue {
    /// A new design of `model`: its default options, where the rules allow them.
    #[must_use]
    pub fn start(&self, model: &str) -> Specification {
        let mut spec = Specification {
            model: model.to_owned(),
            options: BTreeMap::new(),
        };
        for (_, option) in self.options() {
            if option.default && self.blocked(&spec, &option.id).is_none() {
                let pieces = option.quantity.map_or(1, |q| q.min);
                spec = self.choose(&spec, &option.id, pieces).spec;
            }
        }
        spec
    }

    /// Why `option` cannot be chosen in `spec`, or `None` when it can (or already is).
    #[must_use]
    pub fn blocked(&self, spec: &Specification, option: &str) -> Option<Blocked> {
        let (group, _) = self.option(option)?;
        let models: Vec<String> = self
            .rules_for(option)
            .flat_map(|r| r.only_with_models.iter().cloned())
            .collect();
        if !models.is_empty() && !models.contains(&spec.model) {
            return Some(Blocked::OnlyWithModels(models));
        }
        // Choosing in a single-choice group replaces the sibling, so the sibling's
        // exclusions do not stand in the way.
        let replaced = |other: &str| group.choice == Choice::Single && in_group(group, other);
        if let Some(other) = spec
            .options
            .keys()
            .find(|other| *other != option && !replaced(other) && self.exclude(option, other))
        {
            return Some(Blocked::ExcludedBy(other.clone()));
        }
        let missing = self.missing_for(spec, option);
        (!missing.is_empty()).then_some(Blocked::Needs(missing))
    }

    /// Chooses `option` (with `pieces`, for an option sold by the piece), replacing the other
    /// option of a single-choice group. A blocked option is not chosen.
    #[must_use]
    pub fn choose(&self, spec: &Specification, option: &str, pieces: u32) -> Toggled {
        let mut next = spec.clone();
        let mut also_removed = Vec::new();
        if self.blocked(spec, option).is_some() {
            return Toggled {
                spec: next,
                also_removed,
            };
        }
        let Some((group, chosen)) = self.option(option) else {
            return Toggled {
                spec: next,
                also_removed,
            };
        };
        if group.choice == Choice::Single {
            for sibling in &group.options {
                if sibling.id != option && next.options.contains_key(&sibling.id) {
                    also_removed.extend(self.remove_from(&mut next, &sibling.id));
                }
            }
        }
        let pieces = chosen
            .quantity
            .map_or(1, |q| pieces.clamp(q.min, q.max.min(MAX_QUANTITY)));
        next.options.insert(option.to_owned(), pieces);
        also_removed.retain(|id| id != option);
        Toggled {
            spec: next,
            also_removed,
        }
    }

    /// Removes `option`, and with it every chosen option that needed it.
    #[must_use]
    pub fn remove(&self, spec: &Specification, option: &str) -> Toggled {
        let mut next = spec.clone();
        let mut also_removed = self.remove_from(&mut next, option);
        also_removed.retain(|id| id != option);
        Toggled {
            spec: next,
            also_removed,
        }
    }

    /// Changes the model, keeping the options that come with the new one.
    #[must_use]
    pub fn change_model(&self, spec: &Specification, model: &str) -> Toggled {
        let mut next = Specification {
            model: model.to_owned(),
            options: spec.options.clone(),
        };
        let mut also_removed = Vec::new();
        loop {
            let gone = next.options.keys().find(|id| {
                matches!(
                    self.blocked(&without(&next, id), id),
                    Some(Blocked::OnlyWithModels(_))
                )
            });
            let Some(gone) = gone.cloned() else { break };
            also_removed.extend(self.remove_from(&mut next, &gone));
        }
        Toggled {
            spec: next,
            also_removed,
        }
    }

    /// Everything that stops `spec` from being ordered, in page order; empty when it can be.
    #[must_use]
    pub fn problems(&self, spec: &Specification) -> Vec<SpecProblem> {
        let mut problems = Vec::new();
        if self.model(&spec.model).is_none() {
            problems.push(SpecProblem::UnknownModel(spec.model.clone()));
        }
        for (id, &quantity) in &spec.options {
            let Some((_, option)) = self.option(id) else {
                problems.push(SpecProblem::UnknownOption(id.clone()));
                continue;
            };
            let (min, max) = option.quantity.map_or((1, 1), |q| (q.min, q.max));
            if !(min..=max).contains(&quantity) {
                problems.push(SpecProblem::QuantityOutOfRange {
                    option: id.clone(),
                    quantity,
                    min,
                    max,
                });
            }
        }
        for group in &self.groups {
            let chosen = group
                .options
                .iter()
                .filter(|o| spec.options.contains_key(&o.id))
                .count();
            if group.choice == Choice::Single && chosen > 1 {
                problems.push(SpecProblem::OneChoiceOnly(group.id.clone()));
            }
            if group.required && chosen == 0 {
                problems.push(SpecProblem::ChoiceRequired(group.id.clone()));
            }
        }
        for (_, option) in self.options() {
            let id = &option.id;
            if !spec.options.contains_key(id) {
                continue;
            }
            let models: Vec<&String> = self
                .rules_for(id)
                .flat_map(|r| &r.only_with_models)
                .collect();
            if !models.is_empty() && !models.contains(&&spec.model) {
                problems.push(SpecProblem::NotWithModel {
                    option: id.clone(),
                    model: spec.model.clone(),
                });
            }
            let missing = self.missing_for(spec, id);
            if !missing.is_empty() {
                problems.push(SpecProblem::Needs {
                    option: id.clone(),
                    missing,
                });
            }
            for other in spec.options.keys() {
                // Each pair once: from the option that comes first in the catalogue.
                if other != id && self.exclude(id, other) && self.comes_before(id, other) {
                    problems.push(SpecProblem::Excludes {
                        option: id.clone(),
                        other: other.clone(),
                    });
                }
            }
        }
        problems
    }

    /// The text of the rule that stops `option`, in `language`, when the business wrote one.
    #[must_use]
    pub fn why<'a>(&'a self, option: &'a str, language: &str) -> Option<&'a str> {
        self.rules_for(option)
            .find_map(|r| r.why.as_ref())
            .map(|why| why.get(language))
    }

    fn exclude(&self, a: &str, b: &str) -> bool {
        self.rules.iter().any(|r| {
            (r.option == a && r.excludes.iter().any(|x| x == b))
                || (r.option == b && r.excludes.iter().any(|x| x == a))
        })
    }

    fn missing_for(&self, spec: &Specification, option: &str) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        for needed in self.rules_for(option).flat_map(|r| &r.requires) {
            if !spec.options.contains_key(needed) && !missing.contains(needed) {
                missing.push(needed.clone());
            }
        }
        missing
    }

    fn comes_before(&self, a: &str, b: &str) -> bool {
        let position = |id: &str| self.options().position(|(_, o)| o.id == id);
        position(a) < position(b)
    }

    /// Removes `option` and, transitively, what needed it; returns everything removed.
    fn remove_from(&self, spec: &mut Specification, option: &str) -> Vec<String> {
        let mut removed = Vec::new();
        let mut queue = vec![option.to_owned()];
        while let Some(id) = queue.pop() {
            if spec.options.remove(&id).is_none() {
                continue;
            }
            removed.push(id.clone());
            for rule in &self.rules {
                if rule.requires.contains(&id) && spec.options.contains_key(&rule.option) {
                    queue.push(rule.option.clone());
                }
            }
        }
        removed
    }
}

fn in_group(group: &OptionGroup, option: &str) -> bool {
    group.options.iter().any(|o| o.id == option)
}

fn without(spec: &Specification, option: &str) -> Specification {
    let mut spec = spec.clone();
    spec.options.remove(option);
    spec
}
