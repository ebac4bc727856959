//! Every mistake in a catalogue, with its path, so a business fixes them all in one go.

use super::{Catalogue, MAX_OPTIONS, Price};
use crate::config::{Checklist, Choice, ConfigIssue, ConfigProblem, check_id, check_text};

/// Most pieces of one option in a design.
pub const MAX_QUANTITY: u32 = 1000;

pub(super) fn problems(
    catalogue: &Catalogue,
    at: &str,
    languages: &[String],
    checklists: &[Checklist],
) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    let mut report = |path: String, issue| problems.push(ConfigProblem { path, issue });

    let currency = &catalogue.currency;
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        report(
            format!("{at}.currency"),
            ConfigIssue::Catalogue(format!(
                "\"{currency}\" is not an ISO 4217 code; use three capital letters, such as \"SEK\""
            )),
        );
    }
    if catalogue.models.is_empty() {
        report(
            format!("{at}.models"),
            ConfigIssue::Catalogue("no models are listed; list at least one basic model".into()),
        );
    }
    let mut model_ids = Vec::new();
    for (i, model) in catalogue.models.iter().enumerate() {
        let here = format!("{at}.models[{i}]");
        check_id(&model_ids, &model.id, &format!("{here}.id"), &mut report);
        model_ids.push(model.id.as_str());
        check_text(&model.name, &format!("{here}.name"), languages, &mut report);
        if let Some(description) = &model.description {
            check_text(
                description,
                &format!("{here}.description"),
                languages,
                &mut report,
            );
        }
        if model.base_price_minor < 0 {
            report(
                format!("{here}.base_price_minor"),
                ConfigIssue::Catalogue(format!(
                    "{} is below zero; a model's price is 0 or more",
                    model.base_price_minor
                )),
            );
        }
        for (j, answer) in model.suggest_for.iter().enumerate() {
            let known = answer.split_once('/').is_some_and(|(list, item)| {
                checklists
                    .iter()
                    .any(|c| c.id == list && c.items.iter().any(|it| it.id == item))
            });
            if !known {
                report(
                    format!("{here}.suggest_for[{j}]"),
                    ConfigIssue::Catalogue(format!(
                        "\"{answer}\" is not a checklist item; write it as checklist/item, such as \"interests/cooking\""
                    )),
                );
            }
        }
        for (j, product) in model.goes_with.iter().enumerate() {
            if product.trim().is_empty() {
                report(format!("{here}.goes_with[{j}]"), ConfigIssue::EmptyText);
            }
        }
    }

    let mut group_ids = Vec::new();
    let mut option_ids: Vec<&str> = Vec::new();
    for (i, group) in catalogue.groups.iter().enumerate() {
        let here = format!("{at}.groups[{i}]");
        check_id(&group_ids, &group.id, &format!("{here}.id"), &mut report);
        group_ids.push(group.id.as_str());
        check_text(&group.name, &format!("{here}.name"), languages, &mut report);
        if group.options.is_empty() {
            report(
                format!("{here}.options"),
                ConfigIssue::Catalogue("a group needs at least one option".into()),
            );
        }
        let defaults = group.options.iter().filter(|o| o.default).count();
        if group.choice == Choice::Single && defaults > 1 {
            report(
                format!("{here}.options"),
                ConfigIssue::Catalogue(format!(
                    "{defaults} options are marked default in a single-choice group; mark at most one"
                )),
            );
        }
        for (j, option) in group.options.iter().enumerate() {
            let here = format!("{here}.options[{j}]");
            check_id(&option_ids, &option.id, &format!("{here}.id"), &mut report);
            option_ids.push(option.id.as_str());
            check_text(
                &option.name,
                &format!("{here}.name"),
                languages,
                &mut report,
            );
            if let Some(description) = &option.description {
                check_text(
                    description,
                    &format!("{here}.description"),
                    languages,
                    &mut report,
                );
            }
            if let Price::Multiply(factor) = option.price {
                if !(factor.is_finite() && factor > 0.0 && factor <= 100.0) {
                    report(
                        format!("{here}.price.multiply"),
                        ConfigIssue::Catalogue(format!(
                            "{factor} is not a factor between 0 and 100; 1.1 adds 10%"
                        )),
                    );
                }
                if option.quantity.is_some() {
                    report(format!("{here}.quantity"), ConfigIssue::Catalogue("an option that multiplies the price cannot be bought by the piece; remove quantity or use \"add\"".into(),));
                }
            }
            if let Some(quantity) = option.quantity
                && (quantity.min == 0 || quantity.min > quantity.max || quantity.max > MAX_QUANTITY)
            {
                report(
                    format!("{here}.quantity"),
                    ConfigIssue::Catalogue(format!(
                        "min {} and max {} must satisfy 1 <= min <= max <= {MAX_QUANTITY}",
                        quantity.min, quantity.max
                    )),
                );
            }
        }
    }
    if option_ids.len() > MAX_OPTIONS {
        report(
            format!("{at}.groups"),
            ConfigIssue::Catalogue(format!(
                "{} options in all; a catalogue may have at most {MAX_OPTIONS}",
                option_ids.len()
            )),
        );
    }

    for (i, rule) in catalogue.rules.iter().enumerate() {
        let here = format!("{at}.rules[{i}]");
        let unknown_option = |id: &str| {
            format!("\"{id}\" is not an option of the catalogue; use an id from groups[].options[]")
        };
        if !option_ids.contains(&rule.option.as_str()) {
            report(
                format!("{here}.option"),
                ConfigIssue::Catalogue(unknown_option(&rule.option)),
            );
        }
        if rule.requires.is_empty() && rule.excludes.is_empty() && rule.only_with_models.is_empty()
        {
            report(
                here.clone(),
                ConfigIssue::Catalogue(
                    "says nothing; give requires, excludes or only_with_models".into(),
                ),
            );
        }
        for (kind, list) in [("requires", &rule.requires), ("excludes", &rule.excludes)] {
            for (j, id) in list.iter().enumerate() {
                let path = format!("{here}.{kind}[{j}]");
                if *id == rule.option {
                    report(
                        path,
                        ConfigIssue::Catalogue(format!(
                            "an option cannot {} itself",
                            kind.trim_end_matches('s')
                        )),
                    );
                } else if !option_ids.contains(&id.as_str()) {
                    report(path, ConfigIssue::Catalogue(unknown_option(id)));
                }
            }
        }
        for (j, id) in rule.only_with_models.iter().enumerate() {
            if !model_ids.contains(&id.as_str()) {
                report(
                    format!("{here}.only_with_models[{j}]"),
                    ConfigIssue::Catalogue(format!(
                        "\"{id}\" is not a model; use one of {}",
                        model_ids.join(", ")
                    )),
                );
            }
        }
        if let Some(why) = &rule.why {
            check_text(why, &format!("{here}.why"), languages, &mut report);
        }
    }
    problems
}
