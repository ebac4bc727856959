//! The preferences form: checklists, then contact controls, then the editor's controls.

use super::checklist::ChecklistField;
use super::contact::ContactControls;
use crate::backend::{Backend, BackendFuture, Saved, ops};
use crate::editor::Editor;
use crate::editor::describe::Cx;
use crate::editor::view::{EditorControls, EditorNotice};
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::config::PortalConfig;
use rapport_domain::preferences::PreferenceProblem;
use rapport_domain::{Preferences, Version, Versioned};

fn save(
    backend: &Backend,
    version: Version,
    preferences: Preferences,
) -> BackendFuture<'_, Saved<Preferences>> {
    ops::save_preferences(backend, version, preferences)
}

/// What the page itself refuses to save, beyond what the configuration refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageProblem {
    /// A rule of the configuration, at a path into the document.
    Rule(PreferenceProblem),
    /// "Pause all contact" is ticked without an end date.
    PauseNeedsDate,
}

/// Edits `initial` and saves it through the backend in context.
#[component]
pub fn PreferencesForm(initial: Versioned<Preferences>) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let editor = Editor::new("preferences", initial, save);
    let draft = editor.draft;
    // Answers to questions the business has since removed could never be saved: drop them
    // here, where the change review shows the customer what goes.
    let offered = draft.with_untracked(|d| d.within(&config));
    if draft.with_untracked(|d| *d != offered) {
        draft.set(offered);
    }
    let pausing = RwSignal::new(draft.with_untracked(|d| d.contact.paused_until.is_some()));
    let submitted = RwSignal::new(false);
    let cx = Cx {
        i18n,
        config: config.clone(),
    };

    let problems = {
        let config = config.clone();
        Memo::new(move |_| {
            let mut found: Vec<PageProblem> = draft
                .with(|d| d.normalized().problems(&config))
                .into_iter()
                .map(PageProblem::Rule)
                .collect();
            if pausing.get()
                && draft.with(|d| d.contact.paused_until.as_deref().is_none_or(str::is_empty))
            {
                found.push(PageProblem::PauseNeedsDate);
            }
            found
        })
    };
    let touch = Callback::new(move |()| editor.touched());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        let has_problems = !problems.with_untracked(Vec::is_empty);
        editor.save(has_problems);
        if has_problems && let Some(first) = document_first_invalid() {
            crate::dom::focus(&first);
        }
    };

    let checklists = config.checklists.clone();
    let contact = config.contact.clone();
    let (cx_lists, cx_contact) = (cx.clone(), cx.clone());
    view! {
        <EditorNotice notice=editor.notice />
        <form class="preferences-form" novalidate on:submit=on_submit>
            <Show when=move || !checklists.is_empty()>
                <section class="card" aria-labelledby="about-you-title">
                    <h2 id="about-you-title">{t!(i18n, preferences.about_you)}</h2>
                    <p class="hint">{t!(i18n, preferences.about_you_intro)}</p>
                    {config
                        .checklists
                        .clone()
                        .into_iter()
                        .map(|list| {
                            let cx = cx_lists.clone();
                            view! {
                                <ChecklistField list=list draft=draft cx=cx problems=problems submitted=submitted on_touch=touch />
                            }
                        })
                        .collect_view()}
                </section>
            </Show>
            {contact.map(|grid| view! {
                <ContactControls grid=grid draft=draft pausing=pausing cx=cx_contact problems=problems on_touch=touch />
            })}
            <div class="card">
                <EditorControls editor=editor cx=cx.clone() />
            </div>
        </form>
    }
}

/// The id of the first control marked invalid on the page, to move focus there.
fn document_first_invalid() -> Option<String> {
    crate::dom::query("[aria-invalid=\"true\"]")?.get_attribute("id")
}
