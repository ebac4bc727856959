//! The facts the backend derives from the whole history, shown read-only as a definition
//! list: on the History page (with charts) and on the profile page.

use super::charts::FactsCharts;
use super::{format, labels};
use crate::backend::{Backend, BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;
use rapport_domain::history::DerivedFacts;

/// Loads the facts and shows them; a failure says so here and stops nothing else on the page.
/// With `charts`, spending per month and the products bought most are drawn (the products
/// then leave the list: the chart names them).
#[component]
pub fn HistoryFacts(#[prop(optional)] charts: bool) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let facts = LocalResource::new(move || {
        let backend = backend.clone();
        async move {
            let facts = ops::load_facts(&backend).await;
            // Secondary to what the page is for (the profile form, the timeline): that
            // paints first, and the facts (and their charts) follow a frame later.
            crate::dom::after_next_paint().await;
            facts
        }
    });
    view! {
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match facts.await {
                    Ok(loaded) if charts => view! {
                        <FactsList facts=loaded.clone() list_products=false />
                        <FactsCharts facts=loaded />
                    }
                    .into_any(),
                    Ok(loaded) => view! { <FactsList facts=loaded /> }.into_any(),
                    Err(BackendError::SignedOut) => {
                        session.expired();
                        ().into_any()
                    }
                    Err(error) => view! {
                        <div role="alert">
                            <p>{t!(i18n, history.facts_failed)} " " <BackendErrorText error=error /></p>
                            <button type="button" class="secondary" on:click=move |_| facts.refetch()>
                                {t!(i18n, history.retry)}
                            </button>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The facts as a definition list, in the reader's language and time zone; the products
/// bought most only with `list_products`.
#[component]
pub fn FactsList(
    facts: DerivedFacts,
    #[prop(default = true)] list_products: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let facts = StoredValue::new(facts);
    let locale = move || i18n.get_locale().as_str();
    let none = move || t_string!(i18n, history.none_yet).to_string();
    let since = move || {
        facts.with_value(|f| {
            f.customer_since
                .map_or_else(none, |s| format::date(locale(), s))
        })
    };
    let last = move || {
        facts.with_value(|f| {
            f.last_purchase
                .map_or_else(none, |s| format::date(locale(), s))
        })
    };
    let how_often = move || {
        facts.with_value(|f| {
            let count = format::number(locale(), f.purchase_count);
            match f.mean_days_between_purchases {
                Some(days) => {
                    let days = format::number(locale(), days.unsigned_abs());
                    t_string!(i18n, history.every_days, days, count).to_string()
                }
                None => t_string!(i18n, history.too_few, count).to_string(),
            }
        })
    };
    let basket = move || {
        facts.with_value(|f| {
            let mut parts = Vec::new();
            if let Some(units) = f.typical_basket_units {
                let units = format::number(locale(), units);
                parts.push(t_string!(i18n, history.basket_units, units).to_string());
            }
            for value in &f.typical_basket_value {
                let amount = format::money(locale(), value.median_total_minor, &value.currency);
                let count = format::number(locale(), value.purchases);
                parts.push(t_string!(i18n, history.basket_value, amount, count).to_string());
            }
            if parts.is_empty() {
                none()
            } else {
                parts.join(" · ")
            }
        })
    };
    let channels = move || {
        facts.with_value(|f| {
            if f.channels_used.is_empty() {
                return none();
            }
            f.channels_used
                .iter()
                .map(|used| {
                    let channel = labels::channel(i18n, used.channel);
                    let count = format::number(locale(), used.events);
                    t_string!(i18n, history.channel_use, channel, count).to_string()
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let products = move || {
        facts.with_value(|f| {
            if f.top_products.is_empty() {
                return view! { <dd>{none()}</dd> }.into_any();
            }
            let items = f
                .top_products
                .iter()
                .map(|p| {
                    let product = p.product.clone();
                    let units = format::number(locale(), p.units);
                    view! { <li>{t_string!(i18n, history.product_units, product, units).to_string()}</li> }
                })
                .collect_view();
            view! { <dd><ol class="top-products">{items}</ol></dd> }.into_any()
        })
    };
    view! {
        <dl class="facts">
            <div><dt>{t!(i18n, history.customer_since)}</dt><dd>{since}</dd></div>
            <div><dt>{t!(i18n, history.last_purchase)}</dt><dd>{last}</dd></div>
            <div><dt>{t!(i18n, history.how_often)}</dt><dd>{how_often}</dd></div>
            <div><dt>{t!(i18n, history.basket)}</dt><dd>{basket}</dd></div>
            <div><dt>{t!(i18n, history.channels_used)}</dt><dd>{channels}</dd></div>
            {list_products.then(|| view! { <div><dt>{t!(i18n, history.top_products)}</dt>{products}</div> })}
        </dl>
    }
}
