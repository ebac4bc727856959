//! Small bar charts as inline SVG, each with the same figures as a real table behind a
//! "Show as table" disclosure: the drawing is one image to a screen reader (`role="img"`
//! with a name saying what it shows), the table is what it reads.
//!
//! No chart library: these are a few dozen rectangles, and a library would cost the wasm far
//! more than this module. The geometry is in `rapport_domain::chart` (tested natively); this
//! module only turns it into elements. Colours come from the theme's custom properties
//! through classes in `style/main.css` (the CSP allows no `style` attributes), and a second
//! series is hatched as well as coloured, so the two differ without colour.
//!
//! Charts are drawn once with the texts they are given; a page that changes language draws
//! them again.

use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::chart::{self, Axis, Rect};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How a series' bars look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// Filled with the first chart colour.
    Solid,
    /// Stripes of the second chart colour, outlined in it.
    Hatched,
}

/// One series: its name (legend and table column) and its look.
#[derive(Debug, Clone)]
pub struct Series {
    /// What the series counts, as the table's column header and the legend say.
    pub name: String,
    /// How its bars look; `None` for figures only the table shows (a count beside a sum).
    pub look: Option<Look>,
}

/// One slot of a column chart (a month): its labels and a value per series.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Under the columns ("Mar 26").
    pub short: String,
    /// In the table's row header ("March 2026").
    pub long: String,
    /// Per series: the value drawn and the text the table shows for it.
    pub values: Vec<(u64, String)>,
}

/// A column chart over slots (months), one column per series in each.
pub struct Columns {
    /// What the chart shows, as a screen reader announces the image.
    pub name: String,
    /// The table's first column header ("Month").
    pub slot_header: String,
    /// The series, in the order of each slot's values.
    pub series: Vec<Series>,
    /// The slots, left to right.
    pub slots: Vec<Slot>,
    /// An axis tick's text for a value ("SEK 1K", "12").
    pub tick: Box<dyn Fn(u64) -> String>,
}

/// A horizontal bar chart: one labelled bar per row.
#[derive(Debug, Clone)]
pub struct Bars {
    /// What the chart shows, as a screen reader announces the image.
    pub name: String,
    /// The table's header for the rows' labels ("Product").
    pub label_header: String,
    /// The table's header for the values ("Units").
    pub value_header: String,
    /// Per row: its label, its value, and the value's text.
    pub rows: Vec<(String, u64, String)>,
}

const WIDTH: f64 = 480.0;
const COLUMN_HEIGHT: f64 = 200.0;
/// Room left of the plot for the axis' tick labels, and below it for the slots' labels.
const AXIS_ROOM: f64 = 64.0;
const LABEL_ROOM: f64 = 24.0;
/// The widest slot label, in user units at the chart's font size ("sep. 26").
const SLOT_LABEL_WIDTH: f64 = 46.0;
const BAR_ROW: f64 = 40.0;
/// The widest a column gets, when there are few slots.
const WIDEST_COLUMN: f64 = 36.0;

/// A name for a chart's hatch pattern no other chart on the page has.
fn pattern_id() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("rapport-hatch-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn n(value: f64) -> String {
    chart::coordinate(value)
}

/// The stripes a hatched series is filled with, under `id`.
fn hatch(id: String) -> impl IntoView {
    view! {
        <defs>
            <pattern id=id patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
                <rect class="hatch-ground" width="6" height="6"></rect>
                <line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line>
            </pattern>
        </defs>
    }
}

fn bar(rect: Rect, look: Look, pattern: &str) -> impl IntoView + use<> {
    let (class, fill) = match look {
        Look::Solid => ("bar solid", None),
        Look::Hatched => ("bar hatched", Some(format!("url(#{pattern})"))),
    };
    view! {
        <rect class=class fill=fill x=n(rect.x) y=n(rect.y) width=n(rect.width) height=n(rect.height)></rect>
    }
}

