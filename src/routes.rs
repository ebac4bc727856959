//! The sections as lazy routes: each page's code is its own wasm module, fetched when the
//! section is first shown, so the sign-in screen and the landing page load only what they
//! need. scripts/postbuild/split-wasm.sh cuts the modules out after Trunk's build.
//!
//! Each split point is `fallible`: when a module cannot be fetched (lost connection, a
//! deployment replaced it) the customer reads why, in their language, instead of the wasm
//! aborting and leaving a blank page. A failed load is not remembered, so coming back to the
//! section (or "Try again") fetches it afresh. Leptos' own `#[lazy_route]` panics instead.

use crate::backend::{Backend, Call};
use crate::i18n::*;
use crate::pages::{
    audit::AuditPage, design::DesignPage, history::HistoryPage, preferences::PreferencesPage,
    privacy::PrivacyPage, profile::ProfilePage, welcome::WelcomePage,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use leptos_router::LazyRoute;
use rapport_domain::api::Role;

/// A section's module could not be fetched.
#[derive(Debug)]
pub struct ModuleUnavailable;

impl From<SplitLoaderError> for ModuleUnavailable {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

/// Declares a split point returning a page's view, and the route that awaits it.
macro_rules! lazy_section {
    ($route:ident, $module:ident, $loader:ident, $preload:ident, $page:ident, $first:expr) => {
        #[wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $loader() -> Result<AnyView, ModuleUnavailable> {
            Ok(view! { <$page /> }.into_any())
        }

        #[doc = concat!("The route showing [`", stringify!($page), "`] from its own module.")]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                prefetch($first);
                Self
            }

            async fn view(_: Self) -> AnyView {
                $loader().await.unwrap_or_else(|_| unavailable())
            }
        }
    };
}

lazy_section!(
    ProfileRoute,
    profile,
    profile_view,
    profile_preload,
    ProfilePage,
    Some(Call::LoadProfile)
);
lazy_section!(
    PreferencesRoute,
    preferences,
    preferences_view,
    preferences_preload,
    PreferencesPage,
    Some(Call::LoadPreferences)
);
lazy_section!(
    PrivacyRoute,
    privacy,
    privacy_view,
    privacy_preload,
    PrivacyPage,
    Some(Call::LoadConsents)
);
lazy_section!(
    HistoryRoute,
    history,
    history_view,
    history_preload,
    HistoryPage,
    None
);
lazy_section!(
    WelcomeRoute,
    welcome,
    welcome_view,
    welcome_preload,
    WelcomePage,
    Some(Call::LoadProfile)
);
lazy_section!(
    DesignRoute,
    design,
    design_view,
    design_preload,
    DesignPage,
    designs_if_kept()
);
lazy_section!(
    AuditRoute,
    audit,
    audit_view,
    audit_preload,
    AuditPage,
    None
);

/// Starts fetching the module of the section being opened while the configuration is still
/// loading, for a visitor whose earlier session is stored: the section the address names
/// (`/profile`, or `/shop/account/history` inside a host page), else the landing (the audit
/// for an officer, the welcome page for a customer). A visitor who must sign in first fetches
/// nothing more than the form.
pub fn preload_landing(stored: Option<Role>) {
    let Some(role) = stored else { return };
    let path = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    // Every section is one path segment below the base, so the last one names it.
    let section = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = match (role, section.as_str()) {
            (Role::PrivacyOfficer, _) => audit_preload().await,
            (Role::Customer, "profile") => profile_preload().await,
            (Role::Customer, "preferences") => preferences_preload().await,
            (Role::Customer, "privacy") => privacy_preload().await,
            (Role::Customer, "history") => history_preload().await,
            (Role::Customer, "design") => design_preload().await,
            (Role::Customer, _) => welcome_preload().await,
        };
    });
}

/// `/`: the audit view for privacy officers, the welcome page for customers.
pub struct LandingRoute {
    officer: bool,
}

impl LazyRoute for LandingRoute {
    fn data() -> Self {
        let officer = use_context::<Session>()
            .is_some_and(|session| session.role.get_untracked() == Role::PrivacyOfficer);
        if !officer {
            prefetch(Some(Call::LoadProfile));
        }
        Self { officer }
    }

    async fn view(this: Self) -> AnyView {
        crate::dom::mark("rapport:route-view");
        if this.officer {
            AuditRoute::view(AuditRoute).await
        } else {
            WelcomeRoute::view(WelcomeRoute).await
        }
    }
}

/// The design page's first document, where the business has a catalogue and its store keeps
/// designs (a mapped store does not: the page then only prices).
fn designs_if_kept() -> Option<Call> {
    let catalogue = use_context::<rapport_domain::config::PortalConfig>()
        .is_some_and(|config| config.catalogue.is_some());
    (catalogue && crate::components::offered::offers(crate::components::offered::Feature::Designs))
        .then_some(Call::LoadDesigns)
}

/// Asks the backend for a section's first document while the section's module loads, so the
/// two wait side by side instead of one after the other.
fn prefetch(first: Option<Call>) {
    crate::dom::mark("rapport:route-data");
    if let (Some(call), Some(backend)) = (first, use_context::<Backend>()) {
        backend.prefetch(call);
    }
}

/// What shows when a section's module could not be fetched: why, and a way to try again.
fn unavailable() -> AnyView {
    view! { <SectionUnavailable /> }.into_any()
}

#[component]
fn SectionUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    let retry = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <h1>{t!(i18n, route.unavailable_title)}</h1>
        <p role="alert">{t!(i18n, route.unavailable)}</p>
        <p><button type="button" on:click=retry>{t!(i18n, route.retry)}</button></p>
    }
}
