//! "Design your own" (`/design`): the configurator with its live price and explained rules,
//! the customer's saved designs ("My designs") and ordering one.
//!
//! The catalogue is parsed here, not when the configuration loads, so its code travels in
//! this section's wasm module and the first screen does not carry it.

mod configurator;
mod describe;
pub mod list;
mod order;
mod summary;
mod words;
mod work;

use crate::backend::ops;
use crate::components::loading::LoadThen;
use crate::components::offered::{Feature, NotOffered, offers};
use crate::i18n::*;
use configurator::Configurator;
use leptos::prelude::*;
use list::{DesignsList, Manage};
use rapport_domain::catalogue::Catalogue;
use rapport_domain::config::PortalConfig;
use rapport_domain::designs::Designs;
use rapport_domain::{Versioned, version::Version};
use std::sync::Arc;
use summary::Summary;
use work::Work;

/// `/design`.
#[component]
pub fn DesignPage() -> impl IntoView {
    crate::dom::mark("rapport:design-start");
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let body = match config.catalogue() {
        Ok(None) => view! { <p>{t!(i18n, design.nothing)}</p> }.into_any(),
        Err(mistakes) => view! {
            <div class="card" role="alert">
                <p>{t!(i18n, design.catalogue_broken)}</p>
                <ul>{mistakes.iter().map(|m| view! { <li><code>{m.to_string()}</code></li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        Ok(Some(catalogue)) => {
            provide_context(Shop(RwSignal::new(Arc::new(catalogue))));
            if offers(Feature::Designs) {
                view! {
                    <LoadThen
                        load=|backend| ops::load_designs(backend)
                        render=|initial| view! { <Designer initial=Some(initial) /> }.into_any()
                    />
                }
                .into_any()
            } else {
                view! { <NotOffered feature=Feature::Designs /><Designer initial=None /> }.into_any()
            }
        }
    };
    view! {
        <h1>{t!(i18n, design.title)}</h1>
        <p>{t!(i18n, design.intro)}</p>
        {body}
    }
}

/// The catalogue as the page knows it; reloaded when an order finds its prices out of date.
#[derive(Clone, Copy)]
pub struct Shop(pub RwSignal<Arc<Catalogue>>);

/// The configurator, its summary and, where the store keeps them, the customer's designs.
#[component]
fn Designer(initial: Option<Versioned<Designs>>) -> impl IntoView {
    let i18n = use_i18n();
    let shop = expect_context::<Shop>();
    let saving = initial.is_some();
    let work = Work::new(
        shop,
        initial.unwrap_or(Versioned {
            version: Version(0),
            data: Designs::default(),
        }),
        saving,
    );
    provide_context(work);
    let list = work.editor.map(|editor| {
        let cx = crate::editor::describe::Cx {
            i18n,
            config: expect_context::<PortalConfig>(),
        };
        let designs = Signal::derive(move || editor.draft.with(|d| d.designs.clone()));
        let on_submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let has_problems = editor.draft.with_untracked(|d| !storable(d));
            editor.save(has_problems);
        };
        view! {
            <section class="card my-designs" aria-labelledby="my-designs-title">
                <h2 id="my-designs-title">{t!(i18n, design.my_designs)}</h2>
                <crate::editor::view::EditorNotice notice=editor.notice />
                <form novalidate on:submit=on_submit>
                    <DesignsList designs=designs catalogue=shop.0 manage=Manage::of(work) />
                    <crate::editor::view::EditorControls editor=editor cx=cx />
                </form>
            </section>
        }
    });
    view! {
        <div class="designer">
            <Configurator />
            <Summary />
        </div>
        {list}
    }
}

/// Whether a designs document can be stored as it stands.
fn storable(designs: &Designs) -> bool {
    use rapport_domain::fields::Editable;
    designs.normalized().problems().is_empty()
}
