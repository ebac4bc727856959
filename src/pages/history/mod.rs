//! The History page: the facts derived from the customer's history, a download of all of it,
//! and the timeline with its filters.

mod charts;
mod facts;
mod filters;
pub mod format;
pub mod labels;
mod timeline;

pub use facts::{FactsList, HistoryFacts};

use crate::backend::{Backend, BackendError, ExportFormat};
use crate::components::backend_error::BackendErrorText;
use crate::components::offered::{Feature, IfOffered};
use crate::dom;
use crate::i18n::*;
use crate::session::Session;
use filters::{FilterControls, Filters};
use leptos::prelude::*;
use timeline::{Timeline, TimelineView};

/// `/history`.
#[component]
pub fn HistoryPage() -> impl IntoView {
    // For the benchmark: the route has started (the first page follows as `history-ready`).
    dom::mark("rapport:history-start");
    let i18n = use_i18n();
    let filters = Filters::new();
    let timeline = Timeline::new();
    let query = Memo::new(move |_| filters.query());
    // The first page is asked for at once, before the rest of the page is even built.
    if let Some(first) = query.get_untracked() {
        timeline.restart(first, "rapport:history-ready");
    }
    Effect::new(move |previous: Option<()>| {
        let query = query.get();
        // The first run only subscribes: that page is already on its way.
        if previous.is_none() {
            return;
        }
        // `None` while the dates are the wrong way round: keep showing what was there.
        if let Some(query) = query {
            untrack(|| timeline.restart(query, "rapport:history-filtered"));
        }
    });
    let narrowing = Signal::derive(move || filters.narrowing());

    view! {
        <h1>{t!(i18n, history.title)}</h1>
        <p>{t!(i18n, history.intro)}</p>
        <section class="card" aria-labelledby="history-facts-title">
            <h2 id="history-facts-title">{t!(i18n, history.facts_title)}</h2>
            <IfOffered feature=Feature::Facts>
                <HistoryFacts charts=true />
            </IfOffered>
        </section>
        <IfOffered feature=Feature::Exports>
            <Export />
        </IfOffered>
        <FilterControls filters=filters />
        <TimelineView timeline=timeline narrowing=narrowing />
    }
}

/// The whole history as CSV or JSON, fetched with the session and saved as a file.
#[component]
fn Export() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let export = Action::new_local(move |format: &ExportFormat| {
        let backend = backend.clone();
        let format = *format;
        async move {
            let download = backend.export_history(format).await?;
            dom::save_file(&download.blob, &download.file_name)
                .map_err(|_| BackendError::Unreadable("the browser refused the download".into()))?;
            Ok::<_, BackendError>(download.file_name)
        }
    });
    let busy = export.pending();
    let outcome = move || {
        match export.value().get() {
        _ if busy.get() => Some(t!(i18n, history.exporting).into_any()),
        None => None,
        Some(Ok(name)) => Some(t!(i18n, history.exported, name = move || name.clone()).into_any()),
        Some(Err(BackendError::SignedOut)) => {
            session.expired();
            None
        }
        Some(Err(error)) => Some(
            view! { <span class="error">{t!(i18n, history.export_failed)} " " <BackendErrorText error=error /></span> }
                .into_any(),
        ),
    }
    };
    view! {
        <section class="card export" aria-labelledby="history-export-title">
            <h2 id="history-export-title">{t!(i18n, history.export_title)}</h2>
            <p>{t!(i18n, history.export_intro)}</p>
            <div class="actions">
                <button type="button" class="secondary" disabled=busy on:click=move |_| { export.dispatch(ExportFormat::Csv); }>
                    {t!(i18n, history.export_csv)}
                </button>
                <button type="button" class="secondary" disabled=busy on:click=move |_| { export.dispatch(ExportFormat::Json); }>
                    {t!(i18n, history.export_json)}
                </button>
                <p class="status" role="status">{outcome}</p>
            </div>
        </section>
    }
}
