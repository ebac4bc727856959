//! Unsaved edits kept in the browser, and what to do with them when the page comes back.
//!
//! A draft remembers the version it was edited from. When the page reloads, the server's copy
//! may have moved on (another tab, the call centre): then the draft is merged with it field by
//! field, and only fields both sides changed differently need the customer.

use crate::fields::{Conflict, Fields, merge};
use crate::version::Versioned;
use serde::{Deserialize, Serialize};

/// An edit not yet saved, as kept in `localStorage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft<T> {
    /// The server's copy the edit started from.
    pub base: Versioned<T>,
    /// The edit.
    pub edit: T,
}

/// What a kept draft comes to against the server's current copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored<T> {
    /// Nothing to restore: no draft, or the draft equals the server's copy.
    Nothing,
    /// The draft applies as it is (the server's copy has not moved on).
    Edit(T),
    /// The server's copy moved on; both sets of changes combine without conflict.
    Merged(T),
    /// The server's copy moved on and some fields were changed on both sides.
    Conflicts {
        /// Everything that combined; conflicting fields hold the server's value.
        merged: T,
        /// The fields the customer must choose between.
        conflicts: Vec<Conflict>,
    },
}

/// Decides what to do with `draft` now that the server holds `current`.
#[must_use]
pub fn restore<T: Fields + PartialEq + Clone>(
    draft: Option<Draft<T>>,
    current: &Versioned<T>,
) -> Restored<T> {
    let Some(draft) = draft else {
        return Restored::Nothing;
    };
    if draft.edit == current.data {
        return Restored::Nothing;
    }
    if draft.base.version == current.version {
        return Restored::Edit(draft.edit);
    }
    let result = merge(&draft.base.data, &draft.edit, &current.data);
    if result.conflicts.is_empty() {
        if result.merged == current.data {
            Restored::Nothing
        } else {
            Restored::Merged(result.merged)
        }
    } else {
        Restored::Conflicts {
            merged: result.merged,
            conflicts: result.conflicts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use crate::version::Version;

    fn profile(name: &str, phone: &str) -> Profile {
        Profile {
            name: name.into(),
            email: "a@b.se".into(),
            phone: phone.into(),
            preferred_contact: None,
        }
    }

    fn at(version: u64, data: Profile) -> Versioned<Profile> {
        Versioned {
            version: Version(version),
            data,
        }
    }

    #[test]
    fn no_draft_or_an_unchanged_one_restores_nothing() {
        let current = at(2, profile("Bo", ""));
        assert_eq!(restore(None, &current), Restored::Nothing);
        let same = Draft {
            base: at(1, profile("B", "")),
            edit: profile("Bo", ""),
        };
        assert_eq!(restore(Some(same), &current), Restored::Nothing);
    }

    #[test]
    fn a_draft_on_the_current_version_applies_as_it_is() {
        let draft = Draft {
            base: at(2, profile("Bo", "")),
            edit: profile("Bo B", ""),
        };
        assert_eq!(
            restore(Some(draft), &at(2, profile("Bo", ""))),
            Restored::Edit(profile("Bo B", ""))
        );
    }

    #[test]
    fn a_draft_on_an_old_version_merges_with_what_changed_since() {
        let draft = Draft {
            base: at(1, profile("Bo", "")),
            edit: profile("Bo B", ""),
        };
        let current = at(2, profile("Bo", "070 123 45 67"));
        assert_eq!(
            restore(Some(draft), &current),
            Restored::Merged(profile("Bo B", "070 123 45 67"))
        );
    }

    #[test]
    fn the_same_field_changed_on_both_sides_asks_the_customer() {
        let draft = Draft {
            base: at(1, profile("Bo", "")),
            edit: profile("Bo B", ""),
        };
        let current = at(2, profile("Bosse", ""));
        let Restored::Conflicts { merged, conflicts } = restore(Some(draft), &current) else {
            panic!("expected a conflict");
        };
        assert_eq!(merged, profile("Bosse", ""));
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field, "name");
    }

    #[test]
    fn a_draft_already_saved_elsewhere_restores_nothing() {
        let draft = Draft {
            base: at(1, profile("Bo", "")),
            edit: profile("Bo B", ""),
        };
        assert_eq!(
            restore(Some(draft), &at(2, profile("Bo B", ""))),
            Restored::Nothing
        );
    }
}
