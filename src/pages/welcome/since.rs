//! "Since your last visit": the visit is noted, and what the history and the consent texts
//! say has changed since the one before is summed up.

use super::day;
use crate::backend::{BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::pages::history::labels;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::A;
use rapport_domain::config::PortalConfig;
use rapport_domain::consent::consent_states;
use rapport_domain::history::{EventKind, HistoryEvent, HistoryQuery};
use rapport_domain::welcome::{self, NEW_EVENTS_READ};

/// The summary, or a first-visit welcome.
#[component]
pub fn SinceLastVisit() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<crate::backend::Backend>();
    let session = expect_context::<Session>();
    let config = expect_context::<PortalConfig>();
    let summary = LocalResource::new(move || {
        let (backend, config) = (backend.clone(), config.clone());
        async move {
            // The consents do not depend on the visit: both are asked for at once.
            let (previous, consents) = futures_util::future::join(
                ops::record_visit(&backend),
                ops::load_consents(&backend),
            )
            .await;
            let Some(previous) = previous? else {
                return Ok(None);
            };
            let consents = consents?;
            let query = HistoryQuery {
                since: Some(previous),
                limit: NEW_EVENTS_READ,
                ..HistoryQuery::default()
            };
            let page = ops::load_history(&backend, query).await?;
            let states = consent_states(&config, &consents.receipts);
            let since =
                welcome::since_last_visit(&page.events, page.next_cursor.is_some(), &states);
            Ok::<_, BackendError>(Some((previous, since)))
        }
    });
    view! {
        <section class="card" aria-labelledby="since-title">
            <Suspense fallback=move || view! {
                <h2 id="since-title">{t!(i18n, welcome.since_title)}</h2>
                <p role="status">{t!(i18n, app.loading)}</p>
            }>
                {move || Suspend::new(async move {
                    match summary.await {
                        Ok(None) => view! {
                            <h2 id="since-title">{t!(i18n, welcome.first_title)}</h2>
                            <p>{t!(i18n, welcome.first_visit)}</p>
                        }
                        .into_any(),
                        Ok(Some((previous, since))) => {
                            view! { <Summary previous=previous since=since /> }.into_any()
                        }
                        Err(BackendError::SignedOut) => {
                            session.expired();
                            ().into_any()
                        }
                        Err(error) => view! {
                            <h2 id="since-title">{t!(i18n, welcome.since_title)}</h2>
                            <div role="alert">
                                <p>{t!(i18n, welcome.since_failed)} " " <BackendErrorText error=error /></p>
                                <button type="button" class="secondary" on:click=move |_| summary.refetch()>
                                    {t!(i18n, history.retry)}
                                </button>
                            </div>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Summary(previous: i64, since: welcome::SinceLastVisit) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    // The time too: a customer may come back the same day.
    let date = move || crate::dom::date_time(previous, super::locale(i18n));
    if since.is_empty() {
        return view! {
            <h2 id="since-title">{t!(i18n, welcome.since_title)}</h2>
            <p>{t!(i18n, welcome.nothing_new, date)}</p>
        }
        .into_any();
    }
    let more = since.more;
    let counts = since
        .new_events
        .into_iter()
        .map(|(kind, count)| {
            let count = if more {
                t_string!(i18n, welcome.or_more, count = count.to_string()).to_string()
            } else {
                count.to_string()
            };
            view! { <li>{kind_label(i18n, kind)} ": " <strong>{count}</strong></li> }
        })
        .collect_view();
    let answered = since.answered;
    let new_texts: Vec<String> = since
        .new_texts
        .iter()
        .filter_map(|id| config.purpose(id))
        .map(|p| p.title.get(super::locale(i18n)).to_owned())
        .collect();
    view! {
        <h2 id="since-title">{t!(i18n, welcome.since_date, date)}</h2>
        <ul class="since-counts">{counts}</ul>
        {(!answered.is_empty()).then(|| view! {
            <h3>{t!(i18n, welcome.answered)}</h3>
            <ul class="answered">
                {answered.into_iter().map(|event| view! { <Answered event=event /> }).collect_view()}
            </ul>
        })}
        {(!new_texts.is_empty()).then(|| view! {
            <p class="notice">
                {t!(i18n, welcome.new_texts, purposes = new_texts.join(", "))} " "
                <A href=crate::embed::href("/privacy")>{t!(i18n, welcome.read_texts)}</A>
            </p>
        })}
        <p><A href=crate::embed::href("/history")>{t!(i18n, history.see_all)}</A></p>
    }
    .into_any()
}

#[component]
fn Answered(event: HistoryEvent) -> impl IntoView {
    let i18n = use_i18n();
    let headline = labels::headline(i18n, &event.details);
    let sentence = labels::sentence(i18n, &event.details);
    let when = day(i18n, event.occurred_at);
    view! {
        <li>
            <strong>{headline}</strong>
            {sentence.map(|s| view! { ": " {s} })}
            " (" {when} ")"
        </li>
    }
}

fn kind_label(i18n: I18nContext<Locale>, kind: EventKind) -> String {
    match kind {
        EventKind::Purchase => t_string!(i18n, welcome.new_purchases),
        EventKind::Interaction => t_string!(i18n, welcome.new_interactions),
        EventKind::ConsentChange => t_string!(i18n, welcome.new_consent_changes),
        EventKind::Request => t_string!(i18n, welcome.new_requests),
    }
    .to_string()
}

use leptos_i18n::I18nContext;
