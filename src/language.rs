//! Which language the portal speaks: the customer's own choice if they made one, else the
//! first of their browser's languages that the business offers, else the business's default.

/// Where a customer's explicit choice is remembered.
pub const CHOICE_KEY: &str = "rapport.language";

/// Picks the language. `browser` is `navigator.languages`, most preferred first; a regional
/// tag (`sv-FI`) matches its language (`sv`).
#[must_use]
pub fn choose<'a>(
    offered: &'a [String],
    chosen: Option<&str>,
    browser: &[String],
    default: &'a str,
) -> &'a str {
    let find = |tag: &str| {
        let tag = tag.to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or_default().to_owned();
        offered
            .iter()
            .find(|code| **code == tag)
            .or_else(|| offered.iter().find(|code| **code == primary))
    };
    chosen
        .and_then(find)
        .or_else(|| browser.iter().find_map(|tag| find(tag)))
        .map_or(default, String::as_str)
}

/// A language's name in itself, for the switcher (people look for their own language's name).
#[must_use]
pub fn endonym(code: &str) -> &str {
    match code {
        "en" => "English",
        "sv" => "Svenska",
        other => other,
    }
}

/// The remembered choice, if any.
#[must_use]
pub fn remembered() -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(CHOICE_KEY)
        .ok()?
}

/// Remembers an explicit choice for later visits.
pub fn remember(code: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(CHOICE_KEY, code);
    }
}

/// `navigator.languages`, most preferred first.
#[must_use]
pub fn browser_languages() -> Vec<String> {
    web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<String> {
        vec!["en".into(), "sv".into()]
    }

    #[test]
    fn an_explicit_choice_wins() {
        assert_eq!(
            choose(&offered(), Some("sv"), &["en-GB".into()], "en"),
            "sv"
        );
    }

    #[test]
    fn the_browser_decides_next_by_primary_language() {
        assert_eq!(
            choose(&offered(), None, &["de".into(), "sv-FI".into()], "en"),
            "sv"
        );
        assert_eq!(choose(&offered(), None, &["SV".into()], "en"), "sv");
    }

    #[test]
    fn otherwise_the_default() {
        assert_eq!(
            choose(&offered(), Some("fi"), &["de-DE".into()], "en"),
            "en"
        );
        assert_eq!(choose(&offered(), None, &[], "sv"), "sv");
    }
}
