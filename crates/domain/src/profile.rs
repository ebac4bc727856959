//! The customer's own profile: contact details and how they prefer to be reached.
//!
//! Validation lives here, not in the form or the handler, so the portal can explain a problem
//! while the customer types and the backend refuses the same problem with the same rule.

use crate::text::{self, Lines, TextProblem};
use serde::{Deserialize, Serialize};

/// Longest name we accept; long enough for any real name, short enough to stop pasted essays.
pub const NAME_MAX_CHARS: usize = 100;
/// RFC 5321 caps an address path at 254 characters.
pub const EMAIL_MAX_CHARS: usize = 254;
/// E.164 allows 15 digits; we leave room for a few more in local formats.
const PHONE_MIN_DIGITS: usize = 6;
const PHONE_MAX_DIGITS: usize = 17;

/// How the customer prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactMethod {
    /// By e-mail.
    Email,
    /// By phone call.
    Phone,
    /// By text message.
    Sms,
    /// By letter.
    Post,
}

impl ContactMethod {
    /// Every method, in the order a form lists them.
    pub const ALL: [ContactMethod; 4] = [Self::Email, Self::Phone, Self::Sms, Self::Post];

    /// The stable identifier used on the wire and in form values.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Sms => "sms",
            Self::Post => "post",
        }
    }

    /// The method named by [`ContactMethod::as_str`], if any.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// The profile a customer maintains about themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The name the business should use for them.
    pub name: String,
    /// Their e-mail address; also how they sign in to the reference backend.
    pub email: String,
    /// Phone number, empty when they would rather not give one.
    #[serde(default)]
    pub phone: String,
    /// How they prefer to be contacted; `None` until they choose.
    #[serde(default)]
    pub preferred_contact: Option<ContactMethod>,
}

/// A field of [`Profile`], named as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileField {
    /// [`Profile::name`]
    Name,
    /// [`Profile::email`]
    Email,
    /// [`Profile::phone`]
    Phone,
    /// [`Profile::preferred_contact`]
    PreferredContact,
}

impl ProfileField {
    /// The field's name on the wire (and in error bodies' `field`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::PreferredContact => "preferred_contact",
        }
    }
}

/// What is wrong with one field. The portal turns these into sentences in the customer's
/// language; the backend sends [`ProfileProblem::code`] and an English message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileProblem {
    /// The field must be filled in.
    Required,
    /// The text is longer than `max` characters.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Not shaped like an e-mail address.
    NotAnEmail,
    /// Not shaped like a phone number.
    NotAPhone,
    /// The chosen contact method needs a detail the profile lacks (a phone number for calls).
    MethodNeedsPhone,
    /// Characters no free text may hold (see [`crate::text`]).
    Text(TextProblem),
}

impl ProfileProblem {
    /// A stable machine-readable code for error bodies.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong { .. } => "too_long",
            Self::NotAnEmail => "not_an_email",
            Self::NotAPhone => "not_a_phone",
            Self::MethodNeedsPhone => "method_needs_phone",
            Self::Text(problem) => problem.code(),
        }
    }

    /// An English sentence for logs and API clients; people see translated text instead.
    #[must_use]
    pub fn message(self, field: ProfileField) -> String {
        let field = field.as_str();
        match self {
            Self::Required => format!("{field} is required"),
            Self::TooLong { max } => format!("{field} is longer than {max} characters"),
            Self::NotAnEmail => format!("{field} is not an e-mail address (name@example.com)"),
            Self::NotAPhone => {
                format!(
                    "{field} is not a phone number (6 to 17 digits, + - ( ) and spaces allowed)"
                )
            }
            Self::MethodNeedsPhone => format!("{field} needs a phone number in the profile"),
            Self::Text(problem) => problem.message(field),
        }
    }
}

impl Profile {
    /// The same profile as it should be stored: surrounding white space removed and, where
    /// the `nfc` feature is on (the backend), in Unicode NFC ([`text::clean`]).
    #[must_use]
    pub fn normalized(&self) -> Profile {
        Profile {
            name: text::clean(&self.name),
            email: text::clean(&self.email),
            phone: text::clean(&self.phone),
            preferred_contact: self.preferred_contact,
        }
    }

