//! One checklist: its question, why it is asked, and its items as radio buttons or checkboxes.

use super::form::PageProblem;
use crate::components::why::WhyWeAsk;
use crate::editor::describe::Cx;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::Preferences;
use rapport_domain::config::{Checklist, Choice};
use rapport_domain::preferences::{OTHER_MAX_CHARS, PreferenceIssue};

/// A checklist as a fieldset; single choice offers "No answer" so a choice can be taken back.
#[component]
pub fn ChecklistField(
    list: Checklist,
    draft: RwSignal<Preferences>,
    cx: Cx,
    problems: Memo<Vec<PageProblem>>,
    submitted: RwSignal<bool>,
    on_touch: Callback<()>,
) -> impl IntoView {
    let i18n = cx.i18n;
    let id = list.id.clone();
    let base = format!("checklist-{id}");
    let why_id = format!("{base}-why");
    let error_id = format!("{base}-error");
    let problem = {
        let prefix = format!("answers.{id}");
        Memo::new(move |_| {
            problems.with(|all| {
                all.iter().find_map(|p| match p {
                    PageProblem::Rule(rule) if rule.path.starts_with(&prefix) => {
                        Some(rule.issue.clone())
                    }
                    _ => None,
                })
            })
        })
    };
    let multiple = list.choice == Choice::Multiple;
    let lang = {
        let cx = cx.clone();
        move || cx.language()
    };

    let chosen = {
        let id = id.clone();
        move |item: &str| {
            draft.with(|d| d.answers.get(&id).is_some_and(|a| a.chosen.contains(item)))
        }
    };
    let pick = {
        let id = id.clone();
        move |item: Option<String>, on: bool| {
            draft.update(|d| {
                let answer = d.answers.entry(id.clone()).or_default();
                match (multiple, item) {
                    (true, Some(item)) if on => {
                        answer.chosen.insert(item);
                    }
                    (true, Some(item)) => {
                        answer.chosen.remove(&item);
                    }
                    (_, item) => answer.chosen = item.into_iter().collect(),
                }
            });
            on_touch.run(());
        }
    };

    let items = list
        .items
        .iter()
        .cloned()
        .map(|item| {
            let input_id = format!("{base}-{}", item.id);
            let (value, for_checked, for_change) = (item.id.clone(), item.id.clone(), item.id.clone());
            let (chosen, pick, lang, lang_too) = (chosen.clone(), pick.clone(), lang.clone(), lang.clone());
            let description = item.description.clone();
            view! {
                <div class="option">
                    <input
                        type=if multiple { "checkbox" } else { "radio" }
                        id=input_id.clone()
                        name=base.clone()
                        value=value
                        prop:checked=move || chosen(&for_checked)
                        on:change:target=move |ev| pick(Some(for_change.clone()), ev.target().checked())
                    />
                    <label for=input_id>
                        {move || item.label.get(lang()).to_owned()}
                        {description.map(|d| view! { <span class="item-hint">{move || d.get(lang_too()).to_owned()}</span> })}
                    </label>
                </div>
            }
        })
        .collect_view();

    let no_answer = (!multiple).then(|| {
        let input_id = format!("{base}-none");
        let (id, pick) = (id.clone(), pick.clone());
        view! {
            <div class="option">
                <input
                    type="radio"
                    id=input_id.clone()
                    name=base.clone()
                    value=""
                    prop:checked=move || draft.with(|d| d.answers.get(&id).is_none_or(|a| a.chosen.is_empty()))
                    on:change=move |_| pick(None, true)
                />
                <label for=input_id>{t!(i18n, preferences.no_answer)}</label>
            </div>
        }
    });

    let other = list.other.then(|| {
        let other_id = format!("{base}-other");
        let (id_read, id_write) = (id.clone(), id.clone());
        let other_error = error_id.clone();
        let too_long = move || problem.with(|p| matches!(p, Some(PreferenceIssue::OtherTooLong | PreferenceIssue::Text(_))));
        view! {
            <div class="other">
                <label for=other_id.clone()>{t!(i18n, preferences.other)}</label>
                <input
                    type="text"
                    id=other_id
                    maxlength=OTHER_MAX_CHARS.to_string()
                    aria-invalid=move || too_long().then_some("true")
                    aria-describedby=move || too_long().then(|| other_error.clone())
                    prop:value=move || draft.with(|d| d.answers.get(&id_read).map(|a| a.other.clone()).unwrap_or_default())
                    on:input:target=move |ev| {
                        let text = ev.target().value();
                        draft.update(|d| d.answers.entry(id_write.clone()).or_default().other = text);
                        on_touch.run(());
                    }
                />
            </div>
        }
    });

    let described_by = match &list.description {
        Some(_) => format!("{base}-description {why_id}"),
        None => why_id.clone(),
    };
    let description = list.description.clone().map(|d| {
        let lang = lang.clone();
        view! { <p class="hint" id=format!("{base}-description")>{move || d.get(lang()).to_owned()}</p> }
    });
    let max_hint = list
        .max_choices
        .map(|max| view! { <p class="hint">{t!(i18n, preferences.max_choices, max)}</p> });
    let (label, why, purpose) = (
        list.label.clone(),
        list.why_we_ask.clone(),
        list.purpose.clone(),
    );
    let lang_label = lang.clone();

    view! {
        <fieldset class="field checklist" id=base.clone() aria-describedby=described_by>
            <legend>{move || label.get(lang_label()).to_owned()}</legend>
            {description}
            <WhyWeAsk id=why_id why=why purpose=purpose />
            {max_hint}
            <div class="options">{no_answer}{items}</div>
            {other}
            <p class="problem" id=error_id>
                {move || {
                    let _ = submitted.get();
                    problem.get().map(|issue| match issue {
                        PreferenceIssue::OtherTooLong => t!(i18n, preferences.other_too_long, max = OTHER_MAX_CHARS).into_any(),
                        PreferenceIssue::TooManyChoices { max } => t!(i18n, preferences.too_many, max).into_any(),
                        PreferenceIssue::Text(problem) => view! { <crate::components::field::TextProblemText problem=problem /> }.into_any(),
                        _ => t!(i18n, preferences.cannot_save).into_any(),
                    })
                }}
            </p>
        </fieldset>
    }
}
