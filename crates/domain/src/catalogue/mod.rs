//! The business's products a customer can design: models, option groups, the rules between
//! options, and how they are priced (seed 002: "the customer chooses a basic model, and then
//! selects features and options; the system provides a price").
//!
//! The catalogue sits in the configuration file under `catalogue`. The portal and the backend
//! read it with the same code and price a design with the same integer arithmetic, so the
//! price a customer saw is the price the backend checks an order against, to the minor unit.
//!
//! Compared with Odoo's product variants (attributes, price extras, excluded combinations),
//! every rule here says *why* an option cannot be chosen and what would allow it, so an
//! invalid combination is never a surprise at checkout.

mod check;
mod price;
mod rules;
mod suggest;
#[cfg(test)]
mod tests;

pub use price::{Change, Quote, QuoteLine, compare};
pub use rules::{Blocked, SpecProblem, Specification, Toggled};
pub use suggest::{Because, Suggestion, suggest};

use crate::config::{ConfigProblem, Localized};
use serde::{Deserialize, Serialize};

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// ISO 4217 code every price is in, such as `SEK`.
    pub currency: String,
    /// The basic models, in the order customers see them.
    pub models: Vec<Model>,
    /// Groups of options, in page order. Option ids are unique across all groups.
    #[serde(default)]
    pub groups: Vec<OptionGroup>,
    /// What options need, exclude, or which models they come with.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A basic model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Stable identifier, stored in designs and orders.
    pub id: String,
    /// What customers read.
    pub name: Localized,
    /// More about the model.
    #[serde(default)]
    pub description: Option<Localized>,
    /// Price before options, in minor units of the catalogue's currency.
    pub base_price_minor: i64,
    /// Checklist answers that make this model worth suggesting, as `checklist/item`
    /// (`interests/cooking`); the welcome page says which answer it was.
    #[serde(default)]
    pub suggest_for: Vec<String>,
    /// Products (as purchase receipts name them) this model goes with; a customer who bought
    /// one may see it suggested.
    #[serde(default)]
    pub goes_with: Vec<String>,
}

/// A group of options the customer chooses among.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OptionGroup {
    /// Stable identifier.
    pub id: String,
    /// The question, such as "Colour".
    pub name: Localized,
    /// One option (radio buttons) or any number (checkboxes).
    pub choice: crate::config::Choice,
    /// Whether a design must have an option from this group to be ordered.
    #[serde(default)]
    pub required: bool,
    /// What can be chosen.
    pub options: Vec<ProductOption>,
}

/// One option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductOption {
    /// Stable identifier, unique in the catalogue.
    pub id: String,
    /// What customers read.
    pub name: Localized,
    /// More about the option.
    #[serde(default)]
    pub description: Option<Localized>,
    /// What it does to the price.
    pub price: Price,
    /// Chosen when a design starts, if the rules allow it.
    #[serde(default)]
    pub default: bool,
    /// For options bought by the piece: how many may be chosen.
    #[serde(default)]
    pub quantity: Option<Quantity>,
}

/// What an option does to the price.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Price {
    /// Adds this many minor units (per piece, for an option with a quantity).
    Add(i64),
    /// Multiplies the price of everything added before it (`1.1` is +10%); applied after
    /// every addition, in catalogue order.
    Multiply(f64),
}

/// How many pieces of an option may be chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// At least this many when chosen (1 or more).
    pub min: u32,
    /// At most this many.
    pub max: u32,
}

/// A rule about one option. Any of the three kinds may be given, together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The option the rule is about.
    pub option: String,
    /// Options that must all be chosen before this one can be.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Options that cannot be chosen together with this one (either way round).
    #[serde(default)]
    pub excludes: Vec<String>,
    /// The only models this option comes with.
    #[serde(default)]
    pub only_with_models: Vec<String>,
    /// Why, in every language, shown beside the option when the rule stops it.
    #[serde(default)]
    pub why: Option<Localized>,
}

/// Most options a catalogue may have: a configurator page stays usable, and pricing a design
/// stays well inside one frame.
pub const MAX_OPTIONS: usize = 500;

impl Catalogue {
    /// Reads the catalogue from the configuration's `catalogue` value; every mistake comes
    /// back with its path under `at`.
    pub fn from_value(
        value: &serde_json::Value,
        at: &str,
        languages: &[String],
        checklists: &[crate::config::Checklist],
    ) -> Result<Catalogue, Vec<ConfigProblem>> {
        let text = value.to_string();
        let catalogue: Catalogue = crate::json_path::parse(&text).map_err(|mistake| {
            vec![ConfigProblem {
                path: if mistake.path.is_empty() {
                    at.to_owned()
                } else {
                    format!("{at}.{}", mistake.path)
                },
                issue: crate::config::ConfigIssue::Shape(mistake.message),
            }]
        })?;
        let problems = check::problems(&catalogue, at, languages, checklists);
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            Err(problems)
        }
    }

    /// The model with this id.
    #[must_use]
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The option with this id, and its group.
    #[must_use]
    pub fn option(&self, id: &str) -> Option<(&OptionGroup, &ProductOption)> {
        self.groups
            .iter()
            .find_map(|g| g.options.iter().find(|o| o.id == id).map(|o| (g, o)))
    }

    /// Every option, in page order.
    pub fn options(&self) -> impl Iterator<Item = (&OptionGroup, &ProductOption)> {
        self.groups
            .iter()
            .flat_map(|g| g.options.iter().map(move |o| (g, o)))
    }

    /// The rules about this option.
    pub fn rules_for<'a>(&'a self, option: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.option == option)
    }
}
