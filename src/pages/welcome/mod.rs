//! The page a signed-in customer lands on: what has happened since their last visit, their
//! saved designs, and suggestions drawn from what they told the business, shown only while
//! they allow it (seed 002: "each time a customer logs on, pull together purchase history and
//! personal preferences as a basis for a personalized response").
//!
//! Each part loads on its own, so a part the store does not offer, or one that fails, never
//! stands in the way of the others.

mod designs;
mod since;
mod suggestions;

use crate::backend::ops;
use crate::components::offered::{Feature, NotOffered, offers};
use crate::i18n::*;
use crate::pages::history::format;
use designs::SavedDesigns;
use leptos::prelude::*;
use rapport_domain::config::PortalConfig;
use since::SinceLastVisit;
use suggestions::Suggestions;

/// `/` for a customer.
#[component]
pub fn WelcomePage() -> impl IntoView {
    crate::dom::mark("rapport:welcome-page");
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let backend = expect_context::<crate::backend::Backend>();
    // The landing route prefetched the profile; its name makes the greeting.
    let name = LocalResource::new(move || {
        let backend = backend.clone();
        async move {
            ops::load_profile(&backend)
                .await
                .ok()
                .map(|p| p.data.name.trim().to_owned())
                .filter(|n| !n.is_empty())
        }
    });
    let greeting = move || match name.get().flatten() {
        Some(name) => t_string!(i18n, welcome.title_named, name).to_string(),
        None => t_string!(i18n, welcome.title).to_string(),
    };
    let designs = config.catalogue.is_some();
    let suggested = designs && config.personalisation_purpose.is_some();
    view! {
        <h1>{greeting}</h1>
        <p>{t!(i18n, welcome.intro)}</p>
        {if offers(Feature::Visits) {
            view! { <SinceLastVisit /> }.into_any()
        } else {
            view! { <NotOffered feature=Feature::Visits /> }.into_any()
        }}
        {designs.then(|| view! { <SavedDesigns /> })}
        {suggested.then(|| view! { <Suggestions /> })}
    }
}

/// The reader's language code, for dates and money.
fn locale(i18n: I18nContext<Locale>) -> &'static str {
    leptos_i18n::Locale::as_str(i18n.get_locale())
}

/// A day as the reader writes it.
fn day(i18n: I18nContext<Locale>, secs: i64) -> String {
    format::date(locale(i18n), secs)
}

use leptos_i18n::I18nContext;
