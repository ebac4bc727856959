//! The configurator's words: prices, why an option cannot be chosen, what stops an order, and
//! what changed in a saved design's price, in the reader's language. Each match is exhaustive,
//! so a new rule or problem in the domain crate is a compile error here until it has words.

use crate::i18n::*;
use crate::pages::history::format;
use leptos_i18n::I18nContext;
use rapport_domain::catalogue::{Blocked, Catalogue, Change, Price, Quote, SpecProblem};
use rapport_domain::saved_design::name_of;
use std::collections::BTreeMap;

/// Translations, as every function here takes them.
pub type I18n = I18nContext<Locale>;

/// The reader's language code (`en`, `sv`).
#[must_use]
pub fn language(i18n: I18n) -> &'static str {
    leptos_i18n::Locale::as_str(i18n.get_locale())
}

/// An amount in minor units, formatted by the browser (`1 299,00 kr`, `SEK 1,299.00`).
#[must_use]
pub fn money(i18n: I18n, minor: i64, currency: &str) -> String {
    format::money(language(i18n), minor, currency)
}

/// What an option does to the price, for beside its name: "+SEK 149.00 each", "+10 % on the
/// price", "included".
#[must_use]
pub fn option_price(i18n: I18n, price: Price, by_the_piece: bool, currency: &str) -> String {
    match price {
        Price::Add(0) => t_string!(i18n, design.included).to_string(),
        Price::Add(minor) if minor < 0 => {
            let price = money(i18n, -minor, currency);
            t_string!(i18n, design.takes_off, price).to_string()
        }
        Price::Add(minor) => {
            let price = money(i18n, minor, currency);
            if by_the_piece {
                t_string!(i18n, design.each, price).to_string()
            } else {
                t_string!(i18n, design.adds, price).to_string()
            }
        }
        Price::Multiply(factor) => {
            let tenths = ((factor - 1.0) * 1000.0).round() / 10.0;
            let sign = if tenths < 0.0 { "−" } else { "+" };
            let percent = format!("{sign}{}", tenths.abs())
                .replace('.', if language(i18n) == "sv" { "," } else { "." });
            t_string!(i18n, design.factor, percent).to_string()
        }
    }
}

/// Names joined for a sentence: "Stoneware mug, Hand grinder".
#[must_use]
pub fn joined(names: impl IntoIterator<Item = String>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// Why an option cannot be chosen, and what would allow it.
#[must_use]
pub fn blocked(i18n: I18n, catalogue: &Catalogue, why: &Blocked) -> String {
    let lang = language(i18n);
    let name = |id: &str| name_of(catalogue, &BTreeMap::new(), id, lang);
    match why {
        Blocked::Needs(ids) => {
            let names = joined(ids.iter().map(|id| name(id)));
            t_string!(i18n, design.blocked_needs, names).to_string()
        }
        Blocked::ExcludedBy(id) => {
            let name = name(id);
            t_string!(i18n, design.blocked_excluded, name).to_string()
        }
        Blocked::OnlyWithModels(ids) => {
            let models = joined(ids.iter().map(|id| name(id)));
            t_string!(i18n, design.blocked_only_with, models).to_string()
        }
    }
}

/// What stops a design from being ordered, naming options as the customer knows them.
#[must_use]
pub fn problem(
    i18n: I18n,
    catalogue: &Catalogue,
    seen: &BTreeMap<String, String>,
    problem: &SpecProblem,
) -> String {
    let lang = language(i18n);
    let name = |id: &str| name_of(catalogue, seen, id, lang);
    let group = |id: &str| {
        catalogue
            .groups
            .iter()
            .find(|g| g.id == id)
            .map_or_else(|| id.to_owned(), |g| g.name.get(lang).to_owned())
    };
    match problem {
        SpecProblem::UnknownModel(id) => {
            let name = name(id);
            t_string!(i18n, design.problem_unknown_model, name).to_string()
        }
        SpecProblem::UnknownOption(id) => {
            let name = name(id);
            t_string!(i18n, design.problem_unknown_option, name).to_string()
        }
        SpecProblem::QuantityOutOfRange {
            option, min, max, ..
        } => {
            let (name, min, max) = (name(option), *min, *max);
            t_string!(i18n, design.problem_quantity, name, min, max).to_string()
        }
        SpecProblem::OneChoiceOnly(id) => {
            let group = group(id);
            t_string!(i18n, design.problem_one_choice, group).to_string()
        }
        SpecProblem::ChoiceRequired(id) => {
            let group = group(id);
            t_string!(i18n, design.problem_required, group).to_string()
        }
        SpecProblem::Needs { option, missing } => {
            let name = name(option);
            let missing = joined(missing.iter().map(|id| name_of(catalogue, seen, id, lang)));
            t_string!(i18n, design.problem_needs, name, missing).to_string()
        }
        SpecProblem::Excludes { option, other } => {
            let (name, other) = (name(option), name(other));
            t_string!(i18n, design.problem_excludes, name, other).to_string()
        }
        SpecProblem::NotWithModel { option, model } => {
            let (name, model) = (name(option), name(model));
            t_string!(i18n, design.problem_not_with_model, name, model).to_string()
        }
    }
}

/// One way the price of a saved design of `model` changed since the customer saw it (`seen`).
#[must_use]
#[allow(clippy::too_many_arguments)] // each is a different fact the sentence needs
pub fn change(
    i18n: I18n,
    catalogue: &Catalogue,
    model: &str,
    names: &BTreeMap<String, String>,
    seen: &Quote,
    now: &Quote,
    change: &Change,
) -> String {
    let lang = language(i18n);
    let was_money = |minor: i64| money(i18n, minor, &seen.currency);
    let now_money = |minor: i64| money(i18n, minor, &now.currency);
    match change {
        Change::Model { was, now: current } => {
            let model = name_of(catalogue, names, model, lang);
            let name = t_string!(i18n, design.model_price, name = model).to_string();
            let (was, now) = (was_money(*was), now_money(*current));
            t_string!(i18n, design.change_amount, name, was, now).to_string()
        }
        Change::Option {
            option,
            was,
            now: current,
        } => {
            let name = name_of(catalogue, names, option, lang);
            let now = now_money(*current);
            if seen.lines.iter().any(|l| l.option == *option) {
                let was = was_money(*was);
                t_string!(i18n, design.change_amount, name, was, now).to_string()
            } else {
                t_string!(i18n, design.change_added, name, now).to_string()
            }
        }
        Change::Gone { option, was } => {
            let (name, was) = (name_of(catalogue, names, option, lang), was_money(*was));
            t_string!(i18n, design.change_gone, name, was).to_string()
        }
        Change::Currency { was, now } => {
            let (was, now) = (was.clone(), now.clone());
            t_string!(i18n, design.change_currency, was, now).to_string()
        }
    }
}
