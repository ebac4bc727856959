//! Drafts in `localStorage`, each tagged with the customer it belongs to.

use rapport_domain::draft::Draft;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const PREFIX: &str = "rapport.draft.";

#[derive(Serialize, Deserialize)]
struct Kept<D> {
    subject: String,
    draft: D,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The draft kept under `key` for `subject`; a draft of someone else, or one that no longer
/// reads (the document's shape changed), is dropped.
pub fn load<T: DeserializeOwned>(key: &str, subject: &str) -> Option<Draft<T>> {
    let text = storage()?.get_item(&format!("{PREFIX}{key}")).ok()??;
    match serde_json::from_str::<Kept<Draft<T>>>(&text) {
        Ok(kept) if kept.subject == subject => Some(kept.draft),
        _ => {
            clear(key);
            None
        }
    }
}

/// Keeps `draft` under `key`. Storage can be full or disabled; then the draft lives only in
/// the page, which is all we can do.
pub fn keep<T: Serialize>(key: &str, subject: &str, draft: &Draft<T>) {
    let kept = Kept {
        subject: subject.to_owned(),
        draft,
    };
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&kept)) {
        let _ = storage.set_item(&format!("{PREFIX}{key}"), &text);
    }
}

/// Drops the draft under `key`.
pub fn clear(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Drops every draft.
pub fn clear_all() {
    let Some(storage) = storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}
