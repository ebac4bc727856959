//! Loading a page's document from the backend: "Loading…", then the page, or an error the
//! customer can retry. A dead session sends them to sign in (their drafts wait in storage).

use crate::backend::{Backend, BackendError, BackendFuture};
use crate::components::backend_error::BackendErrorText;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;

/// Loads with `load`, then shows `render` of what came back.
#[component]
pub fn LoadThen<T>(
    load: fn(&Backend) -> BackendFuture<'_, T>,
    render: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let resource = LocalResource::new(move || {
        let backend = backend.clone();
        async move { load(&backend).await }
    });
    view! {
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(loaded) => render(loaded),
                    Err(BackendError::SignedOut) => {
                        session.expired();
                        ().into_any()
                    }
                    Err(error) => view! {
                        <div class="card" role="alert">
                            <p>{t!(i18n, error.load_failed)} " " <BackendErrorText error=error /></p>
                            <button type="button" on:click=move |_| resource.refetch()>
                                {t!(i18n, profile.retry)}
                            </button>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
