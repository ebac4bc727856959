//! The customer's saved designs ("My designs"), one versioned document like the profile, and
//! the order request that turns one into a purchase.
//!
//! Each design remembers the price the customer last saw, line by line, so that when the
//! business changes a price or drops an option the page can say what changed and what it
//! costs now, and an order carries the price the customer agreed to.

use crate::catalogue::{Quote, Specification};
use crate::fields::{Editable, FieldMap, Fields};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most designs one customer keeps.
pub const MAX_DESIGNS: usize = 50;
/// Longest design name, in characters.
pub const NAME_MAX_CHARS: usize = 80;
/// Most options in one design.
pub const MAX_DESIGN_OPTIONS: usize = 200;

/// Everything the customer saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Designs {
    /// The designs, oldest first.
    #[serde(default)]
    pub designs: Vec<Design>,
}

/// One saved design.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    /// Made by the portal when the design is first saved (`d` and letters or digits);
    /// stable across renames, so two devices editing the same design merge field by field.
    pub id: String,
    /// The customer's name for it.
    pub name: String,
    /// The model and options.
    pub spec: Specification,
    /// The price as the customer last saw it.
    pub seen: Quote,
    /// The names of the model and options as the customer last saw them (by id), so an option
    /// the business has since dropped can still be named.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// Why a designs document cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesignsProblem {
    /// More than [`MAX_DESIGNS`].
    TooMany,
    /// An id that is not `d` followed by 1 to 40 letters or digits, or one used twice.
    BadId(String),
    /// A design without a name.
    NameMissing(String),
    /// A name longer than [`NAME_MAX_CHARS`].
    NameTooLong(String),
    /// More than [`MAX_DESIGN_OPTIONS`] options, or a name of an option or model past 200 chars.
    TooBig(String),
}

impl DesignsProblem {
    /// The code the backend answers with.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooMany => "too_many_designs",
            Self::BadId(_) => "bad_design_id",
            Self::NameMissing(_) => "design_name_missing",
            Self::NameTooLong(_) => "design_name_too_long",
            Self::TooBig(_) => "design_too_big",
        }
    }

    /// The same in English, with the field it concerns.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::TooMany => format!("keep at most {MAX_DESIGNS} designs"),
            Self::BadId(id) => format!("\"{id}\" is not a usable design id, or is used twice"),
            Self::NameMissing(id) => format!("design \"{id}\" needs a name"),
            Self::NameTooLong(id) => {
                format!("the name of design \"{id}\" is longer than {NAME_MAX_CHARS} characters")
            }
            Self::TooBig(id) => format!("design \"{id}\" has too many options"),
        }
    }
}

impl Designs {
    /// The design with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Design> {
        self.designs.iter().find(|d| d.id == id)
    }

    /// Everything that stops the document from being stored.
    #[must_use]
    pub fn problems(&self) -> Vec<DesignsProblem> {
        let mut problems = Vec::new();
        if self.designs.len() > MAX_DESIGNS {
            problems.push(DesignsProblem::TooMany);
        }
        for (i, design) in self.designs.iter().enumerate() {
            let id = &design.id;
            let well_formed = id.len() >= 2
                && id.len() <= 41
                && id.starts_with('d')
                && id.chars().all(|c| c.is_ascii_alphanumeric());
            if !well_formed || self.designs[..i].iter().any(|d| d.id == *id) {
                problems.push(DesignsProblem::BadId(id.clone()));
            }
            if design.name.trim().is_empty() {
                problems.push(DesignsProblem::NameMissing(id.clone()));
            } else if design.name.chars().count() > NAME_MAX_CHARS {
                problems.push(DesignsProblem::NameTooLong(id.clone()));
            }
            let long = |text: &String| text.chars().count() > 200;
            if design.spec.options.len() > MAX_DESIGN_OPTIONS
                || design.names.len() > MAX_DESIGN_OPTIONS + 1
                || design.names.values().any(long)
                || design.names.keys().any(long)
                || design.spec.options.keys().any(long)
                || long(&design.spec.model)
            {
                problems.push(DesignsProblem::TooBig(id.clone()));
            }
        }
        problems
    }
}

