//! Optimistic concurrency: every stored record carries a version, sent as an HTTP ETag.
//!
//! A writer says which version it edited (`If-Match`); the store refuses the write when the
//! record has moved on, so a change made elsewhere is never silently overwritten.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A record's version: starts at 1 and grows by one with every accepted write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(pub u64);

impl Version {
    /// The version a record has when it is first stored.
    pub const FIRST: Version = Version(1);

    /// The version after one more accepted write.
    #[must_use]
    pub fn next(self) -> Version {
        Version(self.0 + 1)
    }

    /// The strong ETag for this version, quotes included, as HTTP wants it.
    #[must_use]
    pub fn etag(self) -> String {
        format!("\"{}\"", self.0)
    }

    /// Reads an `ETag` or `If-Match` value written by [`Version::etag`].
    ///
    /// Weak validators (`W/"3"`) are refused: a weak match is not good enough to guard a write.
    pub fn from_etag(value: &str) -> Option<Version> {
        let inner = value.trim().strip_prefix('"')?.strip_suffix('"')?;
        inner.parse().ok().map(Version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A record together with the version it was read at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versioned<T> {
    /// The version the data was read at; a write must name it.
    pub version: Version,
    /// The record itself.
    pub data: T,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_round_trips() {
        for n in [1, 2, 41, u64::MAX] {
            assert_eq!(Version::from_etag(&Version(n).etag()), Some(Version(n)));
        }
    }

    #[test]
    fn malformed_or_weak_etags_are_refused() {
        for bad in ["", "3", "\"\"", "\"x\"", "W/\"3\"", "\"3", "\"-1\""] {
            assert_eq!(Version::from_etag(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn next_counts_up() {
        assert_eq!(Version::FIRST.next(), Version(2));
    }
}
