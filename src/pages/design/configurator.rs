//! The choices: a model, then each option group. An option a rule forbids stays focusable
//! (`aria-disabled`, not `disabled`) with the reason and what would allow it beside it, read
//! out through `aria-describedby`, so a keyboard or screen-reader user learns why, too.

use super::words::{self, language};
use super::work::Work;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::catalogue::{Catalogue, Model, OptionGroup, ProductOption};
use rapport_domain::config::Choice;
use std::sync::Arc;

/// The model and every option group, drawn again only when the catalogue itself changes.
#[component]
pub fn Configurator() -> impl IntoView {
    let work = expect_context::<Work>();
    move || {
        let catalogue = work.shop.0.get();
        let groups = catalogue
            .groups
            .iter()
            .map(|group| view! { <GroupField group=group.clone() catalogue=catalogue.clone() /> })
            .collect_view();
        view! {
            <div class="card configurator">
                <ModelChoice catalogue=catalogue.clone() />
                {groups}
            </div>
        }
    }
}

#[component]
fn ModelChoice(catalogue: Arc<Catalogue>) -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    let models = catalogue
        .models
        .iter()
        .map(|model| {
            let Model {
                id,
                name,
                description,
                base_price_minor,
                ..
            } = model.clone();
            let input_id = format!("model-{id}");
            let currency = catalogue.currency.clone();
            let (checked_id, chosen_id) = (id.clone(), id.clone());
            let catalogue = catalogue.clone();
            view! {
                <div class="option">
                    <input
                        type="radio"
                        id=input_id.clone()
                        name="model"
                        prop:checked=move || work.spec.with(|s| s.model == checked_id)
                        on:change=move |_| {
                            let toggled = work.spec.with_untracked(|s| catalogue.change_model(s, &chosen_id));
                            work.apply(toggled);
                        }
                    />
                    <label for=input_id>
                        <span class="option-name">{move || name.get(language(i18n)).to_owned()}</span>
                        <span class="option-price">{move || words::money(i18n, base_price_minor, &currency)}</span>
                        {description.map(|d| view! {
                            <span class="item-hint">{move || d.get(language(i18n)).to_owned()}</span>
                        })}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field choice-group">
            <legend>{t!(i18n, design.model_legend)}</legend>
            <div class="options">{models}</div>
        </fieldset>
    }
}

#[component]
fn GroupField(group: OptionGroup, catalogue: Arc<Catalogue>) -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    let single = group.choice == Choice::Single;
    // A single choice that may be left empty offers "None", so a choice can be taken back.
    let none = (single && !group.required).then(|| {
        let input_id = format!("group-{}-none", group.id);
        let ids: Vec<String> = group.options.iter().map(|o| o.id.clone()).collect();
        let ids_too = ids.clone();
        let catalogue = catalogue.clone();
        view! {
            <div class="option">
                <input
                    type="radio"
                    id=input_id.clone()
                    name=format!("group-{}", group.id)
                    prop:checked=move || work.spec.with(|s| !ids.iter().any(|id| s.options.contains_key(id)))
                    on:change=move |_| {
                        let chosen = work.spec.with_untracked(|s| ids_too.iter().find(|id| s.options.contains_key(*id)).cloned());
                        if let Some(chosen) = chosen {
                            let toggled = work.spec.with_untracked(|s| catalogue.remove(s, &chosen));
                            work.apply(toggled);
                        }
                    }
                />
                <label for=input_id><span class="option-name">{t!(i18n, design.none)}</span></label>
            </div>
        }
    });
    let options = group
        .options
        .iter()
        .map(|option| {
            view! {
                <OptionControl
                    option=option.clone()
                    group=group.id.clone()
                    single=single
                    catalogue=catalogue.clone()
                />
            }
        })
        .collect_view();
    let name = group.name.clone();
    view! {
        <fieldset class="field choice-group">
            <legend>
                {move || name.get(language(i18n)).to_owned()}
                {group.required.then(|| view! { " " <span class="hint">{t!(i18n, design.required)}</span> })}
            </legend>
            <div class="options">{none}{options}</div>
        </fieldset>
    }
}

