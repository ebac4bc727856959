//! What a host page says through `<rapport-portal>`'s attributes, read once when it mounts
//! (only `lang` is followed afterwards; `theme` needs no code: the stylesheet reads it).

/// The element's attributes, as the portal uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attributes {
    /// `config`: where the configuration is, relative to the page (default `/config.json`).
    pub config: String,
    /// `lang`: the language to start in when the configuration offers it (`sv`, `sv-SE`).
    pub lang: Option<String>,
    /// `base`: the path the portal's own routes live under (`/account`), overriding the
    /// configuration's `base_path`; links outside it stay the host's.
    pub base: Option<String>,
    /// `standalone`: the portal is the whole page, so it sets the document's title and
    /// language and fills the window.
    pub standalone: bool,
}

impl Attributes {
    /// Reads them from the element.
    #[must_use]
    pub fn read(element: &web_sys::Element) -> Self {
        let text = |name: &str| {
            element
                .get_attribute(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            config: text("config").unwrap_or_else(|| "/config.json".into()),
            lang: text("lang").map(|v| language_code(&v)),
            base: text("base").map(|v| base_path(&v)),
            standalone: element.has_attribute("standalone"),
        }
    }
}

/// A base path in the configuration's form, starting and ending with `/`:
/// `/account`, `account` and `/account/` all give `/account/`.
#[must_use]
pub fn base_path(value: &str) -> String {
    let inner = value.trim().trim_matches('/');
    if inner.is_empty() {
        "/".into()
    } else {
        format!("/{inner}/")
    }
}

/// The language part of a language tag, as the portal's translations are named: `sv-SE` gives `sv`.
#[must_use]
pub fn language_code(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_take_the_configuration_form() {
        for (given, expected) in [
            ("/account", "/account/"),
            ("account", "/account/"),
            ("/account/", "/account/"),
            ("/shop/account", "/shop/account/"),
            ("/", "/"),
            ("", "/"),
        ] {
            assert_eq!(base_path(given), expected, "{given}");
        }
    }

    #[test]
    fn language_tags_give_their_language() {
        for (given, expected) in [("sv", "sv"), ("sv-SE", "sv"), ("EN_gb", "en"), ("", "")] {
            assert_eq!(language_code(given), expected, "{given}");
        }
    }
}
