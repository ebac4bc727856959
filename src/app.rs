//! The shell: translations, theme, backend and session for everything inside; then the
//! header, the navigation and the routes.

use crate::backend::Backend;
use crate::config::ConfigFailure;
use crate::editor::{UnsavedChanges, forget_drafts};
use crate::i18n::*;
use crate::language;
use crate::pages::sign_in::SignInPage;
use crate::routes::{
    AuditRoute, DesignRoute, HistoryRoute, LandingRoute, PreferencesRoute, PrivacyRoute,
    ProfileRoute,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::Locale as _;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};
use rapport_domain::api::Role;
use rapport_domain::config::PortalConfig;

/// The whole portal, or the list of configuration mistakes when it cannot start.
#[component]
pub fn App(loaded: Result<(PortalConfig, Backend), ConfigFailure>) -> impl IntoView {
    // An embedded portal leaves the host page's <html lang> alone (it sets its own element's).
    let owns_page = crate::embed::owns_page();
    view! {
        <I18nContextProvider set_lang_attr_on_html=owns_page set_dir_attr_on_html=owns_page>
            {match loaded {
                Ok((config, backend)) => view! { <Portal config=config backend=backend /> }.into_any(),
                Err(failure) => view! { <ConfigProblems failure=failure /> }.into_any(),
            }}
        </I18nContextProvider>
    }
}

#[component]
fn Portal(config: PortalConfig, backend: Backend) -> impl IntoView {
    let i18n = use_i18n();
    start_in_language(i18n, &config);

    let session = Session {
        signed_in: RwSignal::new(backend.is_signed_in()),
        role: RwSignal::new(backend.role()),
    };
    let unsaved = UnsavedChanges(RwSignal::new(false));
    provide_context(backend.clone());
    provide_context(session);
    provide_context(config.clone());
    provide_context(unsaved);
    warn_before_unload(unsaved);
    confirm_leaving(unsaved, i18n);
    crate::embed::connect(&backend, session, i18n, &config);

    Effect::new(move || {
        if !crate::embed::owns_page() {
            return;
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(t_string!(i18n, app.title));
        }
    });

    // Only a business with products to put together has a configurator.
    let designs = config.catalogue.is_some();
    let sign_out = move |_| {
        let backend = backend.clone();
        leptos::task::spawn_local(async move {
            // Signed out locally whatever the server says: the customer asked to leave, and
            // the next person at this browser must not find their drafts.
            let _ = backend.sign_out().await;
            forget_drafts();
            session.expired();
        });
    };

    view! {
        <Router base=config.router_base().to_owned()>
            <crate::embed::RouteEvents />
            <header class="masthead">
                // In the banner: every piece of the page belongs to a landmark, and axe cannot
                // recognise a skip link whose target is inside a shadow root.
                <a
                    class="skip-link"
                    href="#main"
                    on:click=|ev| {
                        // The router would treat the fragment as a navigation; move focus instead.
                        ev.prevent_default();
                        crate::dom::focus("main");
                    }
                >{t!(i18n, app.skip_to_content)}</a>
                <p class="brand">{t!(i18n, app.title)}</p>
                <div class="masthead-tools">
                    <LanguageSwitch languages=config.languages.clone() />
                    <Show when=move || session.signed_in.get()>
                        <button type="button" class="quiet" on:click=sign_out.clone()>
                            {t!(i18n, app.sign_out)}
                        </button>
                    </Show>
                </div>
            </header>
            <Show when=move || session.signed_in.get()>
                <nav class="sections" aria-label=move || t_string!(i18n, app.nav_label)>
                    <Show
                        when=move || session.role.get() == Role::PrivacyOfficer
                        fallback=move || view! {
                            <ul>
                                <li><A href=crate::embed::href("/") exact=true>{t!(i18n, nav.welcome)}</A></li>
                                <li><A href=crate::embed::href("/profile")>{t!(i18n, nav.profile)}</A></li>
                                <li><A href=crate::embed::href("/preferences")>{t!(i18n, nav.preferences)}</A></li>
                                <li><A href=crate::embed::href("/privacy")>{t!(i18n, nav.privacy)}</A></li>
                                <li><A href=crate::embed::href("/history")>{t!(i18n, nav.history)}</A></li>
                                {designs.then(|| view! {
                                    <li><A href=crate::embed::href("/design")>{t!(i18n, nav.design)}</A></li>
                                })}
                            </ul>
                        }
                    >
                        <ul>
                            <li><A href=crate::embed::href("/audit")>{t!(i18n, nav.audit)}</A></li>
                        </ul>
                    </Show>
                </nav>
            </Show>
            <crate::embed::MainArea>
                <Show when=move || session.signed_in.get() fallback=|| view! { <SignInPage /> }>
                    <Routes fallback=|| view! { <NotFound /> }>
                        // Each section is its own wasm module (crate::routes).
                        <Route path=path!("/") view={Lazy::<LandingRoute>::new()} />
                        <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} />
                        <Route path=path!("/profile") view={Lazy::<ProfileRoute>::new()} />
                        <Route path=path!("/preferences") view={Lazy::<PreferencesRoute>::new()} />
                        <Route path=path!("/privacy") view={Lazy::<PrivacyRoute>::new()} />
                        <Route path=path!("/history") view={Lazy::<HistoryRoute>::new()} />
                        <Route path=path!("/design") view={Lazy::<DesignRoute>::new()} />
                    </Routes>
                </Show>
            </crate::embed::MainArea>
        </Router>
    }
}

