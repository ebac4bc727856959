//! "My designs": each saved design with its model and options, the price the customer saw
//! and, when the catalogue has changed since, what changed and what it costs now.
//!
//! [`DesignsList`] is reusable: given [`Manage`] (the design page) each design can be opened,
//! duplicated, renamed and deleted in the designs document's draft; without it (a welcome
//! page, say) each design links to `/design?design=…`.

use super::summary::ChangedPrice;
use super::words::{self, language};
use super::work::Work;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_domain::catalogue::Catalogue;
use rapport_domain::designs::{Design, Designs, NAME_MAX_CHARS};
use rapport_domain::saved_design::{self, name_of};
use std::sync::Arc;

/// A change to the designs document, such as a rename.
pub type DesignsChange = Box<dyn FnOnce(&Designs) -> Designs + Send + Sync>;

/// What the list may do to the designs, and which one is open.
#[derive(Clone, Copy)]
pub struct Manage {
    /// Opens a design in the configurator.
    pub open: Callback<String>,
    /// Changes the designs document (duplicate, rename, delete).
    pub change: Callback<DesignsChange>,
    /// The open design's id.
    pub is_open: Signal<Option<String>>,
}

impl Manage {
    /// The design page's own: changes go into the designs draft.
    #[must_use]
    pub fn of(work: Work) -> Option<Self> {
        let editor = work.editor?;
        Some(Self {
            open: Callback::new(move |id: String| work.open(&id)),
            change: Callback::new(move |change: DesignsChange| {
                editor.draft.update(|d| *d = change(d));
                editor.touched();
                // A deleted open design leaves the configurator free for a new one.
                if let Some(open) = work.open.get_untracked()
                    && editor.draft.with_untracked(|d| d.get(&open).is_none())
                {
                    work.start_new();
                }
            }),
            is_open: work.open.into(),
        })
    }
}

