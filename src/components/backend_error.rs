//! A backend failure, explained to the customer in their language.

use crate::backend::BackendError;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::api::codes;

/// The sentence for a failed call. The backend's own message is shown only for refusals,
/// where it names the field or rule; internal details never reach the page.
#[component]
pub fn BackendErrorText(error: BackendError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        BackendError::Offline => t!(i18n, error.offline).into_any(),
        BackendError::SignedOut => t!(i18n, error.signed_out).into_any(),
        // Limits the backend enforces (429, 413, 503) get their own words, not its English.
        BackendError::Server { status: 503 } => t!(i18n, error.busy).into_any(),
        BackendError::Server { status } => t!(i18n, error.server, status).into_any(),
        BackendError::Refused { code, .. } if code == codes::TOO_MANY_REQUESTS => {
            t!(i18n, error.too_many).into_any()
        }
        BackendError::Refused { code, .. } if code == codes::PAYLOAD_TOO_LARGE => {
            t!(i18n, error.too_large).into_any()
        }
        BackendError::Refused { message, .. } => {
            t!(i18n, error.refused, detail = move || message.clone()).into_any()
        }
        BackendError::Unreadable(detail) => {
            t!(i18n, error.unreadable, detail = move || detail.clone()).into_any()
        }
    }
}