/// A column chart with its axis, legend (for more than one series) and table.
pub fn column_chart(chart: Columns) -> impl IntoView {
    let pattern = pattern_id();
    let plot = Rect {
        x: AXIS_ROOM,
        y: 8.0,
        width: WIDTH - AXIS_ROOM - 4.0,
        height: COLUMN_HEIGHT - 8.0 - LABEL_ROOM,
    };
    let drawn = |slot: &Slot| -> Vec<u64> {
        slot.values
            .iter()
            .zip(&chart.series)
            .filter(|(_, series)| series.look.is_some())
            .map(|((value, _), _)| *value)
            .collect()
    };
    let max = chart.slots.iter().flat_map(drawn).max().unwrap_or(0);
    let axis = Axis::up_to(max, 4);
    let groups: Vec<Vec<u64>> = chart.slots.iter().map(drawn).collect();
    let placed = chart::columns(plot, &axis, &groups, WIDEST_COLUMN);
    let every = chart::label_every(chart::slot_width(plot, chart.slots.len()), SLOT_LABEL_WIDTH);
    let looks: Vec<Look> = chart.series.iter().filter_map(|s| s.look).collect();
    let ticks = axis
        .ticks
        .iter()
        .map(|tick| {
            let y = n(axis.y(plot, *tick));
            let label = (chart.tick)(*tick);
            view! {
                <line class="grid" x1=n(plot.x) x2=n(plot.x + plot.width) y1=y.clone() y2=y.clone()></line>
                <text class="tick" x=n(plot.x - 6.0) y=y dy="0.35em" text-anchor="end">{label}</text>
            }
        })
        .collect_view();
    let count = chart.slots.len();
    let labels = chart
        .slots
        .iter()
        .enumerate()
        .filter(|(i, _)| (count - 1 - i).is_multiple_of(every))
        .map(|(i, slot)| {
            view! {
                <text class="slot" x=n(chart::slot_centre(plot, count, i)) y=n(COLUMN_HEIGHT - 6.0) text-anchor="middle">
                    {slot.short.clone()}
                </text>
            }
        })
        .collect_view();
    let columns = placed
        .into_iter()
        .flat_map(|group| group.into_iter().zip(looks.iter().copied()))
        .filter(|(rect, _)| rect.height > 0.0)
        .map(|(rect, look)| bar(rect, look, &pattern))
        .collect_view();
    let legend = (looks.len() > 1).then(|| legend(&chart.series, &pattern));
    let header = std::iter::once(chart.slot_header.clone())
        .chain(chart.series.iter().map(|s| s.name.clone()))
        .collect::<Vec<_>>();
    let rows = chart
        .slots
        .iter()
        .map(|slot| {
            (
                slot.long.clone(),
                slot.values.iter().map(|(_, text)| text.clone()).collect(),
            )
        })
        .collect::<Vec<_>>();
    view! {
        <figure class="chart">
            <svg class="chart-drawing" role="img" aria-label=chart.name.clone()
                viewBox=format!("0 0 {} {}", n(WIDTH), n(COLUMN_HEIGHT))>
                {hatch(pattern.clone())}
                {ticks}
                {columns}
                <line class="floor" x1=n(plot.x) x2=n(plot.x + plot.width)
                    y1=n(plot.y + plot.height) y2=n(plot.y + plot.height)></line>
                {labels}
            </svg>
            {legend}
            {table(chart.name, header, rows)}
        </figure>
    }
}

/// A horizontal bar chart: each row's label above its bar and its value at the right.
pub fn bar_chart(chart: Bars) -> impl IntoView {
    #[allow(clippy::cast_precision_loss)] // a handful of rows
    let height = BAR_ROW * chart.rows.len().max(1) as f64;
    let plot = Rect {
        x: 0.0,
        y: 0.0,
        width: WIDTH,
        height,
    };
    let values: Vec<u64> = chart.rows.iter().map(|(_, value, _)| *value).collect();
    let drawn = chart::bars(plot, &values)
        .into_iter()
        .zip(chart.rows.iter())
        .map(|(rect, (label, _, text))| {
            let baseline = n(rect.y - 5.0);
            view! {
                <text class="bar-label" x="0" y=baseline.clone()>{label.clone()}</text>
                <text class="bar-value" x=n(WIDTH) y=baseline text-anchor="end">{text.clone()}</text>
                <rect class="track" x="0" y=n(rect.y) width=n(WIDTH) height=n(rect.height)></rect>
                {bar(rect, Look::Solid, "")}
            }
        })
        .collect_view();
    let header = vec![chart.label_header.clone(), chart.value_header.clone()];
    let rows = chart
        .rows
        .iter()
        .map(|(label, _, text)| (label.clone(), vec![text.clone()]))
        .collect();
    view! {
        <figure class="chart">
            <svg class="chart-drawing bars" role="img" aria-label=chart.name.clone()
                viewBox=format!("0 0 {} {}", n(WIDTH), n(height))>
                {drawn}
            </svg>
            {table(chart.name, header, rows)}
        </figure>
    }
}

/// What each series looks like, in words beside a swatch.
fn legend(series: &[Series], pattern: &str) -> impl IntoView + use<> {
    let items = series
        .iter()
        .filter_map(|s| s.look.map(|look| (s, look)))
        .map(|(s, look)| {
            let swatch = Rect {
                x: 1.0,
                y: 1.0,
                width: 12.0,
                height: 12.0,
            };
            view! {
                <li>
                    <svg class="swatch" aria-hidden="true" viewBox="0 0 14 14" width="14" height="14">
                        {bar(swatch, look, pattern)}
                    </svg>
                    {s.name.clone()}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="legend">{items}</ul> }
}

/// The figures as a table, behind a disclosure that keyboards and screen readers reach.
fn table(caption: String, header: Vec<String>, rows: Vec<(String, Vec<String>)>) -> impl IntoView {
    let i18n = use_i18n();
    let mut header = header.into_iter();
    let first = header.next().unwrap_or_default();
    let columns = header
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|(label, cells)| {
            let cells = cells
                .into_iter()
                .map(|c| view! { <td>{c}</td> })
                .collect_view();
            view! { <tr><th scope="row">{label}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <details class="chart-table">
            <summary>{t!(i18n, chart.show_table)}</summary>
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{first}</th>{columns}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </details>
    }
}
