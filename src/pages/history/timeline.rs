//! The timeline: pages of events grouped by day, loaded as the customer scrolls, with a
//! bounded number of rows in the DOM however far they go.
//!
//! **Windowing by page.** Loaded pages (50 events each) stay in memory, which is cheap; at most
//! [`WINDOW_PAGES`] of them are in the DOM. A page that leaves the window is measured first, and
//! a spacer above (or below) the window takes its height, so the scroll position and the
//! scrollbar stay where they were. Rows vary in height (a purchase lists its items), which is
//! why whole pages are measured rather than rows given a fixed height. Two
//! `IntersectionObserver` targets drive it: the spacer above the window (scrolling back up
//! puts earlier pages back) and the spacer below it (scrolling down shows the next page, from
//! memory or from the backend). A "Load more" button does the same for keyboard users.

use super::{format, labels};
use crate::backend::{Backend, BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::dom;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;
use rapport_domain::history::{EventDetails, HistoryEvent, HistoryQuery};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Events asked for per page.
const PAGE_SIZE: u32 = 50;
/// Pages in the DOM at most: 200 rows, enough to fill any screen several times over.
pub const WINDOW_PAGES: usize = 4;
/// How far outside the viewport the spacers count as reached, so rows are ready in time.
const LOOKAHEAD: &str = "1000px 0px";

/// The timeline's state; every part is a signal or stored value, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Timeline {
    backend: StoredValue<Backend>,
    session: Session,
    /// The filters of the current listing (without cursor).
    query: StoredValue<HistoryQuery>,
    /// Bumped when the filters change; answers for an older listing are dropped.
    generation: RwSignal<u64>,
    /// Every page loaded for the current listing, oldest request first.
    pages: RwSignal<Vec<Arc<[HistoryEvent]>>>,
    /// Each page's height when it last left the DOM (0 until then).
    heights: StoredValue<Vec<f64>>,
    /// Pages `lo..hi` are in the DOM.
    window: RwSignal<(usize, usize)>,
    /// Where the backend continues, when it has more.
    cursor: StoredValue<Option<String>>,
    more: RwSignal<bool>,
    loading: RwSignal<bool>,
    /// The last page request failed; what was shown stays.
    error: RwSignal<Option<BackendError>>,
}

impl Timeline {
    /// An empty timeline; [`Timeline::restart`] loads the first page.
    pub fn new() -> Self {
        Self {
            backend: StoredValue::new(expect_context::<Backend>()),
            session: expect_context::<Session>(),
            query: StoredValue::new(HistoryQuery::default()),
            generation: RwSignal::new(0),
            pages: RwSignal::new(Vec::new()),
            heights: StoredValue::new(Vec::new()),
            window: RwSignal::new((0, 0)),
            cursor: StoredValue::new(None),
            more: RwSignal::new(true),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Starts over with new filters; `mark` is put once the first page is painted.
    pub fn restart(self, query: HistoryQuery, mark: &'static str) {
        self.generation.update(|g| *g += 1);
        self.query.set_value(query);
        self.cursor.set_value(None);
        self.heights.set_value(Vec::new());
        self.pages.set(Vec::new());
        self.window.set((0, 0));
        self.more.set(true);
        self.error.set(None);
        self.loading.set(false);
        self.fetch(Some(mark));
    }

    /// Asks for the next page, unless a request is already out.
    fn fetch(self, mark: Option<&'static str>) {
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        let generation = self.generation.get_untracked();
        let mut query = self.query.get_value();
        query.cursor = self.cursor.get_value();
        query.limit = PAGE_SIZE;
        let backend = self.backend.get_value();
        leptos::task::spawn_local(async move {
            let result = ops::load_history(&backend, query).await;
            // The page was left, or the filters changed while this was out.
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    self.more.set(page.next_cursor.is_some());
                    self.cursor.set_value(page.next_cursor);
                    self.heights.update_value(|h| h.push(0.0));
                    self.pages.update(|p| p.push(page.events.into()));
                    let len = self.pages.with_untracked(Vec::len);
                    // Shown at once when the window reaches the end (it does unless the
                    // customer scrolled back up meanwhile; then the spacer brings it later).
                    let (lo, hi) = self.window.get_untracked();
                    if hi + 1 == len {
                        self.show(lo, len);
                    }
                    if let Some(mark) = mark {
                        dom::mark_after_paint(mark);
                    }
                }
                Err(BackendError::SignedOut) => self.session.expired(),
                Err(error) => self.error.set(Some(error)),
            }
        });
    }

