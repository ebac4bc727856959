//! The demo customer and privacy officer a new database starts with when asked for
//! (`--demo-data`, which `make run` passes), so the portal can be tried at once.

use super::customers::Role;
use super::{StoreError, customers, documents, history_demo, now};
use rapport_domain::catalogue::{Quote, QuoteLine, Specification};
use rapport_domain::designs::{Design, Designs};
use rapport_domain::{ContactMethod, Profile};
use rusqlite::Connection;

/// The demo customer's sign-in e-mail.
pub const DEMO_EMAIL: &str = "demo@rapport.example";
/// The demo customer's password; shown on the sign-in page in demo mode.
pub const DEMO_PASSWORD: &str = "demo";

/// The demo privacy officer's sign-in e-mail.
pub const OFFICER_EMAIL: &str = "officer@rapport.example";
/// The demo privacy officer's password.
pub const OFFICER_PASSWORD: &str = "officer";

/// How many events the demo customer's history starts with: enough to page, filter and search.
pub const DEMO_HISTORY_EVENTS: usize = 300;
/// The seed of the demo customer's history, so every new database shows the same story.
pub const DEMO_HISTORY_SEED: u64 = 42;

/// Adds the demo customer and the demo privacy officer when there are no accounts yet;
/// returns whether it did.
pub fn seed_if_empty(conn: &mut Connection) -> Result<bool, StoreError> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM customers", [], |row| row.get(0))?;
    if count > 0 {
        return Ok(false);
    }
    let hash = customers::hash_password(DEMO_PASSWORD)?;
    let officer_hash = customers::hash_password(OFFICER_PASSWORD)?;
    let tx = conn.savepoint()?;
    let id = customers::create(&tx, DEMO_EMAIL, &hash)?;
    documents::create(&tx, id, &demo_profile())?;
    documents::create(&tx, id, &demo_designs())?;
    history_demo::seed(&tx, id, DEMO_HISTORY_EVENTS, DEMO_HISTORY_SEED, now())?;
    let officer = customers::create(&tx, OFFICER_EMAIL, &officer_hash)?;
    customers::set_role(&tx, officer, Role::PrivacyOfficer)?;
    tx.commit()?;
    // No password in the log, not even a demo one: the README gives them.
    tracing::info!(
        "created the demo customer {DEMO_EMAIL} and the demo privacy officer {OFFICER_EMAIL}"
    );
    Ok(true)
}

/// The demo customer's profile.
#[must_use]
pub fn demo_profile() -> Profile {
    Profile {
        name: "Astrid Lindqvist".into(),
        email: DEMO_EMAIL.into(),
        phone: "+46 70 123 45 67".into(),
        preferred_contact: Some(ContactMethod::Email),
    }
}

/// The demo customer's saved design, "My designs" filled from the start: a Fika box as the
/// shipped catalogue (`public/config.json`) prices it (a test keeps the two in step).
#[must_use]
pub fn demo_designs() -> Designs {
    let chosen = [
        ("dark-roast", 1, 0),
        ("buns", 2, 9_800),
        ("gift-wrap", 1, 4_900),
    ];
    let names = [
        ("fika-box", "Fika box"),
        ("dark-roast", "Dark roast 450 g"),
        ("buns", "Cinnamon buns, 6-pack"),
        ("gift-wrap", "Gift wrapping"),
    ];
    Designs {
        designs: vec![Design {
            id: "d1".into(),
            name: "Sunday fika for Mormor".into(),
            spec: Specification {
                model: "fika-box".into(),
                options: chosen
                    .iter()
                    .map(|(id, pieces, _)| ((*id).to_owned(), *pieces))
                    .collect(),
            },
            seen: Quote {
                currency: "SEK".into(),
                base_minor: 29_900,
                lines: chosen
                    .iter()
                    .map(|(id, pieces, amount)| QuoteLine {
                        option: (*id).to_owned(),
                        quantity: *pieces,
                        amount_minor: *amount,
                    })
                    .collect(),
                total_minor: 44_600,
            },
            names: names
                .iter()
                .map(|(id, name)| ((*id).to_owned(), (*name).to_owned()))
                .collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::demo_designs;
    use rapport_domain::config::PortalConfig;

    #[test]
    fn the_demo_design_is_priced_as_the_shipped_catalogue_prices_it() {
        let config = PortalConfig::from_json(
            include_str!("../../../../public/config.json"),
            &crate::settings::LANGUAGES,
        )
        .expect("the shipped configuration");
        let catalogue = config.catalogue().unwrap().expect("a catalogue");
        let designs = demo_designs();
        assert!(designs.problems().is_empty());
        for design in &designs.designs {
            assert_eq!(catalogue.price(&design.spec), Ok(design.seen.clone()));
            let model = catalogue.model(&design.spec.model).unwrap();
            assert_eq!(design.names[&model.id], model.name.get("en"));
            for option in design.spec.options.keys() {
                let (_, shipped) = catalogue.option(option).unwrap();
                assert_eq!(design.names[option], shipped.name.get("en"));
            }
        }
    }
}
