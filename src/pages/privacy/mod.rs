//! The Privacy page: each purpose with the exact text a decision is recorded against, consent
//! given and withdrawn with one switch, the customer's own consent history, their data to
//! download, and erasure to request.

pub mod consents;
mod data;

use crate::backend::ops;
use crate::components::loading::LoadThen;
use crate::components::offered::{Feature, IfOffered};
use crate::i18n::*;
use consents::Consents;
use data::{DownloadData, Erasure};
use leptos::prelude::*;
use rapport_domain::config::PortalConfig;

/// `/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, privacy.title)}</h1>
        <p>{t!(i18n, privacy.intro)}</p>
        <LoadThen
            load=|backend| ops::load_consents(backend)
            render=|loaded| view! { <Consents loaded=loaded /> }.into_any()
        />
        <IfOffered feature=Feature::Exports>
            <DownloadData />
        </IfOffered>
        <IfOffered feature=Feature::Erasure>
            <Erasure />
        </IfOffered>
        <Policy />
    }
}

/// The business's privacy policy, in the customer's language.
#[component]
fn Policy() -> impl IntoView {
    let i18n = use_i18n();
    let policy = expect_context::<PortalConfig>().privacy_policy;
    policy.map(|policy| {
        let paragraphs = move || {
            let language = leptos_i18n::Locale::as_str(i18n.get_locale());
            policy
                .get(language)
                .split("\n\n")
                .map(|paragraph| view! { <p>{paragraph.to_owned()}</p> })
                .collect_view()
        };
        view! {
            <section class="card policy-text" id="policy" aria-labelledby="policy-title">
                <h2 id="policy-title">{t!(i18n, privacy.policy)}</h2>
                {paragraphs}
            </section>
        }
    })
}
