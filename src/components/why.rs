//! "Why we ask": the reason for a question and the purpose its answer serves, one click away.

use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::config::{Localized, PortalConfig};

/// A disclosure with the reason and the purpose; `id` names the paragraph so the question's
/// control can point at it with `aria-describedby`.
#[component]
pub fn WhyWeAsk(id: String, why: Localized, purpose: String) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let language = move || leptos_i18n::Locale::as_str(i18n.get_locale());
    let purpose_title = move || {
        config
            .purpose(&purpose)
            .map(|p| p.title.get(language()).to_owned())
            .unwrap_or_default()
    };
    view! {
        <details class="why">
            <summary>{t!(i18n, preferences.why_we_ask)}</summary>
            <p id=id>
                {move || why.get(language()).to_owned()} " "
                {t!(i18n, preferences.used_for, purpose = purpose_title.clone())}
            </p>
        </details>
    }
}
