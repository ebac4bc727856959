//! Realistic demo histories of any size, the same every time for the same seed.
//!
//! The random numbers come from SplitMix64, written out here rather than taken from `rand`:
//! it is a dozen lines, and a fixed algorithm in our own code means a seed gives the same
//! history forever, where a library's value streams may change between versions.
//!
//! The story: a customer of a Swedish coffee, tea and kitchen shop with stores in several
//! cities and a web shop, over about six years ending at `end`: many newsletters and visits,
//! a purchase every few days, now and then a question, a complaint or a consent change.

use super::{StoreError, history};
use rapport_domain::history::{
    Channel, ConsentChange, ConsentDecision, DataRequest, EventDetails, Interaction,
    InteractionKind, Purchase, PurchaseItem, RequestKind, RequestStatus,
};
use rusqlite::{Connection, OptionalExtension};

/// How far back a demo history reaches.
pub const SPAN_SECONDS: i64 = 6 * 365 * 86_400;

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast, and good enough for demo data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the modulo bias is far below what demo data can show.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, chosen uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }

    /// An index into `weights`, chosen in proportion to them.
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return i;
            }
            roll -= weight;
        }
        weights.len() - 1
    }
}

/// The catalogue: name and price in öre. Earlier entries sell more (weights fall with rank).
const PRODUCTS: &[(&str, i64)] = &[
    ("Bryggkaffe mörkrost 450 g", 5_990),
    ("Kanelbullar 6-pack", 4_900),
    ("Oat milk barista 1 l", 2_490),
    ("Knäckebröd råg 520 g", 3_290),
    ("Earl Grey tea 100 g", 6_900),
    ("Espresso beans 1 kg", 22_900),
    ("Lingonsylt 400 g", 3_990),
    ("Kardemummabullar 4-pack", 4_500),
    ("Dark chocolate 70 % 100 g", 3_490),
    ("Rooibos vanilj 80 g", 5_490),
    ("Västerbottensost 450 g", 12_900),
    ("Honung från Gotland 350 g", 8_900),
    ("Sourdough loaf", 5_900),
    ("Kaffefilter 1x4 100-pack", 2_490),
    ("Green tea sencha 100 g", 7_490),
    ("Pepparkakor 300 g", 3_990),
    ("Coffee mug stoneware", 14_900),
    ("Kökshandduk linne", 12_900),
    ("French press 1 l", 39_900),
    ("Mjölkskummare", 29_900),
    ("Cast iron pan 28 cm", 79_900),
    ("Kaffekvarn elektrisk", 149_900),
    ("Teapot glass 1.2 l", 34_900),
    ("Saffransbullar 4-pack", 5_900),
    ("Julmust 1.4 l", 2_990),
];

/// Stores and the currency they take; the web shop is listed separately.
const STORES: &[(&str, &str)] = &[
    ("Göteborg Nordstan", "SEK"),
    ("Stockholm Södermalm", "SEK"),
    ("Malmö Triangeln", "SEK"),
    ("Uppsala Forumgallerian", "SEK"),
    ("Helsinki Esplanadi", "EUR"),
];
const WEB_SHOP: &str = "Webbshop rapport.example";

const PURPOSES: &[&str] = &[
    "newsletter",
    "personalised_offers",
    "analytics",
    "sms_reminders",
];

