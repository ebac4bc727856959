//! "Order now" for the open design, at the price the customer saw. The backend prices it
//! again; when its price differs (`price_changed`) the page fetches today's catalogue, shows
//! what changed, and waits for the customer to confirm before they can order again.

use super::Shop;
use super::words;
use super::work::Work;
use crate::backend::{Backend, BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::components::offered::{Feature, offers};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_domain::catalogue::SpecProblem;
use rapport_domain::designs::{OrderReceipt, OrderRequest};
use std::sync::Arc;

/// Why the order button is unavailable, or `None` when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unavailable {
    NotSaved,
    PriceNotSeen,
    Problems,
    Sending,
}

/// How the last order went.
#[derive(Debug, Clone)]
enum Outcome {
    Placed { receipt: OrderReceipt, name: String },
    PriceChanged,
    Failed(BackendError),
}

/// The order button with what keeps it unavailable, and how the last order went.
#[component]
pub fn OrderControls(problems: Memo<Vec<SpecProblem>>) -> impl IntoView {
    let work = expect_context::<Work>();
    let i18n = work.i18n;
    if !offers(Feature::Designs) || work.editor.is_none() {
        return ().into_any();
    }
    let backend = expect_context::<Backend>();
    let shop = expect_context::<Shop>();
    let outcome = RwSignal::new(None::<Outcome>);
    let send = Action::new_local(move |order: &OrderRequest| {
        let (backend, order) = (backend.clone(), order.clone());
        async move {
            let name = order.name.clone();
            match ops::place_order(&backend, order).await {
                Ok(receipt) => Outcome::Placed { receipt, name },
                Err(BackendError::Refused { code, .. }) if code == "price_changed" => {
                    // Today's catalogue, so the page can say what changed.
                    if let Ok(Ok(Some(catalogue))) =
                        crate::config::reload().await.map(|c| c.catalogue())
                    {
                        shop.0.set(Arc::new(catalogue));
                    }
                    Outcome::PriceChanged
                }
                Err(error) => Outcome::Failed(error),
            }
        }
    });
    Effect::new(move || {
        if let Some(done) = send.value().get() {
            outcome.set(Some(done));
        }
    });
    let review = work.open_review();
    let unavailable = Memo::new(move |_| {
        if send.pending().get() {
            return Some(Unavailable::Sending);
        }
        match review.get() {
            None => Some(Unavailable::NotSaved),
            Some(r) if !r.price_seen() => Some(Unavailable::PriceNotSeen),
            Some(_) if !problems.with(Vec::is_empty) => Some(Unavailable::Problems),
            Some(_) => None,
        }
    });
    let on_click = move |_| {
        if unavailable.get_untracked().is_some() {
            return;
        }
        let Some(design) = work.open_design().get_untracked() else {
            return;
        };
        outcome.set(None);
        send.dispatch(OrderRequest {
            design: Some(design.id.clone()),
            name: design.name.trim().to_owned(),
            spec: design.spec.clone(),
            total_minor: design.seen.total_minor,
            currency: design.seen.currency.clone(),
        });
    };
    let label = move || {
        if send.pending().get() {
            t_string!(i18n, design.ordering).to_string()
        } else {
            t_string!(i18n, design.order).to_string()
        }
    };
    let why = move || {
        unavailable.get().map(|u| match u {
            Unavailable::NotSaved => t!(i18n, design.save_to_order).into_any(),
            Unavailable::PriceNotSeen => t!(i18n, design.confirm_first).into_any(),
            Unavailable::Problems => t!(i18n, design.fix_first).into_any(),
            Unavailable::Sending => t!(i18n, design.ordering).into_any(),
        })
    };
    view! {
        <div class="actions order">
            <button
                type="button"
                class="save"
                aria-disabled=move || unavailable.get().is_some().then_some("true")
                aria-describedby="order-why"
                on:click=on_click
            >{label}</button>
            <p class="hint" id="order-why">{why}</p>
        </div>
        <OutcomeText outcome=outcome />
    }
    .into_any()
}

#[component]
fn OutcomeText(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let i18n = use_i18n();
    let history = crate::embed::href("/history");
    move || {
        outcome.get().map(|done| match done {
            Outcome::Placed { receipt, name } => {
                let price = words::money(i18n, receipt.quote.total_minor, &receipt.quote.currency);
                let reference = receipt.reference.clone();
                view! {
                    <div class="notice ordered" role="status">
                        <p>{t!(i18n, design.ordered, reference = reference.clone(), name = name.clone(), price = price.clone())}</p>
                        <p><A href=history.clone()>{t!(i18n, design.see_history)}</A></p>
                    </div>
                }
                .into_any()
            }
            Outcome::PriceChanged => view! {
                <p class="status error" role="alert">{t!(i18n, design.price_changed)}</p>
            }
            .into_any(),
            Outcome::Failed(error) => view! {
                <p class="status error" role="alert">
                    {t!(i18n, design.order_failed)} " " <Refusal error=error />
                </p>
            }
            .into_any(),
        })
    }
}

/// An order's refusal by its code; anything else as every backend failure is worded.
#[component]
fn Refusal(error: BackendError) -> impl IntoView {
    let i18n = use_i18n();
    let code = match &error {
        BackendError::Refused { code, .. } => code.as_str(),
        _ => "",
    };
    match code {
        "not_offered" => t!(i18n, store.no_designs).into_any(),
        "unknown_model" | "unknown_option" => t!(i18n, design.order_refused_offer).into_any(),
        "quantity_out_of_range"
        | "one_choice_only"
        | "choice_required"
        | "option_needs"
        | "options_exclude"
        | "option_not_with_model" => t!(i18n, design.order_refused_rules).into_any(),
        "design_name_missing"
        | "design_name_too_long"
        | "control_character"
        | "bidi_control"
        | "invisible_only" => t!(i18n, design.order_refused_name).into_any(),
        _ => view! { <BackendErrorText error=error /> }.into_any(),
    }
}