#[component]
fn OptionControl(
    option: ProductOption,
    group: String,
    single: bool,
    catalogue: Arc<Catalogue>,
) -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    let id = option.id.clone();
    let input_id = format!("option-{id}");
    let reason_id = format!("option-{id}-reason");
    let blocked = {
        let (id, catalogue) = (id.clone(), catalogue.clone());
        // A chosen option is never blocked: taking it out must stay possible, even when a
        // saved design no longer fits the catalogue's rules.
        Memo::new(move |_| {
            work.spec.with(|s| {
                if s.options.contains_key(&id) {
                    None
                } else {
                    catalogue.blocked(s, &id)
                }
            })
        })
    };
    let pieces = {
        let id = id.clone();
        Memo::new(move |_| work.spec.with(|s| s.options.get(&id).copied()))
    };
    let is_blocked = move || blocked.with(Option::is_some);
    let first_pieces = option.quantity.map_or(1, |q| q.min);

    let on_click = move |ev: leptos::ev::MouseEvent| {
        // Focusable and announced, but not chosen: the reason beside it says what would allow it.
        if blocked.with_untracked(Option::is_some) {
            ev.prevent_default();
        }
    };
    let on_change = {
        let (id, catalogue) = (id.clone(), catalogue.clone());
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            if blocked.with_untracked(Option::is_some) {
                // Put every control back as the choices have it (a radio moved by arrow keys).
                work.spec.update(|_| ());
                return;
            }
            let toggled = work.spec.with_untracked(|s| {
                if on {
                    catalogue.choose(s, &id, first_pieces)
                } else {
                    catalogue.remove(s, &id)
                }
            });
            work.apply(toggled);
        }
    };

    let reason = {
        let (id, catalogue) = (id.clone(), catalogue.clone());
        move || {
            blocked.get().map(|why| {
                let text = words::blocked(i18n, &catalogue, &why);
                let business = catalogue
                    .why(&id, language(i18n))
                    .map(|w| format!(" {w}"))
                    .unwrap_or_default();
                format!("{text}{business}")
            })
        }
    };

    let quantity = option.quantity.map(|q| {
        let count_id = format!("option-{id}-count");
        let (id, catalogue) = (id.clone(), catalogue.clone());
        let name = option.name.clone();
        view! {
            <Show when=move || pieces.get().is_some()>
                {
                    let (id, catalogue, name, count_id) = (id.clone(), catalogue.clone(), name.clone(), count_id.clone());
                    view! {
                        <div class="pieces">
                            <label for=count_id.clone()>
                                {move || { let option = name.get(language(i18n)).to_owned(); t!(i18n, design.how_many, option) }}
                            </label>
                            <input
                                type="number"
                                id=count_id
                                inputmode="numeric"
                                min=q.min.to_string()
                                max=q.max.to_string()
                                prop:value=move || pieces.get().unwrap_or(q.min).to_string()
                                on:change:target=move |ev| {
                                    let Ok(n) = ev.target().value().trim().parse::<u32>() else {
                                        work.spec.update(|_| ());
                                        return;
                                    };
                                    let toggled = work.spec.with_untracked(|s| catalogue.choose(s, &id, n));
                                    work.apply(toggled);
                                }
                            />
                        </div>
                    }
                }
            </Show>
        }
    });

    let price = {
        let catalogue = catalogue.clone();
        let by_piece = option.quantity.is_some();
        let option_price = option.price;
        move || words::option_price(i18n, option_price, by_piece, &catalogue.currency)
    };
    let name = option.name.clone();
    let description = option.description.clone();
    view! {
        <div class="option" class:blocked=is_blocked>
            <input
                type=if single { "radio" } else { "checkbox" }
                id=input_id.clone()
                name=format!("group-{group}")
                aria-disabled=move || is_blocked().then_some("true")
                aria-describedby={
                    let reason_id = reason_id.clone();
                    move || is_blocked().then(|| reason_id.clone())
                }
                prop:checked=move || pieces.get().is_some()
                on:click=on_click
                on:change=on_change
            />
            <label for=input_id>
                <span class="option-name">{move || name.get(language(i18n)).to_owned()}</span>
                <span class="option-price">{price}</span>
                {description.map(|d| view! {
                    <span class="item-hint">{move || d.get(language(i18n)).to_owned()}</span>
                })}
            </label>
            <p class="reason" id=reason_id>{reason}</p>
            {quantity}
        </div>
    }
}