/// Interactions: channel, kind, how common (weight), and summaries to choose from.
const INTERACTIONS: &[(Channel, InteractionKind, u64, &[&str])] = &[
    (
        Channel::Email,
        InteractionKind::Newsletter,
        40,
        &[
            "Nyhetsbrev: veckans kaffe",
            "Newsletter: autumn recipes with cardamom",
            "Nyhetsbrev: nya teer i sortimentet",
            "Newsletter: how to brew the perfect French press",
            "Nyhetsbrev: julens bakning",
        ],
    ),
    (
        Channel::Email,
        InteractionKind::Offer,
        10,
        &[
            "Personligt erbjudande: 20 % på espressobönor",
            "Offer: free mug with your next order",
            "Medlemserbjudande: dubbla poäng i helgen",
        ],
    ),
    (
        Channel::Web,
        InteractionKind::Visit,
        25,
        &[
            "Tittade på gjutjärnspannor",
            "Browsed coffee grinders",
            "Läste guiden om rooibos",
            "Compared French press sizes",
            "Sparade Kaffekvarn elektrisk i önskelistan",
        ],
    ),
    (
        Channel::Chat,
        InteractionKind::Question,
        6,
        &[
            "Frågade om leveranstid till Lund",
            "Asked whether the stoneware mug is dishwasher safe",
            "Frågade om glutenfria kanelbullar",
            "Asked about opening hours on Midsummer Eve",
        ],
    ),
    (
        Channel::Phone,
        InteractionKind::Support,
        4,
        &[
            "Ringde om ett paket som inte kommit",
            "Called to change the delivery address",
            "Ringde om en trasig mjölkskummare, ersättning skickad",
        ],
    ),
    (
        Channel::Store,
        InteractionKind::Appointment,
        3,
        &[
            "Kaffeprovning i butiken",
            "Tea tasting evening",
            "Slipning av kaffekvarn bokad",
        ],
    ),
    (
        Channel::Web,
        InteractionKind::Feedback,
        3,
        &[
            "Recension: fem stjärnor till French press",
            "Review: the sourdough loaf was excellent",
            "Betyg: fyra stjärnor till Earl Grey",
        ],
    ),
    (
        Channel::Email,
        InteractionKind::Complaint,
        1,
        &[
            "Reklamation: kaffekvarnen malde ojämnt",
            "Complaint: order arrived with a broken teapot",
        ],
    ),
];

/// Generates `count` events ending at `end`, oldest first, from `seed`.
///
/// The same `(count, seed, end)` always gives the same events; `end` is a parameter (not the
/// clock) so tests and benchmarks can fix it.
#[must_use]
pub fn generate(count: usize, seed: u64, end: i64) -> Vec<(Channel, i64, EventDetails)> {
    let mut rng = SplitMix64::new(seed);
    let start = end - SPAN_SECONDS;
    let days = u64::try_from(SPAN_SECONDS / 86_400).unwrap_or(1);
    // People shop and read mail in the day: an hour between 07 and 22, evenings favoured.
    let hour_weights: [u64; 16] = [2, 3, 4, 5, 6, 7, 8, 8, 7, 7, 8, 9, 9, 8, 5, 3];
    let mut times: Vec<i64> = (0..count)
        .map(|_| {
            let day = i64::try_from(rng.below(days)).unwrap_or(0);
            let hour = 7 + rng.weighted(&hour_weights) as i64;
            let second = i64::try_from(rng.below(3600)).unwrap_or(0);
            start + day * 86_400 + hour * 3600 + second
        })
        .map(|at| at.min(end))
        .collect();
    times.sort_unstable();

    let product_weights: Vec<u64> = (0..PRODUCTS.len() as u64)
        .map(|rank| 60 / (rank + 2) + 1)
        .collect();
    let interaction_weights: Vec<u64> = INTERACTIONS.iter().map(|i| i.2).collect();
    let mut consents = [false; 4];
    let mut consent_versions = [1u32; 4];
    times
        .into_iter()
        .map(|at| {
            // Purchases 35 %, interactions 60 %, consent changes 3 %, requests 2 %.
            match rng.weighted(&[35, 60, 3, 2]) {
                0 => purchase(&mut rng, &product_weights, at),
                1 => {
                    let (channel, kind, _, summaries) =
                        INTERACTIONS[rng.weighted(&interaction_weights)];
                    let summary = (*rng.pick(summaries)).to_owned();
                    (
                        channel,
                        at,
                        EventDetails::Interaction(Interaction { kind, summary }),
                    )
                }
                2 => {
                    let purpose = rng.weighted(&[4, 3, 2, 1]);
                    if rng.chance(20) {
                        consent_versions[purpose] += 1;
                    }
                    consents[purpose] = !consents[purpose];
                    (
                        Channel::Web,
                        at,
                        EventDetails::ConsentChange(ConsentChange {
                            purpose: PURPOSES[purpose].to_owned(),
                            decision: if consents[purpose] {
                                ConsentDecision::Given
                            } else {
                                ConsentDecision::Withdrawn
                            },
                            version: consent_versions[purpose],
                        }),
                    )
                }
                _ => {
                    let kind = [
                        RequestKind::Export,
                        RequestKind::Correction,
                        RequestKind::Erasure,
                    ][rng.weighted(&[6, 3, 1])];
                    // Requests of the last month may still be open; older ones are settled.
                    let status = if end - at < 30 * 86_400 {
                        *rng.pick(&[RequestStatus::Received, RequestStatus::InProgress])
                    } else if kind == RequestKind::Erasure {
                        RequestStatus::Refused
                    } else {
                        RequestStatus::Done
                    };
                    let channel = *rng.pick(&[Channel::Web, Channel::Email]);
                    (
                        channel,
                        at,
                        EventDetails::Request(DataRequest {
                            kind,
                            status,
                            order: None,
                        }),
                    )
                }
            }
        })
        .collect()
}

