//! A save that met a newer version: show what differs and let the customer choose.

use super::form::method_label;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rapport_domain::{Profile, ProfileField, Versioned};

/// The fields where `current` (saved elsewhere) and `mine` (this page's edit) differ, with
/// one button to save mine over it and one to take theirs. Nothing happens until one is chosen.
#[component]
pub fn ConflictPanel(
    current: Versioned<Profile>,
    mine: Profile,
    keep_mine: Callback<Versioned<Profile>>,
    take_theirs: Callback<Versioned<Profile>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let theirs = current.data.clone();
    let mine = mine.normalized();
    let differences: Vec<ProfileField> = [
        ProfileField::Name,
        ProfileField::Email,
        ProfileField::Phone,
        ProfileField::PreferredContact,
    ]
    .into_iter()
    .filter(|field| shown(i18n, &theirs, *field) != shown(i18n, &mine, *field))
    .collect();
    let (for_mine, for_theirs) = (current.clone(), current);

    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-title">
            <h2 id="conflict-title">{t!(i18n, profile.conflict_title)}</h2>
            <p>{t!(i18n, profile.conflict_body)}</p>
            <ul>
                {differences
                    .into_iter()
                    .map(|field| {
                        let (theirs, mine) = (theirs.clone(), mine.clone());
                        view! {
                            <li>
                                {t!(
                                    i18n,
                                    profile.conflict_field,
                                    field = move || field_label(i18n, field),
                                    theirs = move || shown(i18n, &theirs, field),
                                    mine = move || shown(i18n, &mine, field)
                                )}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <div class="actions">
                <button type="button" on:click=move |_| keep_mine.run(for_mine.clone())>
                    {t!(i18n, profile.keep_mine)}
                </button>
                <button type="button" class="secondary" on:click=move |_| take_theirs.run(for_theirs.clone())>
                    {t!(i18n, profile.take_theirs)}
                </button>
            </div>
        </section>
    }
}

fn field_label(i18n: I18nContext<Locale>, field: ProfileField) -> String {
    match field {
        ProfileField::Name => t_string!(i18n, profile.name),
        ProfileField::Email => t_string!(i18n, profile.email),
        ProfileField::Phone => t_string!(i18n, profile.phone),
        ProfileField::PreferredContact => t_string!(i18n, profile.preferred_contact),
    }
    .to_owned()
}

/// A field's value as the customer reads it.
fn shown(i18n: I18nContext<Locale>, profile: &Profile, field: ProfileField) -> String {
    let text = match field {
        ProfileField::Name => profile.name.clone(),
        ProfileField::Email => profile.email.clone(),
        ProfileField::Phone => profile.phone.clone(),
        ProfileField::PreferredContact => method_label(i18n, profile.preferred_contact),
    };
    if text.is_empty() {
        t_string!(i18n, profile.empty_value).to_owned()
    } else {
        text
    }
}
