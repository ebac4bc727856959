//! The Preferences page: the business's checklists and the contact controls, kept by the
//! customer.

mod checklist;
mod contact;
mod describe;
mod form;

pub use form::PreferencesForm;

use crate::backend::{Backend, BackendError};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;

/// `/preferences`.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let preferences = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.load_preferences().await }
    });

    view! {
        <h1>{t!(i18n, preferences.title)}</h1>
        <p>{t!(i18n, preferences.intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match preferences.await {
                    Ok(loaded) => view! { <PreferencesForm initial=loaded /> }.into_any(),
                    Err(BackendError::SignedOut) => {
                        session.expired();
                        ().into_any()
                    }
                    Err(error) => view! {
                        <div class="card" role="alert">
                            <p>{t!(i18n, error.load_failed)} " " <BackendErrorText error=error /></p>
                            <button type="button" on:click=move |_| preferences.refetch()>
                                {t!(i18n, profile.retry)}
                            </button>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
