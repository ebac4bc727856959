//! The customer's data: one download with everything, and erasure on request.

use crate::backend::{Backend, ops};
use crate::components::backend_error::BackendErrorText;
use crate::dom;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::consent::ErasureRequest;
use rapport_domain::history::RequestStatus;

/// "Download my data": one JSON file with everything the backend holds.
#[component]
pub fn DownloadData() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let export = Action::new_local(move |(): &()| {
        let backend = backend.clone();
        async move { ops::export_data(&backend).await }
    });
    Effect::new(move || {
        if let Some(Ok(json)) = export.value().get() {
            dom::download("my-data.json", "application/json", &json);
        }
    });
    view! {
        <section class="card" aria-labelledby="your-data-title">
            <h2 id="your-data-title">{t!(i18n, privacy.your_data)}</h2>
            <p>{t!(i18n, privacy.your_data_intro)}</p>
            <div class="actions">
                <button type="button" disabled=move || export.pending().get() on:click=move |_| { export.dispatch(()); }>
                    {t!(i18n, privacy.download)}
                </button>
            </div>
            <p class="status error" role="alert">
                {move || match export.value().get() {
                    Some(Err(error)) => Some(view! { <BackendErrorText error=error /> }),
                    _ => None,
                }}
            </p>
        </section>
    }
}

/// Erasure: ask, confirm, then follow the request's status.
#[component]
pub fn Erasure() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let requests = {
        let backend = backend.clone();
        LocalResource::new(move || {
            let backend = backend.clone();
            async move { ops::load_erasure_requests(&backend).await }
        })
    };
    let confirming = RwSignal::new(false);
    let ask = Action::new_local(move |(): &()| {
        let backend = backend.clone();
        async move { ops::request_erasure(&backend).await }
    });
    Effect::new(move || {
        if let Some(Ok(_)) = ask.value().get() {
            confirming.set(false);
            requests.refetch();
        }
    });
    view! {
        <section class="card" aria-labelledby="erasure-title">
            <h2 id="erasure-title">{t!(i18n, privacy.erasure)}</h2>
            <p>{t!(i18n, privacy.erasure_intro)}</p>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                            {t!(i18n, privacy.request_erasure)}
                        </button>
                    </div>
                }
            >
                <div class="confirm" role="group" aria-labelledby="erasure-confirm-text">
                    <p id="erasure-confirm-text"><strong>{t!(i18n, privacy.erasure_confirm)}</strong></p>
                    <div class="actions">
                        <button type="button" class="danger" disabled=move || ask.pending().get() on:click=move |_| { ask.dispatch(()); }>
                            {t!(i18n, privacy.erasure_yes)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                            {t!(i18n, privacy.erasure_cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            <p class="status error" role="alert">
                {move || match ask.value().get() {
                    Some(Err(error)) => Some(view! { <BackendErrorText error=error /> }),
                    _ => None,
                }}
            </p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = requests.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <ul class="requests" aria-label=move || t_string!(i18n, privacy.erasure_requests)>
                            {list.into_iter().map(|r| view! { <li><RequestLine request=r /></li> }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn RequestLine(request: ErasureRequest) -> impl IntoView {
    let i18n = use_i18n();
    let lang = leptos_i18n::Locale::as_str(i18n.get_locale());
    let asked = dom::date_time(request.requested_at, lang);
    let status = match request.status {
        RequestStatus::Received => t_string!(i18n, privacy.status_received).to_owned(),
        RequestStatus::InProgress => t_string!(i18n, privacy.status_in_progress).to_owned(),
        RequestStatus::Done => t_string!(i18n, privacy.status_done).to_owned(),
        RequestStatus::Refused => t_string!(
            i18n,
            privacy.status_refused,
            reason = request.reason.clone().unwrap_or_default()
        )
        .to_string(),
    };
    view! { {t!(i18n, privacy.request_line, when = move || asked.clone(), status = move || status.clone())} }
}
