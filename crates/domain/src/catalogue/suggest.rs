//! Suggestions for the welcome page, drawn only from what the customer told the business
//! (their checklist answers) and what they bought, each carrying its reason so the page can
//! say "because you told us you like cooking". Whether to show any at all is the customer's
//! consent, decided by the page; this only computes them.

use super::Catalogue;
use crate::Preferences;
use crate::history::ProductBought;

/// Most suggestions shown at once.
pub const MAX_SUGGESTIONS: usize = 3;

/// A model worth showing this customer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The model's id.
    pub model: String,
    /// The reason, in the customer's own data.
    pub because: Because,
}

/// The customer's own datum a suggestion rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Because {
    /// They ticked this item of this checklist.
    Answered {
        /// The checklist's id.
        checklist: String,
        /// The item's id.
        item: String,
    },
    /// They bought this product.
    Bought(String),
}

/// Up to [`MAX_SUGGESTIONS`] models, stated interests first (the customer said so themselves),
/// then purchases, each model once, in catalogue order within each kind.
#[must_use]
pub fn suggest(
    catalogue: &Catalogue,
    preferences: &Preferences,
    bought: &[ProductBought],
) -> Vec<Suggestion> {
    let mut suggestions: Vec<Suggestion> = Vec::new();
    let mut add = |model: &str, because: Because| {
        if suggestions.len() < MAX_SUGGESTIONS && !suggestions.iter().any(|s| s.model == model) {
            suggestions.push(Suggestion {
                model: model.to_owned(),
                because,
            });
        }
    };
    for model in &catalogue.models {
        let answered = model.suggest_for.iter().find_map(|answer| {
            let (list, item) = answer.split_once('/')?;
            preferences
                .answers
                .get(list)
                .is_some_and(|a| a.chosen.contains(item))
                .then(|| Because::Answered {
                    checklist: list.to_owned(),
                    item: item.to_owned(),
                })
        });
        if let Some(because) = answered {
            add(&model.id, because);
        }
    }
    for model in &catalogue.models {
        let product = model.goes_with.iter().find(|name| {
            bought
                .iter()
                .any(|b| b.product.trim().eq_ignore_ascii_case(name.trim()))
        });
        if let Some(product) = product {
            add(&model.id, Because::Bought(product.clone()));
        }
    }
    suggestions
}
