//! The portal as one custom element, `<rapport-portal>`, on a business's own site and on the
//! standalone page alike.
//!
//! A host page adds the portal's `rapport.js` (one module script from the portal's origin,
//! written at build time by `scripts/postbuild/embed-loader.sh`) and the element:
//!
//! ```html
//! <rapport-portal config="https://portal.example/config.json" lang="sv" base="/account" theme="auto">
//! ```
//!
//! The portal renders inside the element's open shadow root with its stylesheet adopted
//! there, so the page's styles do not reach it and its styles do not reach the page; themes
//! come in through `--rapport-*` custom properties, which do cross. [`attributes`] reads the
//! attributes, [`mount`] mounts and unmounts and carries the host's commands (`signIn`,
//! `signOut`), [`events`] tells the host what happened. `element.js` holds the element class.

pub mod attributes;
pub mod events;
pub mod mount;

pub use events::{RouteEvents, saved};
pub use mount::{Embedding, MainArea, connect, define, href, owns_page};
