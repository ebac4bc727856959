//! The price of a design, in whole minor units, computed the same way in the browser and on
//! the backend: additions first (per piece), then each multiplying option in catalogue order,
//! each step rounded half away from zero. Factors are read as millionths, so no floating
//! point reaches the sum and both sides agree exactly.

use super::{Catalogue, Price, Specification};
use serde::{Deserialize, Serialize};

/// What a design costs, line by line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// ISO 4217 code.
    pub currency: String,
    /// The model's price.
    pub base_minor: i64,
    /// What each chosen option adds, in page order.
    #[serde(default)]
    pub lines: Vec<QuoteLine>,
    /// The price to pay.
    pub total_minor: i64,
}

/// One option's part of the price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    /// The option's id.
    pub option: String,
    /// How many pieces.
    pub quantity: u32,
    /// What it adds (or, when negative, takes off), in minor units.
    pub amount_minor: i64,
}

impl Catalogue {
    /// The price of what `spec` chooses, as far as the catalogue knows it: options the
    /// catalogue no longer has are left out. Whether the design can be ordered is
    /// [`Catalogue::problems`]; this prices it as it stands, for a live price while choosing.
    #[must_use]
    pub fn quote(&self, spec: &Specification) -> Quote {
        let base_minor = self.model(&spec.model).map_or(0, |m| m.base_price_minor);
        let mut lines = Vec::new();
        let mut total = i128::from(base_minor);
        let chosen = || {
            self.options()
                .filter_map(|(_, o)| spec.options.get(&o.id).map(|&pieces| (o, pieces)))
        };
        for (option, pieces) in chosen() {
            if let Price::Add(each) = option.price {
                let amount = i128::from(each) * i128::from(pieces);
                total += amount;
                lines.push((option.id.clone(), pieces, amount));
            }
        }
        for (option, pieces) in chosen() {
            if let Price::Multiply(factor) = option.price {
                let amount = scale(total, factor);
                total += amount;
                lines.push((option.id.clone(), pieces, amount));
            }
        }
        // Back to page order for the customer, now that every amount is known.
        let order = |id: &str| self.options().position(|(_, o)| o.id == id);
        lines.sort_by_key(|(id, _, _)| order(id));
        Quote {
            currency: self.currency.clone(),
            base_minor,
            lines: lines
                .into_iter()
                .map(|(option, quantity, amount)| QuoteLine {
                    option,
                    quantity,
                    amount_minor: saturate(amount),
                })
                .collect(),
            total_minor: saturate(total),
        }
    }

    /// The price of `spec` if it can be ordered, or why not.
    pub fn price(&self, spec: &Specification) -> Result<Quote, Vec<super::SpecProblem>> {
        let problems = self.problems(spec);
        if problems.is_empty() {
            Ok(self.quote(spec))
        } else {
            Err(problems)
        }
    }
}

/// What `factor` adds to `total`: `total × (factor − 1)`, rounded half away from zero.
fn scale(total: i128, factor: f64) -> i128 {
    let millionths = (factor * 1_000_000.0).round() as i128 - 1_000_000;
    let product = total * millionths;
    let (quotient, remainder) = (product / 1_000_000, product % 1_000_000);
    if remainder.abs() * 2 >= 1_000_000 {
        quotient + product.signum()
    } else {
        quotient
    }
}

fn saturate(amount: i128) -> i64 {
    i64::try_from(amount).unwrap_or(if amount < 0 { i64::MIN } else { i64::MAX })
}

/// One way a saved design's price differs from what the customer saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The model's price changed.
    Model {
        /// What the customer saw.
        was: i64,
        /// What it is now.
        now: i64,
    },
    /// An option's part of the price changed.
    Option {
        /// The option.
        option: String,
        /// What the customer saw.
        was: i64,
        /// What it is now.
        now: i64,
    },
    /// An option the customer chose is no longer offered.
    Gone {
        /// The option.
        option: String,
        /// What it added.
        was: i64,
    },
    /// The prices are in another currency now.
    Currency {
        /// What the customer saw.
        was: String,
        /// What it is now.
        now: String,
    },
}

/// How the price the customer saw (`seen`) differs from the price now (`now`); empty when the
/// design costs what they saw, line for line.
#[must_use]
pub fn compare(seen: &Quote, now: &Quote) -> Vec<Change> {
    let mut changes = Vec::new();
    if seen.currency != now.currency {
        changes.push(Change::Currency {
            was: seen.currency.clone(),
            now: now.currency.clone(),
        });
    }
    if seen.base_minor != now.base_minor {
        changes.push(Change::Model {
            was: seen.base_minor,
            now: now.base_minor,
        });
    }
    for line in &seen.lines {
        match now.lines.iter().find(|l| l.option == line.option) {
            None => changes.push(Change::Gone {
                option: line.option.clone(),
                was: line.amount_minor,
            }),
            Some(current) if current.amount_minor != line.amount_minor => {
                changes.push(Change::Option {
                    option: line.option.clone(),
                    was: line.amount_minor,
                    now: current.amount_minor,
                });
            }
            Some(_) => {}
        }
    }
    for line in &now.lines {
        if !seen.lines.iter().any(|l| l.option == line.option) {
            changes.push(Change::Option {
                option: line.option.clone(),
                was: 0,
                now: line.amount_minor,
            });
        }
    }
    changes
}
