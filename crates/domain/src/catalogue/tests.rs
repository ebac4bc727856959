use super::*;
use crate::config::{Checklist, ChecklistItem, Choice as ListChoice, ConfigIssue, Localized};
use crate::designs::{Design, Designs, DesignsProblem};
use crate::draft::{Draft, Restored, restore};
use crate::fields::{Fields, merge};
use crate::history::ProductBought;
use crate::preferences::Answer;
use crate::{Preferences, Version, Versioned};
use serde_json::json;

fn text(en: &str) -> serde_json::Value {
    json!({ "en": en, "sv": en })
}

/// A bicycle maker's catalogue: every price kind and every rule kind.
fn bicycles() -> serde_json::Value {
    json!({
        "currency": "SEK",
        "models": [
            { "id": "city", "name": text("City"), "base_price_minor": 800_000,
              "suggest_for": ["interests/commuting"], "goes_with": ["Bike lock"] },
            { "id": "sport", "name": text("Sport"), "base_price_minor": 1_200_000,
              "suggest_for": ["interests/racing"] }
        ],
        "groups": [
            { "id": "colour", "name": text("Colour"), "choice": "single", "required": true, "options": [
                { "id": "red", "name": text("Red"), "price": { "add": 0 }, "default": true },
                { "id": "green", "name": text("Green"), "price": { "add": 50_000 } }
            ]},
            { "id": "gears", "name": text("Gears"), "choice": "single", "options": [
                { "id": "three", "name": text("3 gears"), "price": { "add": 0 }, "default": true },
                { "id": "eight", "name": text("8 gears"), "price": { "add": 150_000 } },
                { "id": "electric", "name": text("Electric assist"), "price": { "add": 800_000 } }
            ]},
            { "id": "extras", "name": text("Extras"), "choice": "multiple", "options": [
                { "id": "rack", "name": text("Rack"), "price": { "add": 40_000 } },
                { "id": "child-seat", "name": text("Child seat"), "price": { "add": 90_000 } },
                { "id": "basket", "name": text("Basket"), "price": { "add": 30_000 } },
                { "id": "bottle", "name": text("Bottle"), "price": { "add": 5_000 },
                  "quantity": { "min": 1, "max": 4 } },
                { "id": "finish", "name": text("Premium finish"), "price": { "multiply": 1.05 } }
            ]}
        ],
        "rules": [
            { "option": "child-seat", "requires": ["rack"], "why": text("A child seat sits on the rack.") },
            { "option": "basket", "excludes": ["child-seat"] },
            { "option": "electric", "only_with_models": ["sport"] }
        ]
    })
}

fn languages() -> Vec<String> {
    vec!["en".into(), "sv".into()]
}

fn interests() -> Vec<Checklist> {
    vec![Checklist {
        id: "interests".into(),
        label: Localized([("en".into(), "Interests".into())].into()),
        description: None,
        why_we_ask: Localized::default(),
        purpose: "p".into(),
        choice: ListChoice::Multiple,
        max_choices: None,
        other: false,
        items: ["commuting", "racing", "cooking"]
            .into_iter()
            .map(|id| ChecklistItem {
                id: id.into(),
                label: Localized::default(),
                description: None,
            })
            .collect(),
    }]
}

fn catalogue() -> Catalogue {
    Catalogue::from_value(&bicycles(), "catalogue", &languages(), &interests()).unwrap()
}

fn spec(model: &str, options: &[(&str, u32)]) -> Specification {
    Specification {
        model: model.into(),
        options: options.iter().map(|(id, n)| ((*id).into(), *n)).collect(),
    }
}

#[test]
fn a_new_design_starts_with_the_defaults() {
    assert_eq!(
        catalogue().start("city"),
        spec("city", &[("red", 1), ("three", 1)])
    );
}

