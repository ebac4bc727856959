//! The store's operations, each run on whichever engine the store has.
//!
//! One method per thing a handler or command needs, at the grain of a transaction: the
//! engines differ in SQL and in how they isolate (SQLite has one writer; PostgreSQL locks
//! rows and, for the ledger's end, the table), never in what an operation promises.

use super::documents::{Document, WriteOutcome};
use super::orders::{FulfilError, NewOrder, OpenOrder};
use super::requests::ErasureError;
use super::{
    Engine, Store, StoreError, consent, customers, demo, documents, history, history_demo, orders,
    postgres as pg, requests, visits,
};
use crate::ledger_key::LedgerKey;
use consent::LedgerFilter;
use history::Cursor;
use rapport_domain::api::Role;
use rapport_domain::consent::{
    ConsentReceipt, ErasureRequest, LedgerEntry, RecordConsent, ScreenText, SeenAndChosen,
    SignedHead,
};
use rapport_domain::consent_trend::ConsentTrend;
use rapport_domain::designs::{Designs, OrderReceipt, OrderRecord, PlacedOrder};
use rapport_domain::history::{Channel, DerivedFacts, EventDetails, HistoryEvent, HistoryQuery};
use rapport_domain::visits::Visits;
use rapport_domain::{Preferences, Profile, Version, Versioned};
use std::sync::Arc;

/// Everything a customer's "download my data" holds, read from one snapshot.
#[derive(Debug)]
pub struct MyData {
    /// The sign-in e-mail.
    pub email: String,
    /// The profile (empty when never written).
    pub profile: Profile,
    /// The preferences (empty when never written).
    pub preferences: Preferences,
    /// Consent receipts, oldest first.
    pub receipts: Vec<ConsentReceipt>,
    /// The whole history, newest first.
    pub history: Vec<HistoryEvent>,
    /// Erasure requests, newest first.
    pub requests: Vec<ErasureRequest>,
    /// Saved designs (empty when never written).
    pub designs: Designs,
    /// Orders, newest first.
    pub orders: Vec<OrderRecord>,
    /// When they were last here, if ever.
    pub visits: Option<Visits>,
}

/// Events read per query when a whole history is read.
const CHUNK: usize = 1000;

/// Runs `$sqlite` (an expression over `$conn`) on the SQLite writer or a reader, or `$pg`
/// (an expression over `$engine`, awaited) on PostgreSQL.
macro_rules! on_engine {
    ($store:expr, $mode:ident, |$conn:ident| $sqlite:expr, |$engine:ident| $pg:expr) => {
        match &$store.engine {
            Engine::Sqlite(engine) => engine.$mode(move |$conn| $sqlite).await,
            Engine::Postgres($engine) => $pg.await,
        }
    };
}

impl Store {
    /// The account with this e-mail and its stored password hash.
    pub async fn password_hash_of(&self, email: &str) -> Result<Option<(i64, String)>, StoreError> {
        let email = email.to_owned();
        on_engine!(
            self,
            read,
            |c| customers::password_hash_of(c, &email),
            |p| { pg::customers::password_hash_of(p, &email) }
        )
    }

    /// Starts a session (after pruning the account's expired ones); the token and the role.
    pub async fn start_session(&self, customer: i64) -> Result<(String, Role), StoreError> {
        on_engine!(
            self,
            call,
            |c| {
                customers::prune_sessions(c, Some(customer))?;
                let token = customers::start_session(c, customer)?;
                let (_, role) = customers::session_account(c, &token)?
                    .ok_or_else(|| StoreError::Task("a new session is not live".into()))?;
                Ok((token, role))
            },
            |p| pg::customers::start_session(p, customer)
        )
    }

    /// The account a live session token belongs to, with its role.
    pub async fn session_account(&self, token: &str) -> Result<Option<(i64, Role)>, StoreError> {
        let token = token.to_owned();
        on_engine!(self, read, |c| customers::session_account(c, &token), |p| {
            pg::customers::session_account(p, &token)
        })
    }