/// Reloading or closing the tab with unsaved edits asks first (the draft is kept either way).
fn warn_before_unload(unsaved: UnsavedChanges) {
    let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if unsaved.0.get_untracked() {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

/// Following a link away from unsaved edits asks first. The listener captures clicks on the
/// window, so it runs before the router's own click handling and can stop it.
fn confirm_leaving(unsaved: UnsavedChanges, i18n: I18nContext<Locale>) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        // The first target on the event's path: inside the portal's shadow root, `target`
        // at the window is the <rapport-portal> element itself.
        let on_link = ev
            .composed_path()
            .get(0)
            .dyn_into::<web_sys::Element>()
            .ok()
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .is_some_and(|a| !a.get_attribute("href").unwrap_or_default().starts_with('#'));
        if !on_link || !unsaved.0.get_untracked() {
            return;
        }
        let leave = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(t_string!(i18n, editor.leave_unsaved))
                    .ok()
            })
            .unwrap_or(true);
        if !leave {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let _ = window.add_event_listener_with_callback_and_bool(
        "click",
        listener.as_ref().unchecked_ref(),
        true,
    );
    // The portal lives as long as the page; the listener with it.
    listener.forget();
}

fn start_in_language(i18n: I18nContext<Locale>, config: &PortalConfig) {
    let code = language::choose(
        &config.languages,
        language::remembered().as_deref(),
        &language::browser_languages(),
        &config.default_language,
    );
    if let Ok(locale) = code.parse::<Locale>() {
        // The provider's first effect sets the browser's language; ours is created after it,
        // so it runs after it, still before the first paint.
        Effect::new(move |_| i18n.set_locale(locale));
    }
}

#[component]
fn LanguageSwitch(languages: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        if let Ok(locale) = code.parse::<Locale>() {
            language::remember(&code);
            i18n.set_locale(locale);
        }
    };
    view! {
        <label class="language">
            <span>{t!(i18n, app.language)}</span>
            <select on:change=on_change>
                {languages
                    .into_iter()
                    .map(|code| {
                        let selected = {
                            let code = code.clone();
                            move || i18n.get_locale().as_str() == code
                        };
                        view! {
                            <option value=code.clone() lang=code.clone() selected=selected>
                                {language::endonym(&code).to_owned()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, app.not_found)}</h1>
        <p><A href=crate::embed::href("/profile")>{t!(i18n, app.back_to_profile)}</A></p>
    }
}

#[component]
fn ConfigProblems(failure: ConfigFailure) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main id="main" class="config-problems">
            <h1>{t!(i18n, config.title)}</h1>
            {match failure {
                ConfigFailure::Unreachable { url, detail } => {
                    view! { <p role="alert">{t!(i18n, config.unreachable, url = move || url.clone(), detail = move || detail.clone())}</p> }
                        .into_any()
                }
                ConfigFailure::Mistakes(mistakes) => {
                    view! {
                        <p>{t!(i18n, config.intro)}</p>
                        <div role="alert"><ul>
                            {mistakes.into_iter().map(|m| view! { <li><code>{m}</code></li> }).collect_view()}
                        </ul></div>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
