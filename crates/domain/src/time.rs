//! Time as Rapport handles it: Unix seconds (UTC) as integers, read from what people type
//! in a filter and written for people in exports.
//!
//! A small date code of our own rather than `time` or `jiff`: all that is needed is the
//! proleptic Gregorian calendar in UTC (two of Howard Hinnant's formulas), the portal shares
//! this crate and formats for people through the browser's `Intl`, and a date crate would
//! carry its tables into the wasm for three functions.

/// The latest time accepted anywhere: 9999-12-31T23:59:59Z. Larger numbers in a filter are
/// refused rather than wrapped around.
pub const MAX_TIME: i64 = 253_402_300_799;

/// Reads a time bound: Unix seconds, a date (`2024-05-01`) or a UTC time
/// (`2024-05-01T08:00:00Z`).
///
/// Seconds beyond [`MAX_TIME`] are refused (`None`), so no bound can overflow when the end
/// is made exclusive, and no SQL comparison sees a wrapped-around value.
///
/// With `inclusive_end`, the answer is one past the last second the bound covers: the day's
/// end for a date, the next second otherwise; so `to=2024-05-01` includes all of that day.
#[must_use]
pub fn parse_time(text: &str, inclusive_end: bool) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = text.parse().ok().filter(|secs| *secs <= MAX_TIME)?;
        return Some(if inclusive_end { secs + 1 } else { secs });
    }
    let (date, time) = match text.split_once(['T', 't', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year = number(parts.next()?, 4)?;
    let month = number(parts.next()?, 2)?;
    let day = number(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    let midnight = days_from_civil(year, month, day) * 86_400;
    let Some(time) = time else {
        return Some(if inclusive_end {
            midnight + 86_400
        } else {
            midnight
        });
    };
    let time = time.strip_suffix(['Z', 'z'])?;
    let mut parts = time.split(':');
    let hour = number(parts.next()?, 2)?;
    let minute = number(parts.next()?, 2)?;
    let second = number(parts.next()?, 2)?;
    if parts.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let at = midnight + hour * 3600 + minute * 60 + second;
    Some(if inclusive_end { at + 1 } else { at })
}

fn number(text: &str, digits: usize) -> Option<i64> {
    (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2024-05-01T08:00:00Z` for Unix seconds; how the CSV export writes times for people.
#[must_use]
pub fn format_utc(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The calendar month (UTC) an instant falls in, as `YYYY-MM`: the key monthly figures
/// are grouped by. It sorts as text, and is what SQLite's `strftime('%Y-%m', t,
/// 'unixepoch')` and PostgreSQL's `to_char(to_timestamp(t) AT TIME ZONE 'UTC', 'YYYY-MM')`
/// write, so the store and this crate group alike.
#[must_use]
pub fn month_of(secs: i64) -> String {
    let (year, month, _) = civil_from_days(secs.div_euclid(86_400));
    format!("{year:04}-{month:02}")
}

/// The month `delta` months after `month` (`YYYY-MM`; negative goes back); `None` when
/// `month` is not one.
#[must_use]
pub fn add_months(month: &str, delta: i64) -> Option<String> {
    let (year, month) = month.split_once('-')?;
    let (year, month) = (number(year, 4)?, number(month, 2)?);
    if !(1..=12).contains(&month) {
        return None;
    }
    let index = year * 12 + month - 1 + delta;
    Some(format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    ))
}

/// Unix seconds of the first instant of a month (`YYYY-MM`, UTC).
#[must_use]
pub fn month_start(month: &str) -> Option<i64> {
    parse_time(&format!("{month}-01"), false)
}

/// Year, month and day of a count of days since 1970-01-01 (Hinnant's `civil_from_days`,
/// the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn times_read_and_written() {
        let cases = [
            ("0", false, Some(0)),
            ("1700000000", true, Some(1_700_000_001)),
            ("1970-01-01", false, Some(0)),
            ("1970-01-01", true, Some(DAY)),
            ("2024-02-29T23:59:59Z", false, Some(1_709_251_199)),
            ("2000-03-01T00:00:00Z", false, Some(951_868_800)),
            ("2024-02-30", false, None),
            ("2024-1-01", false, None),
            ("2024-01-01T24:00:00Z", false, None),
            ("2024-01-01T10:00:00+01:00", false, None),
            ("", false, None),
            ("253402300799", true, Some(MAX_TIME + 1)),
            ("253402300800", false, None),
            ("9223372036854775807", true, None),
            ("9223372036854775808", false, None),
            ("-1", false, None),
        ];
        for (text, end, expected) in cases {
            assert_eq!(parse_time(text, end), expected, "{text:?}");
        }
        for secs in [0, 951_868_800, 1_709_251_199, 1_767_225_599, -86_401] {
            assert_eq!(parse_time(&format_utc(secs), false), Some(secs), "{secs}");
        }
        assert_eq!(format_utc(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(format_utc(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn months_as_keys() {
        assert_eq!(month_of(0), "1970-01");
        assert_eq!(
            month_of(1_709_251_199),
            "2024-02",
            "the last second of February"
        );
        assert_eq!(month_of(1_709_251_200), "2024-03");
        assert_eq!(month_of(-1), "1969-12");
        assert_eq!(add_months("2024-03", -11).as_deref(), Some("2023-04"));
        assert_eq!(add_months("2024-01", -1).as_deref(), Some("2023-12"));
        assert_eq!(add_months("2023-12", 1).as_deref(), Some("2024-01"));
        assert_eq!(add_months("2024-12", 0).as_deref(), Some("2024-12"));
        assert_eq!(add_months("2024-13", 0), None);
        assert_eq!(add_months("2024-1", 0), None);
        assert_eq!(month_start("2024-03"), Some(1_709_251_200));
        assert_eq!(month_start("2024-00"), None);
        for secs in [0, 951_868_800, 1_709_251_199, 1_767_225_599] {
            let month = month_of(secs);
            let start = month_start(&month).unwrap();
            let next = month_start(&add_months(&month, 1).unwrap()).unwrap();
            assert!(start <= secs && secs < next, "{secs} in {month}");
        }
    }
}
