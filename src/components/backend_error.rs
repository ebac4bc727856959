//! A backend failure, explained to the customer in their language.
//!
//! A refusal is worded from its stable `code` alone: the backend's own `message` is English
//! written for developers, and another backend may word it differently or not at all.

use crate::backend::BackendError;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::api::codes;

/// The sentence for a failed call; internal details never reach the page.
#[component]
pub fn BackendErrorText(error: BackendError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        BackendError::Offline => t!(i18n, error.offline).into_any(),
        BackendError::TimedOut => t!(i18n, error.timed_out).into_any(),
        BackendError::SignedOut => t!(i18n, error.signed_out).into_any(),
        // Limits the backend enforces (429, 413, 503) get their own words, not its English.
        BackendError::Server { status: 503 } => t!(i18n, error.busy).into_any(),
        BackendError::Server { status } => t!(i18n, error.server, status).into_any(),
        BackendError::Refused { code, .. } => refusal(i18n, code),
        BackendError::Unreadable(detail) => {
            t!(i18n, error.unreadable, detail = move || detail.clone()).into_any()
        }
    }
}

/// What a refusal means to the customer, by the codes of the HTTP contract
/// (docs/openapi.yaml); a code this portal does not know is named as a reference.
fn refusal(i18n: leptos_i18n::I18nContext<Locale>, code: String) -> AnyView {
    match code.as_str() {
        codes::TOO_MANY_REQUESTS => t!(i18n, error.too_many).into_any(),
        codes::PAYLOAD_TOO_LARGE => t!(i18n, error.too_large).into_any(),
        codes::FORBIDDEN => t!(i18n, refused.forbidden).into_any(),
        codes::NOT_FOUND => t!(i18n, refused.not_found).into_any(),
        codes::VERSION_CONFLICT | codes::VERSION_REQUIRED => {
            t!(i18n, refused.out_of_date).into_any()
        }
        "required" => t!(i18n, refused.required).into_any(),
        "too_long" => t!(i18n, refused.too_long).into_any(),
        "not_an_email" => t!(i18n, refused.not_an_email).into_any(),
        "not_a_phone" => t!(i18n, refused.not_a_phone).into_any(),
        "method_needs_phone" => t!(i18n, refused.method_needs_phone).into_any(),
        "too_many_choices" => t!(i18n, refused.too_many_choices).into_any(),
        "bad_date" => t!(i18n, refused.bad_date).into_any(),
        "unknown_checklist"
        | "unknown_item"
        | "other_not_allowed"
        | "unknown_topic"
        | "channel_not_offered"
        | "frequency_not_offered"
        | "no_contact_grid" => t!(i18n, refused.choice_not_offered).into_any(),
        "unknown_purpose"
        | "consent_not_applicable"
        | "outdated_version"
        | "unknown_version"
        | "unknown_language"
        | "text_mismatch" => t!(i18n, refused.consent_text_changed).into_any(),
        _ => t!(i18n, refused.other, code = move || code.clone()).into_any(),
    }
}
