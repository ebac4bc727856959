//! Dates, times, numbers and money in the reader's language and time zone, through the
//! browser's `Intl` (it costs the wasm nothing; date and locale crates would carry their data
//! into it).
//!
//! Formatters are expensive to make and cheap to use, so one set per language is kept for
//! the page's lifetime (the browser is single-threaded: a thread-local is the whole cache).

use js_sys::{Array, Date, Intl, Object, Reflect};
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use wasm_bindgen::JsValue;

struct Formats {
    locale: String,
    /// The tags handed to every formatter (see [`locales`]).
    locales: Array,
    day: OnceCell<Intl::DateTimeFormat>,
    date: OnceCell<Intl::DateTimeFormat>,
    time: OnceCell<Intl::DateTimeFormat>,
    /// Months as charts label them ("Mar 26"), and in full ("March 2026"); in UTC, since
    /// monthly figures are counted per UTC month.
    month_short: OnceCell<Intl::DateTimeFormat>,
    month_long: OnceCell<Intl::DateTimeFormat>,
    number: OnceCell<Intl::NumberFormat>,
    /// Per currency: the formatter and its number of minor-unit digits (2 for SEK, 0 for JPY).
    money: HashMap<String, (Intl::NumberFormat, i32)>,
    /// Per currency: short amounts for a chart's axis ("SEK 1.5K", "1,5 tn kr").
    money_compact: HashMap<String, (Intl::NumberFormat, i32)>,
}

thread_local! {
    static FORMATS: RefCell<Option<Formats>> = const { RefCell::new(None) };
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), &(*value).into());
    }
    object
}

/// The reader's own tag for the portal's language when the browser has one (`en-GB` for
/// `en`, so dates read "4 December 2020" in Britain), else the language alone.
fn locales(locale: &str) -> Array {
    let regional = web_sys::window()
        .map(|w| w.navigator().languages())
        .into_iter()
        .flat_map(|tags| tags.iter().collect::<Vec<_>>())
        .filter_map(|tag| tag.as_string())
        .find(|tag| {
            tag.split('-')
                .next()
                .is_some_and(|primary| primary.eq_ignore_ascii_case(locale))
        });
    Array::of1(&regional.as_deref().unwrap_or(locale).into())
}

impl Formats {
    fn new(locale: &str) -> Self {
        Self {
            locale: locale.to_owned(),
            locales: locales(locale),
            day: OnceCell::new(),
            date: OnceCell::new(),
            time: OnceCell::new(),
            month_short: OnceCell::new(),
            month_long: OnceCell::new(),
            number: OnceCell::new(),
            money: HashMap::new(),
            money_compact: HashMap::new(),
        }
    }
}

/// Runs `f` with the formatters of `locale`, making them on first use or a language change.
fn with<T>(locale: &str, f: impl FnOnce(&mut Formats) -> T) -> T {
    FORMATS.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|formats| formats.locale != locale) {
            *slot = Some(Formats::new(locale));
        }
        f(slot.as_mut().unwrap_or_else(|| unreachable!("just set")))
    })
}

fn date_of(secs: i64) -> Date {
    #[allow(clippy::cast_precision_loss)] // seconds since 1970 fit a double exactly
    Date::new(&JsValue::from_f64(secs as f64 * 1000.0))
}