    /// Puts pages `lo..hi` in the DOM, trimmed to [`WINDOW_PAGES`] on the side moved away
    /// from; pages leaving are measured first so the spacers take their place.
    fn show(self, lo: usize, hi: usize) {
        let (old_lo, old_hi) = self.window.get_untracked();
        let (lo, hi) = bounded((old_lo, old_hi), (lo, hi));
        self.heights.update_value(|heights| {
            for i in (old_lo..old_hi).filter(|i| *i < lo || *i >= hi) {
                let height =
                    crate::dom::by_id(&page_id(i)).map(|e| e.get_bounding_client_rect().height());
                if let (Some(height), Some(slot)) = (height, heights.get_mut(i)) {
                    *slot = height;
                }
            }
        });
        self.window.set((lo, hi));
    }

    /// The next page: from memory if it was shown before, else from the backend.
    pub fn forward(self) {
        if self.error.with_untracked(Option::is_some) {
            return;
        }
        let (lo, hi) = self.window.get_untracked();
        if hi < self.pages.with_untracked(Vec::len) {
            self.show(lo, hi + 1);
        } else if self.more.get_untracked() {
            self.fetch(None);
        }
    }

    /// The page before the window, back from memory.
    fn backward(self) {
        let (lo, hi) = self.window.get_untracked();
        if lo > 0 {
            self.show(lo - 1, hi);
        }
    }

    /// After a failure: ask again for the page that failed.
    fn retry(self) {
        self.error.set(None);
        let first = self.pages.with_untracked(Vec::is_empty);
        self.fetch(first.then_some("rapport:history-ready"));
    }

    fn spacer(self, range: impl Fn(usize, usize, usize) -> std::ops::Range<usize>) -> String {
        let (lo, hi) = self.window.get();
        let len = self.pages.with(Vec::len);
        let total: f64 = self.heights.with_value(|h| {
            h.get(range(lo, hi, len))
                .map(|slice| slice.iter().sum())
                .unwrap_or(0.0)
        });
        format!("{total}px")
    }

    fn loaded(self) -> usize {
        self.pages.with(|pages| pages.iter().map(|p| p.len()).sum())
    }
}

/// The window `wanted`, trimmed to [`WINDOW_PAGES`] on the side it moved away from.
fn bounded(old: (usize, usize), wanted: (usize, usize)) -> (usize, usize) {
    let (lo, hi) = wanted;
    if hi - lo <= WINDOW_PAGES {
        wanted
    } else if hi > old.1 {
        (hi - WINDOW_PAGES, hi)
    } else {
        (lo, lo + WINDOW_PAGES)
    }
}

fn page_id(index: usize) -> String {
    format!("history-page-{index}")
}