#[test]
fn prices_add_per_piece_then_multiply_in_catalogue_order() {
    let c = catalogue();
    // (specification, total in öre)
    let table: &[(Specification, i64)] = &[
        (spec("city", &[("red", 1)]), 800_000),
        (spec("sport", &[("green", 1)]), 1_250_000),
        (spec("city", &[("red", 1), ("eight", 1)]), 950_000),
        (spec("city", &[("red", 1), ("bottle", 3)]), 815_000),
        // 8000 + 400 + 900 = 9300, +5% = 9765.
        (
            spec(
                "city",
                &[("red", 1), ("rack", 1), ("child-seat", 1), ("finish", 1)],
            ),
            976_500,
        ),
        // 8000 + 50 = 8050 × 1.05 = 8452.50, rounded half away from zero.
        (
            spec("city", &[("red", 1), ("bottle", 1), ("finish", 1)]),
            845_250,
        ),
    ];
    for (spec, total) in table {
        let quote = c.price(spec).unwrap();
        assert_eq!(quote.total_minor, *total, "{spec:?}");
        assert_eq!(
            quote.base_minor + quote.lines.iter().map(|l| l.amount_minor).sum::<i64>(),
            quote.total_minor
        );
    }
}

#[test]
fn multiplying_rounds_half_away_from_zero() {
    let c = Catalogue::from_value(
        &json!({
            "currency": "EUR",
            "models": [{ "id": "m", "name": text("M"), "base_price_minor": 1 }],
            "groups": [{ "id": "g", "name": text("G"), "choice": "multiple", "options": [
                { "id": "half", "name": text("Half again"), "price": { "multiply": 1.5 } },
                { "id": "discount", "name": text("Discount"), "price": { "multiply": 0.5 } }
            ]}]
        }),
        "catalogue",
        &languages(),
        &[],
    )
    .unwrap();
    // 1 × 1.5 = 1.5 → 2; then 2 × 0.5 = 1.
    let quote = c.quote(&spec("m", &[("half", 1), ("discount", 1)]));
    assert_eq!(quote.lines[0].amount_minor, 1);
    assert_eq!(quote.lines[1].amount_minor, -1);
    assert_eq!(quote.total_minor, 1);
}

#[test]
fn each_rule_kind_blocks_and_says_what_would_allow_it() {
    let c = catalogue();
    let base = spec("city", &[("red", 1)]);
    let table: &[(&Specification, &str, Option<Blocked>)] = &[
        (&base, "rack", None),
        (
            &base,
            "child-seat",
            Some(Blocked::Needs(vec!["rack".into()])),
        ),
        (
            &base,
            "electric",
            Some(Blocked::OnlyWithModels(vec!["sport".into()])),
        ),
        (&spec("sport", &[]), "electric", None),
        (
            &spec("city", &[("rack", 1), ("child-seat", 1)]),
            "basket",
            Some(Blocked::ExcludedBy("child-seat".into())),
        ),
        // Exclusion works both ways round.
        (
            &spec("city", &[("rack", 1), ("basket", 1)]),
            "child-seat",
            Some(Blocked::ExcludedBy("basket".into())),
        ),
        // A single-choice sibling is replaced, never in the way.
        (&spec("city", &[("three", 1)]), "eight", None),
    ];
    for (spec, option, blocked) in table {
        assert_eq!(&c.blocked(spec, option), blocked, "{option} in {spec:?}");
    }
    assert_eq!(
        c.why("child-seat", "en"),
        Some("A child seat sits on the rack.")
    );
}

#[test]
fn choosing_replaces_the_single_choice_sibling_and_refuses_a_blocked_option() {
    let c = catalogue();
    let toggled = c.choose(&spec("city", &[("red", 1)]), "green", 1);
    assert_eq!(toggled.spec, spec("city", &[("green", 1)]));
    assert_eq!(toggled.also_removed, vec!["red".to_owned()]);
    let refused = c.choose(&spec("city", &[]), "child-seat", 1);
    assert_eq!(refused.spec, spec("city", &[]));
    // Pieces are kept within what the option allows.
    assert_eq!(
        c.choose(&spec("city", &[]), "bottle", 9).spec,
        spec("city", &[("bottle", 4)])
    );
}

#[test]
fn removing_an_option_takes_what_needed_it_and_a_model_change_what_it_lacks() {
    let c = catalogue();
    let removed = c.remove(&spec("city", &[("rack", 1), ("child-seat", 1)]), "rack");
    assert_eq!(removed.spec, spec("city", &[]));
    assert_eq!(removed.also_removed, vec!["child-seat".to_owned()]);
    let changed = c.change_model(&spec("sport", &[("electric", 1), ("red", 1)]), "city");
    assert_eq!(changed.spec, spec("city", &[("red", 1)]));
    assert_eq!(changed.also_removed, vec!["electric".to_owned()]);
}

