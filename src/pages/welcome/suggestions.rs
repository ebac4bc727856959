//! Suggestions drawn from the customer's own answers and purchases, each saying why, shown
//! only while they allow personalisation. The choice sits right beside them: withdrawing
//! takes them away at once, and the decision goes into the consent ledger like any other.

use super::locale;
use crate::backend::{Backend, BackendFuture, ops};
use crate::components::loading::LoadThen;
use crate::components::offered::{Feature, offers};
use crate::i18n::*;
use crate::pages::history::format;
use crate::pages::privacy::consents::PurposeCard;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_domain::Preferences;
use rapport_domain::catalogue::{Because, Catalogue, Suggestion, suggest};
use rapport_domain::config::PortalConfig;
use rapport_domain::consent::{ConsentDecision, MyConsents, consent_states};
use rapport_domain::history::ProductBought;

/// Which screen a decision made here is recorded as made on.
const SCREEN: &str = "welcome";

/// What suggestions rest on: the customer's consent, answers and purchases.
#[derive(Clone)]
struct Grounds {
    consents: MyConsents,
    preferences: Preferences,
    bought: Vec<ProductBought>,
}

fn load_grounds(backend: &Backend) -> BackendFuture<'_, Grounds> {
    Box::pin(async move {
        // Three independent answers, asked for at once.
        let bought = async {
            if offers(Feature::Facts) {
                Ok(ops::load_facts(backend).await?.top_products)
            } else {
                Ok(Vec::new())
            }
        };
        let (consents, preferences, bought) = futures_util::future::try_join3(
            ops::load_consents(backend),
            ops::load_preferences(backend),
            bought,
        )
        .await?;
        Ok(Grounds {
            consents,
            preferences: preferences.data,
            bought,
        })
    })
}

/// The section, for a business with a personalisation purpose and a catalogue to suggest from.
#[component]
pub fn Suggestions() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">{t!(i18n, welcome.suggestions_title)}</h2>
            <LoadThen
                load=load_grounds
                render=|grounds| view! { <Personal grounds=grounds /> }.into_any()
            />
        </section>
    }
}

#[component]
fn Personal(grounds: Grounds) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let (Some(purpose), Ok(Some(catalogue))) = (
        config
            .personalisation_purpose
            .as_deref()
            .and_then(|id| config.purpose(id))
            .cloned(),
        config.catalogue(),
    ) else {
        return ().into_any();
    };
    let receipts = RwSignal::new(grounds.consents.receipts);
    let states = {
        let config = config.clone();
        Memo::new(move |_| receipts.with(|all| consent_states(&config, all)))
    };
    let id = purpose.id.clone();
    let allowed = move || {
        states.with(|all| {
            all.iter().any(|s| {
                s.purpose == id && s.decision == Some(ConsentDecision::Given) && !s.outdated
            })
        })
    };
    let suggestions = suggest(&catalogue, &grounds.preferences, &grounds.bought);
    let catalogue = StoredValue::new(catalogue);
    let shown = move || {
        if !allowed() {
            return view! { <p>{t!(i18n, welcome.suggestions_off)}</p> }.into_any();
        }
        if suggestions.is_empty() {
            return view! { <p>{t!(i18n, welcome.no_suggestions)}</p> }.into_any();
        }
        view! {
            <ul class="suggestions">
                {suggestions
                    .clone()
                    .into_iter()
                    .map(|s| view! { <SuggestionCard suggestion=s catalogue=catalogue /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div aria-live="polite">{shown}</div>
        <PurposeCard purpose=purpose states=states receipts=receipts recorded_on=SCREEN />
    }
    .into_any()
}

#[component]
fn SuggestionCard(suggestion: Suggestion, catalogue: StoredValue<Catalogue>) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let Some(model) = catalogue.with_value(|c| c.model(&suggestion.model).cloned()) else {
        return ().into_any();
    };
    let currency = catalogue.with_value(|c| c.currency.clone());
    let name = {
        let model = model.clone();
        move || model.name.get(locale(i18n)).to_owned()
    };
    let description = {
        let model = model.clone();
        move || {
            model
                .description
                .as_ref()
                .map(|d| d.get(locale(i18n)).to_owned())
        }
    };
    let price = move || format::money(locale(i18n), model.base_price_minor, &currency);
    let because = move || match &suggestion.because {
        Because::Answered { checklist, item } => {
            let list = config.checklist(checklist);
            let question = list.map(|l| l.label.get(locale(i18n)).to_owned());
            let answer = list
                .and_then(|l| l.items.iter().find(|i| i.id == *item))
                .map(|i| i.label.get(locale(i18n)).to_owned());
            t_string!(
                i18n,
                welcome.because_answered,
                item = answer.unwrap_or_else(|| item.clone()),
                question = question.unwrap_or_else(|| checklist.clone())
            )
            .to_string()
        }
        Because::Bought(product) => {
            t_string!(i18n, welcome.because_bought, product = product.clone()).to_string()
        }
    };
    let heading = format!("suggestion-{}", model.id);
    let labelled_by = heading.clone();
    let href = crate::embed::href(&format!("/design?model={}", model.id));
    view! {
        <li class="suggestion" aria-labelledby=labelled_by>
            <h3 id=heading>{name.clone()}</h3>
            <p>{description}</p>
            <p>{t!(i18n, welcome.price_from, price)}</p>
            <p class="because">{because}</p>
            <p><A href=href>{move || t_string!(i18n, welcome.design_it, name = name()).to_string()}</A></p>
        </li>
    }
    .into_any()
}
