//! Limits on every door, so no one client can take the server from everyone else.
//!
//! - Sign-in: per account and per client address, with governor's keyed GCRA limiters
//!   (429 with `Retry-After`); the password check itself runs on the blocking pool, at most
//!   `hash_concurrency` at a time with at most `hash_queue` waiting (beyond: 503), and an
//!   unknown e-mail costs the same Argon2 verification as a known one (against a dummy hash),
//!   so neither timing nor load tells which e-mails have accounts.
//! - Writes: per customer (every `/me` change, consent decisions among them), so a flood
//!   cannot grow the consent ledger faster than the quota.
//! - Requests: `max_in_flight` handled at once, beyond that 503 with `Retry-After` at once
//!   rather than an unbounded queue; `request_timeout` on each; bodies over `max_body_bytes`
//!   get 413 and a body that trickles in slower than `body_timeout` is dropped.
//! - Connections: at most `max_connections` open, each closed when its request headers do not
//!   arrive within `header_timeout` (see [`crate::serve`]).

use crate::error::AppError;
use crate::store::customers;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Every limit, with production defaults; `Settings` sets them from flags, tests tighten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Sign-in attempts one account may receive per `sign_in_window`.
    pub sign_in_per_account: u32,
    /// Sign-in attempts one client address may make per `sign_in_window`.
    pub sign_in_per_client: u32,
    /// The sign-in window; attempts come back one by one over it.
    pub sign_in_window: Duration,
    /// Changes (any `/me` write) one customer may make per `write_window`.
    pub writes_per_customer: u32,
    /// The write window.
    pub write_window: Duration,
    /// Password hashes computed at once (each takes a core for tens of milliseconds); by
    /// default half the cores, so a flood of sign-ins leaves the other half to everyone else.
    pub hash_concurrency: usize,
    /// Sign-ins that may wait for a hashing slot; beyond that 503.
    pub hash_queue: usize,
    /// Open connections; the next waits in the kernel's backlog until one closes.
    pub max_connections: usize,
    /// API requests being handled at once; beyond that 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Time a client has to send a request's headers (idle keep-alive included).
    pub header_timeout: Duration,
    /// Time a client has to send a request's body.
    pub body_timeout: Duration,
    /// Time a request may take to be answered (a streamed export's body excluded).
    pub request_timeout: Duration,
    /// Largest request body; larger answers 413.
    pub max_body_bytes: usize,
    /// A pause longer than this ends a customer's visit: the welcome page's "since your last
    /// visit" moves on only after it (a timing, kept with the others the flags set).
    pub visit_gap: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sign_in_per_account: 10,
            sign_in_per_client: 30,
            sign_in_window: Duration::from_secs(60),
            writes_per_customer: 30,
            write_window: Duration::from_secs(60),
            // Half the cores: a sign-in flood may keep them busy, the rest serve everyone else.
            hash_concurrency: std::thread::available_parallelism()
                .map_or(1, |cores| (usize::from(cores) / 2).max(1)),
            // A short queue: a sign-in waits for at most a few hashes, then is told to retry.
            hash_queue: 16,
            max_connections: 1024,
            max_in_flight: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 64 * 1024,
            visit_gap: Duration::from_secs(rapport_domain::visits::VISIT_GAP_SECS.unsigned_abs()),
        }
    }
}

/// The limiters and semaphores the limits are enforced with, shared by all requests.
pub struct Guards {
    /// The limits these guards enforce.
    pub limits: Limits,
    sign_in_account: DefaultKeyedRateLimiter<String>,
    sign_in_client: DefaultKeyedRateLimiter<IpAddr>,
    writes: DefaultKeyedRateLimiter<i64>,
    hashing: Semaphore,
    hash_queue: Semaphore,
    dummy_hash: String,
    password_checks: AtomicU64,
}

impl Guards {
    /// Guards for `limits`. Computes the dummy hash (one Argon2 run), so call it once, at
    /// start-up, and off the async threads when that matters.
    pub fn new(limits: Limits) -> Result<Guards, crate::store::StoreError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|err| crate::store::StoreError::Password(err.to_string()))?;
        let dummy_hash = customers::hash_password(&hex::encode(secret))?;
        Ok(Guards {
            sign_in_account: DefaultKeyedRateLimiter::keyed(quota(
                limits.sign_in_per_account,
                limits.sign_in_window,
            )),
            sign_in_client: DefaultKeyedRateLimiter::keyed(quota(
                limits.sign_in_per_client,
                limits.sign_in_window,
            )),
            writes: DefaultKeyedRateLimiter::keyed(quota(
                limits.writes_per_customer,
                limits.write_window,
            )),
            hashing: Semaphore::new(limits.hash_concurrency.max(1)),
            hash_queue: Semaphore::new(limits.hash_queue.max(1)),
            dummy_hash,
            password_checks: AtomicU64::new(0),
            limits,
        })
    }

    /// Counts a sign-in attempt for the client and the account; 429 when either is over.
    pub fn sign_in_attempt(&self, email: &str, client: Option<IpAddr>) -> Result<(), AppError> {
        if let Some(client) = client {
            check(&self.sign_in_client, &client)?;
        }
        let mut key = email.trim().to_lowercase();
        // The key is the attacker's choice: keep it short so the map stays small.
        key.truncate(key.floor_char_boundary(320));
        check(&self.sign_in_account, &key)
    }

    /// Counts one change by the customer; 429 when over their quota.
    pub fn write_attempt(&self, customer: i64) -> Result<(), AppError> {
        check(&self.writes, &customer)
    }

    /// Verifies `password` against `stored`, or against the dummy hash when there is no
    /// account, so both cost the same. Runs on the blocking pool, never under a store lock,
    /// at most `hash_concurrency` at once; 503 when too many are already waiting.
    pub async fn verify_password(
        &self,
        stored: Option<String>,
        password: String,
    ) -> Result<bool, AppError> {
        let _queued = self
            .hash_queue
            .try_acquire()
            .map_err(|_| AppError::Overloaded { retry_after: 1 })?;
        let _slot = self
            .hashing
            .acquire()
            .await
            .map_err(|err| AppError::Internal(err.to_string()))?;
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy_hash.clone());
        let matches =
            tokio::task::spawn_blocking(move || customers::verify_password(&hash, &password))
                .await
                .map_err(|err| AppError::Internal(err.to_string()))?;
        self.password_checks.fetch_add(1, Ordering::Relaxed);
        Ok(known && matches)
    }

    /// How many Argon2 verifications have run: lets tests see that an unknown e-mail costs
    /// one just as a known one does.
    pub fn password_checks(&self) -> u64 {
        self.password_checks.load(Ordering::Relaxed)
    }

    /// Forgets limiter state for keys that have fully recovered, so addresses and e-mails
    /// tried once do not stay in memory.
    pub fn forget_idle(&self) {
        self.sign_in_account.retain_recent();
        self.sign_in_client.retain_recent();
        self.writes.retain_recent();
        self.sign_in_account.shrink_to_fit();
        self.sign_in_client.shrink_to_fit();
        self.writes.shrink_to_fit();
    }
}

/// `per_window` at once, then one more every `window / per_window`.
fn quota(per_window: u32, window: Duration) -> Quota {
    let burst = NonZeroU32::new(per_window.max(1)).unwrap_or(NonZeroU32::MIN);
    let period = (window / burst.get()).max(Duration::from_millis(1));
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(burst))
        .allow_burst(burst)
}

fn check<K>(limiter: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), AppError>
where
    K: Clone + std::hash::Hash + Eq,
{
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(limiter.clock().now());
        AppError::TooManyRequests {
            retry_after: (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1),
        }
    })
}
