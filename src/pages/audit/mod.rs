//! The privacy officer's audit: whether the consent ledger is intact, consent given and
//! withdrawn over time, the ledger with filters and exports, what one customer saw and chose
//! on a date, and every consent screen exactly as customers saw it.

use crate::backend::{Backend, BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::components::chart::{Columns, Look, Series, Slot, column_chart};
use crate::dom;
use crate::i18n::*;
use crate::pages::history::format;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rapport_domain::config::PortalConfig;
use rapport_domain::consent::{ConsentDecision, LedgerEntry, ScreenText};
use rapport_domain::consent_trend::{ConsentTrend, PurposeTrend};

/// `/audit`.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, audit.title)}</h1>
        <p>{t!(i18n, audit.intro)}</p>
        <Verification />
        <Trend />
        <Ledger />
        <CustomerLookup />
        <Catalog />
    }
}

fn language(i18n: I18nContext<Locale>) -> &'static str {
    leptos_i18n::Locale::as_str(i18n.get_locale())
}

fn decision_label(i18n: I18nContext<Locale>, decision: ConsentDecision) -> &'static str {
    match decision {
        ConsentDecision::Given => t_string!(i18n, privacy.given),
        ConsentDecision::Withdrawn => t_string!(i18n, privacy.withdrawn),
    }
}

/// A failure, explained.
fn failure(error: Option<BackendError>) -> impl IntoView {
    error.map(
        |error| view! { <p class="status error" role="alert"><BackendErrorText error=error /></p> },
    )
}

#[component]
fn Verification() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let verify = Action::new_local(move |(): &()| {
        let backend = backend.clone();
        async move { ops::verify_ledger(&backend).await }
    });
    verify.dispatch(());
    view! {
        <section class="card" aria-labelledby="verify-title">
            <h2 id="verify-title">{t!(i18n, audit.verify)}</h2>
            <p role="status">
                {move || verify.value().get().and_then(Result::ok).map(|report| {
                    let entries = report.entries;
                    match report.first_broken {
                        None => t!(i18n, audit.intact, entries).into_any(),
                        Some(seq) => view! { <strong class="broken">{t!(i18n, audit.broken, entries, seq)}</strong> }.into_any(),
                    }
                })}
            </p>
            <p class="hint">
                {move || verify.value().get().and_then(Result::ok).filter(|report| report.entries > 0).map(|report| {
                    match report.signed_head.filter(|_| report.intact) {
                        Some(head) => {
                            let (seq, key) = (head.seq, head.signature.key_id);
                            t!(i18n, audit.head_signed, seq, key = move || key.clone()).into_any()
                        }
                        None => t!(i18n, audit.head_unsigned).into_any(),
                    }
                })}
            </p>
            {move || failure(verify.value().get().and_then(Result::err))}
            <button type="button" class="secondary" disabled=move || verify.pending().get() on:click=move |_| { verify.dispatch(()); }>
                {t!(i18n, audit.verify_again)}
            </button>
        </section>
    }
}

