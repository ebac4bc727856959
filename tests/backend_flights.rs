//! The backend boundary's handling of reads on their way, in a real browser: two parts of a
//! page asking for the same document at once send one request, and a write sent meanwhile
//! makes the next read ask afresh rather than take an answer that may predate the write.
#![cfg(target_arch = "wasm32")]

mod common;

use common::sleep;
use rapport::backend::{
    Backend, BackendError, BackendFuture, Call, CustomerBackend, Download, ExportFormat, Reply,
};
use rapport_domain::api::Role;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A backend that answers every call after a browser timer, counting the calls it receives.
#[derive(Default)]
struct Counting {
    calls: Arc<AtomicUsize>,
}

impl CustomerBackend for Counting {
    fn sign_in(&self, _: String, _: String) -> BackendFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
    fn adopt_session(&self, _: String, _: Option<String>, _: Role) {}
    fn sign_out(&self) -> BackendFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
    fn is_signed_in(&self) -> bool {
        true
    }
    fn subject(&self) -> Option<String> {
        None
    }
    fn role(&self) -> Role {
        Role::Customer
    }
    fn call(&self, call: Call) -> BackendFuture<'_, Reply> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            sleep(20).await;
            Ok(Reply::Done(format!("{call:?} #{n}")))
        })
    }
    fn export_history(&self, _: ExportFormat) -> BackendFuture<'_, Download> {
        Box::pin(async { Err(BackendError::Offline) })
    }
}

fn counting() -> (Backend, Arc<AtomicUsize>) {
    let backend = Counting::default();
    let calls = backend.calls.clone();
    (Backend::new(backend), calls)
}

#[wasm_bindgen_test]
async fn reads_at_once_share_one_request_and_later_ones_ask_again() {
    let (backend, calls) = counting();
    let (a, b) = futures_util::future::join(
        backend.call(Call::LoadConsents),
        backend.call(Call::LoadConsents),
    )
    .await;
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    // Once answered, the next read is a request of its own; other documents never share.
    backend.call(Call::LoadConsents).await.unwrap();
    backend.call(Call::LoadProfile).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[wasm_bindgen_test]
async fn a_write_sent_meanwhile_makes_the_next_read_ask_afresh() {
    let (backend, calls) = counting();
    let first = backend.call(Call::LoadConsents);
    let write = backend.call(Call::RecordConsent("{}".into()));
    let second = backend.call(Call::LoadConsents);
    let (first, write, second) = futures_util::future::join3(first, write, second).await;
    assert_ne!(first.unwrap(), second.unwrap());
    write.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[wasm_bindgen_test]
async fn a_prefetched_answer_serves_its_page_once() {
    let (backend, calls) = counting();
    backend.prefetch(Call::LoadProfile);
    sleep(40).await;
    let taken = backend.call(Call::LoadProfile).await.unwrap();
    assert_eq!(taken, Reply::Done("LoadProfile #1".into()));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    backend.call(Call::LoadProfile).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
