//! The facts as pictures: spending per month (one chart per currency) and the products
//! bought most, each with its table (see `components::chart`).

use super::format;
use crate::components::chart::{Bars, Columns, Look, Series, Slot, bar_chart, column_chart};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rapport_domain::history::{CurrencySpending, DerivedFacts};

/// The charts for `facts`; nothing when there are no purchases to draw.
#[component]
pub fn FactsCharts(facts: DerivedFacts) -> impl IntoView {
    let i18n = use_i18n();
    let facts = StoredValue::new(facts);
    // Drawn again when the language changes: every label is formatted for it.
    move || {
        let locale = i18n.get_locale().as_str();
        facts.with_value(|facts| {
            let spending = facts
                .spending_series()
                .into_iter()
                .map(|one| spending_chart(i18n, locale, one))
                .collect_view();
            let products = (!facts.top_products.is_empty()).then(|| {
                let rows = facts
                    .top_products
                    .iter()
                    .map(|p| (p.product.clone(), p.units, format::number(locale, p.units)))
                    .collect();
                view! {
                    <div class="chart-block">
                        <h3>{t!(i18n, history.top_products)}</h3>
                        {bar_chart(Bars {
                            name: t_string!(i18n, history.top_chart_name).to_string(),
                            label_header: t_string!(i18n, history.product).to_string(),
                            value_header: t_string!(i18n, history.units).to_string(),
                            rows,
                        })}
                    </div>
                }
            });
            view! { <div class="charts">{spending}{products}</div> }
        })
    }
}

fn spending_chart(
    i18n: I18nContext<Locale>,
    locale: &'static str,
    spending: CurrencySpending,
) -> impl IntoView {
    let currency = spending.currency;
    let slots = spending
        .months
        .iter()
        .map(|m| Slot {
            short: format::month_short(locale, &m.month),
            long: format::month_long(locale, &m.month),
            values: vec![
                (
                    m.total_minor.max(0).unsigned_abs(),
                    format::money(locale, m.total_minor, &currency),
                ),
                (m.purchases, format::number(locale, m.purchases)),
            ],
        })
        .collect();
    let title = {
        let currency = currency.clone();
        t_string!(i18n, history.spending_title, currency).to_string()
    };
    let name = {
        let currency = currency.clone();
        t_string!(i18n, history.spending_name, currency).to_string()
    };
    let chart = Columns {
        name,
        slot_header: t_string!(i18n, history.month).to_string(),
        series: vec![
            Series {
                name: t_string!(i18n, history.spent).to_string(),
                look: Some(Look::Solid),
            },
            Series {
                name: t_string!(i18n, history.purchases).to_string(),
                look: None,
            },
        ],
        slots,
        tick: Box::new(move |minor| {
            format::money_compact(locale, i64::try_from(minor).unwrap_or(i64::MAX), &currency)
        }),
    };
    view! {
        <div class="chart-block">
            <h3>{title}</h3>
            {column_chart(chart)}
        </div>
    }
}