    /// The problem with one field, if it has one.
    #[must_use]
    pub fn check(&self, field: ProfileField) -> Option<ProfileProblem> {
        match field {
            ProfileField::Name => check_text(&self.name, NAME_MAX_CHARS, true),
            ProfileField::Email => check_text(&self.email, EMAIL_MAX_CHARS, true).or_else(|| {
                (!looks_like_email(self.email.trim())).then_some(ProfileProblem::NotAnEmail)
            }),
            ProfileField::Phone => text::check(&self.phone, Lines::Single)
                .map(ProfileProblem::Text)
                .or_else(|| {
                    let phone = self.phone.trim();
                    (!phone.is_empty() && !looks_like_phone(phone))
                        .then_some(ProfileProblem::NotAPhone)
                }),
            ProfileField::PreferredContact => {
                let needs_phone = matches!(
                    self.preferred_contact,
                    Some(ContactMethod::Phone | ContactMethod::Sms)
                );
                (needs_phone && self.phone.trim().is_empty())
                    .then_some(ProfileProblem::MethodNeedsPhone)
            }
        }
    }

    /// Every problem in the profile, in form order; empty when it can be saved.
    #[must_use]
    pub fn problems(&self) -> Vec<(ProfileField, ProfileProblem)> {
        [
            ProfileField::Name,
            ProfileField::Email,
            ProfileField::Phone,
            ProfileField::PreferredContact,
        ]
        .into_iter()
        .filter_map(|field| self.check(field).map(|problem| (field, problem)))
        .collect()
    }
}

fn check_text(value: &str, max: usize, required: bool) -> Option<ProfileProblem> {
    if let Some(problem) = text::check(value, Lines::Single) {
        return Some(ProfileProblem::Text(problem));
    }
    let value = value.trim();
    if required && value.is_empty() {
        Some(ProfileProblem::Required)
    } else if value.chars().count() > max {
        Some(ProfileProblem::TooLong { max })
    } else {
        None
    }
}

/// Deliberately loose: one `@`, something before it, a dotted domain after it, no spaces.
/// Whether the address really reaches the customer is for a confirmation mail to find out.
fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let mut labels = domain.split('.');
    !local.is_empty()
        && !domain.contains('@')
        && !value.chars().any(char::is_whitespace)
        && domain.contains('.')
        && labels.all(|label| !label.is_empty())
}

