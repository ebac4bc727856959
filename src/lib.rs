//! Rapport's portal: a Leptos single-page app in which customers keep their own profile,
//! preferences, privacy choices and history.
//!
//! Code tour: [`start`] defines the `<rapport-portal>` element ([`embed`]), which mounts the
//! portal into its shadow root; [`config`] loads and checks
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
pub mod embed;
pub mod language;
pub mod pages;
pub mod routes;
pub mod session;

/// Defines `<rapport-portal>`: each such element in the page, the standalone index.html's
/// included, loads the configuration its `config` attribute names and mounts a portal.
pub fn start() {
    // The section being opened starts downloading now, beside the main module's own start
    // and the configuration, rather than once an element has mounted.
    routes::preload_landing(backend::http::stored_session_role());
    embed::define();
}
