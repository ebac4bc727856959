//! The profile form: validated as the customer types; saving, drafts and conflicts are the
//! [`Editor`]'s.

use crate::backend::{Backend, BackendFuture, Saved, ops};
use crate::components::field::ProblemText;
use crate::components::why::WhyWeAsk;
use crate::editor::Editor;
use crate::editor::describe::{Cx, Describe};
use crate::editor::view::{EditorControls, EditorNotice};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rapport_domain::config::PortalConfig;
use rapport_domain::{ContactMethod, Profile, ProfileField, ProfileProblem, Version, Versioned};
use serde_json::Value;

fn save(
    backend: &Backend,
    version: Version,
    profile: Profile,
) -> BackendFuture<'_, Saved<Profile>> {
    ops::save_profile(backend, version, profile)
}

/// Edits `initial` and saves it through the [`Backend`] in context.
#[component]
pub fn ProfileForm(initial: Versioned<Profile>) -> impl IntoView {
    let i18n = use_i18n();
    let editor = Editor::new("profile", initial, save);
    let draft = editor.draft;
    let touched = RwSignal::new(Vec::<ProfileField>::new());
    let submitted = RwSignal::new(false);
    let cx = Cx {
        i18n,
        config: expect_context::<PortalConfig>(),
    };

    let visible_problem = move |field: ProfileField| {
        Signal::derive(move || {
            let shown = submitted.get() || touched.with(|t| t.contains(&field));
            shown.then(|| draft.with(|d| d.check(field))).flatten()
        })
    };
    let touch = move |field: ProfileField| {
        if !touched.with_untracked(|t| t.contains(&field)) {
            touched.update(|t| t.push(field));
        }
        editor.touched();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let problems = draft.get_untracked().normalized().problems();
        editor.save(!problems.is_empty());
        if let Some((field, _)) = problems.first() {
            crate::dom::focus(&field_id(*field));
        }
    };

    crate::dom::mark_after_paint("rapport:profile-ready");

    view! {
        <EditorNotice notice=editor.notice />
        <form class="card profile-form" novalidate on:submit=on_submit>
            <TextInput
                field=ProfileField::Name
                label=move || t_string!(i18n, profile.name).to_owned()
                kind="text"
                autocomplete="name"
                value=Signal::derive(move || draft.with(|d| d.name.clone()))
                on_input=Callback::new(move |v: String| { draft.update(|d| d.name = v); touch(ProfileField::Name) })
                problem=visible_problem(ProfileField::Name)
                hint=None
            />
            <TextInput
                field=ProfileField::Email
                label=move || t_string!(i18n, profile.email).to_owned()
                kind="email"
                autocomplete="email"
                value=Signal::derive(move || draft.with(|d| d.email.clone()))
                on_input=Callback::new(move |v: String| { draft.update(|d| d.email = v); touch(ProfileField::Email) })
                problem=visible_problem(ProfileField::Email)
                hint=None
            />
            <TextInput
                field=ProfileField::Phone
                label=move || t_string!(i18n, profile.phone).to_owned()
                kind="tel"
                autocomplete="tel"
                value=Signal::derive(move || draft.with(|d| d.phone.clone()))
                on_input=Callback::new(move |v: String| { draft.update(|d| d.phone = v); touch(ProfileField::Phone) })
                problem=visible_problem(ProfileField::Phone)
                hint=Some(Signal::derive(move || t_string!(i18n, profile.phone_hint).to_owned()))
            />
            <ContactChoice
                value=Signal::derive(move || draft.with(|d| d.preferred_contact))
                on_change=Callback::new(move |m: Option<ContactMethod>| {
                    draft.update(|d| d.preferred_contact = m);
                    touch(ProfileField::PreferredContact);
                })
                problem=visible_problem(ProfileField::PreferredContact)
            />
            <EditorControls editor=editor cx=cx />
        </form>
    }
}

impl Describe for Profile {
    fn field_label(field: &str, cx: &Cx) -> String {
        let i18n = cx.i18n;
        match field {
            "name" => t_string!(i18n, profile.name),
            "email" => t_string!(i18n, profile.email),
            "phone" => t_string!(i18n, profile.phone),
            "preferred_contact" => t_string!(i18n, profile.preferred_contact),
            other => other,
        }
        .to_owned()
    }

