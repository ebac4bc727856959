//! Mounting the portal into an element's shadow root, unmounting it, and the commands the
//! host page gives through the element (see element.js for the class itself).

use super::attributes::Attributes;
use super::events::dispatch;
use crate::app::App;
use crate::backend::Backend;
use crate::i18n::Locale;
use crate::session::Session;
use leptos::prelude::*;
use leptos_i18n::{I18nContext, Locale as _};
use rapport_domain::api::Role;
use rapport_domain::config::PortalConfig;
use send_wrapper::SendWrapper;
use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The portal's stylesheet, adopted by each shadow root: no request of its own, nothing for
/// a host's `style-src` to allow, and no moment of unstyled content.
const PORTAL_CSS: &str = include_str!("../../style/main.css");

#[wasm_bindgen(module = "/src/embed/element.js")]
extern "C" {
    fn define_element(mount: &js_sys::Function);
    fn adopt_styles(root: &web_sys::ShadowRoot, portal: &str, theme: &str);
}

/// Defines `<rapport-portal>`; every such element in the page, now or later, mounts a portal.
pub fn define() {
    let mount = Closure::<dyn FnMut(web_sys::HtmlElement, web_sys::ShadowRoot) -> JsValue>::new(
        |host, root| JsValue::from(mount(host, root)),
    );
    define_element(mount.as_ref().unchecked_ref());
    // The element class calls it for as long as the page lives.
    mount.forget();
}

/// One mounted portal, as element.js holds it.
#[wasm_bindgen]
pub struct Mounted {
    state: Rc<RefCell<State>>,
}

#[derive(Default)]
struct State {
    /// What commands act on, once the portal is running.
    live: Option<Live>,
    /// Commands given before then.
    queued: Vec<Command>,
    /// Leptos's handle of the mounted view: dropping it unmounts.
    view: Option<Box<dyn Any>>,
    root: Option<web_sys::ShadowRoot>,
    /// The element left the page (before the portal started, perhaps).
    gone: bool,
}

#[derive(Clone)]
struct Live {
    backend: Backend,
    session: Session,
    i18n: I18nContext<Locale>,
    languages: Vec<String>,
}

enum Command {
    SignIn {
        token: String,
        subject: Option<String>,
        role: Option<String>,
    },
    SignOut,
    Language(String),
}

#[wasm_bindgen]
impl Mounted {
    /// `element.signIn(…)`: takes over a session the host signed in itself.
    pub fn sign_in(&self, token: String, subject: Option<String>, role: Option<String>) {
        self.run(Command::SignIn {
            token,
            subject,
            role,
        });
    }

    /// `element.signOut()`.
    pub fn sign_out(&self) {
        self.run(Command::SignOut);
    }

    /// The element's `lang` attribute changed.
    pub fn set_language(&self, code: String) {
        self.run(Command::Language(super::attributes::language_code(&code)));
    }

    /// The element left the page: the portal goes, with its listeners.
    pub fn unmount(&self) {
        let (view, root) = {
            let mut state = self.state.borrow_mut();
            state.gone = true;
            state.live = None;
            state.queued.clear();
            (state.view.take(), state.root.take())
        };
        drop(view);
        if let Some(root) = root {
            crate::dom::forget_root(&root);
        }
    }

    fn run(&self, command: Command) {
        let live = self.state.borrow().live.clone();
        match live {
            Some(live) => live.apply(command),
            None => self.state.borrow_mut().queued.push(command),
        }
    }
}

impl Live {
    fn apply(&self, command: Command) {
        match command {
            Command::SignIn {
                token,
                subject,
                role,
            } => {
                let role = match role.as_deref() {
                    Some("privacy_officer") => Role::PrivacyOfficer,
                    _ => Role::Customer,
                };
                self.backend.adopt_session(token, subject, role);
                self.session.role.set(self.backend.role());
                self.session.signed_in.set(true);
            }
            Command::SignOut => {
                let (backend, session) = (self.backend.clone(), self.session);
                wasm_bindgen_futures::spawn_local(async move {
                    // Signed out here whatever the server says, as with the portal's own button.
                    let _ = backend.sign_out().await;
                    crate::editor::forget_drafts();
                    session.expired();
                });
            }
            Command::Language(code) => {
                if let Some(locale) = self.locale(&code) {
                    self.i18n.set_locale(locale);
                }
            }
        }
    }

