//! Visits: when the customer was last here, so the welcome page can say what is new "since
//! your last visit".
//!
//! A visit is a run of page loads with no gap longer than [`VISIT_GAP_SECS`]; reloading or
//! moving between pages within one keeps the same "since" time, and only a return after the
//! gap moves it on.

use serde::{Deserialize, Serialize};

/// A pause longer than this (30 minutes) ends a visit, as web analytics count sessions.
pub const VISIT_GAP_SECS: i64 = 30 * 60;

/// What the backend remembers about a customer's visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visits {
    /// The latest page load, Unix seconds.
    pub last_at: i64,
    /// The last page load of the visit before this one, Unix seconds; none on a first visit.
    pub previous_at: Option<i64>,
}

impl Visits {
    /// The record after a page load at `now`, given the one before (if any), where a pause
    /// longer than `gap` seconds ([`VISIT_GAP_SECS`] unless the backend is told otherwise)
    /// starts a new visit.
    #[must_use]
    pub fn after_load(before: Option<Visits>, now: i64, gap: i64) -> Visits {
        match before {
            None => Visits {
                last_at: now,
                previous_at: None,
            },
            Some(before) if now - before.last_at > gap => Visits {
                last_at: now,
                previous_at: Some(before.last_at),
            },
            Some(before) => Visits {
                last_at: now,
                previous_at: before.previous_at,
            },
        }
    }
}

/// `POST /api/me/visits`: the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitAnswer {
    /// The end of the visit before this one, Unix seconds; null on a first visit.
    pub previous_visit_at: Option<i64>,
    /// Now, Unix seconds.
    pub this_visit_at: i64,
}

impl From<Visits> for VisitAnswer {
    fn from(visits: Visits) -> Self {
        VisitAnswer {
            previous_visit_at: visits.previous_at,
            this_visit_at: visits.last_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_past_the_gap_starts_a_new_visit() {
        let t = 1_000_000;
        let at = |last_at, previous_at| {
            Some(Visits {
                last_at,
                previous_at,
            })
        };
        for (before, now, previous) in [
            (None, t, None),
            (at(t, None), t + 60, None),
            (at(t, None), t + VISIT_GAP_SECS, None),
            (at(t, None), t + VISIT_GAP_SECS + 1, Some(t)),
            (at(t, Some(t - 86_400)), t + 600, Some(t - 86_400)),
            (at(t, Some(t - 86_400)), t + 7_200, Some(t)),
        ] {
            let after = Visits::after_load(before, now, VISIT_GAP_SECS);
            assert_eq!(after.last_at, now);
            assert_eq!(after.previous_at, previous, "{before:?} then {now}");
        }
    }
}