    /// Ends a session (sign out); an unknown token is not an error.
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let token = token.to_owned();
        on_engine!(self, call, |c| customers::end_session(c, &token), |p| {
            pg::customers::end_session(p, &token)
        })
    }

    /// Ends every session of the token's account; how many, or `None` for a dead token.
    pub async fn end_all_sessions(&self, token: &str) -> Result<Option<usize>, StoreError> {
        let token = token.to_owned();
        on_engine!(
            self,
            call,
            |c| customers::end_all_sessions(c, &token),
            |p| { pg::customers::end_all_sessions(p, &token) }
        )
    }

    /// Deletes everyone's expired sessions; how many.
    pub async fn prune_sessions(&self) -> Result<usize, StoreError> {
        on_engine!(self, call, |c| customers::prune_sessions(c, None), |p| {
            pg::customers::prune_sessions(p)
        })
    }

    /// Creates an account with `role` and, when given, its first profile, in one transaction;
    /// `None` when the e-mail is taken.
    pub async fn create_account(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        profile: Option<Profile>,
    ) -> Result<Option<i64>, StoreError> {
        let (email, hash) = (email.trim().to_owned(), password_hash.to_owned());
        on_engine!(
            self,
            call,
            |c| {
                let tx = c.savepoint()?;
                if customers::email_taken(&tx, &email)? {
                    return Ok(None);
                }
                let id = customers::create(&tx, &email, &hash)?;
                if role != Role::Customer {
                    customers::set_role(&tx, id, role)?;
                }
                if let Some(profile) = &profile {
                    documents::create(&tx, id, profile)?;
                }
                tx.commit()?;
                Ok(Some(id))
            },
            |p| pg::customers::create_account(p, &email, &hash, role, profile.as_ref())
        )
    }

    /// The customer's document, if they have one.
    pub async fn load<T: Document>(
        &self,
        customer: i64,
    ) -> Result<Option<Versioned<T>>, StoreError> {
        on_engine!(self, read, |c| documents::load::<T>(c, customer), |p| {
            pg::documents::load::<T>(p, customer)
        })
    }

    /// The customer's document, made empty at version 1 when missing.
    pub async fn load_or_create<T: Document>(
        &self,
        customer: i64,
    ) -> Result<Versioned<T>, StoreError> {
        on_engine!(
            self,
            call,
            |c| documents::load_or_create::<T>(c, customer),
            |p| { pg::documents::load_or_create::<T>(p, customer) }
        )
    }

    /// Replaces the document if, and only if, it is still at `expected`.
    pub async fn replace<T: Document>(
        &self,
        customer: i64,
        expected: Version,
        document: T,
    ) -> Result<WriteOutcome<T>, StoreError> {
        on_engine!(
            self,
            call,
            |c| documents::replace(c, customer, expected, &document),
            |p| pg::documents::replace(p, customer, expected, &document)
        )
    }

    /// Adds screens to the catalog (ones already there stay as they are).
    pub async fn register_screens(&self, screens: Vec<ScreenText>) -> Result<(), StoreError> {
        on_engine!(
            self,
            call,
            |c| consent::register_screens(c, &screens),
            |p| { pg::consent::register_screens(p, &screens) }
        )
    }

    /// Adds `current` to the catalog, then lists the whole catalog.
    pub async fn screens(&self, current: Vec<ScreenText>) -> Result<Vec<ScreenText>, StoreError> {
        on_engine!(
            self,
            call,
            |c| {
                consent::register_screens(c, &current)?;
                consent::screens(c)
            },
            |p| async {
                pg::consent::register_screens(p, &current).await?;
                pg::consent::screens(p).await
            }
        )
    }

    /// Appends a checked decision to the ledger with its signed head and history event, in
    /// one transaction; the customer's receipt.
    pub async fn record_consent(
        &self,
        customer: i64,
        request: RecordConsent,
        screen: ScreenText,
        user_agent: String,
        key: Arc<LedgerKey>,
    ) -> Result<ConsentReceipt, StoreError> {
        on_engine!(
            self,
            call,
            |c| consent::record(c, customer, &request, &screen, &user_agent, &key),
            |p| pg::consent::record(p, customer, &request, &screen, &user_agent, &key)
        )
    }

    /// The customer's receipts, oldest first.
    pub async fn receipts_of(&self, customer: i64) -> Result<Vec<ConsentReceipt>, StoreError> {
        on_engine!(self, read, |c| consent::receipts_of(c, customer), |p| {
            pg::consent::receipts_of(p, customer)
        })
    }

    /// Ledger entries passing `filter` and the signed head, from one snapshot.
    pub async fn ledger(
        &self,
        filter: LedgerFilter,
    ) -> Result<(Vec<LedgerEntry>, Option<SignedHead>), StoreError> {
        on_engine!(
            self,
            read,
            |c| {
                let tx = c.unchecked_transaction()?;
                let entries = consent::entries(&tx, &filter)?;
                let head = consent::signed_head(&tx)?;
                tx.commit()?;
                Ok((entries, head))
            },
            |p| pg::consent::ledger(p, &filter)
        )
    }

    /// The whole ledger and the first entry whose kept user agent does not match its hash,
    /// from one snapshot: what verification reads.
    pub async fn ledger_to_verify(&self) -> Result<(Vec<LedgerEntry>, Option<i64>), StoreError> {
        on_engine!(
            self,
            read,
            |c| {
                let tx = c.unchecked_transaction()?;
                let entries = consent::entries(&tx, &LedgerFilter::default())?;
                let mismatch = consent::first_user_agent_mismatch(&tx)?;
                tx.commit()?;
                Ok((entries, mismatch))
            },
            |p| pg::consent::ledger_to_verify(p)
        )
    }

    /// What a pseudonym last chose on each purpose before `before`, with the text shown.
    pub async fn seen_and_chosen(
        &self,
        customer_ref: &str,
        before: i64,
    ) -> Result<Option<Vec<SeenAndChosen>>, StoreError> {
        let reference = customer_ref.to_owned();
        on_engine!(
            self,
            read,
            |c| consent::seen_and_chosen(c, &reference, before),
            |p| pg::consent::seen_and_chosen(p, &reference, before)
        )
    }

    /// Decisions per month and purpose recorded from `since` on, oldest month first.
    pub async fn consent_trend(&self, since: i64) -> Result<ConsentTrend, StoreError> {
        on_engine!(self, read, |c| consent::trend(c, since), |p| {
            pg::consent::trend(p, since)
        })
    }

    /// Signs the newest entry of a ledger that has no signature yet; the seq signed.
    pub async fn sign_unsigned_ledger(
        &self,
        key: Arc<LedgerKey>,
    ) -> Result<Option<i64>, StoreError> {
        on_engine!(
            self,
            call,
            |c| consent::sign_unsigned_ledger(c, &key),
            |p| { pg::consent::sign_unsigned_ledger(p, &key) }
        )
    }

    /// The customer's erasure requests, newest first.
    pub async fn erasure_requests(&self, customer: i64) -> Result<Vec<ErasureRequest>, StoreError> {
        on_engine!(self, read, |c| requests::list(c, customer), |p| {
            pg::requests::list(p, customer)
        })
    }

    /// The open erasure request, or a new one; and whether it is new.
    pub async fn request_erasure(
        &self,
        customer: i64,
    ) -> Result<(ErasureRequest, bool), StoreError> {
        on_engine!(
            self,
            call,
            |c| requests::request_erasure(c, customer),
            |p| { pg::requests::request_erasure(p, customer) }
        )
    }

    /// Ids of the open erasure requests, oldest first.
    pub async fn open_erasure_ids(&self) -> Result<Vec<i64>, StoreError> {
        on_engine!(self, read, |c| requests::open_ids(c), |p| {
            pg::requests::open_ids(p)
        })
    }

    /// Moves an open request to in progress.
    pub async fn start_erasure(&self, id: i64) -> Result<(), ErasureError> {
        on_engine!(self, call, |c| requests::start(c, id), |p| {
            pg::requests::start(p, id)
        })
    }

    /// Refuses an open request with a reason the customer sees.
    pub async fn refuse_erasure(&self, id: i64, reason: &str) -> Result<(), ErasureError> {
        let reason = reason.to_owned();
        on_engine!(self, call, |c| requests::refuse(c, id, &reason), |p| {
            pg::requests::refuse(p, id, &reason)
        })
    }

    /// Carries out an open erasure request.
    pub async fn erase(&self, id: i64) -> Result<(), ErasureError> {
        on_engine!(self, call, |c| requests::erase(c, id), |p| {
            pg::requests::erase(p, id)
        })
    }

    /// Stores an accepted order with its history event; its receipt (see [`orders::place`]).
    pub async fn place_order(
        &self,
        customer: i64,
        order: NewOrder,
    ) -> Result<OrderReceipt, StoreError> {
        on_engine!(self, call, |c| orders::place(c, customer, &order), |p| {
            pg::orders::place(p, customer, &order)
        })
    }

    /// The receipt of the customer's order with this idempotency key, if any.
    pub async fn order_for_key(
        &self,
        customer: i64,
        key: &str,
    ) -> Result<Option<OrderReceipt>, StoreError> {
        let key = key.to_owned();
        on_engine!(
            self,
            read,
            |c| orders::receipt_for_key(c, customer, &key),
            |p| pg::orders::receipt_for_key(p, customer, &key)
        )
    }

    /// The customer's orders, newest first.
    pub async fn orders_of(&self, customer: i64) -> Result<Vec<PlacedOrder>, StoreError> {
        on_engine!(self, read, |c| orders::list(c, customer), |p| {
            pg::orders::list(p, customer)
        })
    }

    /// Orders not yet fulfilled, oldest first.
    pub async fn open_orders(&self) -> Result<Vec<OpenOrder>, StoreError> {
        on_engine!(self, read, |c| orders::open(c), |p| pg::orders::open(p))
    }

    /// Marks an order fulfilled, turning it into a purchase in the customer's history.
    pub async fn fulfil_order(&self, reference: &str) -> Result<PlacedOrder, FulfilError> {
        let reference = reference.trim().to_owned();
        on_engine!(self, call, |c| orders::fulfil(c, &reference), |p| {
            pg::orders::fulfil(p, &reference)
        })
    }

    /// Notes a page load by the customer now; their visits after it (a pause longer than
    /// `gap` seconds starts a new visit).
    pub async fn record_visit(&self, customer: i64, gap: i64) -> Result<Visits, StoreError> {
        let at = super::now();
        on_engine!(self, call, |c| visits::record(c, customer, at, gap), |p| {
            pg::visits::record(p, customer, at, gap)
        })
    }

    /// One page of the customer's history (see [`history::page`]).
    pub async fn history_page(
        &self,
        customer: i64,
        query: HistoryQuery,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<(Vec<HistoryEvent>, Option<Cursor>), StoreError> {
        on_engine!(
            self,
            read,
            |c| history::page(c, customer, &query, after, limit),
            |p| pg::history::page(p, customer, &query, after, limit)
        )
    }

    /// The facts derived from the customer's history.
    pub async fn facts(&self, customer: i64) -> Result<DerivedFacts, StoreError> {
        on_engine!(self, read, |c| history::facts(c, customer), |p| {
            pg::history::facts(p, customer)
        })
    }

    /// Adds events to a customer's history in one transaction; their ids.
    pub async fn add_events(
        &self,
        customer: i64,
        events: Vec<(Channel, i64, EventDetails)>,
    ) -> Result<Vec<i64>, StoreError> {
        on_engine!(
            self,
            call,
            |c| {
                let tx = c.savepoint()?;
                let ids = events
                    .iter()
                    .map(|(channel, at, details)| {
                        history::insert(&tx, customer, *channel, *at, details)
                    })
                    .collect::<Result<_, _>>()?;
                tx.commit()?;
                Ok(ids)
            },
            |p| pg::history::add_events(p, customer, &events)
        )
    }

    /// Replaces the history of the customer with this e-mail by a generated one (creating
    /// the customer, with `password`, when there is none), in one transaction; their id.
    pub async fn seed_history(
        &self,
        email: &str,
        password_hash: &str,
        events: usize,
        seed: u64,
        end: i64,
    ) -> Result<i64, StoreError> {
        let (email, hash) = (email.trim().to_owned(), password_hash.to_owned());
        on_engine!(
            self,
            call,
            |c| {
                let tx = c.savepoint()?;
                let customer = match history_demo::customer_by_email(&tx, &email)? {
                    Some(id) => id,
                    None => {
                        let id = customers::create(&tx, &email, &hash)?;
                        documents::create(&tx, id, &empty_profile(&email))?;
                        id
                    }
                };
                history_demo::seed(&tx, customer, events, seed, end)?;
                tx.commit()?;
                Ok(customer)
            },
            |p| pg::history::seed(p, &email, &hash, events, seed, end)
        )
    }

    /// Adds the demo customer and officer to a database without accounts; whether it did.
    pub async fn seed_demo_if_empty(&self) -> Result<bool, StoreError> {
        on_engine!(self, call, |c| demo::seed_if_empty(c), |p| {
            pg::demo::seed_if_empty(p)
        })
    }

    /// The customer's whole data, from one snapshot.
    pub async fn my_data(&self, customer: i64) -> Result<MyData, StoreError> {
        on_engine!(
            self,
            read,
            |c| {
                let tx = c.unchecked_transaction()?;
                let mut history = Vec::new();
                let mut after = None;
                loop {
                    let (page, next) =
                        history::page(&tx, customer, &HistoryQuery::default(), after, CHUNK)?;
                    history.extend(page);
                    match next {
                        Some(cursor) => after = Some(cursor),
                        None => break,
                    }
                }
                let data = MyData {
                    email: customers::email(&tx, customer)?.unwrap_or_default(),
                    profile: documents::load(&tx, customer)?
                        .map(|d| d.data)
                        .unwrap_or_default(),
                    preferences: documents::load(&tx, customer)?
                        .map(|d| d.data)
                        .unwrap_or_default(),
                    receipts: consent::receipts_of(&tx, customer)?,
                    history,
                    requests: requests::list(&tx, customer)?,
                    designs: documents::load(&tx, customer)?
                        .map(|d| d.data)
                        .unwrap_or_default(),
                    orders: orders::records(&tx, customer)?,
                    visits: visits::load(&tx, customer)?,
                };
                tx.commit()?;
                Ok(data)
            },
            |p| pg::my_data(p, customer, CHUNK)
        )
    }
}

/// The profile a customer made by an operator starts with: their e-mail, nothing else.
#[must_use]
pub fn empty_profile(email: &str) -> Profile {
    Profile {
        email: email.to_owned(),
        ..Profile::default()
    }
}

impl Store {
    /// Refreshes the planner's statistics (after a bulk load, as a long-lived database has).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        on_engine!(self, call, |c| Ok(c.execute_batch("ANALYZE")?), |p| async {
            Ok(p.client().await?.batch_execute("ANALYZE").await?)
        })
    }
}
