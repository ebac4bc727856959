//! The Profile page: load the customer's profile, then hand it to the form; below it, the
//! facts derived from the customer's history, read-only.

mod form;

pub use form::ProfileForm;

use crate::backend::{Backend, BackendError};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::pages::history::HistoryFacts;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::A;

/// `/profile`.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let profile = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.load_profile().await }
    });

    view! {
        <h1>{t!(i18n, profile.title)}</h1>
        <p>{t!(i18n, profile.intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(loaded) => view! { <ProfileForm initial=loaded /> }.into_any(),
                    Err(BackendError::SignedOut) => {
                        session.expired();
                        ().into_any()
                    }
                    Err(error) => view! {
                        <div class="card" role="alert">
                            <p>{t!(i18n, error.load_failed)} " " <BackendErrorText error=error /></p>
                            <button type="button" on:click=move |_| profile.refetch()>
                                {t!(i18n, profile.retry)}
                            </button>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
        // Read-only and loaded on its own: a failure here never stands in the way of editing.
        <section class="card" aria-labelledby="profile-facts-title">
            <h2 id="profile-facts-title">{t!(i18n, history.profile_facts)}</h2>
            <HistoryFacts />
            <p><A href="/history">{t!(i18n, history.see_all)}</A></p>
        </section>
    }
}
