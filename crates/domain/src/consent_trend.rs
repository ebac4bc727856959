//! Consent given and withdrawn per purpose and month, from the consent ledger: what the
//! privacy officer's trend chart draws (`GET /audit/consents/trend`).
//!
//! The window is the [`TREND_MONTHS`] calendar months (UTC) ending with the current one, so
//! a trend always reaches today: a purpose nobody decided on lately shows as quiet months,
//! not as a chart that stops. The store counts with SQL; [`ConsentTrend::compute`] is the
//! same rule over ledger entries, which the server's tests hold the SQL to.

use crate::consent::{ConsentDecision, LedgerEntry};
use crate::time::{add_months, month_of, month_start};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many calendar months a trend covers, the current one included.
pub const TREND_MONTHS: i64 = 24;

/// The answer of `GET /audit/consents/trend`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConsentTrend {
    /// One row per month and purpose with any decision, oldest month first, purposes by id
    /// (byte order) within a month. Months without decisions are absent.
    pub months: Vec<TrendMonth>,
}

/// The decisions on one purpose in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendMonth {
    /// The calendar month in UTC, `YYYY-MM`.
    pub month: String,
    /// The purpose's id.
    pub purpose: String,
    /// How many times consent was given.
    pub given: u64,
    /// How many times consent was withdrawn.
    pub withdrawn: u64,
}

/// One purpose's decisions over every month from the first to the last month of a trend,
/// quiet months included: what one chart draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurposeTrend {
    /// The purpose's id.
    pub purpose: String,
    /// Each month, oldest first; quiet months have zero counts.
    pub months: Vec<TrendMonth>,
}

/// The first instant a trend counts from at `now`: the start of the month
/// [`TREND_MONTHS`]` - 1` months before the current one.
#[must_use]
pub fn trend_since(now: i64) -> i64 {
    add_months(&month_of(now), 1 - TREND_MONTHS)
        .and_then(|month| month_start(&month))
        .unwrap_or(i64::MIN)
}

impl ConsentTrend {
    /// Counts `entries` recorded from [`trend_since`]`(now)` on, as the store does.
    #[must_use]
    pub fn compute(entries: &[LedgerEntry], now: i64) -> ConsentTrend {
        let since = trend_since(now);
        let mut counts: BTreeMap<(String, &str), (u64, u64)> = BTreeMap::new();
        for entry in entries.iter().filter(|e| e.recorded_at >= since) {
            let count = counts
                .entry((month_of(entry.recorded_at), entry.purpose.as_str()))
                .or_default();
            match entry.decision {
                ConsentDecision::Given => count.0 += 1,
                ConsentDecision::Withdrawn => count.1 += 1,
            }
        }
        ConsentTrend {
            months: counts
                .into_iter()
                .map(|((month, purpose), (given, withdrawn))| TrendMonth {
                    month,
                    purpose: purpose.to_owned(),
                    given,
                    withdrawn,
                })
                .collect(),
        }
    }

    /// One series per purpose (in the order of `purposes`, then any others by id), each
    /// over every month from the trend's first month to its last.
    #[must_use]
    pub fn by_purpose(&self, purposes: &[&str]) -> Vec<PurposeTrend> {
        let (Some(first), Some(last)) = (
            self.months.iter().map(|m| m.month.as_str()).min(),
            self.months.iter().map(|m| m.month.as_str()).max(),
        ) else {
            return Vec::new();
        };
        let months: Vec<String> = (0..TREND_MONTHS)
            .map_while(|n| add_months(first, n).filter(|month| month.as_str() <= last))
            .collect();
        let mut order: Vec<&str> = purposes
            .iter()
            .copied()
            .filter(|p| self.months.iter().any(|m| m.purpose == *p))
            .collect();
        let mut others: Vec<&str> = self
            .months
            .iter()
            .map(|m| m.purpose.as_str())
            .filter(|p| !purposes.contains(p))
            .collect();
        others.sort_unstable();
        others.dedup();
        order.extend(others);
        order
            .into_iter()
            .map(|purpose| PurposeTrend {
                purpose: purpose.to_owned(),
                months: months
                    .iter()
                    .map(|month| {
                        self.months
                            .iter()
                            .find(|m| m.month == *month && m.purpose == purpose)
                            .cloned()
                            .unwrap_or_else(|| TrendMonth {
                                month: month.clone(),
                                purpose: purpose.to_owned(),
                                given: 0,
                                withdrawn: 0,
                            })
                    })
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(purpose: &str, decision: ConsentDecision, at: &str) -> LedgerEntry {
        LedgerEntry {
            seq: 1,
            customer_ref: "c".into(),
            purpose: purpose.into(),
            decision,
            purpose_version: 1,
            language: "sv".into(),
            text_sha256: String::new(),
            screen: "privacy".into(),
            portal_build: "test".into(),
            recorded_at: crate::time::parse_time(at, false).unwrap(),
            user_agent: None,
            user_agent_sha256: String::new(),
            prev_hash: String::new(),
            hash: String::new(),
            signature: None,
        }
    }

    fn month(month: &str, purpose: &str, given: u64, withdrawn: u64) -> TrendMonth {
        TrendMonth {
            month: month.into(),
            purpose: purpose.into(),
            given,
            withdrawn,
        }
    }

    #[test]
    fn counts_per_month_and_purpose_within_24_months() {
        use ConsentDecision::{Given, Withdrawn};
        let now = crate::time::parse_time("2026-03-15T12:00:00Z", false).unwrap();
        assert_eq!(
            trend_since(now),
            crate::time::parse_time("2024-04-01", false).unwrap()
        );
        let entries = [
            entry("marketing", Given, "2024-03-31T23:59:59Z"),
            entry("marketing", Given, "2024-04-01T00:00:00Z"),
            entry("marketing", Withdrawn, "2024-04-30T23:59:59Z"),
            entry("analytics", Given, "2024-04-02T00:00:00Z"),
            entry("marketing", Given, "2026-03-01T00:00:00Z"),
            entry("marketing", Given, "2026-03-15T11:00:00Z"),
            entry("marketing", Withdrawn, "2026-03-15T11:30:00Z"),
        ];
        let trend = ConsentTrend::compute(&entries, now);
        assert_eq!(
            trend.months,
            [
                month("2024-04", "analytics", 1, 0),
                month("2024-04", "marketing", 1, 1),
                month("2026-03", "marketing", 2, 1),
            ]
        );
        let series = trend.by_purpose(&["marketing", "newsletter"]);
        let names: Vec<&str> = series.iter().map(|s| s.purpose.as_str()).collect();
        assert_eq!(
            names,
            ["marketing", "analytics"],
            "configured order, then others"
        );
        assert_eq!(series[0].months.len(), 24, "2024-04 to 2026-03");
        assert_eq!(series[0].months[1], month("2024-05", "marketing", 0, 0));
        assert_eq!(series[1].months[23], month("2026-03", "analytics", 0, 0));
        assert!(
            ConsentTrend::default()
                .by_purpose(&["marketing"])
                .is_empty()
        );
    }
}
