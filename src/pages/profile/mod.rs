//! The Profile page: load the customer's profile, then hand it to the form.

mod form;

pub use form::ProfileForm;

use crate::components::loading::LoadThen;
use crate::i18n::*;
use leptos::prelude::*;

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, profile.title)}</h1>
        <p>{t!(i18n, profile.intro)}</p>
        <LoadThen
            load=|backend| backend.load_profile()
            render=|initial| view! { <ProfileForm initial=initial /> }.into_any()
        />
    }
}
