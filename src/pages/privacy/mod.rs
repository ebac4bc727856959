//! The Privacy page: each purpose with the exact text a decision is recorded against, consent
//! given and withdrawn with one switch, the customer's own consent history, their data to
//! download, and erasure to request.

mod consents;
mod data;

use crate::components::loading::LoadThen;
use crate::i18n::*;
use consents::Consents;
use data::{DownloadData, Erasure};
use leptos::prelude::*;

/// `/privacy`.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, privacy.title)}</h1>
        <p>{t!(i18n, privacy.intro)}</p>
        <LoadThen
            load=|backend| backend.load_consents()
            render=|loaded| view! { <Consents loaded=loaded /> }.into_any()
        />
        <DownloadData />
        <Erasure />
    }
}