    fn value_text(field: &str, value: &Value, cx: &Cx) -> String {
        match (field, value.as_str()) {
            ("preferred_contact", method) => {
                method_label(cx.i18n, method.and_then(ContactMethod::parse))
            }
            (_, Some(text)) if !text.is_empty() => text.to_owned(),
            _ => cx.empty(),
        }
    }
}

/// The element id of a field's input, also used to focus it.
pub(super) fn field_id(field: ProfileField) -> String {
    format!("profile-{}", field.as_str().replace('_', "-"))
}

/// A labelled text input whose problem, when shown, is tied to it for screen readers.
#[component]
fn TextInput(
    field: ProfileField,
    label: impl Fn() -> String + Send + Sync + 'static,
    kind: &'static str,
    autocomplete: &'static str,
    value: Signal<String>,
    on_input: Callback<String>,
    problem: Signal<Option<ProfileProblem>>,
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let id = field_id(field);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let why_id = format!("{id}-why");
    let reason = expect_context::<PortalConfig>()
        .profile_fields
        .get(field.as_str())
        .cloned();
    let described_by = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), hint.is_some());
        let why = reason.is_some().then(|| why_id.clone());
        move || {
            let mut ids: Vec<String> = why.iter().cloned().collect();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if problem.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:invalid=move || problem.get().is_some()>
            <label for=id.clone()>{label}</label>
            {reason.map(|r| view! { <WhyWeAsk id=why_id.clone() why=r.why_we_ask purpose=r.purpose /> })}
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id.clone()
                name=field.as_str()
                type=kind
                autocomplete=autocomplete
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=described_by
                prop:value=value
                on:input:target=move |ev| on_input.run(ev.target().value())
            />
            <p class="problem" id=error_id.clone()>
                {move || problem.get().map(|problem| view! { <ProblemText problem=problem /> })}
            </p>
        </div>
    }
}

/// The preferred contact method as a radio group, "no preference" included.
#[component]
fn ContactChoice(
    value: Signal<Option<ContactMethod>>,
    on_change: Callback<Option<ContactMethod>>,
    problem: Signal<Option<ProfileProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = field_id(ProfileField::PreferredContact) + "-error";
    let why_id = field_id(ProfileField::PreferredContact) + "-why";
    let reason = expect_context::<PortalConfig>()
        .profile_fields
        .get(ProfileField::PreferredContact.as_str())
        .cloned();
    let described_by = match &reason {
        Some(_) => format!("{why_id} {error_id}"),
        None => error_id.clone(),
    };
    let options: Vec<Option<ContactMethod>> = std::iter::once(None)
        .chain(ContactMethod::ALL.into_iter().map(Some))
        .collect();
    view! {
        <fieldset
            class="field choice"
            id=field_id(ProfileField::PreferredContact)
            tabindex="-1"
            aria-describedby=described_by
        >
            <legend>{t!(i18n, profile.preferred_contact)}</legend>
            {reason.map(|r| view! { <WhyWeAsk id=why_id.clone() why=r.why_we_ask purpose=r.purpose /> })}
            {options
                .into_iter()
                .map(|method| {
                    let id = format!("contact-{}", method.map_or("none", ContactMethod::as_str));
                    view! {
                        <div class="option">
                            <input
                                type="radio"
                                name="preferred_contact"
                                id=id.clone()
                                value=method.map_or("", ContactMethod::as_str)
                                prop:checked=move || value.get() == method
                                on:change=move |_| on_change.run(method)
                            />
                            <label for=id>{move || method_label(i18n, method)}</label>
                        </div>
                    }
                })
                .collect_view()}
            <p class="problem" id=error_id>
                {move || problem.get().map(|problem| view! { <ProblemText problem=problem /> })}
            </p>
        </fieldset>
    }
}

/// A contact method's name in the current language.
pub(super) fn method_label(i18n: I18nContext<Locale>, method: Option<ContactMethod>) -> String {
    match method {
        None => t_string!(i18n, profile.no_preference),
        Some(ContactMethod::Email) => t_string!(i18n, profile.method_email),
        Some(ContactMethod::Phone) => t_string!(i18n, profile.method_phone),
        Some(ContactMethod::Sms) => t_string!(i18n, profile.method_sms),
        Some(ContactMethod::Post) => t_string!(i18n, profile.method_post),
    }
    .to_owned()
}