/// The timeline section: status, rows, empty state, error and "Load more".
#[component]
pub fn TimelineView(timeline: Timeline, narrowing: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let top = NodeRef::<leptos::html::Div>::new();
    let bottom = NodeRef::<leptos::html::Div>::new();
    watch_edges(timeline, top, bottom);

    let loaded = move || timeline.loaded();
    let status = move || {
        if timeline.loading.get() {
            t_string!(i18n, history.loading).to_string()
        } else {
            let count = format::number(i18n.get_locale().as_str(), loaded() as u64);
            t_string!(i18n, history.loaded, count).to_string()
        }
    };
    let settled = move || !timeline.loading.get() && timeline.error.with(Option::is_none);
    let empty = move || {
        settled() && !timeline.more.get() && !timeline.pages.with(Vec::is_empty) && loaded() == 0
    };
    let at_end = move || {
        settled()
            && !timeline.more.get()
            && loaded() > 0
            && timeline.window.get().1 == timeline.pages.with(Vec::len)
    };
    let can_go_on = move || {
        timeline.error.with(Option::is_none)
            && !timeline.pages.with(Vec::is_empty)
            && (timeline.more.get() || timeline.window.get().1 < timeline.pages.with(Vec::len))
    };
    let pages = move || {
        let generation = timeline.generation.get();
        let (lo, hi) = timeline.window.get();
        (lo..hi).map(|i| (generation, i)).collect::<Vec<_>>()
    };

    view! {
        <section class="timeline-section" aria-labelledby="history-timeline-title">
            <h2 id="history-timeline-title">{t!(i18n, history.timeline_title)}</h2>
            <p class="timeline-status" role="status">{status}</p>
            <div class="timeline" data-loaded=move || loaded().to_string()>
                <div
                    id="history-top"
                    class="spacer"
                    aria-hidden="true"
                    node_ref=top
                    style:height=move || timeline.spacer(|lo, _, _| 0..lo)
                ></div>
                <For each=pages key=|key| *key let((_, index))>
                    <TimelinePage timeline=timeline index=index />
                </For>
                <div
                    id="history-bottom"
                    class="spacer"
                    aria-hidden="true"
                    node_ref=bottom
                    style:height=move || timeline.spacer(|_, hi, len| hi..len)
                ></div>
            </div>
            <Show when=empty>
                <p class="notice">
                    {move || if narrowing.get() {
                        t!(i18n, history.empty).into_any()
                    } else {
                        t!(i18n, history.empty_all).into_any()
                    }}
                </p>
            </Show>
            <Show when=at_end>
                <p class="timeline-end">{t!(i18n, history.the_end)}</p>
            </Show>
            {move || timeline.error.get().map(|error| {
                let first = timeline.pages.with_untracked(Vec::is_empty);
                view! {
                    <div class="card timeline-error" role="alert">
                        <p>
                            {if first { t!(i18n, history.first_failed).into_any() } else { t!(i18n, history.load_failed).into_any() }}
                            " " <BackendErrorText error=error />
                        </p>
                        <button type="button" on:click=move |_| timeline.retry()>{t!(i18n, history.retry)}</button>
                    </div>
                }
            })}
            <Show when=can_go_on>
                <button type="button" class="secondary load-more" on:click=move |_| timeline.forward()>
                    {t!(i18n, history.load_more)}
                </button>
            </Show>
        </section>
    }
}

/// Observes the spacers above and below the window; reaching one moves the window that way.
/// Each window change observes them afresh, so a spacer still in view keeps filling the screen.
fn watch_edges(
    timeline: Timeline,
    top: NodeRef<leptos::html::Div>,
    bottom: NodeRef<leptos::html::Div>,
) {
    type Watch = (
        web_sys::IntersectionObserver,
        Closure<dyn FnMut(js_sys::Array)>,
    );
    let watch = StoredValue::new_local(None::<Watch>);
    Effect::new(move |_| {
        timeline.window.track();
        let (Some(top), Some(bottom)) = (top.get(), bottom.get()) else {
            return;
        };
        if watch.with_value(Option::is_none) {
            let callback =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    for entry in entries.iter() {
                        let entry: web_sys::IntersectionObserverEntry = entry.unchecked_into();
                        if !entry.is_intersecting() {
                            continue;
                        }
                        match entry.target().id().as_str() {
                            "history-top" => timeline.backward(),
                            "history-bottom" => timeline.forward(),
                            _ => {}
                        }
                    }
                });
            let options = web_sys::IntersectionObserverInit::new();
            options.set_root_margin(LOOKAHEAD);
            if let Ok(observer) = web_sys::IntersectionObserver::new_with_options(
                callback.as_ref().unchecked_ref(),
                &options,
            ) {
                watch.set_value(Some((observer, callback)));
            }
        }
        watch.with_value(|watch| {
            if let Some((observer, _)) = watch {
                for target in [&top, &bottom] {
                    observer.unobserve(target);
                    observer.observe(target);
                }
            }
        });
    });
    on_cleanup(move || {
        watch.with_value(|watch| {
            if let Some((observer, _)) = watch {
                observer.disconnect();
            }
        });
    });
}

