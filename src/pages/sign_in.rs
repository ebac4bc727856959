//! Sign-in for the reference backend's own customers.

use crate::backend::{Backend, BackendError};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;
use rapport_domain::config::PortalConfig;

/// E-mail and password; on success the shell shows the portal.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let demo = use_context::<PortalConfig>().and_then(|config| config.demo_account);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        let backend = backend.clone();
        let (email, password) = (email.clone(), password.clone());
        async move { backend.sign_in(email, password).await }
    });
    Effect::new(move || {
        if let Some(Ok(())) = sign_in.value().get() {
            session.role.set(expect_context::<Backend>().role());
            session.signed_in.set(true);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in.dispatch((email.get_untracked(), password.get_untracked()));
    };
    let failure = move || match sign_in.value().get() {
        // During sign-in, "no session" can only mean the credentials did not match.
        Some(Err(BackendError::SignedOut)) => Some(t!(i18n, sign_in.bad_credentials).into_any()),
        Some(Err(error)) => Some(view! { <BackendErrorText error=error /> }.into_any()),
        _ => None,
    };

    view! {
        <h1>{t!(i18n, sign_in.title)}</h1>
        <p>{t!(i18n, sign_in.intro)}</p>
        {demo.map(|demo| {
            let (email, password) = (demo.email, demo.password);
            view! {
                <p class="notice">
                    {t!(i18n, sign_in.demo_hint, email = move || email.clone(), password = move || password.clone())}
                </p>
            }
        })}
        <form class="card" on:submit=on_submit novalidate>
            <div class="field">
                <label for="sign-in-email">{t!(i18n, sign_in.email)}</label>
                <input
                    id="sign-in-email"
                    type="email"
                    autocomplete="username"
                    required
                    prop:value=move || email.get()
                    on:input:target=move |ev| email.set(ev.target().value())
                />
            </div>
            <div class="field">
                <label for="sign-in-password">{t!(i18n, sign_in.password)}</label>
                <input
                    id="sign-in-password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input:target=move |ev| password.set(ev.target().value())
                />
            </div>
            <div class="actions">
                <button type="submit" disabled=move || sign_in.pending().get()>
                    {move || if sign_in.pending().get() {
                        t!(i18n, sign_in.working).into_any()
                    } else {
                        t!(i18n, sign_in.submit).into_any()
                    }}
                </button>
            </div>
            <p class="status error" role="alert">{failure}</p>
        </form>
    }
}
