//! The Profile page: load the customer's profile, then hand it to the form; below it, the
//! facts derived from the customer's history, read-only.

mod form;

pub use form::ProfileForm;

use crate::backend::ops;
use crate::components::loading::LoadThen;
use crate::components::offered::{Feature, IfOffered};
use crate::i18n::*;
use crate::pages::history::HistoryFacts;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    crate::dom::mark("rapport:profile-page");
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, profile.title)}</h1>
        <p>{t!(i18n, profile.intro)}</p>
        <LoadThen
            load=|backend| ops::load_profile(backend)
            render=|initial| view! { <ProfileForm initial=initial /> }.into_any()
        />
        // Read-only and loaded on its own: a failure here never stands in the way of editing.
        <section class="card" aria-labelledby="profile-facts-title">
            <h2 id="profile-facts-title">{t!(i18n, history.profile_facts)}</h2>
            <IfOffered feature=Feature::Facts>
                <HistoryFacts />
            </IfOffered>
            <p><A href=crate::embed::href("/history")>{t!(i18n, history.see_all)}</A></p>
        </section>
    }
}