/// Consent given and withdrawn per month, one chart per purpose.
#[component]
fn Trend() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let config = StoredValue::new(expect_context::<PortalConfig>());
    let trend = LocalResource::new(move || {
        let backend = backend.clone();
        async move { ops::audit_consent_trend(&backend).await }
    });
    view! {
        <section class="card" aria-labelledby="trend-title">
            <h2 id="trend-title">{t!(i18n, audit.trend)}</h2>
            <p>{t!(i18n, audit.trend_intro)}</p>
            <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match trend.await {
                        Ok(trend) if trend.months.is_empty() => {
                            view! { <p>{t!(i18n, audit.trend_empty)}</p> }.into_any()
                        }
                        Ok(trend) => {
                            let trend = StoredValue::new(trend);
                            // Drawn again when the language changes.
                            (move || trend.with_value(|trend| {
                                config.with_value(|config| trend_charts(i18n, config, trend))
                            }))
                            .into_any()
                        }
                        Err(error) => failure(Some(error)).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn trend_charts(
    i18n: I18nContext<Locale>,
    config: &PortalConfig,
    trend: &ConsentTrend,
) -> impl IntoView + use<> {
    let lang = language(i18n);
    let order: Vec<&str> = config.purposes.iter().map(|p| p.id.as_str()).collect();
    let charts = trend
        .by_purpose(&order)
        .into_iter()
        .map(|series| {
            let purpose = config
                .purposes
                .iter()
                .find(|p| p.id == series.purpose)
                .map_or_else(|| series.purpose.clone(), |p| p.title.get(lang).to_owned());
            purpose_chart(i18n, lang, purpose, &series)
        })
        .collect_view();
    view! { <div class="charts">{charts}</div> }
}

fn purpose_chart(
    i18n: I18nContext<Locale>,
    lang: &'static str,
    purpose: String,
    series: &PurposeTrend,
) -> impl IntoView + use<> {
    let slots = series
        .months
        .iter()
        .map(|m| Slot {
            short: format::month_short(lang, &m.month),
            long: format::month_long(lang, &m.month),
            values: vec![
                (m.given, format::number(lang, m.given)),
                (m.withdrawn, format::number(lang, m.withdrawn)),
            ],
        })
        .collect();
    let name = {
        let purpose = purpose.clone();
        t_string!(i18n, audit.trend_name, purpose).to_string()
    };
    let chart = Columns {
        name,
        slot_header: t_string!(i18n, audit.month).to_string(),
        series: vec![
            Series {
                name: t_string!(i18n, privacy.given).to_string(),
                look: Some(Look::Solid),
            },
            Series {
                name: t_string!(i18n, privacy.withdrawn).to_string(),
                look: Some(Look::Hatched),
            },
        ],
        slots,
        tick: Box::new(move |count| format::number(lang, count)),
    };
    view! {
        <div class="chart-block">
            <h3>{purpose}</h3>
            {column_chart(chart)}
        </div>
    }
}

#[component]
fn Ledger() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let config = expect_context::<PortalConfig>();
    let (purpose, decision, lang, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let filters = move || {
        vec![
            ("purpose".to_owned(), purpose.get()),
            ("decision".to_owned(), decision.get()),
            ("language".to_owned(), lang.get()),
            ("from".to_owned(), from.get()),
            ("to".to_owned(), to.get()),
        ]
    };
    // Pages newest first: a filter change loads the first page afresh, "Load more" appends
    // the next one.
    let rows = RwSignal::new(Vec::<LedgerEntry>::new());
    let next = RwSignal::new(None::<String>);
    let load = {
        let backend = backend.clone();
        Action::new_local(
            move |(filters, cursor): &(Vec<(String, String)>, Option<String>)| {
                let (backend, filters, cursor) = (backend.clone(), filters.clone(), cursor.clone());
                let first = cursor.is_none();
                async move {
                    ops::audit_ledger(&backend, filters, cursor)
                        .await
                        .map(|page| (first, page))
                }
            },
        )
    };
    Effect::new(move || {
        load.dispatch((filters(), None));
    });
    Effect::new(move || {
        if let Some(Ok((first, page))) = load.value().get() {
            if first {
                rows.set(page.entries);
            } else {
                rows.update(|all| all.extend(page.entries));
            }
            next.set(page.next_cursor);
        }
    });
    let export = Action::new_local(move |format: &&'static str| {
        let (backend, format, filters) = (backend.clone(), *format, filters());
        async move {
            ops::audit_ledger_file(&backend, filters, format)
                .await
                .map(|text| (format, text))
        }
    });
    Effect::new(move || {
        if let Some(Ok((format, text))) = export.value().get() {
            let mime = if format == "csv" {
                "text/csv"
            } else {
                "application/json"
            };
            dom::download(&format!("consent-ledger.{format}"), mime, &text);
        }
    });
    let purposes = config.purposes.clone();
    let languages = config.languages.clone();

    view! {
        <section class="card" aria-labelledby="ledger-title">
            <h2 id="ledger-title">{t!(i18n, audit.ledger)}</h2>
            <div class="filters">
                <label>
                    <span>{t!(i18n, audit.purpose)}</span>
                    <select on:change:target=move |ev| purpose.set(ev.target().value())>
                        <option value="">{t!(i18n, audit.all)}</option>
                        {purposes.into_iter().map(|p| {
                            let title = p.title.clone();
                            view! { <option value=p.id.clone()>{move || title.get(language(i18n)).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t!(i18n, audit.decision)}</span>
                    <select on:change:target=move |ev| decision.set(ev.target().value())>
                        <option value="">{t!(i18n, audit.all)}</option>
                        <option value="given">{t!(i18n, privacy.given)}</option>
                        <option value="withdrawn">{t!(i18n, privacy.withdrawn)}</option>
                    </select>
                </label>
                <label>
                    <span>{t!(i18n, audit.language)}</span>
                    <select on:change:target=move |ev| lang.set(ev.target().value())>
                        <option value="">{t!(i18n, audit.all)}</option>
                        {languages.into_iter().map(|code| view! { <option value=code.clone()>{crate::language::endonym(&code).to_owned()}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{t!(i18n, audit.from)}</span>
                    <input type="date" on:change:target=move |ev| from.set(ev.target().value()) />
                </label>
                <label>
                    <span>{t!(i18n, audit.to)}</span>
                    <input type="date" on:change:target=move |ev| to.set(ev.target().value()) />
                </label>
            </div>
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| { export.dispatch("csv"); }>{t!(i18n, audit.export_csv)}</button>
                <button type="button" class="secondary" on:click=move |_| { export.dispatch("json"); }>{t!(i18n, audit.export_json)}</button>
            </div>
            {move || failure(export.value().get().and_then(Result::err))}
            {move || failure(load.value().get().and_then(Result::err))}
            <LedgerTable entries=rows />
            <div class="actions">
                {move || match next.get() {
                    Some(cursor) => view! {
                        <button type="button" class="secondary" disabled=move || load.pending().get()
                            on:click=move |_| { load.dispatch((filters(), Some(cursor.clone()))); }>
                            {t!(i18n, audit.load_more)}
                        </button>
                    }.into_any(),
                    None => view! { <p>{t!(i18n, audit.all_shown)}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn LedgerTable(entries: RwSignal<Vec<LedgerEntry>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move || entries.with(Vec::len);
    let rows = move || {
        let lang = language(i18n);
        entries
            .get()
            .into_iter()
            .map(|e| {
        view! {
                    <tr>
                        <td>{e.seq}</td>
                        <td>{dom::date_time(e.recorded_at, lang)}</td>
                        <td><code>{e.customer_ref.clone()}</code></td>
                        <td>{e.purpose.clone()}</td>
                        <td>{decision_label(i18n, e.decision)}</td>
                        <td>{e.purpose_version}</td>
                        <td>{e.language.clone()}</td>
                        <td><code title=e.text_sha256.clone()>{e.text_sha256.chars().take(12).collect::<String>()}</code></td>
                        <td>{e.screen.clone()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <p>{t!(i18n, audit.count, count)}</p>
        <div class="grid-wrap" role="region" aria-label=move || t_string!(i18n, audit.ledger_table) tabindex="0">
            <table class="ledger">
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t!(i18n, privacy.when)}</th>
                        <th scope="col">{t!(i18n, audit.customer)}</th>
                        <th scope="col">{t!(i18n, audit.purpose)}</th>
                        <th scope="col">{t!(i18n, audit.decision)}</th>
                        <th scope="col">{t!(i18n, privacy.version_column)}</th>
                        <th scope="col">{t!(i18n, audit.language)}</th>
                        <th scope="col">{t!(i18n, audit.text_hash)}</th>
                        <th scope="col">{t!(i18n, audit.screen)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn CustomerLookup() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let (customer, date) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let lookup = Action::new_local(move |(customer, date): &(String, String)| {
        let (backend, customer, date) = (backend.clone(), customer.clone(), date.clone());
        async move { ops::audit_customer_at(&backend, customer, date).await }
    });
    view! {
        <section class="card" aria-labelledby="lookup-title">
            <h2 id="lookup-title">{t!(i18n, audit.lookup)}</h2>
            <form class="filters" on:submit=move |ev| {
                ev.prevent_default();
                lookup.dispatch((customer.get_untracked(), date.get_untracked()));
            }>
                <label>
                    <span>{t!(i18n, audit.customer)}</span>
                    <input type="text" required on:input:target=move |ev| customer.set(ev.target().value()) />
                </label>
                <label>
                    <span>{t!(i18n, audit.on_date)}</span>
                    <input type="date" required on:input:target=move |ev| date.set(ev.target().value()) />
                </label>
                <div class="actions"><button type="submit">{t!(i18n, audit.look_up)}</button></div>
            </form>
            {move || failure(lookup.value().get().and_then(Result::err))}
            {move || lookup.value().get().and_then(Result::ok).map(|found| {
                if found.purposes.is_empty() {
                    return view! { <p role="status">{t!(i18n, audit.nothing_decided)}</p> }.into_any();
                }
                view! {
                    <div role="status"><ul class="seen">
                        {found.purposes.into_iter().map(|seen| {
                            let decision = seen.entry.decision;
                            let when = dom::date_time(seen.entry.recorded_at, language(i18n));
                            let version = seen.entry.purpose_version;
                            view! {
                                <li>
                                    <strong>{seen.purpose.clone()}</strong> ": "
                                    {decision_label(i18n, decision)} ", "
                                    {t!(i18n, privacy.version, version)} ", " {when}
                                    {seen.screen.map(|screen| view! { <ScreenView screen=screen /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul></div>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn Catalog() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let screens = LocalResource::new(move || {
        let backend = backend.clone();
        async move { ops::audit_screens(&backend).await }
    });
    view! {
        <section class="card" aria-labelledby="catalog-title">
            <h2 id="catalog-title">{t!(i18n, audit.catalog)}</h2>
            <p>{t!(i18n, audit.catalog_intro)}</p>
            <Suspense fallback=move || view! { <p role="status">{t!(i18n, app.loading)}</p> }>
                {move || Suspend::new(async move {
                    match screens.await {
                        Ok(catalog) => catalog
                            .screens
                            .into_iter()
                            .map(|screen| view! { <ScreenView screen=screen /> })
                            .collect_view()
                            .into_any(),
                        Err(error) => failure(Some(error)).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One consent screen's text exactly as customers saw it, with its identity.
#[component]
fn ScreenView(screen: ScreenText) -> impl IntoView {
    let i18n = use_i18n();
    let (purpose, version, lang) = (
        screen.purpose.clone(),
        screen.version,
        screen.language.clone(),
    );
    view! {
        <details class="screen">
            <summary>
                {purpose} " · " {t!(i18n, privacy.version, version)} " · " {lang.clone()}
                " · " <code>{screen.text_sha256.chars().take(12).collect::<String>()}</code>
            </summary>
            <div lang=lang>
                <p><strong>{screen.title}</strong></p>
                <p>{screen.description}</p>
                <p class="policy">{screen.policy}</p>
            </div>
        </details>
    }
}