    fn locale(&self, code: &str) -> Option<Locale> {
        self.languages
            .iter()
            .any(|l| l == code)
            .then(|| code.parse().ok())
            .flatten()
    }
}

/// What the portal's components know about the element they are in (a context).
#[derive(Clone)]
pub struct Embedding {
    host: SendWrapper<web_sys::HtmlElement>,
    container: SendWrapper<web_sys::HtmlElement>,
    state: SendWrapper<Rc<RefCell<State>>>,
    attributes: Attributes,
    base: String,
}

impl Embedding {
    /// The `<rapport-portal>` element.
    pub(crate) fn host(&self) -> &web_sys::HtmlElement {
        &self.host
    }

    /// A browser path as the portal names it: below its base path, starting with `/`.
    pub(crate) fn below_base(&self, path: &str) -> String {
        below_base(&self.base, path)
    }
}

/// `path` without the leading `base` (`/account/`), starting with `/`.
fn below_base(base: &str, path: &str) -> String {
    let rest = path
        .strip_prefix(base.trim_end_matches('/'))
        .unwrap_or(path);
    if rest.starts_with('/') {
        rest.to_owned()
    } else {
        format!("/{rest}")
    }
}

/// A link target inside the portal, `/preferences`, as a path below its base path
/// (`/account/preferences`). The router leaves absolute paths as they are, so links that
/// must stay within an embedded portal's base are written through this.
#[must_use]
pub fn href(to: &str) -> String {
    match use_context::<Embedding>() {
        Some(embedding) => format!("{}{}", embedding.base.trim_end_matches('/'), to),
        None => to.to_owned(),
    }
}

/// The portal's main area: `<main>` on its own page; inside a host page, which has its own
/// `<main>` and landmarks, a plain element (a second main, or one nested in the host's
/// landmarks, would confuse screen readers). Either way it is `#main`, the skip link's target.
#[component]
pub fn MainArea(children: Children) -> impl IntoView {
    if owns_page() {
        view! { <main id="main" tabindex="-1">{children()}</main> }.into_any()
    } else {
        view! { <div id="main" class="main" tabindex="-1">{children()}</div> }.into_any()
    }
}

/// Whether the portal is the whole page (the standalone index.html), so it may set the
/// document's title and language; an embedded portal leaves the host's alone.
#[must_use]
pub fn owns_page() -> bool {
    use_context::<Embedding>().is_none_or(|e| e.attributes.standalone)
}

/// Called by the shell once backend, session and translations exist: commands from the host
/// can act from now on, the `lang` attribute picks the language, and the host hears of
/// sign-outs.
pub fn connect(
    backend: &Backend,
    session: Session,
    i18n: I18nContext<Locale>,
    config: &PortalConfig,
) {
    let Some(embedding) = use_context::<Embedding>() else {
        return;
    };
    let live = Live {
        backend: backend.clone(),
        session,
        i18n,
        languages: config.languages.clone(),
    };
    // Created after the shell's own choice of language, so it runs after it and wins.
    if let Some(locale) = embedding
        .attributes
        .lang
        .as_deref()
        .and_then(|c| live.locale(c))
    {
        Effect::new(move || i18n.set_locale(locale));
    }
    {
        let container = embedding.container.clone();
        Effect::new(move || {
            let _ = container.set_attribute("lang", i18n.get_locale().as_str());
        });
    }
    {
        let host = embedding.host.clone();
        Effect::new(move |before: Option<bool>| {
            let now = session.signed_in.get();
            if before == Some(true) && !now {
                dispatch(&host, "rapport-signed-out", &[]);
            }
            now
        });
    }
    embedding.state.borrow_mut().live = Some(live);
}