fn purchase(rng: &mut SplitMix64, weights: &[u64], at: i64) -> (Channel, i64, EventDetails) {
    let online = rng.chance(45);
    let (store, currency) = if online {
        (WEB_SHOP, "SEK")
    } else {
        STORES[rng.weighted(&[40, 30, 15, 10, 5])]
    };
    let lines = 1 + rng.weighted(&[30, 30, 20, 12, 8]);
    let mut items: Vec<PurchaseItem> = Vec::with_capacity(lines);
    while items.len() < lines {
        let (product, price_sek) = PRODUCTS[rng.weighted(weights)];
        if items.iter().any(|i| i.product == product) {
            continue;
        }
        // Euro prices are about a tenth of the krona ones, rounded to 10 cents.
        let unit_price_minor = if currency == "EUR" {
            (price_sek / 10 + 5) / 10 * 10
        } else {
            price_sek
        };
        items.push(PurchaseItem {
            product: product.to_owned(),
            quantity: 1 + u32::try_from(rng.weighted(&[70, 20, 6, 4])).unwrap_or(0),
            unit_price_minor,
        });
    }
    let sum: i64 = items
        .iter()
        .map(|i| i.unit_price_minor * i64::from(i.quantity))
        .sum();
    // One purchase in eight uses the members' 10 % discount.
    let total_minor = if rng.chance(12) { sum - sum / 10 } else { sum };
    let channel = if online { Channel::Web } else { Channel::Store };
    (
        channel,
        at,
        EventDetails::Purchase(Purchase {
            items,
            total_minor,
            currency: currency.to_owned(),
            store: store.to_owned(),
        }),
    )
}

/// Replaces a customer's history with a generated one.
///
/// Run it inside a transaction: one commit for all the inserts is what lets 100,000 events
/// land in seconds (and a failure leaves the old history as it was).
pub fn seed(
    conn: &Connection,
    customer: i64,
    count: usize,
    seed: u64,
    end: i64,
) -> Result<(), StoreError> {
    history::delete_all(conn, customer)?;
    let mut said = std::time::Instant::now();
    for (done, (channel, at, details)) in generate(count, seed, end).iter().enumerate() {
        history::insert(conn, customer, *channel, *at, details)?;
        // A long seed says how far it is, every couple of seconds.
        if said.elapsed().as_secs() >= 2 {
            said = std::time::Instant::now();
            tracing::info!("seeding: {} of {count} events", done + 1);
        }
    }
    Ok(())
}

/// The id of the customer with this e-mail, if there is one.
pub fn customer_by_email(conn: &Connection, email: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id FROM customers WHERE email = ?1",
            [email.trim()],
            |row| row.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_history_and_another_seed_another() {
        let a = generate(500, 42, 1_800_000_000);
        assert_eq!(a, generate(500, 42, 1_800_000_000));
        assert_ne!(a, generate(500, 43, 1_800_000_000));
        assert!(a.windows(2).all(|w| w[0].1 <= w[1].1), "oldest first");
        assert!(
            a.iter()
                .all(|e| (1_800_000_000 - SPAN_SECONDS..=1_800_000_000).contains(&e.1))
        );
        for kind in rapport_domain::history::EventKind::ALL {
            assert!(a.iter().any(|e| e.2.kind() == kind), "{kind:?} appears");
        }
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }
}
