//! Editing a customer's versioned document without ever losing an edit.
//!
//! [`Editor`] holds the server's copy and the customer's draft. The draft is kept in
//! `localStorage` as it changes (so a reload or a crash restores it), saved against the version
//! it was edited from, and, when that version is stale, merged field by field with what was
//! saved elsewhere: fields only one side changed combine on their own, and fields both sides
//! changed wait for the customer to choose. The rules are in `rapport_domain::{fields, draft}`;
//! this module wires them to signals, storage and the backend.

pub mod describe;
mod storage;
pub mod view;

use crate::backend::{Backend, BackendError, BackendFuture, Saved};
use crate::session::Session;
use leptos::prelude::*;
use rapport_domain::draft::{Draft, Restored, restore};
use rapport_domain::fields::{Conflict, Editable, merge, with_field};
use rapport_domain::{Version, Versioned};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Where a save stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Nothing happening.
    Idle,
    /// The last save went through.
    Saved,
    /// Save was pressed with problems on the page.
    FixFirst,
    /// Save was pressed before every conflict had a choice.
    ChooseFirst,
    /// The last save failed; the draft is kept.
    Failed(BackendError),
}

/// Why the draft is not simply the server's copy, shown as a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Unsaved edits from an earlier visit were put back.
    DraftRestored,
    /// Unsaved edits from an earlier visit were combined with changes saved elsewhere since.
    DraftMerged,
    /// A save met changes saved elsewhere; both were combined for review before saving again.
    CombinedWithElsewhere,
}

/// Which side the customer keeps for a conflicting field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Their own edit.
    Mine,
    /// What was saved elsewhere.
    Theirs,
}

/// How a page saves its kind of document.
pub type SaveFn<T> = fn(&Backend, Version, T) -> BackendFuture<'_, Saved<T>>;

/// The editing state of one document. Cheap to copy: all signals.
pub struct Editor<T: Send + Sync + 'static> {
    /// The server's copy as last seen.
    pub stored: RwSignal<Versioned<T>>,
    /// The customer's edit of it.
    pub draft: RwSignal<T>,
    /// Where saving stands.
    pub status: RwSignal<Status>,
    /// A notice about where the draft came from.
    pub notice: RwSignal<Option<Notice>>,
    /// Fields both sides changed, with the customer's choice so far.
    pub conflicts: RwSignal<Vec<(Conflict, Option<Side>)>>,
    /// The server's newer copy while conflicts wait for choices. Until they are resolved,
    /// `stored` stays the copy the draft was edited from, so a reload finds the same conflicts.
    theirs: RwSignal<Option<Versioned<T>>>,
    save: Action<(Version, T), Result<Saved<T>, BackendError>>,
    /// The draft as it was when the last save was sent.
    sent_from: RwSignal<Option<T>>,
}

impl<T: Send + Sync + 'static> Clone for Editor<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Editor<T> {}