/// The customer's designs, oldest first.
#[component]
pub fn DesignsList(
    #[prop(into)] designs: Signal<Vec<Design>>,
    #[prop(into)] catalogue: Signal<Arc<Catalogue>>,
    #[prop(optional_no_strip)] manage: Option<Manage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ids = Memo::new(move |_| {
        designs.with(|all| all.iter().map(|d| d.id.clone()).collect::<Vec<_>>())
    });
    view! {
        <Show
            when=move || !ids.with(Vec::is_empty)
            fallback=move || view! { <p>{t!(i18n, design.no_designs)}</p> }
        >
            <ul class="designs">
                <For each=move || ids.get() key=Clone::clone let:id>
                    <DesignItem id=id designs=designs catalogue=catalogue manage=manage />
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn DesignItem(
    id: String,
    designs: Signal<Vec<Design>>,
    catalogue: Signal<Arc<Catalogue>>,
    manage: Option<Manage>,
) -> impl IntoView {
    let i18n = use_i18n();
    let design = {
        let id = id.clone();
        Memo::new(move |_| designs.with(|all| all.iter().find(|d| d.id == id).cloned()))
    };
    let renaming = RwSignal::new(false);
    let title_id = format!("design-{id}-name");
    let is_open = {
        let id = id.clone();
        move || manage.is_some_and(|m| m.is_open.get().as_deref() == Some(id.as_str()))
    };

    let is_open_here = is_open.clone();
    let describe = move || {
        let design = design.get()?;
        let catalogue = catalogue.get();
        let lang = language(i18n);
        let model = name_of(&catalogue, &design.names, &design.spec.model, lang);
        let options: Vec<String> = catalogue
            .options()
            .filter_map(|(_, o)| design.spec.options.get(&o.id).map(|n| (o.id.clone(), *n)))
            .chain(
                design
                    .spec
                    .options
                    .iter()
                    .filter(|(id, _)| catalogue.option(id).is_none())
                    .map(|(id, n)| (id.clone(), *n)),
            )
            .map(|(id, n)| {
                let name = name_of(&catalogue, &design.names, &id, lang);
                if n > 1 {
                    format!("{name} × {n}")
                } else {
                    name
                }
            })
            .collect();
        let options = if options.is_empty() {
            t_string!(i18n, design.no_options).to_string()
        } else {
            words::joined(options)
        };
        let seen = words::money(i18n, design.seen.total_minor, &design.seen.currency);
        Some(view! {
            <p>{t!(i18n, design.model_with, model = model.clone(), options = options.clone())}</p>
            <p>{t!(i18n, design.price_seen, price = seen.clone())}</p>
        })
    };
    let standing = move || {
        let design = design.get()?;
        let review = catalogue.with(|c| saved_design::review(c, &design));
        let problems = (!review.problems.is_empty()).then(|| {
            let catalogue = catalogue.get();
            let items = review
                .problems
                .iter()
                .map(|p| view! { <li>{words::problem(i18n, &catalogue, &design.names, p)}</li> })
                .collect_view();
            view! { <ul class="problems">{items}</ul> }
        });
        // The open design's changes are shown, with the confirmation, beside the configurator.
        let changed = (!review.price_seen() && !is_open_here()).then(|| {
            let catalogue = catalogue.get();
            view! { <ChangedPrice design=design.clone() review=review.clone() catalogue=catalogue confirm=true /> }
        });
        Some(view! { {changed}{problems} })
    };
    let name = move || design.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());

    let actions = match manage {
        None => {
            let href = crate::embed::href(&format!("/design?design={id}"));
            view! { <p><A href=href>{t!(i18n, design.open)}</A></p> }.into_any()
        }
        Some(manage) => {
            let (open_id, copy_id, delete_id) = (id.clone(), id.clone(), id.clone());
            let is_open_too = is_open.clone();
            let open = move |_| manage.open.run(open_id.clone());
            let duplicate = move |_| {
                let id = copy_id.clone();
                let copy_name = move |name: &str| {
                    let name = name.to_owned();
                    t_string!(i18n, design.copy_of, name).to_string()
                };
                let new_id = designs.with_untracked(|all| {
                    saved_design::new_id(
                        js_sys::Date::now() as u64,
                        &Designs {
                            designs: all.clone(),
                        },
                    )
                });
                manage.change.run(Box::new(move |d: &Designs| {
                    saved_design::duplicate(d, &id, new_id, copy_name).unwrap_or_else(|| d.clone())
                }));
            };
            let delete = move |_| {
                let id = delete_id.clone();
                manage
                    .change
                    .run(Box::new(move |d: &Designs| saved_design::remove(d, &id)));
            };
            view! {
                <div class="design-actions">
                    <Show
                        when=is_open_too
                        fallback=move || view! { <button type="button" on:click=open.clone()>{t!(i18n, design.open)}</button> }
                    >
                        <p class="hint">{t!(i18n, design.is_open)}</p>
                    </Show>
                    <button type="button" class="quiet" on:click=duplicate>{t!(i18n, design.duplicate)}</button>
                    <button
                        type="button"
                        class="quiet"
                        aria-expanded=move || renaming.get().to_string()
                        on:click=move |_| renaming.update(|r| *r = !*r)
                    >{t!(i18n, design.rename)}</button>
                    <button type="button" class="quiet" on:click=delete>{t!(i18n, design.delete)}</button>
                </div>
                <Show when=move || renaming.get()>
                    <Rename id=id.clone() design=design manage=manage on_done=Callback::new(move |()| renaming.set(false)) />
                </Show>
            }
            .into_any()
        }
    };

    let labelled_by = title_id.clone();
    view! {
        <li class="design" aria-labelledby=labelled_by>
            <h3 id=title_id>{name}</h3>
            {describe}
            {standing}
            {actions}
        </li>
    }
}

/// The new name, typed into the draft as it is written.
#[component]
fn Rename(
    id: String,
    design: Memo<Option<Design>>,
    manage: Manage,
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("design-{id}-rename");
    let problem_id = format!("design-{id}-rename-problem");
    let value = move || design.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    let problem = move || {
        let name = value();
        if name.trim().is_empty() {
            Some(t_string!(i18n, design.name_missing).to_string())
        } else if name.trim().chars().count() > NAME_MAX_CHARS {
            let max = NAME_MAX_CHARS;
            Some(t_string!(i18n, design.name_too_long, max).to_string())
        } else {
            None
        }
    };
    let focus_id = input_id.clone();
    Effect::new(move || crate::dom::focus(&focus_id));
    view! {
        <div class="field rename">
            <label for=input_id.clone()>{t!(i18n, design.new_name)}</label>
            <input
                type="text"
                id=input_id
                autocomplete="off"
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=problem_id.clone()
                prop:value=value
                on:input:target=move |ev| {
                    let (id, name) = (id.clone(), ev.target().value());
                    manage.change.run(Box::new(move |d: &Designs| {
                        saved_design::update(d, &id, |design| Design { name, ..design.clone() })
                    }));
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    // Enter ends renaming rather than submitting the whole list.
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        on_done.run(());
                    }
                }
            />
            <p class="problem" id=problem_id>{problem}</p>
            <button type="button" class="quiet" on:click=move |_| on_done.run(())>{t!(i18n, design.done)}</button>
        </div>
    }
}