/// Each design's parts are fields of their own (`designs.d1.name`, `designs.d1.options`…), so
/// renaming a design in one tab and changing its options in another combine without asking.
impl Fields for Designs {
    fn to_fields(&self) -> FieldMap {
        let mut fields = FieldMap::new();
        for design in &self.designs {
            let at = |part: &str| format!("designs.{}.{part}", design.id);
            fields.insert(at("name"), Value::String(design.name.clone()));
            fields.insert(at("model"), Value::String(design.spec.model.clone()));
            fields.insert(at("options"), json(&design.spec.options));
            fields.insert(at("seen"), json(&design.seen));
            fields.insert(at("names"), json(&design.names));
        }
        fields
    }

    fn from_fields(fields: &FieldMap) -> Self {
        let mut designs: Vec<Design> = Vec::new();
        for (name, value) in fields {
            let Some((id, part)) = name
                .strip_prefix("designs.")
                .and_then(|rest| rest.split_once('.'))
            else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let position = match designs.iter().position(|d| d.id == id) {
                Some(position) => position,
                None => {
                    designs.push(Design {
                        id: id.to_owned(),
                        ..Design::default()
                    });
                    designs.len() - 1
                }
            };
            let design = &mut designs[position];
            match part {
                "name" => design.name = value.as_str().unwrap_or_default().to_owned(),
                "model" => design.spec.model = value.as_str().unwrap_or_default().to_owned(),
                "options" => {
                    design.spec.options = serde_json::from_value(value.clone()).unwrap_or_default();
                }
                "seen" => design.seen = serde_json::from_value(value.clone()).unwrap_or_default(),
                "names" => design.names = serde_json::from_value(value.clone()).unwrap_or_default(),
                _ => {}
            }
        }
        // Ids are made from the time of creation, so their order is the order of creation.
        designs.sort_by(|a, b| a.id.len().cmp(&b.id.len()).then(a.id.cmp(&b.id)));
        Designs { designs }
    }
}

impl Editable for Designs {
    fn normalized(&self) -> Self {
        let mut designs = self.clone();
        for design in &mut designs.designs {
            design.name = design.name.trim().to_owned();
        }
        designs
    }
}

/// Maps of strings and numbers always turn into JSON; there is no failure to pass on.
fn json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// "Order now": the design and the price the customer saw, for the backend to re-price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    /// The saved design it came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<String>,
    /// The design's name, for the history line.
    pub name: String,
    /// What is ordered.
    pub spec: Specification,
    /// The total the customer saw and agreed to, in minor units.
    pub total_minor: i64,
    /// Its currency.
    pub currency: String,
}

/// The backend's answer to an accepted order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderReceipt {
    /// The order's reference, for the customer and the business.
    pub reference: String,
    /// The price as the backend computed it (equal to what the customer saw).
    pub quote: Quote,
    /// When it was received, in Unix seconds.
    pub received_at: i64,
}

/// `GET /api/me/orders`: one of the customer's orders, as their order list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    /// The order's reference.
    pub reference: String,
    /// The design's name.
    pub name: String,
    /// The model's id.
    pub model: String,
    /// The agreed price, in minor units.
    pub total_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// `received` until the business fulfils it, then `done`.
    pub status: crate::history::RequestStatus,
    /// When it was received, in Unix seconds.
    pub received_at: i64,
    /// When the business fulfilled it, in Unix seconds.
    pub fulfilled_at: Option<i64>,
}

/// An order as "Download my data" carries it: the list's line, what was asked for, and the
/// price the backend agreed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    /// What the order list shows.
    #[serde(flatten)]
    pub order: PlacedOrder,
    /// The request as the customer sent it.
    pub request: OrderRequest,
    /// The price, line by line.
    pub quote: Quote,
}

