//! The DOM events the portal sends its host page, all dispatched on the `<rapport-portal>`
//! element, bubbling and composed, with their facts in `detail`:
//!
//! | event                | detail                              | when |
//! |----------------------|-------------------------------------|------|
//! | `rapport-ready`      | `{ signedIn, language, path }`      | the portal is on screen |
//! | `rapport-saved`      | `{ what }` (`profile`, `preferences`, `consent`) | a save went through |
//! | `rapport-signed-out` | `{}`                                | the session ended (sign-out, host's `signOut()`, expiry) |
//! | `rapport-navigated`  | `{ path }` (below the base path)    | the portal's page changed, the first one included |
//! | `rapport-height`     | `{ height }` (CSS pixels)           | the element's height changed (sent by element.js) |

use super::mount::Embedding;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsValue;

/// Dispatches `name` on the host element with `detail`.
pub(crate) fn dispatch(host: &web_sys::EventTarget, name: &str, detail: &[(&str, JsValue)]) {
    let object = js_sys::Object::new();
    for (key, value) in detail {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(&object);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = host.dispatch_event(&event);
    }
}

/// Tells the host that `what` was saved. Call it where a save is known to have gone
/// through, inside the portal's components (it finds its element through the context).
pub fn saved(what: &'static str) {
    if let Some(embedding) = use_context::<Embedding>() {
        dispatch(
            embedding.host(),
            "rapport-saved",
            &[("what", JsValue::from_str(what))],
        );
    }
}

/// Sends `rapport-navigated` whenever the route changes; it belongs inside the `<Router>`.
#[component]
pub fn RouteEvents() -> impl IntoView {
    let location = use_location();
    if let Some(embedding) = use_context::<Embedding>() {
        Effect::new(move || {
            let path = location.pathname.get();
            let path = embedding.below_base(&path);
            dispatch(
                embedding.host(),
                "rapport-navigated",
                &[("path", JsValue::from_str(&path))],
            );
        });
    }
}