/// Mounts a portal into `root`, the shadow root of `host`.
fn mount(host: web_sys::HtmlElement, root: web_sys::ShadowRoot) -> Mounted {
    let state = Rc::new(RefCell::new(State::default()));
    let mounted = Mounted {
        state: state.clone(),
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return mounted;
    };
    let attributes = Attributes::read(&host);
    // Whatever an earlier mount left (the element was moved out and back) goes first.
    root.set_inner_html("");
    adopt_styles(&root, PORTAL_CSS, "");
    let Some(container) = document
        .create_element("div")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return mounted;
    };
    container.set_class_name("rapport");
    let _ = root.append_child(&container);
    crate::dom::remember_root(&root);
    state.borrow_mut().root = Some(root.clone());
    let config_url = absolute(
        &attributes.config,
        &document.base_uri().ok().flatten().unwrap_or_default(),
    );

    // Milestones of the first screen for the benchmark's waterfall (tests/e2e/waterfall.mjs).
    crate::dom::mark("rapport:mount");
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = match crate::config::load(&config_url).await {
            Ok(config) => {
                crate::dom::mark("rapport:config");
                let config = for_element(config, &attributes, &config_url);
                crate::backend::connect(&config.backend)
                    .await
                    .map(|backend| (config, backend))
            }
            Err(failure) => Err(failure),
        };
        if state.borrow().gone {
            return;
        }
        if let Ok((config, _)) = &loaded {
            adopt_styles(&root, PORTAL_CSS, &theme_rule(&config.theme));
        }
        let base = loaded
            .as_ref()
            .map(|(c, _)| c.base_path.clone())
            .unwrap_or_else(|_| "/".into());
        let base_path = base.clone();
        let embedding = Embedding {
            host: SendWrapper::new(host.clone()),
            container: SendWrapper::new(container.clone()),
            state: SendWrapper::new(state.clone()),
            attributes,
            base,
        };
        let starts = loaded.is_ok();
        let view = leptos::mount::mount_to(container, move || {
            provide_context(embedding);
            view! { <App loaded=loaded /> }
        });
        state.borrow_mut().view = Some(Box::new(view));
        if !starts {
            return;
        }
        // Commands the host gave while the configuration loaded, then "ready" once painted.
        let (live, queued) = {
            let mut state = state.borrow_mut();
            (state.live.clone(), std::mem::take(&mut state.queued))
        };
        let Some(live) = live else { return };
        for command in queued {
            live.apply(command);
        }
        request_animation_frame(move || {
            if state.borrow().gone {
                return;
            }
            let path = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            let path = below_base(&base_path, &path);
            dispatch(
                &host,
                "rapport-ready",
                &[
                    (
                        "signedIn",
                        JsValue::from_bool(live.session.signed_in.get_untracked()),
                    ),
                    (
                        "language",
                        JsValue::from_str(live.i18n.get_locale_untracked().as_str()),
                    ),
                    ("path", JsValue::from_str(&path)),
                ],
            );
        });
    });
    mounted
}

/// The configuration as this element uses it: its `base` attribute wins over `base_path`,
/// and a relative backend URL means the configuration's own site (the portal's), not the
/// host page's.
fn for_element(
    mut config: PortalConfig,
    attributes: &Attributes,
    config_url: &str,
) -> PortalConfig {
    if let Some(base) = &attributes.base {
        config.base_path.clone_from(base);
    }
    config.backend.base_url = absolute(&config.backend.base_url, config_url);
    config
}

/// `url` resolved against `base` (unchanged when it cannot be).
fn absolute(url: &str, base: &str) -> String {
    web_sys::Url::new_with_base(url, base).map_or_else(|_| url.to_owned(), |u| u.href())
}

/// The configuration's theme as custom properties on the element, in a rule the host page's
/// own `--rapport-*` declarations override (a page's rules win over a shadow root's `:host`).
/// The configuration check has refused values that could leave their declaration.
fn theme_rule(theme: &BTreeMap<String, String>) -> String {
    let declarations: String = theme
        .iter()
        .map(|(key, value)| format!("--rapport-{key}:{value};"))
        .collect();
    format!(":host{{{declarations}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_named_below_the_base() {
        for (base, path, expected) in [
            ("/", "/profile", "/profile"),
            ("/account/", "/account/profile", "/profile"),
            ("/account/", "/account", "/"),
            ("/account/", "/account/", "/"),
            ("/account/", "/elsewhere", "/elsewhere"),
        ] {
            assert_eq!(below_base(base, path), expected, "{base} {path}");
        }
    }

    #[test]
    fn theme_values_become_custom_properties_of_the_element() {
        let theme = BTreeMap::from([
            ("accent".to_owned(), "#0b5d4b".to_owned()),
            ("radius".to_owned(), "4px".to_owned()),
        ]);
        assert_eq!(
            theme_rule(&theme),
            ":host{--rapport-accent:#0b5d4b;--rapport-radius:4px;}"
        );
    }
}