#[test]
fn every_problem_that_stops_an_order_is_named() {
    let c = catalogue();
    let table: &[(Specification, Vec<SpecProblem>)] = &[
        (spec("city", &[("red", 1)]), vec![]),
        (
            spec("city", &[]),
            vec![SpecProblem::ChoiceRequired("colour".into())],
        ),
        (
            spec("tandem", &[("red", 1)]),
            vec![SpecProblem::UnknownModel("tandem".into())],
        ),
        (
            spec("city", &[("red", 1), ("horn", 1)]),
            vec![SpecProblem::UnknownOption("horn".into())],
        ),
        (
            spec("city", &[("red", 1), ("green", 1)]),
            vec![SpecProblem::OneChoiceOnly("colour".into())],
        ),
        (
            spec("city", &[("red", 1), ("bottle", 5)]),
            vec![SpecProblem::QuantityOutOfRange {
                option: "bottle".into(),
                quantity: 5,
                min: 1,
                max: 4,
            }],
        ),
        (
            spec("city", &[("red", 1), ("child-seat", 1)]),
            vec![SpecProblem::Needs {
                option: "child-seat".into(),
                missing: vec!["rack".into()],
            }],
        ),
        (
            spec(
                "city",
                &[("red", 1), ("rack", 1), ("child-seat", 1), ("basket", 1)],
            ),
            vec![SpecProblem::Excludes {
                option: "child-seat".into(),
                other: "basket".into(),
            }],
        ),
        (
            spec("city", &[("red", 1), ("electric", 1)]),
            vec![SpecProblem::NotWithModel {
                option: "electric".into(),
                model: "city".into(),
            }],
        ),
    ];
    for (spec, problems) in table {
        assert_eq!(&c.problems(spec), problems, "{spec:?}");
        assert_eq!(c.price(spec).is_ok(), problems.is_empty());
    }
}

#[test]
fn a_price_change_between_save_and_order_is_listed_line_by_line() {
    let design = spec("city", &[("red", 1), ("rack", 1), ("bottle", 2)]);
    let seen = catalogue().quote(&design);
    let mut changed = bicycles();
    changed["models"][0]["base_price_minor"] = json!(850_000);
    changed["groups"][2]["options"][0]["price"] = json!({ "add": 45_000 });
    // The bottle is no longer offered.
    changed["groups"][2]["options"]
        .as_array_mut()
        .unwrap()
        .remove(3);
    let now = Catalogue::from_value(&changed, "catalogue", &languages(), &interests()).unwrap();
    let quote = now.quote(&design);
    assert_eq!(
        compare(&seen, &quote),
        vec![
            Change::Model {
                was: 800_000,
                now: 850_000
            },
            Change::Option {
                option: "rack".into(),
                was: 40_000,
                now: 45_000
            },
            Change::Gone {
                option: "bottle".into(),
                was: 10_000
            },
        ]
    );
    assert_eq!(
        now.problems(&design),
        vec![SpecProblem::UnknownOption("bottle".into())]
    );
    assert!(compare(&seen, &catalogue().quote(&design)).is_empty());
}

#[test]
fn catalogue_mistakes_are_listed_with_their_paths() {
    let mut wrong = bicycles();
    wrong["currency"] = json!("kr");
    wrong["models"][1]["id"] = json!("city");
    wrong["models"][0]["suggest_for"] = json!(["interests/knitting"]);
    wrong["groups"][0]["options"][1]["default"] = json!(true);
    wrong["groups"][2]["options"][4]["quantity"] = json!({ "min": 1, "max": 2 });
    wrong["groups"][2]["options"][3]["quantity"] = json!({ "min": 3, "max": 2 });
    wrong["rules"][0]["requires"] = json!(["roof-rack"]);
    wrong["rules"][1]["excludes"] = json!(["basket"]);
    wrong["rules"][2]["only_with_models"] = json!(["tandem"]);
    wrong["rules"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "option": "rack" }));
    let problems =
        Catalogue::from_value(&wrong, "catalogue", &languages(), &interests()).unwrap_err();
    let mut paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "catalogue.currency",
            "catalogue.groups[0].options",
            "catalogue.groups[2].options[3].quantity",
            "catalogue.groups[2].options[4].quantity",
            "catalogue.models[0].suggest_for[0]",
            "catalogue.models[1].id",
            "catalogue.rules[0].requires[0]",
            "catalogue.rules[1].excludes[0]",
            "catalogue.rules[2].only_with_models[0]",
            "catalogue.rules[3]",
        ],
        "{problems:#?}"
    );
    assert!(matches!(problems[0].issue, ConfigIssue::Catalogue(_)));
    let shape = Catalogue::from_value(
        &json!({ "currency": "SEK", "models": [{ "id": "m", "name": text("M") }] }),
        "catalogue",
        &languages(),
        &[],
    )
    .unwrap_err();
    assert_eq!(shape[0].path, "catalogue.models[0]");
}