impl<T> Editor<T>
where
    T: Editable + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    /// Starts editing `loaded`, restoring any draft kept under `key` for this customer.
    pub fn new(key: &'static str, loaded: Versioned<T>, save_with: SaveFn<T>) -> Self {
        let backend = expect_context::<Backend>();
        let session = expect_context::<Session>();
        let subject = backend.subject();
        let kept = subject.as_deref().and_then(|s| storage::load::<T>(key, s));

        let mut notice = None;
        let mut conflicts = Vec::new();
        let mut theirs = None;
        let (stored, draft) = match restore(kept.clone(), &loaded) {
            Restored::Nothing => (loaded.clone(), loaded.data),
            Restored::Edit(edit) => {
                notice = Some(Notice::DraftRestored);
                (loaded, edit)
            }
            Restored::Merged(merged) => {
                notice = Some(Notice::DraftMerged);
                (loaded, merged)
            }
            Restored::Conflicts {
                conflicts: found, ..
            } => {
                let kept = kept.expect("conflicts come from a kept draft");
                notice = Some(Notice::DraftRestored);
                conflicts = found.into_iter().map(|c| (c, None)).collect();
                theirs = Some(loaded);
                (kept.base, kept.edit)
            }
        };

        let editor = Editor {
            stored: RwSignal::new(stored),
            draft: RwSignal::new(draft),
            status: RwSignal::new(Status::Idle),
            notice: RwSignal::new(notice),
            conflicts: RwSignal::new(conflicts),
            theirs: RwSignal::new(theirs),
            sent_from: RwSignal::new(None),
            save: Action::new_local(move |(version, document): &(Version, T)| {
                let backend = backend.clone();
                let (version, document) = (*version, document.clone());
                async move { save_with(&backend, version, document).await }
            }),
        };

        // Keep the draft in storage whenever it differs from the server's copy.
        Effect::new(move || {
            let Some(subject) = subject.as_deref() else {
                return;
            };
            let base = editor.stored.get();
            let edit = editor.draft.get();
            if edit.normalized() == base.data {
                storage::clear(key);
            } else {
                storage::keep(key, subject, &Draft { base, edit });
            }
        });
        Effect::new(move || {
            let Some(outcome) = editor.save.value().get() else {
                return;
            };
            if matches!(outcome, Ok(Saved::Stored(_))) {
                crate::embed::saved(key);
            }
            editor.settle(outcome, session);
        });
        editor.announce_unsaved();
        editor
    }

    /// Whether the draft differs from the server's copy.
    pub fn dirty(&self) -> Memo<bool> {
        let (stored, draft) = (self.stored, self.draft);
        Memo::new(move |_| stored.with(|s| draft.with(|d| d.normalized() != s.data)))
    }

    /// Whether a save is on its way.
    pub fn pending(&self) -> Signal<bool> {
        self.save.pending().into()
    }

    /// Saves the draft, unless `has_problems` says the page must be corrected first, or a
    /// conflict still waits for a choice.
    pub fn save(&self, has_problems: bool) {
        if has_problems {
            self.status.set(Status::FixFirst);
            return;
        }
        if self
            .conflicts
            .with_untracked(|c| c.iter().any(|(_, side)| side.is_none()))
        {
            self.status.set(Status::ChooseFirst);
            return;
        }
        self.status.set(Status::Idle);
        let mine = self.draft.get_untracked().normalized();
        let request = match self.theirs.get_untracked() {
            // Both sides' changes, with the customer's choice in each conflicting field.
            Some(theirs) => {
                let combined = merge(&self.stored.get_untracked().data, &mine, &theirs.data).merged;
                let chosen = self.conflicts.with_untracked(|all| {
                    all.iter().fold(combined, |doc, (c, side)| match side {
                        Some(Side::Mine) => with_field(&doc, &c.field, c.mine.clone()),
                        _ => with_field(&doc, &c.field, c.theirs.clone()),
                    })
                });
                (theirs.version, chosen)
            }
            None => (self.stored.get_untracked().version, mine.clone()),
        };
        self.sent_from.set(Some(mine));
        self.save.dispatch(request);
    }

    /// Records the customer's choice for one conflicting field; it is applied when saving.
    pub fn choose(&self, field: &str, side: Side) {
        self.conflicts.update(|all| {
            if let Some(entry) = all.iter_mut().find(|(c, _)| c.field == field) {
                entry.1 = Some(side);
            }
        });
        if matches!(self.status.get_untracked(), Status::ChooseFirst) {
            self.status.set(Status::Idle);
        }
    }

    /// Called as the customer edits: an old "saved" or "fix first" no longer describes the page.
    pub fn touched(&self) {
        if matches!(
            self.status.get_untracked(),
            Status::Saved | Status::FixFirst
        ) {
            self.status.set(Status::Idle);
        }
    }

    fn settle(&self, outcome: Result<Saved<T>, BackendError>, session: Session) {
        match outcome {
            Ok(Saved::Stored(saved)) => {
                // Keep anything typed while the save was on its way.
                if self
                    .sent_from
                    .get_untracked()
                    .is_some_and(|sent| self.draft.get_untracked().normalized() == sent)
                {
                    self.draft.set(saved.data.clone());
                }
                self.stored.set(saved);
                self.theirs.set(None);
                self.conflicts.set(Vec::new());
                self.notice.set(None);
                self.status.set(Status::Saved);
            }
            Ok(Saved::Conflict(current)) => {
                let base = self.stored.get_untracked().data;
                let result = merge(&base, &self.draft.get_untracked(), &current.data);
                self.status.set(Status::Idle);
                if result.conflicts.is_empty() {
                    // Nothing to choose: take both sides' changes, for review before saving.
                    self.stored.set(current);
                    self.draft.set(result.merged);
                    self.theirs.set(None);
                    self.notice.set(Some(Notice::CombinedWithElsewhere));
                } else {
                    // Keep the draft and its base as they are; the choices wait for the customer.
                    self.theirs.set(Some(current));
                    self.conflicts
                        .set(result.conflicts.into_iter().map(|c| (c, None)).collect());
                }
            }
            Err(BackendError::SignedOut) => {
                // The draft is in storage: it comes back after signing in again.
                self.status.set(Status::Failed(BackendError::SignedOut));
                session.expired();
            }
            Err(error) => self.status.set(Status::Failed(error)),
        }
    }

    /// Tells the shell while there are unsaved edits, so leaving asks first.
    fn announce_unsaved(&self) {
        let Some(unsaved) = use_context::<UnsavedChanges>() else {
            return;
        };
        let dirty = self.dirty();
        Effect::new(move || unsaved.0.set(dirty.get()));
        on_cleanup(move || unsaved.0.set(false));
    }
}

/// Context: whether the page on screen has unsaved edits (read by navigation and unload).
#[derive(Clone, Copy)]
pub struct UnsavedChanges(pub RwSignal<bool>);

/// Forgets every kept draft (on signing out: the next person must not see them).
pub fn forget_drafts() {
    storage::clear_all();
}
