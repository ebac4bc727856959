//! The Preferences page: the business's checklists and the contact controls, kept by the
//! customer.

mod checklist;
mod contact;
mod describe;
mod form;

pub use form::PreferencesForm;

use crate::backend::ops;
use crate::components::loading::LoadThen;
use crate::i18n::*;
use leptos::prelude::*;

/// `/preferences`.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, preferences.title)}</h1>
        <p>{t!(i18n, preferences.intro)}</p>
        <LoadThen
            load=|backend| ops::load_preferences(backend)
            render=|initial| view! { <PreferencesForm initial=initial /> }.into_any()
        />
    }
}
