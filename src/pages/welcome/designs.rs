//! The customer's saved designs, in brief, each a link back into the configurator.

use super::locale;
use crate::backend::ops;
use crate::components::loading::LoadThen;
use crate::components::offered::{Feature, IfOffered};
use crate::i18n::*;
use crate::pages::history::format;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_domain::Versioned;
use rapport_domain::designs::Designs;

/// "Your designs": names and the price last seen, or how to start one.
#[component]
pub fn SavedDesigns() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="designs-title">
            <h2 id="designs-title">{t!(i18n, welcome.designs_title)}</h2>
            <IfOffered feature=Feature::Designs>
                <LoadThen
                    load=|backend| ops::load_designs(backend)
                    render=|loaded| view! { <DesignList loaded=loaded /> }.into_any()
                />
            </IfOffered>
        </section>
    }
}

#[component]
fn DesignList(loaded: Versioned<Designs>) -> impl IntoView {
    let i18n = use_i18n();
    let designs = loaded.data.designs;
    if designs.is_empty() {
        return view! {
            <p>
                {t!(i18n, welcome.no_designs)} " "
                <A href=crate::embed::href("/design")>{t!(i18n, welcome.start_design)}</A>
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="design-links">
            {designs
                .into_iter()
                .map(|design| {
                    let price = move || {
                        format::money(locale(i18n), design.seen.total_minor, &design.seen.currency)
                    };
                    let href = crate::embed::href(&format!("/design?design={}", design.id));
                    view! {
                        <li>
                            <A href=href>{design.name.clone()}</A>
                            " · " {price}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