/// One loaded page, grouped by day in the reader's time zone. A day that began on the page
/// before gets no second heading.
#[component]
fn TimelinePage(timeline: Timeline, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let (events, day_before) = timeline.pages.with_untracked(|pages| {
        let events = pages.get(index).cloned().unwrap_or_else(|| Arc::from([]));
        let before = index
            .checked_sub(1)
            .and_then(|i| pages.get(i))
            .and_then(|page| page.last())
            .map(|event| format::day_key(event.occurred_at));
        (events, before)
    });
    let mut days: Vec<(u32, Vec<HistoryEvent>)> = Vec::new();
    for event in events.iter() {
        let key = format::day_key(event.occurred_at);
        match days.last_mut() {
            Some((day, list)) if *day == key => list.push(event.clone()),
            _ => days.push((key, vec![event.clone()])),
        }
    }
    let days = days
        .into_iter()
        .enumerate()
        .map(|(n, (key, list))| {
            let at = list.first().map_or(0, |e| e.occurred_at);
            let heading = (n > 0 || day_before != Some(key)).then(|| {
                view! { <h3 class="day">{move || format::day(i18n.get_locale().as_str(), at)}</h3> }
            });
            view! {
                {heading}
                <ol class="events">
                    {list.into_iter().map(|event| view! { <EventRow event=event /> }).collect_view()}
                </ol>
            }
        })
        .collect_view();
    view! { <div class="history-page" id=page_id(index)>{days}</div> }
}

/// One event: time, what, where, and for purchases the items and the amount.
#[component]
fn EventRow(event: HistoryEvent) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale().as_str();
    let at = event.occurred_at;
    let channel = event.channel;
    let details = StoredValue::new(event.details);
    let purchase = details.with_value(|d| match d {
        EventDetails::Purchase(p) => Some(p.clone()),
        _ => None,
    });
    let body = match purchase {
        Some(p) => {
            let total = p.total_minor;
            let currency = p.currency.clone();
            let items = p
                .items
                .into_iter()
                .map(|item| {
                    let product = item.product;
                    let quantity = item.quantity.to_string();
                    view! { <li>{t_string!(i18n, history.item, quantity, product).to_string()}</li> }
                })
                .collect_view();
            view! {
                <ul class="items">{items}</ul>
                <p class="place">{p.store}</p>
                <p class="amount">{move || format::money(locale(), total, &currency)}</p>
            }
            .into_any()
        }
        None => view! {
            <p class="summary">{move || details.with_value(|d| labels::sentence(i18n, d)).unwrap_or_default()}</p>
        }
        .into_any(),
    };
    view! {
        <li class="event" data-kind=details.with_value(|d| d.kind().as_str())>
            <time datetime=format::iso(at)>{move || format::time(locale(), at)}</time>
            <div class="what">
                <p class="headline">
                    <strong>{move || details.with_value(|d| labels::headline(i18n, d))}</strong>
                    <span class="channel">{move || labels::channel(i18n, channel)}</span>
                </p>
                {body}
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::{WINDOW_PAGES, bounded};

    #[test]
    fn the_window_never_holds_more_than_its_pages() {
        assert_eq!(WINDOW_PAGES, 4);
        let cases = [
            // (old, wanted, expected, why)
            ((0, 0), (0, 1), (0, 1), "the first page"),
            ((0, 3), (0, 4), (0, 4), "room for a fourth"),
            (
                (0, 4),
                (0, 5),
                (1, 5),
                "a fifth page below pushes the first out",
            ),
            ((6, 10), (6, 11), (7, 11), "deep down, the same"),
            (
                (6, 10),
                (5, 10),
                (5, 9),
                "scrolling back up drops the last page",
            ),
            ((1, 5), (0, 5), (0, 4), "back at the top"),
            ((0, 2), (0, 2), (0, 2), "nothing to trim"),
        ];
        for (old, wanted, expected, why) in cases {
            assert_eq!(bounded(old, wanted), expected, "{why}");
        }
    }
}
