//! Whether the customer is signed in, shared by the shell and the pages.

use leptos::prelude::*;
use rapport_domain::api::Role;

/// Context: `expect_context::<Session>()`.
#[derive(Clone, Copy)]
pub struct Session {
    /// True while calls to the backend carry a live session.
    pub signed_in: RwSignal<bool>,
    /// What the signed-in account may do: customers see their pages, officers the audit.
    pub role: RwSignal<Role>,
}

impl Session {
    /// Called when the backend says the session is gone: the shell shows sign-in again.
    pub fn expired(self) {
        self.signed_in.set(false);
    }
}
