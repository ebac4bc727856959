//! Loading the business's configuration file, and what the portal does when it is wrong.

use crate::i18n::Locale;
use gloo_net::http::Request;
use leptos_i18n::Locale as _;
use rapport_domain::config::PortalConfig;

/// Why there is no usable configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigFailure {
    /// The file could not be fetched at all.
    Unreachable {
        /// Where we looked.
        url: String,
        /// What happened (an HTTP status, or a network failure).
        detail: String,
    },
    /// The file has mistakes, one line each, each naming its path.
    Mistakes(Vec<String>),
}

/// The languages this build has translations for.
#[must_use]
pub fn supported_languages() -> Vec<&'static str> {
    <Locale as leptos_i18n::Locale>::get_all()
        .iter()
        .map(|l| l.as_str())
        .collect()
}

thread_local! {
    /// Where the configuration was loaded from, so a page can ask for it again.
    static LOADED_FROM: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Fetches and checks the configuration at `url`.
pub async fn load(url: &str) -> Result<PortalConfig, ConfigFailure> {
    LOADED_FROM.with_borrow_mut(|from| *from = Some(url.to_owned()));
    fetch(url, Request::get(url)).await
}

/// Fetches the configuration again, past the browser's cache: the business may have changed
/// it since the page loaded (the design page does this when an order finds its prices old).
pub async fn reload() -> Result<PortalConfig, ConfigFailure> {
    let url = LOADED_FROM
        .with_borrow(Clone::clone)
        .unwrap_or_else(|| "/config.json".to_owned());
    fetch(
        &url,
        Request::get(&url).cache(web_sys::RequestCache::NoCache),
    )
    .await
}

async fn fetch(
    url: &str,
    request: gloo_net::http::RequestBuilder,
) -> Result<PortalConfig, ConfigFailure> {
    let unreachable = |detail: String| ConfigFailure::Unreachable {
        url: url.to_owned(),
        detail,
    };
    let response = request
        .send()
        .await
        .map_err(|err| unreachable(err.to_string()))?;
    if !response.ok() {
        return Err(unreachable(format!("HTTP {}", response.status())));
    }
    let text = response
        .text()
        .await
        .map_err(|err| unreachable(err.to_string()))?;
    PortalConfig::from_json_shallow(&text, &supported_languages()).map_err(|problems| {
        ConfigFailure::Mistakes(problems.iter().map(ToString::to_string).collect())
    })
}
