//! Explaining a field's problem, in the customer's language.

use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::ProfileProblem;
use rapport_domain::text::TextProblem;

/// The sentence for a profile field's problem.
#[component]
pub fn ProblemText(problem: ProfileProblem) -> impl IntoView {
    let i18n = use_i18n();
    match problem {
        ProfileProblem::Required => t!(i18n, problem.required).into_any(),
        ProfileProblem::TooLong { max } => t!(i18n, problem.too_long, max).into_any(),
        ProfileProblem::NotAnEmail => t!(i18n, problem.not_an_email).into_any(),
        ProfileProblem::NotAPhone => t!(i18n, problem.not_a_phone).into_any(),
        ProfileProblem::MethodNeedsPhone => t!(i18n, problem.method_needs_phone).into_any(),
        ProfileProblem::Text(problem) => view! { <TextProblemText problem=problem /> }.into_any(),
    }
}

/// The sentence for free text the clean-text rule refuses (any form's free text).
#[component]
pub fn TextProblemText(problem: TextProblem) -> impl IntoView {
    let i18n = use_i18n();
    match problem {
        TextProblem::ControlCharacter => t!(i18n, problem.control_character).into_any(),
        TextProblem::BidiControl => t!(i18n, problem.bidi_control).into_any(),
        TextProblem::InvisibleOnly => t!(i18n, problem.invisible_only).into_any(),
    }
}
