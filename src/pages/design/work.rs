//! What the page is working on: the choices in the configurator and, when one is open, the
//! saved design they belong to. Every change to an open design goes straight into the designs
//! document's draft, so it is kept across a reload and saved, merged or reviewed like any edit.

use super::Shop;
use super::words::language;
use crate::backend::{Backend, BackendFuture, Saved, ops};
use crate::editor::Editor;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use rapport_domain::catalogue::{Specification, Toggled};
use rapport_domain::designs::{Design, Designs};
use rapport_domain::saved_design::{self, Review};
use rapport_domain::{Version, Versioned};

fn save(
    backend: &Backend,
    version: Version,
    designs: Designs,
) -> BackendFuture<'_, Saved<Designs>> {
    ops::save_designs(backend, version, designs)
}

/// Puts the open design's id (or none) in the address.
type Go = Box<dyn Fn(Option<&str>)>;

/// The page's state. Cheap to copy: all signals.
#[derive(Clone, Copy)]
pub struct Work {
    /// The catalogue.
    pub shop: Shop,
    /// The model and options chosen on screen.
    pub spec: RwSignal<Specification>,
    /// What the last choice took away with it, for the status message.
    pub removed: RwSignal<Vec<String>>,
    /// The saved design being changed, if any (its id, also in the address as `?design=`).
    pub open: RwSignal<Option<String>>,
    /// The customer's designs, where the store keeps them.
    pub editor: Option<Editor<Designs>>,
    /// Translations (event handlers run outside the component tree's context).
    pub i18n: leptos_i18n::I18nContext<Locale>,
    /// Puts the open design's id in the address.
    go: StoredValue<Go, LocalStorage>,
}

impl Work {
    /// Starts with `loaded` designs; `saving` is whether the store keeps designs at all.
    pub fn new(shop: Shop, loaded: Versioned<Designs>, saving: bool) -> Self {
        let editor = saving.then(|| Editor::new("designs", loaded, save));
        // `?model=` (a suggestion's link) starts with that model, else the first one.
        let query = use_query_map();
        let model = shop.0.with_untracked(|c| {
            query
                .with_untracked(|q| q.get("model"))
                .filter(|id| c.model(id).is_some())
                .or_else(|| c.models.first().map(|m| m.id.clone()))
                .unwrap_or_default()
        });
        let spec = RwSignal::new(shop.0.with_untracked(|c| c.start(&model)));
        let asked = query.with_untracked(|q| q.get("design"));
        let open = asked
            .filter(|id| editor.is_some_and(|e| e.draft.with_untracked(|d| d.get(id).is_some())));
        let navigate = use_navigate();
        let page = crate::embed::href("/design");
        let go = move |open: Option<&str>| {
            let to = match open {
                Some(id) => format!("{page}?design={id}"),
                None => page.clone(),
            };
            navigate(
                &to,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        };
        let work = Work {
            shop,
            spec,
            removed: RwSignal::new(Vec::new()),
            open: RwSignal::new(open),
            editor,
            i18n: use_i18n(),
            go: StoredValue::new_local(Box::new(go)),
        };
        // The open design's choices as the draft has them: restored after a reload, merged
        // with another tab's, or taken from there after a conflict.
        Effect::new(move || {
            if let Some(design) = work.open_design().get()
                && work.spec.with_untracked(|s| *s != design.spec)
            {
                work.spec.set(design.spec);
            }
        });
        work
    }

    /// The open design as the draft has it now.
    pub fn open_design(self) -> Signal<Option<Design>> {
        Signal::derive(move || {
            let id = self.open.get()?;
            self.editor?.draft.with(|d| d.get(&id).cloned())
        })
    }

    /// The open design against today's catalogue.
    pub fn open_review(self) -> Signal<Option<Review>> {
        Signal::derive(move || {
            let design = self.open_design().get()?;
            Some(self.shop.0.with(|c| saved_design::review(c, &design)))
        })
    }

    /// Puts a choice on screen and, when a design is open, into its draft.
    pub fn apply(self, toggled: Toggled) {
        let Toggled { spec, also_removed } = toggled;
        self.removed.set(also_removed);
        self.change_open(|catalogue, design, lang| {
            saved_design::with_spec(catalogue, design, spec.clone(), lang)
        });
        self.spec.set(spec);
    }

    /// Changes the open design in the draft with `change`.
    pub fn change_open(
        self,
        change: impl FnOnce(&rapport_domain::catalogue::Catalogue, &Design, &'static str) -> Design,
    ) {
        let (Some(id), Some(editor)) = (self.open.get_untracked(), self.editor) else {
            return;
        };
        let lang = language(self.i18n);
        let catalogue = self.shop.0.get_untracked();
        editor.draft.update(|d| {
            *d = saved_design::update(d, &id, |design| change(&catalogue, design, lang))
        });
        editor.touched();
    }

    /// Opens saved design `id` in the configurator.
    pub fn open(self, id: &str) {
        let Some(design) = self
            .editor
            .and_then(|e| e.draft.with_untracked(|d| d.get(id).cloned()))
        else {
            return;
        };
        self.removed.set(Vec::new());
        self.open.set(Some(id.to_owned()));
        self.spec.set(design.spec);
        self.address(Some(id));
    }

    /// Leaves the open design as it is and starts afresh with the first model.
    pub fn start_new(self) {
        self.open.set(None);
        self.removed.set(Vec::new());
        let spec = self.shop.0.with_untracked(|c| {
            let first = c.models.first().map(|m| m.id.clone()).unwrap_or_default();
            c.start(&first)
        });
        self.spec.set(spec);
        self.address(None);
    }

    /// Keeps the open design in the address, so a reload opens it again.
    fn address(self, open: Option<&str>) {
        self.go.with_value(|go| go(open));
    }
}