fn call(format: &js_sys::Function, value: &JsValue) -> String {
    format
        .call1(&JsValue::NULL, value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// `secs` through the date-time formatter `pick` names, made with `pairs` on first use:
/// making one costs the browser milliseconds (the first ~20 ms), so a page that shows no
/// time of day never makes that one. No timeZone option unless given: the browser's own
/// zone is the reader's.
fn date_time(
    locale: &str,
    pick: fn(&Formats) -> &OnceCell<Intl::DateTimeFormat>,
    pairs: &[(&str, &str)],
    secs: i64,
) -> String {
    with(locale, |f| {
        let format = pick(f).get_or_init(|| Intl::DateTimeFormat::new(&f.locales, &options(pairs)));
        call(&format.format(), &date_of(secs))
    })
}

/// A day heading: "Wednesday 25 November 2026", "onsdag 25 november 2026".
#[must_use]
pub fn day(locale: &str, secs: i64) -> String {
    date_time(locale, |f| &f.day, &[("dateStyle", "full")], secs)
}

/// A date: "25 November 2026", "25 november 2026".
#[must_use]
pub fn date(locale: &str, secs: i64) -> String {
    date_time(locale, |f| &f.date, &[("dateStyle", "long")], secs)
}

/// A time of day: "14:05", "2:05 PM" where the language writes it so.
#[must_use]
pub fn time(locale: &str, secs: i64) -> String {
    date_time(locale, |f| &f.time, &[("timeStyle", "short")], secs)
}

/// A count: "1,234", "1 234".
#[must_use]
pub fn number(locale: &str, n: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // counts of events are far below 2^53
    let value = JsValue::from_f64(n as f64);
    with(locale, |f| {
        let format = f
            .number
            .get_or_init(|| Intl::NumberFormat::new(&f.locales, &Object::new()));
        call(&format.format(), &value)
    })
}

/// An amount of money given in minor units: "SEK 59.90", "59,90 kr".
#[must_use]
pub fn money(locale: &str, minor: i64, currency: &str) -> String {
    with(locale, |f| {
        money_in(&mut f.money, &f.locales, minor, currency, &[])
    })
}

/// An amount of money in minor units, short, for a chart's axis: "SEK 1.5K", "1,5 tn kr".
#[must_use]
pub fn money_compact(locale: &str, minor: i64, currency: &str) -> String {
    with(locale, |f| {
        money_in(
            &mut f.money_compact,
            &f.locales,
            minor,
            currency,
            &[("notation", "compact")],
        )
    })
}

/// Formats with the cached formatter for `currency` in `cache`, made with `extra` options.
fn money_in(
    cache: &mut HashMap<String, (Intl::NumberFormat, i32)>,
    locales: &Array,
    minor: i64,
    currency: &str,
    extra: &[(&str, &str)],
) -> String {
    let (format, digits) = cache.entry(currency.to_owned()).or_insert_with(|| {
        let mut pairs = vec![("style", "currency"), ("currency", currency)];
        pairs.extend_from_slice(extra);
        let format = Intl::NumberFormat::new(locales, &options(&pairs));
        // The currency's own minor digits, from a plain formatter: compact notation reports
        // fewer, but the amounts are still in the currency's minor units.
        let plain = Intl::NumberFormat::new(
            locales,
            &options(&[("style", "currency"), ("currency", currency)]),
        );
        let digits = Reflect::get(&plain.resolved_options(), &"maximumFractionDigits".into())
            .ok()
            .and_then(|d| d.as_f64())
            .map_or(2, |d| d as i32);
        (format, digits)
    });
    #[allow(clippy::cast_precision_loss)] // amounts are far below 2^53 minor units
    let major = minor as f64 / 10f64.powi(*digits);
    call(&format.format(), &JsValue::from_f64(major))
}

/// A month key (`2026-03`, UTC) as a chart's axis labels it: "Mar 26", "mars 26".
#[must_use]
pub fn month_short(locale: &str, month: &str) -> String {
    let at = month_middle(month);
    let short = [("month", "short"), ("year", "2-digit"), ("timeZone", "UTC")];
    date_time(locale, |f| &f.month_short, &short, at)
}

/// A month key (`2026-03`, UTC) in full: "March 2026", "mars 2026".
#[must_use]
pub fn month_long(locale: &str, month: &str) -> String {
    let at = month_middle(month);
    let long = [("month", "long"), ("year", "numeric"), ("timeZone", "UTC")];
    date_time(locale, |f| &f.month_long, &long, at)
}

/// The middle of a month, well away from either end whatever the zone.
fn month_middle(month: &str) -> i64 {
    rapport_domain::time::month_start(month).unwrap_or(0) + 14 * 86_400
}

/// The day an instant falls on in the reader's time zone, as a number that sorts (20261125).
#[must_use]
pub fn day_key(secs: i64) -> u32 {
    let date = date_of(secs);
    date.get_full_year() * 10_000 + (date.get_month() + 1) * 100 + date.get_date()
}

/// The machine-readable form for `<time datetime>`: `2026-11-25T13:05:00.000Z`.
#[must_use]
pub fn iso(secs: i64) -> String {
    date_of(secs).to_iso_string().into()
}

/// Unix seconds of local midnight at the start of a `<input type="date">` value
/// (`2026-11-25`); `None` when it is empty or not a date.
#[must_use]
pub fn local_midnight(value: &str) -> Option<i64> {
    let mut parts = value.trim().split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: i32 = parts.next()?.parse().ok()?;
    let day: i32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let ms = Date::new_with_year_month_day(year, month - 1, day).get_time();
    #[allow(clippy::cast_possible_truncation)] // a date's milliseconds fit i64
    (!ms.is_nan()).then(|| (ms / 1000.0) as i64)
}

/// Local midnight at the end of that day (the start of the next), for an inclusive "to".
#[must_use]
pub fn local_end_of_day(value: &str) -> Option<i64> {
    let start = local_midnight(value)?;
    let date = date_of(start);
    let next = Date::new_with_year_month_day(
        date.get_full_year(),
        i32::try_from(date.get_month()).ok()?,
        i32::try_from(date.get_date()).ok()? + 1,
    );
    #[allow(clippy::cast_possible_truncation)] // a date's milliseconds fit i64
    Some((next.get_time() / 1000.0) as i64)
}