#[test]
fn suggestions_come_from_answers_first_then_purchases_each_with_its_reason() {
    let c = catalogue();
    let mut preferences = Preferences::default();
    preferences.answers.insert(
        "interests".into(),
        Answer {
            chosen: ["racing".to_owned()].into(),
            other: String::new(),
        },
    );
    let bought = [ProductBought {
        product: "bike lock".into(),
        units: 1,
    }];
    assert_eq!(
        suggest(&c, &preferences, &bought),
        vec![
            Suggestion {
                model: "sport".into(),
                because: Because::Answered {
                    checklist: "interests".into(),
                    item: "racing".into()
                }
            },
            Suggestion {
                model: "city".into(),
                because: Because::Bought("Bike lock".into())
            },
        ]
    );
    assert!(suggest(&c, &Preferences::default(), &[]).is_empty());
}

fn design(id: &str, name: &str, spec: Specification) -> Design {
    Design {
        id: id.into(),
        name: name.into(),
        seen: catalogue().quote(&spec),
        spec,
        names: Default::default(),
    }
}

#[test]
fn designs_round_trip_through_fields_and_merge_edits_of_different_designs() {
    let base = Designs {
        designs: vec![
            design("d1", "Commuter", spec("city", &[("red", 1)])),
            design("d2", "Weekend", spec("sport", &[("green", 1)])),
        ],
    };
    assert_eq!(Designs::from_fields(&base.to_fields()), base);

    let mut mine = base.clone();
    mine.designs[0].name = "Daily commuter".into();
    let mut theirs = base.clone();
    theirs.designs[1].spec.options.insert("eight".into(), 1);
    theirs
        .designs
        .push(design("d3", "Spare", spec("city", &[("red", 1)])));
    let merged = merge(&base, &mine, &theirs);
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.merged.designs.len(), 3);
    assert_eq!(merged.merged.designs[0].name, "Daily commuter");
    assert!(merged.merged.designs[1].spec.options.contains_key("eight"));

    // The same design's options changed on both sides: the customer chooses.
    let mut other = base.clone();
    other.designs[0].spec.options.insert("rack".into(), 1);
    let mut again = base.clone();
    again.designs[0].spec.options.insert("basket".into(), 1);
    let draft = Draft {
        base: Versioned {
            version: Version(1),
            data: base.clone(),
        },
        edit: again,
    };
    let current = Versioned {
        version: Version(2),
        data: other,
    };
    match restore(Some(draft), &current) {
        Restored::Conflicts { conflicts, .. } => {
            let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
            assert!(fields.contains(&"designs.d1.options"), "{fields:?}");
        }
        other => panic!("expected conflicts, got {other:?}"),
    }
}

#[test]
fn designs_refuse_what_cannot_be_stored() {
    let mut designs = Designs {
        designs: vec![
            design("d1", "", spec("city", &[])),
            design("d1", &"x".repeat(81), spec("city", &[])),
            design("x/../", "Odd", spec("city", &[])),
        ],
    };
    assert_eq!(
        designs.problems(),
        vec![
            DesignsProblem::NameMissing("d1".into()),
            DesignsProblem::BadId("d1".into()),
            DesignsProblem::NameTooLong("d1".into()),
            DesignsProblem::BadId("x/../".into()),
        ]
    );
    designs.designs = (0..51)
        .map(|i| design(&format!("d{i}"), "n", spec("city", &[])))
        .collect();
    assert_eq!(designs.problems(), vec![DesignsProblem::TooMany]);
}
