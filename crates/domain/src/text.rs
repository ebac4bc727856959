//! Clean text: the one rule for every free text a customer sends (names, e-mail addresses,
//! phone numbers, "other" answers).
//!
//! Free text ends up in exports, logs, terminals, spreadsheets and other people's screens, so
//! some characters are refused rather than stored:
//! - control characters (C0 including NUL, ESC, tab and newlines in single-line fields, DEL
//!   and C1): they break lines, rewrite terminals and hide data;
//! - bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069): they make a
//!   text read differently from what it holds (`txt.exe` shown as `exe.txt`);
//! - values made only of invisible characters (white space, zero-width spaces and joiners,
//!   the byte order mark, soft hyphens): a name nobody can see is not a name.
//!
//! The portal runs [`check`] as the customer types and the backend runs the same function
//! before saving, so both refuse the same things with the same [`TextProblem`] codes. Stored
//! text is also trimmed and put in Unicode NFC ([`clean`]; the backend enables the `nfc`
//! feature), so "Å" typed as A + combining ring and "Å" typed as one character are one name.

/// Why a free text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// A control character (C0, DEL, C1; newlines and tabs in single-line text).
    ControlCharacter,
    /// A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069).
    BidiControl,
    /// Only white space and invisible characters, with something there.
    InvisibleOnly,
}

impl TextProblem {
    /// The stable code in error bodies; the portal words it in the reader's language.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::ControlCharacter => "control_character",
            Self::BidiControl => "bidi_control",
            Self::InvisibleOnly => "invisible_only",
        }
    }

    /// An English sentence for API clients and logs.
    #[must_use]
    pub fn message(self, field: &str) -> String {
        match self {
            Self::ControlCharacter => {
                format!("{field} contains a control character (such as a line break or NUL)")
            }
            Self::BidiControl => {
                format!("{field} contains a text-direction override (U+202A-U+202E, U+2066-U+2069)")
            }
            Self::InvisibleOnly => format!("{field} holds only invisible characters"),
        }
    }
}

/// Whether a field is one line (names, addresses) or may hold line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// No line breaks or tabs.
    Single,
    /// Line feeds (and carriage returns before them) and tabs allowed.
    Multi,
}

/// Bidirectional embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no visible space and are not white space to `char::is_whitespace`.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
                | '\u{180E}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'
        )
}

/// The first problem with `value`, if any.
///
/// White space around a value is trimmed before it is stored, so a value of only spaces is
/// empty here, and whether empty is allowed is each form's own rule ("required"). What is
/// left after the trim must not be made only of invisible characters (zero-width spaces,
/// joiners, the byte order mark), which the trim does not remove.
#[must_use]
pub fn check(value: &str, lines: Lines) -> Option<TextProblem> {
    for c in value.chars() {
        let allowed_break = lines == Lines::Multi && matches!(c, '\n' | '\r' | '\t');
        if c.is_control() && !allowed_break {
            return Some(TextProblem::ControlCharacter);
        }
        if is_bidi_control(c) {
            return Some(TextProblem::BidiControl);
        }
    }
    let value = value.trim();
    (!value.is_empty() && value.chars().all(is_invisible)).then_some(TextProblem::InvisibleOnly)
}

/// The text as it is stored: trimmed and, with the `nfc` feature, in Unicode NFC.
///
/// Without the feature (the portal, where every byte counts) only the trim applies; the
/// backend stores what it returns and the portal takes the saved document back.
#[must_use]
pub fn clean(value: &str) -> String {
    let value = value.trim();
    #[cfg(feature = "nfc")]
    {
        use unicode_normalization::UnicodeNormalization as _;
        value.nfc().collect()
    }
    #[cfg(not(feature = "nfc"))]
    {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_as_a_table() {
        use Lines::{Multi, Single};
        use TextProblem::{BidiControl, ControlCharacter, InvisibleOnly};
        let cases: &[(&str, Lines, Option<TextProblem>)] = &[
            ("Astrid Lindqvist", Single, None),
            ("Åsa Öberg-Ähl", Single, None),
            ("José 李 محمد", Single, None),
            ("", Single, None),
            ("a\u{200D}b", Single, None), // a joiner inside visible text is fine
            ("nul\0", Single, Some(ControlCharacter)),
            ("\u{1b}[31mred", Single, Some(ControlCharacter)),
            ("two\nlines", Single, Some(ControlCharacter)),
            ("tab\there", Single, Some(ControlCharacter)),
            ("two\nlines", Multi, None),
            ("crlf\r\nok", Multi, None),
            ("bell\u{7}", Multi, Some(ControlCharacter)),
            ("del\u{7f}", Single, Some(ControlCharacter)),
            ("c1\u{85}", Single, Some(ControlCharacter)),
            ("c1\u{9b}", Single, Some(ControlCharacter)),
            ("evil\u{202E}txt.exe", Single, Some(BidiControl)),
            ("\u{202A}x", Single, Some(BidiControl)),
            ("\u{2066}x\u{2069}", Multi, Some(BidiControl)),
            ("\u{200B}", Single, Some(InvisibleOnly)),
            ("\u{200B}\u{200C}\u{FEFF}", Single, Some(InvisibleOnly)),
            ("   ", Single, None), // empty once trimmed: "required" is the form's rule
            ("\u{3000}\u{00A0}", Single, None),
            (" \u{200B} ", Single, Some(InvisibleOnly)),
            ("\u{2060}\u{00AD}", Multi, Some(InvisibleOnly)),
        ];
        for &(value, lines, expected) in cases {
            assert_eq!(check(value, lines), expected, "{value:?} {lines:?}");
        }
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(TextProblem::ControlCharacter.code(), "control_character");
        assert_eq!(TextProblem::BidiControl.code(), "bidi_control");
        assert_eq!(TextProblem::InvisibleOnly.code(), "invisible_only");
        assert!(
            TextProblem::BidiControl
                .message("name")
                .starts_with("name ")
        );
    }

    #[cfg(feature = "nfc")]
    #[test]
    fn clean_trims_and_composes() {
        assert_eq!(clean("  A\u{30A}sa "), "\u{C5}sa");
        assert_eq!(clean("\u{C5}sa"), "\u{C5}sa");
        assert_eq!(clean("e\u{301}"), "\u{E9}");
    }
}