/// The lines of the receipt an order becomes once the business fulfils it: the model, then each
/// option of the quote, named in `language` (the business's own language for its records),
/// with the quote's prices. A line whose amount does not split evenly into its pieces (a
/// multiplying option) is one line for the whole amount, so the lines always add up to the
/// quote's total.
#[must_use]
pub fn receipt_items(
    catalogue: &crate::catalogue::Catalogue,
    model: &str,
    quote: &Quote,
    language: &str,
) -> Vec<crate::history::PurchaseItem> {
    use crate::history::PurchaseItem;
    let model_name = catalogue
        .model(model)
        .map_or_else(|| model.to_owned(), |m| m.name.get(language).to_owned());
    let mut items = vec![PurchaseItem {
        product: model_name,
        quantity: 1,
        unit_price_minor: quote.base_minor,
    }];
    for line in &quote.lines {
        let product = catalogue.option(&line.option).map_or_else(
            || line.option.clone(),
            |(_, option)| option.name.get(language).to_owned(),
        );
        let pieces = i64::from(line.quantity.max(1));
        let (quantity, unit_price_minor) = if line.amount_minor % pieces == 0 {
            (line.quantity.max(1), line.amount_minor / pieces)
        } else {
            (1, line.amount_minor)
        };
        items.push(PurchaseItem {
            product,
            quantity,
            unit_price_minor,
        });
    }
    items
}

/// The first few characters of an order reference, before the random part.
pub const REFERENCE_PREFIX: &str = "R-";

/// Whether `text` is shaped like an order reference: `R-` and 8 of Crockford's base32 digits
/// (no I, L, O or U, so it reads back unambiguously over the phone).
#[must_use]
pub fn is_reference(text: &str) -> bool {
    text.strip_prefix(REFERENCE_PREFIX).is_some_and(|rest| {
        rest.len() == 8 && rest.bytes().all(|b| REFERENCE_ALPHABET.contains(&b))
    })
}

/// Crockford's base32 alphabet, which references are written in.
pub const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A reference from 40 random bits.
#[must_use]
pub fn reference_from(random: [u8; 5]) -> String {
    let mut bits = random
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let mut digits = [0u8; 8];
    for digit in digits.iter_mut().rev() {
        *digit = REFERENCE_ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    format!("{REFERENCE_PREFIX}{}", String::from_utf8_lossy(&digits))
}

#[cfg(test)]
mod order_tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::config::PortalConfig;

    fn shipped() -> Catalogue {
        PortalConfig::from_json(include_str!("../../../public/config.json"), &["en", "sv"])
            .expect("the shipped configuration")
            .catalogue()
            .expect("its catalogue")
            .expect("a catalogue")
    }

    #[test]
    fn receipt_items_name_each_line_and_add_up_to_the_total() {
        let catalogue = shipped();
        let spec = Specification {
            model: "gift-crate".into(),
            options: [("dark-roast", 1), ("mug", 3), ("wooden-crate", 1)]
                .into_iter()
                .map(|(id, n)| (id.to_owned(), n))
                .collect(),
        };
        let quote = catalogue.price(&spec).expect("an orderable design");
        let items = receipt_items(&catalogue, "gift-crate", &quote, "sv");
        assert_eq!(items[0].product, "Presentlåda");
        assert_eq!(items[0].unit_price_minor, quote.base_minor);
        let mugs = items
            .iter()
            .find(|i| i.quantity == 3)
            .expect("the mugs, by the piece");
        assert_eq!(mugs.unit_price_minor, 14_900);
        let sum: i64 = items
            .iter()
            .map(|i| i64::from(i.quantity) * i.unit_price_minor)
            .sum();
        assert_eq!(sum, quote.total_minor);
        assert_eq!(items.len(), 1 + quote.lines.len());
    }

    #[test]
    fn references_are_eight_crockford_digits_after_the_prefix() {
        for (random, expected) in [
            ([0, 0, 0, 0, 0], "R-00000000"),
            ([255, 255, 255, 255, 255], "R-ZZZZZZZZ"),
            ([0, 0, 0, 0, 33], "R-00000011"),
        ] {
            let reference = reference_from(random);
            assert_eq!(reference, expected);
            assert!(is_reference(&reference));
        }
        for not in [
            "R-0000000",
            "R-0000000I",
            "X-00000000",
            "r-00000000",
            "R-000000000",
        ] {
            assert!(!is_reference(not), "{not}");
        }
    }
}