fn looks_like_phone(value: &str) -> bool {
    let allowed = |c: char| c.is_ascii_digit() || " +-()".contains(c);
    let digits = value.chars().filter(char::is_ascii_digit).count();
    value.chars().all(allowed)
        && !value.get(1..).is_some_and(|rest| rest.contains('+'))
        && (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Profile {
        Profile {
            name: "Astrid Lindqvist".into(),
            email: "astrid@example.se".into(),
            phone: "+46 70-123 45 67".into(),
            preferred_contact: Some(ContactMethod::Email),
        }
    }

    #[test]
    fn a_complete_profile_has_no_problems() {
        assert_eq!(valid().problems(), vec![]);
    }

    #[test]
    fn email_shapes() {
        let cases = [
            ("a@b.se", None),
            ("first.last+tag@sub.example.com", None),
            ("  padded@example.com  ", None),
            ("", Some(ProfileProblem::Required)),
            ("   ", Some(ProfileProblem::Required)),
            ("no-at-sign", Some(ProfileProblem::NotAnEmail)),
            ("@example.com", Some(ProfileProblem::NotAnEmail)),
            ("a@nodot", Some(ProfileProblem::NotAnEmail)),
            ("a@b..se", Some(ProfileProblem::NotAnEmail)),
            ("a b@c.se", Some(ProfileProblem::NotAnEmail)),
            ("a@b@c.se", Some(ProfileProblem::NotAnEmail)),
        ];
        for (email, expected) in cases {
            let profile = Profile {
                email: email.into(),
                ..valid()
            };
            assert_eq!(profile.check(ProfileField::Email), expected, "{email:?}");
        }
    }

    #[test]
    fn free_text_refuses_controls_overrides_and_invisible_values() {
        type Case = (fn(&mut Profile), ProfileField, TextProblem);
        let cases: [Case; 5] = [
            (
                |p| p.name = "Bo\0".into(),
                ProfileField::Name,
                TextProblem::ControlCharacter,
            ),
            (
                |p| p.name = "\u{200B}\u{200C}".into(),
                ProfileField::Name,
                TextProblem::InvisibleOnly,
            ),
            (
                |p| p.name = "Bo\u{202E}gnA".into(),
                ProfileField::Name,
                TextProblem::BidiControl,
            ),
            (
                |p| p.email = "a@b.se\u{1b}[2J".into(),
                ProfileField::Email,
                TextProblem::ControlCharacter,
            ),
            (
                |p| p.phone = "\u{2066}070 123 45 67".into(),
                ProfileField::Phone,
                TextProblem::BidiControl,
            ),
        ];
        for (change, field, problem) in cases {
            let mut profile = valid();
            change(&mut profile);
            assert_eq!(
                profile.check(field),
                Some(ProfileProblem::Text(problem)),
                "{profile:?}"
            );
            assert_eq!(ProfileProblem::Text(problem).code(), problem.code());
        }
    }

    #[test]
    fn phone_shapes() {
        let cases = [
            ("", None),
            ("070 123 45 67", None),
            ("+46 (0)70-1234567", None),
            ("12345", Some(ProfileProblem::NotAPhone)),
            ("070 CALL ME", Some(ProfileProblem::NotAPhone)),
            ("0701+234567", Some(ProfileProblem::NotAPhone)),
            ("123456789012345678", Some(ProfileProblem::NotAPhone)),
            (
                "070\n1234567",
                Some(ProfileProblem::Text(TextProblem::ControlCharacter)),
            ),
        ];
        for (phone, expected) in cases {
            let profile = Profile {
                phone: phone.into(),
                ..valid()
            };
            assert_eq!(profile.check(ProfileField::Phone), expected, "{phone:?}");
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        let blank = Profile {
            name: " ".into(),
            ..valid()
        };
        assert_eq!(
            blank.check(ProfileField::Name),
            Some(ProfileProblem::Required)
        );
        let long = Profile {
            name: "å".repeat(NAME_MAX_CHARS + 1),
            ..valid()
        };
        assert_eq!(
            long.check(ProfileField::Name),
            Some(ProfileProblem::TooLong {
                max: NAME_MAX_CHARS
            })
        );
        let just_fits = Profile {
            name: "å".repeat(NAME_MAX_CHARS),
            ..valid()
        };
        assert_eq!(just_fits.check(ProfileField::Name), None);
    }

    #[test]
    fn calls_and_texts_need_a_phone_number() {
        for method in [ContactMethod::Phone, ContactMethod::Sms] {
            let profile = Profile {
                phone: String::new(),
                preferred_contact: Some(method),
                ..valid()
            };
            assert_eq!(
                profile.problems(),
                vec![(
                    ProfileField::PreferredContact,
                    ProfileProblem::MethodNeedsPhone
                )]
            );
        }
        let by_post = Profile {
            phone: String::new(),
            preferred_contact: Some(ContactMethod::Post),
            ..valid()
        };
        assert!(by_post.problems().is_empty());
    }

    #[test]
    fn normalizing_trims_but_keeps_content() {
        let messy = Profile {
            name: "  Bo  ".into(),
            email: " bo@x.se ".into(),
            ..valid()
        };
        let clean = messy.normalized();
        assert_eq!(
            (clean.name.as_str(), clean.email.as_str()),
            ("Bo", "bo@x.se")
        );
    }

    #[test]
    fn contact_methods_round_trip_through_their_names() {
        for method in ContactMethod::ALL {
            assert_eq!(ContactMethod::parse(method.as_str()), Some(method));
            let json = serde_json::to_string(&method).unwrap();
            assert_eq!(json, format!("\"{}\"", method.as_str()));
        }
        assert_eq!(ContactMethod::parse("pigeon"), None);
    }

    #[test]
    fn older_records_without_optional_fields_still_read() {
        let profile: Profile = serde_json::from_str(r#"{"name":"Bo","email":"bo@x.se"}"#).unwrap();
        assert_eq!(profile.phone, "");
        assert_eq!(profile.preferred_contact, None);
    }
}
