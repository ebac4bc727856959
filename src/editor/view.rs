//! The pieces every editing page shows: where the draft came from, the review of changes,
//! the field-by-field choice after a conflict, and the save button with its status.

use super::describe::{Cx, Describe, Described, described_changes};
use super::{Editor, Notice, Side, Status};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::fields::Editable;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Conflicts, review and save bar for `editor`, inside the page's `<form>`: the save button
/// submits it, and the page's submit handler calls [`Editor::save`] with its validation result.
#[component]
pub fn EditorControls<T>(editor: Editor<T>, cx: Cx) -> impl IntoView
where
    T: Editable + Describe + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let dirty = editor.dirty();
    let pending = editor.pending();
    let changes = {
        let cx = cx.clone();
        Memo::new(move |_| {
            editor
                .stored
                .with(|s| editor.draft.with(|d| described_changes(&s.data, d, &cx)))
        })
    };
    let conflicts = {
        let cx = cx.clone();
        Memo::new(move |_| {
            editor.conflicts.with(|all| {
                all.iter()
                    .map(|(c, side)| ConflictItem {
                        field: c.field.clone(),
                        label: T::field_label(&c.field, &cx),
                        mine: T::value_text(&c.field, &c.mine, &cx),
                        theirs: T::value_text(&c.field, &c.theirs, &cx),
                        chosen: *side,
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    view! {
        <Show when=move || !conflicts.with(Vec::is_empty)>
            <ConflictChoices
                items=conflicts
                on_choose=Callback::new(move |(field, side): (String, Side)| editor.choose(&field, side))
            />
        </Show>
        <Show when=move || dirty.get()>
            <ChangeReview changes=changes />
        </Show>
        <div class="actions">
            <button type="submit" class="save" disabled=move || pending.get()>
                {move || if pending.get() { t!(i18n, editor.saving).into_any() } else { t!(i18n, editor.save).into_any() }}
            </button>
            <p class="status" role="status" aria-live="polite">
                {move || match editor.status.get() {
                    _ if pending.get() => t!(i18n, editor.saving).into_any(),
                    Status::Saved if !dirty.get() => t!(i18n, editor.saved).into_any(),
                    _ if dirty.get() => t!(i18n, editor.unsaved).into_any(),
                    _ => ().into_any(),
                }}
            </p>
        </div>
        <div class="status error" role="alert">
            {move || match editor.status.get() {
                Status::FixFirst => Some(t!(i18n, editor.fix_first).into_any()),
                Status::ChooseFirst => Some(t!(i18n, editor.choose_first).into_any()),
                Status::Failed(error) => Some(view! {
                    <p>{t!(i18n, editor.save_failed)} " " <BackendErrorText error=error /></p>
                }.into_any()),
                Status::Idle | Status::Saved => None,
            }}
        </div>
    }
}

/// Where the draft on screen came from, when it is not simply what was saved.
#[component]
pub fn EditorNotice(#[prop(into)] notice: Signal<Option<Notice>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        notice.get().map(|notice| {
            let text = match notice {
                Notice::DraftRestored => t!(i18n, editor.draft_restored).into_any(),
                Notice::DraftMerged => t!(i18n, editor.draft_merged).into_any(),
                Notice::CombinedWithElsewhere => t!(i18n, editor.combined).into_any(),
            };
            view! { <p class="notice" role="status">{text}</p> }
        })
    }
}

/// The unsaved changes as a short list, before saving.
#[component]
fn ChangeReview(#[prop(into)] changes: Signal<Vec<Described>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || changes.with(Vec::len);
    view! {
        <details class="review">
            <summary>{t!(i18n, editor.review, count)}</summary>
            <ul>
                <For each=move || changes.get() key=|c| (c.field.clone(), c.after.clone()) let:change>
                    <li>
                        {t!(
                            i18n,
                            editor.change,
                            field = move || change.label.clone(),
                            before = move || change.before.clone(),
                            after = move || change.after.clone()
                        )}
                    </li>
                </For>
            </ul>
        </details>
    }
}

/// One field changed here and elsewhere, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConflictItem {
    field: String,
    label: String,
    mine: String,
    theirs: String,
    chosen: Option<Side>,
}

/// For each field changed on both sides, a choice between the two values.
#[component]
fn ConflictChoices(
    #[prop(into)] items: Signal<Vec<ConflictItem>>,
    on_choose: Callback<(String, Side)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="conflict" aria-labelledby="conflict-title">
            <h2 id="conflict-title">{t!(i18n, editor.conflict_title)}</h2>
            <p>{t!(i18n, editor.conflict_intro)}</p>
            <For each=move || items.get() key=|item| item.field.clone() let:item>
                {
                    let chosen = {
                        let field = item.field.clone();
                        move || items.with(|all| all.iter().find(|i| i.field == field).and_then(|i| i.chosen))
                    };
                    let chosen_too = chosen.clone();
                    let name = format!("conflict-{}", item.field.replace('.', "-"));
                    let (mine_id, theirs_id) = (format!("{name}-mine"), format!("{name}-theirs"));
                    let (field_mine, field_theirs) = (item.field.clone(), item.field.clone());
                    let (mine, theirs) = (item.mine.clone(), item.theirs.clone());
                    view! {
                        <fieldset class="field choice">
                            <legend>{item.label.clone()}</legend>
                            <div class="option">
                                <input
                                    type="radio"
                                    id=mine_id.clone()
                                    name=name.clone()
                                    prop:checked=move || chosen() == Some(Side::Mine)
                                    on:change=move |_| on_choose.run((field_mine.clone(), Side::Mine))
                                />
                                <label for=mine_id>{t!(i18n, editor.keep_mine, value = move || mine.clone())}</label>
                            </div>
                            <div class="option">
                                <input
                                    type="radio"
                                    id=theirs_id.clone()
                                    name=name
                                    prop:checked=move || chosen_too() == Some(Side::Theirs)
                                    on:change=move |_| on_choose.run((field_theirs.clone(), Side::Theirs))
                                />
                                <label for=theirs_id>{t!(i18n, editor.keep_theirs, value = move || theirs.clone())}</label>
                            </div>
                        </fieldset>
                    }
                }
            </For>
        </section>
    }
}
