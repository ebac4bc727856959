//! The design on screen summed up: its price line by line and the live total (announced
//! politely as it changes), what a choice took away with it, what stops an order, and saving
//! it as a new design or, for an open one, what changed in its price and ordering it.

use super::order::OrderControls;
use super::words::{self, language};
use super::work::Work;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::catalogue::Catalogue;
use rapport_domain::designs::{Design, MAX_DESIGNS, NAME_MAX_CHARS};
use rapport_domain::saved_design::{self, name_of};
use std::sync::Arc;

/// The summary card beside (or, on a phone, below) the choices.
#[component]
pub fn Summary() -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    let quote = Memo::new(move |_| work.shop.0.with(|c| work.spec.with(|s| c.quote(s))));
    let problems = Memo::new(move |_| work.shop.0.with(|c| work.spec.with(|s| c.problems(s))));
    let seen_names = move || {
        work.open_design()
            .with(|d| d.as_ref().map(|d| d.names.clone()))
            .unwrap_or_default()
    };

    let total = move || {
        let price = quote.with(|q| words::money(i18n, q.total_minor, &q.currency));
        t_string!(i18n, design.total, price).to_string()
    };
    let lines = move || {
        let catalogue = work.shop.0.get();
        let lang = language(i18n);
        let names = seen_names();
        let (model, quote) = (work.spec.with(|s| s.model.clone()), quote.get());
        // Name and amount apart, so the amounts line up on the right.
        let line = |name: String, quantity: u32, minor: i64| {
            let name = if quantity > 1 {
                format!("{name} × {quantity}")
            } else {
                name
            };
            let price = words::money(i18n, minor, &quote.currency);
            view! { <li><span>{name}</span> " " <span class="amount">{price}</span></li> }
        };
        std::iter::once(line(
            name_of(&catalogue, &names, &model, lang),
            1,
            quote.base_minor,
        ))
        .chain(quote.lines.iter().map(|l| {
            line(
                name_of(&catalogue, &names, &l.option, lang),
                l.quantity,
                l.amount_minor,
            )
        }))
        .collect_view()
    };
    let removed = move || {
        let gone = work.removed.get();
        (!gone.is_empty()).then(|| {
            let catalogue = work.shop.0.get();
            let names = words::joined(
                gone.iter()
                    .map(|id| name_of(&catalogue, &seen_names(), id, language(i18n))),
            );
            t_string!(i18n, design.also_removed, names).to_string()
        })
    };
    let problem_list = move || {
        let found = problems.get();
        (!found.is_empty()).then(|| {
            let catalogue = work.shop.0.get();
            let names = seen_names();
            let items = found
                .iter()
                .map(|p| {
                    let text = words::problem(i18n, &catalogue, &names, p);
                    // An option the catalogue dropped has no control above: offer to remove it here.
                    let remove = match p {
                        rapport_domain::catalogue::SpecProblem::UnknownOption(id) => {
                            let id = id.clone();
                            let name = name_of(&catalogue, &names, &id, language(i18n));
                            Some(view! {
                                " "
                                <button type="button" class="quiet" on:click=move |_| {
                                    let toggled = work.shop.0.with_untracked(|c| work.spec.with_untracked(|s| c.remove(s, &id)));
                                    work.apply(toggled);
                                }>{t!(i18n, design.remove_option, name = name.clone())}</button>
                            })
                        }
                        _ => None,
                    };
                    view! { <li>{text}{remove}</li> }
                })
                .collect_view();
            view! {
                <div class="problems" id="design-problems">
                    <h3>{t!(i18n, design.problems_title)}</h3>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    view! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{t!(i18n, design.summary_title)}</h2>
            <OpenNote />
            <ul class="quote-lines">{lines}</ul>
            <p class="total" id="design-total" aria-live="polite" aria-atomic="true">{total}</p>
            <p class="removed" role="status">{removed}</p>
            <PriceChanges />
            {problem_list}
            <Show when=move || work.open.get().is_none() && work.editor.is_some()>
                <SaveNew />
            </Show>
            <OrderControls problems=problems />
        </section>
    }
}

/// Which saved design is open, and a way to start a new one.
#[component]
fn OpenNote() -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    move || {
        work.open_design().get().map(|design| {
            let name = design.name.clone();
            view! {
                <p class="notice">{t!(i18n, design.editing, name = name.clone())}</p>
                <p><button type="button" class="quiet" on:click=move |_| work.start_new()>
                    {t!(i18n, design.start_new)}
                </button></p>
            }
        })
    }
}

/// What changed in the open design's price since the customer saw it, and the confirmation
/// that lets it be ordered at the price now.
#[component]
fn PriceChanges() -> impl IntoView {
    let work = expect_context::<Work>();
    move || {
        let design = work.open_design().get()?;
        let review = work.open_review().get()?;
        let catalogue = work.shop.0.get();
        (!review.price_seen()).then(|| {
            view! { <ChangedPrice design=design review=review catalogue=catalogue confirm=true /> }
        })
    }
}

/// The changes in a saved design's price, line by line, and what it costs now; with
/// `confirm`, the button that records the customer has seen it.
#[component]
pub fn ChangedPrice(
    design: Design,
    review: saved_design::Review,
    catalogue: Arc<Catalogue>,
    confirm: bool,
) -> impl IntoView {
    let work = use_context::<Work>();
    let i18n = use_i18n();
    let items = review
        .changes
        .iter()
        .map(|change| {
            let text = words::change(
                i18n,
                &catalogue,
                &design.spec.model,
                &design.names,
                &design.seen,
                &review.now,
                change,
            );
            view! { <li>{text}</li> }
        })
        .collect_view();
    let (seen, now) = (
        words::money(i18n, design.seen.total_minor, &design.seen.currency),
        words::money(i18n, review.now.total_minor, &review.now.currency),
    );
    let id = design.id.clone();
    let confirm = (confirm && work.is_some()).then(|| {
        view! {
            <p><button type="button" on:click=move |_| {
                if let Some(work) = work {
                    if work.open.get_untracked().as_deref() != Some(id.as_str()) {
                        work.open(&id);
                    }
                    work.change_open(saved_design::confirm_price);
                }
            }>{t!(i18n, design.confirm_price)}</button></p>
        }
    });
    view! {
        <div class="price-changed" role="group" aria-labelledby=format!("changed-{}", design.id)>
            <p id=format!("changed-{}", design.id)><strong>{t!(i18n, design.changed_title)}</strong></p>
            <ul>{items}</ul>
            <p>{t!(i18n, design.price_seen, price = seen.clone())}</p>
            <p><strong>{t!(i18n, design.price_now, price = now.clone())}</strong></p>
            {confirm}
        </div>
    }
}

/// Saving what is on screen as a new design, under a name.
#[component]
fn SaveNew() -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    let name = RwSignal::new(String::new());
    let tried = RwSignal::new(false);
    let Some(editor) = work.editor else {
        return ().into_any();
    };
    let problem = move || {
        let text = name.get();
        let count = editor.draft.with(|d| d.designs.len());
        if text.trim().is_empty() {
            tried
                .get()
                .then(|| t_string!(i18n, design.name_missing).to_string())
        } else if text.trim().chars().count() > NAME_MAX_CHARS {
            let max = NAME_MAX_CHARS;
            Some(t_string!(i18n, design.name_too_long, max).to_string())
        } else if count >= MAX_DESIGNS {
            let max = MAX_DESIGNS;
            Some(t_string!(i18n, design.too_many, max).to_string())
        } else {
            None
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if problem().is_some() {
            crate::dom::focus("design-name");
            return;
        }
        let catalogue = work.shop.0.get_untracked();
        let lang = language(i18n);
        let label = name.get_untracked();
        let now_ms = js_sys::Date::now() as u64;
        let id = editor
            .draft
            .with_untracked(|d| saved_design::new_id(now_ms, d));
        let design = saved_design::new_design(
            &catalogue,
            id.clone(),
            &label,
            work.spec.get_untracked(),
            lang,
        );
        editor.draft.update(|d| d.designs.push(design));
        let has_problems = editor.draft.with_untracked(|d| !super::storable(d));
        editor.save(has_problems);
        name.set(String::new());
        tried.set(false);
        work.open(&id);
    };
    view! {
        <form class="save-new" novalidate on:submit=on_submit>
            <div class="field">
                <label for="design-name">{t!(i18n, design.name_label)}</label>
                <input
                    type="text"
                    id="design-name"
                    autocomplete="off"
                    maxlength=(NAME_MAX_CHARS + 20).to_string()
                    aria-invalid=move || problem().is_some().then_some("true")
                    aria-describedby="design-name-problem"
                    prop:value=move || name.get()
                    on:input:target=move |ev| name.set(ev.target().value())
                />
                <p class="problem" id="design-name-problem">{problem}</p>
            </div>
            <button type="submit">{t!(i18n, design.save_new)}</button>
        </form>
    }
    .into_any()
}
