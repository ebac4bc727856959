//! Small browser helpers shared by components.

use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    /// The shadow roots portals are mounted in: `document.getElementById` does not see
    /// inside them, so lookups by id go through [`by_id`].
    static ROOTS: RefCell<Vec<web_sys::ShadowRoot>> = const { RefCell::new(Vec::new()) };
}

/// Makes the elements in `root` findable by [`by_id`] and [`query`].
pub fn remember_root(root: &web_sys::ShadowRoot) {
    ROOTS.with_borrow_mut(|roots| roots.push(root.clone()));
}

/// Undoes [`remember_root`] when a portal unmounts.
pub fn forget_root(root: &web_sys::ShadowRoot) {
    ROOTS.with_borrow_mut(|roots| roots.retain(|r| r != root));
}

/// The element with this id, in a portal's shadow root or else in the document.
#[must_use]
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    ROOTS
        .with_borrow(|roots| roots.iter().find_map(|r| r.get_element_by_id(id)))
        .or_else(|| web_sys::window()?.document()?.get_element_by_id(id))
}

/// The first element matching `selector`, in a portal's shadow root or else in the document.
#[must_use]
pub fn query(selector: &str) -> Option<web_sys::Element> {
    ROOTS
        .with_borrow(|roots| {
            roots
                .iter()
                .find_map(|r| r.query_selector(selector).ok().flatten())
        })
        .or_else(|| {
            web_sys::window()?
                .document()?
                .query_selector(selector)
                .ok()?
        })
}

/// Moves keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(element) = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Offers `contents` to the customer as a file called `name`, the way a link with `download`
/// would: through a Blob URL, so an authenticated download needs no token in a URL.
pub fn download(name: &str, mime: &str, contents: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        let _ = save_file(&blob, name);
    }
}

/// A Unix time as a date and time in `language`, in the browser's time zone (Intl, so the
/// wasm carries no calendar data).
#[must_use]
pub fn date_time(unix_seconds: i64, language: &str) -> String {
    // Seconds since 1970 fit a JavaScript number exactly for millions of years.
    #[allow(clippy::cast_precision_loss)]
    let millis = unix_seconds as f64 * 1000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(language, &options).into()
}

/// Hands a file to the browser's download, under `name`.
///
/// The export needs the bearer token, so a plain link cannot fetch it; the portal fetches it
/// and offers the result through a temporary `blob:` URL and `<a download>` (allowed by the
/// CSP: a download is not a fetch, so `connect-src` does not apply).
pub fn save_file(blob: &web_sys::Blob, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("no document"))?;
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    let body = document
        .body()
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    // The download has taken its own reference by now; a little later frees the memory.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Resolves once the browser has painted what is in the page now: a secondary part of a page
/// (the facts under the profile form) waits for it, so the part the customer came for is on
/// screen without waiting for the rest to be built.
pub async fn after_next_paint() {
    let painted = js_sys::Promise::new(&mut |resolve, _| {
        // An animation frame runs just before the paint; a task queued from it runs after.
        leptos::prelude::request_animation_frame(move || {
            leptos::prelude::set_timeout(
                move || {
                    let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
                },
                std::time::Duration::ZERO,
            );
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(painted).await;
}

/// Puts a `performance.mark` once what is on screen now has been painted, for the benchmark.
pub fn mark_after_paint(name: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(name);
        }
    });
}

/// Puts a `performance.mark` now.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
