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

/// Fetches and checks the configuration at `url`.
pub async fn load(url: &str) -> Result<PortalConfig, ConfigFailure> {
    let unreachable = |detail: String| ConfigFailure::Unreachable {
        url: url.to_owned(),
        detail,
    };
    let response = Request::get(url)
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
