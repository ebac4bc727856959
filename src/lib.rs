//! Rapport's portal: a Leptos single-page app in which customers keep their own profile,
//! preferences, privacy choices and history.
//!
//! Code tour: [`start`] mounts the portal into its host element; [`config`] loads and checks
//! the business's configuration; [`app`] is the shell (languages, theme, navigation, routes);
//! [`pages`] has one folder per section of the navigation; [`components`] the pieces pages
//! share; [`backend`] is the one boundary to wherever the data lives.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod app;
pub mod backend;
pub mod components;
pub mod config;
pub mod dom;
pub mod editor;
pub mod language;
pub mod pages;
pub mod routes;
pub mod session;

use wasm_bindgen::JsCast;

/// The id of the element the portal mounts into, unless the host names another.
pub const HOST_ID: &str = "rapport";

/// Finds the host element, loads the configuration it names (`data-config`, default
/// `/config.json`) and mounts the portal there.
pub fn start() {
    let Some(host) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(HOST_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        web_sys::console::error_1(
            &format!("Rapport: no element with id \"{HOST_ID}\" to mount into").into(),
        );
        return;
    };
    let config_url = host
        .get_attribute("data-config")
        .unwrap_or_else(|| "/config.json".into());
    // Leptos sets up its executor when mounting; the configuration is fetched before that.
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = config::load(&config_url).await;
        // The host's placeholder ("Loading…", <noscript>) gives way to the portal.
        host.set_inner_html("");
        leptos::mount::mount_to(host.clone(), move || {
            leptos::view! { <app::App loaded=loaded host=host /> }
        })
        .forget();
    });
}
