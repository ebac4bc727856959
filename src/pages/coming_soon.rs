//! Sections announced in the navigation but not built yet say so plainly.

use crate::app::Section;
use crate::i18n::*;
use leptos::prelude::*;

/// "This page is not built yet", naming what it will hold.
#[component]
pub fn ComingSoon(section: Section) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || match section {
        Section::Privacy => t_string!(i18n, nav.privacy),
    };
    let what = move || match section {
        Section::Privacy => t_string!(i18n, coming_soon.privacy),
    };
    view! {
        <h1>{title}</h1>
        <p class="notice">{t!(i18n, coming_soon.body, what)}</p>
    }
}
