//! The timeline's filters: kind, channel, a date range in the reader's time zone, and a
//! search box that waits for a pause in typing (250 ms) before asking the backend.

use super::{format, labels};
use crate::components::offered::filters_by;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::history::{Channel, EventKind, HistoryQuery, MAX_QUERY_CHARS, search_terms};
use rapport_domain::mapping::Filter;
use std::time::Duration;

/// How long the search box waits after the last key before searching.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

/// What the customer has chosen; [`Filters::query`] turns it into the backend's query.
#[derive(Debug, Clone, Copy)]
pub struct Filters {
    /// Only this kind.
    pub kind: RwSignal<Option<EventKind>>,
    /// Only this channel.
    pub channel: RwSignal<Option<Channel>>,
    /// `<input type="date">` value of the first day, or empty.
    pub from: RwSignal<String>,
    /// `<input type="date">` value of the last day (inclusive), or empty.
    pub to: RwSignal<String>,
    /// The search text once typing has paused.
    pub search: RwSignal<String>,
}

impl Filters {
    /// Nothing chosen: the whole history.
    pub fn new() -> Self {
        Self {
            kind: RwSignal::new(None),
            channel: RwSignal::new(None),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            search: RwSignal::new(String::new()),
        }
    }

    /// The first page's query, or `None` while the dates are the wrong way round.
    ///
    /// Dates are days in the reader's time zone: "from" starts at its local midnight, "to"
    /// ends at the next one.
    pub fn query(&self) -> Option<HistoryQuery> {
        let since = format::local_midnight(&self.from.get());
        let before = format::local_end_of_day(&self.to.get());
        if let (Some(since), Some(before)) = (since, before)
            && before <= since
        {
            return None;
        }
        Some(HistoryQuery {
            kind: self.kind.get(),
            channel: self.channel.get(),
            since,
            before,
            terms: search_terms(&self.search.get()),
            ..HistoryQuery::default()
        })
    }

    /// Whether anything narrows the timeline (an empty answer then means "no match").
    pub fn narrowing(&self) -> bool {
        self.kind.with(Option::is_some)
            || self.channel.with(Option::is_some)
            || self.from.with(|s| !s.is_empty())
            || self.to.with(|s| !s.is_empty())
            || self.search.with(|s| !search_terms(s).is_empty())
    }

    fn clear(&self) {
        self.kind.set(None);
        self.channel.set(None);
        self.from.set(String::new());
        self.to.set(String::new());
        self.search.set(String::new());
    }
}

/// The filter controls, each labelled.
#[component]
pub fn FilterControls(filters: Filters) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(filters.search.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let search_now = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending.set_value(None);
        filters.search.set(typed.get_untracked());
    };
    let on_search = move |ev: leptos::ev::Event| {
        typed.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending.set_value(set_timeout_with_handle(search_now, SEARCH_PAUSE).ok());
    };
    let reversed = move || filters.query().is_none();
    let clear = move |_| {
        typed.set(String::new());
        filters.clear();
    };

    view! {
        <form
            class="history-filters"
            role="search"
            aria-labelledby="history-filters-title"
            on:submit=move |ev| {
                ev.prevent_default();
                search_now();
            }
        >
            <h2 id="history-filters-title">{t!(i18n, history.filters_title)}</h2>
            <div class="filter-grid">
                {filters_by(Filter::Kind).then(|| view! {
                    <div class="field">
                        <label for="history-kind">{t!(i18n, history.kind)}</label>
                        <select
                            id="history-kind"
                            prop:value=move || filters.kind.get().map_or("", EventKind::as_str)
                            on:change=move |ev| filters.kind.set(EventKind::parse(&event_target_value(&ev)))
                        >
                            <option value="">{t!(i18n, history.all_kinds)}</option>
                            {EventKind::ALL
                                .into_iter()
                                .map(|k| view! { <option value=k.as_str()>{move || labels::kind(i18n, k)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                })}
                {filters_by(Filter::Channel).then(|| view! {
                    <div class="field">
                        <label for="history-channel">{t!(i18n, history.channel)}</label>
                        <select
                            id="history-channel"
                            prop:value=move || filters.channel.get().map_or("", Channel::as_str)
                            on:change=move |ev| filters.channel.set(Channel::parse(&event_target_value(&ev)))
                        >
                            <option value="">{t!(i18n, history.all_channels)}</option>
                            {Channel::ALL
                                .into_iter()
                                .map(|c| view! { <option value=c.as_str()>{move || labels::channel(i18n, c)}</option> })
                                .collect_view()}
                        </select>
                    </div>
                })}
                {filters_by(Filter::From).then(|| view! {
                    <div class="field">
                        <label for="history-from">{t!(i18n, history.from)}</label>
                        <input
                            id="history-from"
                            type="date"
                            prop:value=move || filters.from.get()
                            on:change=move |ev| filters.from.set(event_target_value(&ev))
                        />
                    </div>
                })}
                {filters_by(Filter::To).then(|| view! {
                    <div class="field">
                        <label for="history-to">{t!(i18n, history.to)}</label>
                        <input
                            id="history-to"
                            type="date"
                            prop:value=move || filters.to.get()
                            aria-invalid=move || reversed().then_some("true")
                            aria-describedby="history-dates-problem"
                            on:change=move |ev| filters.to.set(event_target_value(&ev))
                        />
                        <p id="history-dates-problem" class="problem" aria-live="polite">
                            {move || reversed().then_some(t!(i18n, history.dates_reversed))}
                        </p>
                    </div>
                })}
                {filters_by(Filter::Q).then(|| view! {
                    <div class="field search">
                        <label for="history-search">{t!(i18n, history.search)}</label>
                        <p id="history-search-hint" class="hint">{t!(i18n, history.search_hint)}</p>
                        <input
                            id="history-search"
                            type="search"
                            autocomplete="off"
                            maxlength=MAX_QUERY_CHARS.to_string()
                            aria-describedby="history-search-hint"
                            prop:value=move || typed.get()
                            on:input=on_search
                        />
                    </div>
                })}
            </div>
            <button type="button" class="secondary" on:click=clear>{t!(i18n, history.clear)}</button>
        </form>
    }
}
