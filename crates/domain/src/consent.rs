//! Consent: the decisions customers make per purpose, the append-only ledger that proves them,
//! and the privacy requests (export, erasure) around them.
//!
//! # What is hashed
//!
//! A consent screen shows one purpose in one language; the text the customer read is
//! [`shown_text`]: `title + "\n\n" + description + "\n\n" + policy`, UTF-8, exactly as the
//! configuration holds them (no trimming, no normalisation). The portal hashes the text it
//! showed with SHA-256 and sends it; the backend recomputes the hash from its configuration and
//! refuses a mismatch, so the ledger can never claim a customer saw a text they did not.
//! Both sides call [`screen_sha256`], so there is one definition.
//!
//! # The chain
//!
//! Every [`LedgerEntry`] carries the hash of the one before ([`GENESIS_HASH`] for the first)
//! and its own hash: SHA-256 over [`canonical_bytes`], a length-prefixed encoding of every
//! field that is kept for ever. Changing, inserting or deleting an entry in the middle breaks
//! the link at that entry or the next, which [`verify_chain`] names.
//!
//! Personal data is kept out of the hashed bytes on purpose: the customer appears only as a
//! random pseudonym (`customer_ref`) and the user agent only as a salted hash
//! (`user_agent_sha256`). Erasing a customer deletes the link from pseudonym to customer, the
//! raw user agent and its salt, and leaves the hashed fields untouched, so the chain still
//! verifies after erasure while nothing left in it points to a person.

use crate::config::{PortalConfig, Purpose};
use crate::csv::{csv_quote, csv_text};
use crate::history::{HistoryEvent, RequestStatus};
use crate::time::format_utc;
use crate::{Preferences, Profile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The longest `screen` or `portal_build` accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 80;

/// The tag that starts the hashed bytes of an entry; a new encoding gets a new tag.
const ENCODING_TAG: &str = "rapport-consent-ledger-v1";

/// A customer's answer to a consent question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    /// The customer agreed. Read also from `granted`, the word history events used before
    /// the privacy feature had one name for it on every layer.
    #[serde(alias = "granted")]
    Given,
    /// The customer withdrew (or declined).
    Withdrawn,
}

impl ConsentDecision {
    /// The identifier on the wire, in the ledger and in query strings.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Given => "given",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// The decision named by [`ConsentDecision::as_str`], if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Given, Self::Withdrawn]
            .into_iter()
            .find(|d| d.as_str() == text)
    }
}

/// The exact text a consent screen shows for a purpose: title, description and policy
/// separated by blank lines. This string, as UTF-8, is what [`screen_sha256`] hashes.
#[must_use]
pub fn shown_text(title: &str, description: &str, policy: &str) -> String {
    format!("{title}\n\n{description}\n\n{policy}")
}

/// Lowercase hexadecimal SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The hash of the text shown for `purpose` in `language` (see [`shown_text`]).
#[must_use]
pub fn screen_sha256(title: &str, description: &str, policy: &str) -> String {
    sha256_hex(shown_text(title, description, policy).as_bytes())
}

/// The hash stored for a user agent: SHA-256 of `salt + "\n" + user_agent`.
///
/// The salt is random per entry and deleted with the raw user agent at erasure, after which
/// the hash cannot be matched to any browser string by trying likely ones.
#[must_use]
pub fn user_agent_sha256(salt: &str, user_agent: &str) -> String {
    sha256_hex(format!("{salt}\n{user_agent}").as_bytes())
}

/// One consent screen as customers saw it: a purpose at a version in a language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenText {
    /// The purpose's id.
    pub purpose: String,
    /// The purpose's version.
    pub version: u32,
    /// The language of the texts.
    pub language: String,
    /// The title shown.
    pub title: String,
    /// The description shown.
    pub description: String,
    /// The policy text shown.
    pub policy: String,
    /// SHA-256 of [`shown_text`] of the three.
    pub text_sha256: String,
}

impl ScreenText {
    /// The screen for `purpose` in `language`, when the configuration has every text for it
    /// in that language (a checked configuration always does for its languages).
    #[must_use]
    pub fn of(purpose: &Purpose, language: &str) -> Option<ScreenText> {
        let title = purpose.title.0.get(language)?;
        let description = purpose.description.0.get(language)?;
        let policy = purpose.policy.0.get(language)?;
        Some(ScreenText {
            purpose: purpose.id.clone(),
            version: purpose.version,
            language: language.to_owned(),
            title: title.clone(),
            description: description.clone(),
            policy: policy.clone(),
            text_sha256: screen_sha256(title, description, policy),
        })
    }

    /// Every screen of a configuration: each purpose in each of its languages.
    #[must_use]
    pub fn all(config: &PortalConfig) -> Vec<ScreenText> {
        config
            .purposes
            .iter()
            .flat_map(|purpose| {
                config
                    .languages
                    .iter()
                    .filter_map(|language| ScreenText::of(purpose, language))
            })
            .collect()
    }
}

/// `POST /api/me/consents`: one decision about one purpose, as shown on one screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordConsent {
    /// The purpose's id.
    pub purpose: String,
    /// Given or withdrawn.
    pub decision: ConsentDecision,
    /// The version of the purpose the screen showed.
    pub purpose_version: u32,
    /// The language the screen was in.
    pub language: String,
    /// SHA-256 (lowercase hex) of the exact text shown, see [`shown_text`].
    pub text_sha256: String,
    /// Which screen the decision was made on, such as `privacy` or `signup`.
    pub screen: String,
    /// The portal build that showed it, such as `0.1.0+df634bc`.
    pub portal_build: String,
}

/// Why a [`RecordConsent`] was refused: the field and a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentProblem {
    /// The request field at fault.
    pub field: &'static str,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What is wrong and what to do, in English.
    pub message: String,
}

impl RecordConsent {
    /// Checks the request against the configuration; on success, the screen it was made on.
    ///
    /// Refuses an unknown purpose, a purpose that does not rest on consent, a version other
    /// than the configured one (an older screen must be shown again, not recorded), a language
    /// the configuration lacks, a text hash that is not the configured text's, and screen or
    /// build labels that are empty, too long or contain control characters.
    pub fn check(&self, config: &PortalConfig) -> Result<ScreenText, ConsentProblem> {
        let problem = |field, code, message: String| ConsentProblem {
            field,
            code,
            message,
        };
        let purpose = config.purpose(&self.purpose).ok_or_else(|| {
            problem(
                "purpose",
                "unknown_purpose",
                format!("\"{}\" is not a configured purpose", self.purpose),
            )
        })?;
        if !purpose.needs_consent() {
            return Err(problem(
                "purpose",
                "consent_not_applicable",
                format!(
                    "\"{}\" does not rest on consent, so there is nothing to give or withdraw",
                    purpose.id
                ),
            ));
        }
        if self.purpose_version != purpose.version {
            let code = if self.purpose_version < purpose.version {
                "outdated_version"
            } else {
                "unknown_version"
            };
            return Err(problem(
                "purpose_version",
                code,
                format!(
                    "version {} of \"{}\" is not the current one; show version {} and send that",
                    self.purpose_version, purpose.id, purpose.version
                ),
            ));
        }
        if !config.languages.contains(&self.language) {
            return Err(problem(
                "language",
                "unknown_language",
                format!(
                    "\"{}\" is not a configured language; use one of {}",
                    self.language,
                    config.languages.join(", ")
                ),
            ));
        }
        let screen = ScreenText::of(purpose, &self.language).ok_or_else(|| {
            problem(
                "language",
                "unknown_language",
                format!("\"{}\" has no text in \"{}\"", purpose.id, self.language),
            )
        })?;
        if self.text_sha256 != screen.text_sha256 {
            return Err(problem(
                "text_sha256",
                "text_mismatch",
                format!(
                    "the hash is not that of version {} of \"{}\" in \"{}\"; hash the exact text shown (title, description and policy joined by blank lines)",
                    purpose.version, purpose.id, self.language
                ),
            ));
        }
        for (field, code, value) in [
            ("screen", "bad_screen", &self.screen),
            ("portal_build", "bad_portal_build", &self.portal_build),
        ] {
            let chars = value.chars().count();
            if chars == 0 || chars > MAX_LABEL_CHARS || value.chars().any(char::is_control) {
                return Err(problem(
                    field,
                    code,
                    format!(
                        "{field} must be 1 to {MAX_LABEL_CHARS} characters without control characters"
                    ),
                ));
            }
        }
        Ok(screen)
    }
}

/// One event of the consent ledger; also the consent receipt a customer gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Position in the ledger, from 1 without gaps.
    pub seq: i64,
    /// The customer's pseudonym: random, and linked to the customer only until erasure.
    pub customer_ref: String,
    /// The purpose's id.
    pub purpose: String,
    /// Given or withdrawn.
    pub decision: ConsentDecision,
    /// The purpose version shown.
    pub purpose_version: u32,
    /// The language shown.
    pub language: String,
    /// SHA-256 of the exact text shown.
    pub text_sha256: String,
    /// The screen it was made on.
    pub screen: String,
    /// The portal build that showed it.
    pub portal_build: String,
    /// When it was recorded, Unix seconds.
    pub recorded_at: i64,
    /// The browser's user agent; `None` once erased.
    pub user_agent: Option<String>,
    /// Salted SHA-256 of the user agent (see [`user_agent_sha256`]); kept after erasure.
    pub user_agent_sha256: String,
    /// The hash of the entry before ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// SHA-256 of [`canonical_bytes`] of this entry.
    pub hash: String,
    /// The server's signature of this entry as the ledger's head when it was appended (see
    /// [`head_message`]); absent on entries appended before signing began. Officers only:
    /// it is not part of the hashed bytes, and receipts never carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<HeadSignature>,
}

/// An Ed25519 signature over [`head_message`] of one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadSignature {
    /// Which key signed: [`key_id`] of its public key.
    pub key_id: String,
    /// The 64-byte signature, lowercase hex.
    pub signature: String,
}

/// The tag that starts a signed head; a new message format gets a new tag.
const HEAD_TAG: &str = "rapport-ledger-head-v1";

/// The bytes the server signs for a ledger head: the tag, the entry's `seq` and `hash`, one
/// per line. The hash commits to everything in the entry and, through `prev_hash`, to every
/// entry before it, so one valid signature vouches for the whole ledger up to that entry.
#[must_use]
pub fn head_message(seq: i64, hash: &str) -> Vec<u8> {
    format!("{HEAD_TAG}\n{seq}\n{hash}\n").into_bytes()
}

/// A public key's short name: the first 16 hex digits of SHA-256 of its 32 bytes.
#[must_use]
pub fn key_id(public_key: &[u8]) -> String {
    sha256_hex(public_key)[..16].to_owned()
}

/// The ledger's newest entry and the server's signature of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedHead {
    /// The newest entry's `seq`.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When it was recorded, Unix seconds.
    pub recorded_at: i64,
    /// The signature over [`head_message`] of `seq` and `hash`.
    pub signature: HeadSignature,
}

impl SignedHead {
    /// The head as the newest entry states it, if that entry is signed.
    #[must_use]
    pub fn of(entry: &LedgerEntry) -> Option<SignedHead> {
        Some(SignedHead {
            seq: entry.seq,
            hash: entry.hash.clone(),
            recorded_at: entry.recorded_at,
            signature: entry.signature.clone()?,
        })
    }
}

/// A consent receipt: what one customer decided, on which exact text, and the hash by which
/// an officer finds and proves the ledger entry; nothing about anyone else.
///
/// It carries no global `seq` (which would count everyone's decisions) and no `prev_hash`
/// (usually another customer's entry). `entry_hash` commits to both without revealing them:
/// it is SHA-256 over the entry including its `prev_hash`, which the customer never sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentReceipt {
    /// The customer's own count of decisions: 1 for their first, 2 for their second.
    pub number: u32,
    /// The purpose's id.
    pub purpose: String,
    /// Given or withdrawn.
    pub decision: ConsentDecision,
    /// The purpose version shown.
    pub purpose_version: u32,
    /// The language shown.
    pub language: String,
    /// SHA-256 of the exact text shown.
    pub text_sha256: String,
    /// The screen it was made on.
    pub screen: String,
    /// When it was recorded, Unix seconds.
    pub recorded_at: i64,
    /// The ledger entry's own hash.
    pub entry_hash: String,
}

impl ConsentReceipt {
    /// The receipt for `entry`, the customer's `number`th decision.
    #[must_use]
    pub fn of(entry: &LedgerEntry, number: u32) -> ConsentReceipt {
        ConsentReceipt {
            number,
            purpose: entry.purpose.clone(),
            decision: entry.decision,
            purpose_version: entry.purpose_version,
            language: entry.language.clone(),
            text_sha256: entry.text_sha256.clone(),
            screen: entry.screen.clone(),
            recorded_at: entry.recorded_at,
            entry_hash: entry.hash.clone(),
        }
    }

    /// Receipts for one customer's own entries, oldest first, numbered from 1.
    #[must_use]
    pub fn numbered(entries: &[LedgerEntry]) -> Vec<ConsentReceipt> {
        entries
            .iter()
            .zip(1..)
            .map(|(entry, number)| ConsentReceipt::of(entry, number))
            .collect()
    }
}

/// The bytes an entry's hash is taken over.
///
/// The tag `rapport-consent-ledger-v1` and a newline, then each field as its UTF-8 byte length
/// in decimal, `:`, the bytes and a newline, in this order: `seq`, `customer_ref`, `purpose`,
/// `decision`, `purpose_version`, `language`, `text_sha256`, `screen`, `portal_build`,
/// `recorded_at`, `user_agent_sha256`, `prev_hash`. Numbers are written in decimal. The
/// length prefix makes the encoding unambiguous whatever the fields contain (a newline in a
/// screen label cannot shift a value into the next field). `user_agent` and `hash` are not
/// included: the first is erasable personal data, the second is the result.
#[must_use]
pub fn canonical_bytes(entry: &LedgerEntry) -> Vec<u8> {
    let fields: [&str; 12] = [
        &entry.seq.to_string(),
        &entry.customer_ref,
        &entry.purpose,
        entry.decision.as_str(),
        &entry.purpose_version.to_string(),
        &entry.language,
        &entry.text_sha256,
        &entry.screen,
        &entry.portal_build,
        &entry.recorded_at.to_string(),
        &entry.user_agent_sha256,
        &entry.prev_hash,
    ];
    let mut bytes = Vec::with_capacity(512);
    bytes.extend_from_slice(ENCODING_TAG.as_bytes());
    bytes.push(b'\n');
    for field in fields {
        bytes.extend_from_slice(field.len().to_string().as_bytes());
        bytes.push(b':');
        bytes.extend_from_slice(field.as_bytes());
        bytes.push(b'\n');
    }
    bytes
}

/// The hash an entry must carry: SHA-256 of [`canonical_bytes`], lowercase hex.
#[must_use]
pub fn entry_hash(entry: &LedgerEntry) -> String {
    sha256_hex(&canonical_bytes(entry))
}

/// What a chain verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// How many entries were checked.
    pub entries: u64,
    /// Whether every entry links to the one before and hashes to its stored hash.
    pub intact: bool,
    /// The `seq` of the first entry that does not, if any.
    pub first_broken: Option<i64>,
    /// One sentence for people: "3 entries, chain intact" or what is wrong where.
    pub summary: String,
    /// The newest entry whose signature checks out, when a key was checked; when it is the
    /// newest entry and nothing is broken, the whole ledger is proven as the server signed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_head: Option<SignedHead>,
}

/// Checks a whole ledger, in `seq` order from the first entry.
///
/// An entry is broken when its `seq` is not one more than the previous (a row removed or
/// inserted), its `prev_hash` is not the previous entry's hash (the link cut), or its `hash` is
/// not the hash of its contents (a field changed). Removing only the newest entries cannot be
/// seen from the chain alone; comparing the count or last hash with an earlier report can.
#[must_use]
pub fn verify_chain(entries: &[LedgerEntry]) -> ChainReport {
    let mut prev_hash = GENESIS_HASH;
    let mut prev_seq = 0;
    let count = entries.len() as u64;
    for entry in entries {
        let problem = if entry.seq != prev_seq + 1 {
            Some(format!(
                "expected entry {} but found entry {}",
                prev_seq + 1,
                entry.seq
            ))
        } else if entry.prev_hash != prev_hash {
            Some("its prev_hash is not the hash of the entry before".to_owned())
        } else if entry_hash(entry) != entry.hash {
            Some("its contents do not match its hash".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            return ChainReport {
                entries: count,
                intact: false,
                first_broken: Some(entry.seq),
                summary: format!(
                    "{count} entries, chain broken at entry {}: {problem}",
                    entry.seq
                ),
                signed_head: None,
            };
        }
        prev_hash = &entry.hash;
        prev_seq = entry.seq;
    }
    ChainReport {
        entries: count,
        intact: true,
        first_broken: None,
        summary: format!("{count} entries, chain intact"),
        signed_head: None,
    }
}

/// [`verify_chain`], then the signatures by the key named `key_id`: a rewrite that recomputed
/// every hash after the changed entry keeps the chain intact, but not the signatures.
///
/// `valid(message, signature_hex)` checks one signature with that key (the caller brings the
/// Ed25519 code, so this crate and the portal stay free of it). The first broken entry is the
/// earliest of: the first chain break, the first entry whose signature by this key fails, and,
/// when the newest entry is not validly signed, the first entry after the last valid signature
/// (nothing vouches for it). Signatures by other keys are skipped; the chain covers those
/// entries when a later one is signed by this key.
#[must_use]
pub fn verify_signed_chain(
    entries: &[LedgerEntry],
    key_id: &str,
    valid: impl Fn(&[u8], &str) -> bool,
) -> ChainReport {
    let mut report = verify_chain(entries);
    let count = report.entries;
    let mut last_valid: Option<&LedgerEntry> = None;
    let mut first_invalid: Option<i64> = None;
    for entry in entries {
        let Some(signature) = entry.signature.as_ref().filter(|s| s.key_id == key_id) else {
            continue;
        };
        if valid(&head_message(entry.seq, &entry.hash), &signature.signature) {
            last_valid = Some(entry);
        } else if first_invalid.is_none() {
            first_invalid = Some(entry.seq);
        }
    }
    let newest = entries.last().map(|e| e.seq);
    let problem = match (first_invalid, last_valid) {
        (Some(seq), _) => Some((
            seq,
            format!(
                "its signature by key {key_id} does not match: it or an entry before it was rewritten"
            ),
        )),
        (None, Some(head)) if Some(head.seq) != newest => Some((
            head.seq + 1,
            format!(
                "no valid signature by key {key_id} covers it (the last signed entry is {})",
                head.seq
            ),
        )),
        (None, None) if newest.is_some() => Some((
            entries[0].seq,
            format!("no entry carries a valid signature by key {key_id}"),
        )),
        _ => None,
    };
    if let Some((seq, problem)) = problem
        && report.first_broken.is_none_or(|broken| seq < broken)
    {
        report.intact = false;
        report.first_broken = Some(seq);
        report.summary = format!("{count} entries, chain broken at entry {seq}: {problem}");
    }
    report.signed_head = last_valid.and_then(SignedHead::of);
    if report.intact
        && let Some(head) = &report.signed_head
    {
        report.summary = format!(
            "{count} entries, chain intact, head (entry {}) signed by key {key_id}",
            head.seq
        );
    }
    report
}

/// Where a customer stands on one configured purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentState {
    /// The purpose's id.
    pub purpose: String,
    /// The purpose's version in the configuration now.
    pub current_version: u32,
    /// The latest decision, if the customer has made one.
    pub decision: Option<ConsentDecision>,
    /// The version that decision was made for.
    pub version: Option<u32>,
    /// When it was made, Unix seconds.
    pub recorded_at: Option<i64>,
    /// The consent was given for an older version than the configured one: ask again, and
    /// do not treat it as consent to the new text.
    pub outdated: bool,
}

/// Each configured purpose with the customer's latest decision from `receipts` (their own,
/// any order).
#[must_use]
pub fn consent_states(config: &PortalConfig, receipts: &[ConsentReceipt]) -> Vec<ConsentState> {
    config
        .purposes
        .iter()
        .map(|purpose| {
            let latest = receipts
                .iter()
                .filter(|e| e.purpose == purpose.id)
                .max_by_key(|e| e.number);
            ConsentState {
                purpose: purpose.id.clone(),
                current_version: purpose.version,
                decision: latest.map(|e| e.decision),
                version: latest.map(|e| e.purpose_version),
                recorded_at: latest.map(|e| e.recorded_at),
                outdated: latest.is_some_and(|e| {
                    e.decision == ConsentDecision::Given && e.purpose_version < purpose.version
                }),
            }
        })
        .collect()
}

/// `GET /api/me/consents`: where the customer stands, and their own ledger entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyConsents {
    /// One per configured purpose, in configuration order.
    pub purposes: Vec<ConsentState>,
    /// The customer's receipts, oldest first.
    pub receipts: Vec<ConsentReceipt>,
}

/// An erasure request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRequest {
    /// The request's id.
    pub id: i64,
    /// Received, in progress, done or refused.
    pub status: RequestStatus,
    /// Why it was refused; only with `refused`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it was made, Unix seconds.
    pub requested_at: i64,
    /// When its status last changed, Unix seconds.
    pub updated_at: i64,
}

/// `GET /api/me/export`: everything the backend holds about the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataExport {
    /// When the export was made, Unix seconds.
    pub exported_at: i64,
    /// Their sign-in e-mail.
    pub account_email: String,
    /// Their profile.
    pub profile: Profile,
    /// Their checklist answers and contact choices.
    pub preferences: Preferences,
    /// Their consents and ledger entries.
    pub consents: MyConsents,
    /// Their whole history, newest first.
    pub history: Vec<HistoryEvent>,
    /// Their erasure requests.
    pub requests: Vec<ErasureRequest>,
    /// Their saved product designs.
    #[serde(default)]
    pub designs: crate::designs::Designs,
    /// Their orders, newest first.
    #[serde(default)]
    pub orders: Vec<crate::designs::OrderRecord>,
    /// When they were last here; none before their first visit.
    #[serde(default)]
    pub visits: Option<crate::visits::Visits>,
}

/// `GET /api/audit/customers/{ref}/at`: what one customer saw and chose as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerAt {
    /// The customer's pseudonym.
    pub customer_ref: String,
    /// The date asked about, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Entries recorded before this instant (the end of that day) count, Unix seconds.
    pub as_of: i64,
    /// One per purpose the customer ever decided on, in purpose order.
    pub purposes: Vec<SeenAndChosen>,
}

/// A customer's last decision about one purpose as of a date, with the text they saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenAndChosen {
    /// The purpose's id.
    pub purpose: String,
    /// The ledger entry of the decision.
    pub entry: LedgerEntry,
    /// The screen with the hash the entry names; `None` if the catalog has no such text.
    pub screen: Option<ScreenText>,
}

/// `GET /audit/ledger?format=json`: the ledger as a file that can be verified offline
/// (`rapport-server verify-ledger`) when no filter was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerExport {
    /// The entries that pass the filters, in `seq` order.
    pub entries: Vec<LedgerEntry>,
    /// The newest signed entry of the whole ledger and its signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<SignedHead>,
    /// [`key_id`] of the server's signing key now.
    #[serde(default)]
    pub key_id: String,
    /// The server's public key now, 32 bytes in lowercase hex.
    #[serde(default)]
    pub public_key: String,
}

/// Most ledger entries in one page.
pub const LEDGER_MAX_LIMIT: u32 = 1000;
/// Ledger entries in a page when the query names no `limit`.
pub const LEDGER_DEFAULT_LIMIT: u32 = 100;

/// `GET /audit/ledger`: one page of entries, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    /// Up to `limit` entries that pass the filters, in `seq` order.
    pub entries: Vec<LedgerEntry>,
    /// Pass as `cursor` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The newest signed entry of the whole ledger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<SignedHead>,
}

/// `GET /audit/screens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenCatalog {
    /// Every purpose x version x language (x text, should a text have changed without a new
    /// version) ever shown, by purpose, version and language.
    pub screens: Vec<ScreenText>,
}

/// The columns of the ledger's CSV export, in order.
pub const LEDGER_CSV_HEADER: &str = "seq,customer_ref,purpose,decision,purpose_version,language,text_sha256,screen,portal_build,recorded_at,recorded_at_utc,user_agent,user_agent_sha256,prev_hash,hash\r\n";

/// The fields of a ledger entry's CSV record, matching [`LEDGER_CSV_HEADER`]; free text that
/// a spreadsheet would run as a formula is prefixed `'` (see [`csv_text`]). The backend
/// writes them with the `csv` crate.
#[must_use]
pub fn ledger_csv_fields(entry: &LedgerEntry) -> [String; 15] {
    [
        entry.seq.to_string(),
        csv_text(&entry.customer_ref),
        csv_text(&entry.purpose),
        entry.decision.as_str().to_owned(),
        entry.purpose_version.to_string(),
        csv_text(&entry.language),
        entry.text_sha256.clone(),
        csv_text(&entry.screen),
        csv_text(&entry.portal_build),
        entry.recorded_at.to_string(),
        format_utc(entry.recorded_at),
        csv_text(entry.user_agent.as_deref().unwrap_or("")),
        entry.user_agent_sha256.clone(),
        entry.prev_hash.clone(),
        entry.hash.clone(),
    ]
}

/// One CSV record (RFC 4180, CRLF-terminated) of [`ledger_csv_fields`].
#[must_use]
pub fn ledger_csv_record(entry: &LedgerEntry) -> String {
    let mut line = ledger_csv_fields(entry)
        .iter()
        .map(|field| csv_quote(field))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PortalConfig {
        let shipped = include_str!("../../../public/config.json");
        PortalConfig::from_json(shipped, &["en", "sv"]).unwrap()
    }

    fn chain(n: i64) -> Vec<LedgerEntry> {
        let mut entries: Vec<LedgerEntry> = Vec::new();
        for seq in 1..=n {
            let mut entry = LedgerEntry {
                seq,
                customer_ref: format!("ref{}", seq % 2),
                purpose: "marketing".into(),
                decision: if seq % 3 == 0 {
                    ConsentDecision::Withdrawn
                } else {
                    ConsentDecision::Given
                },
                purpose_version: 1,
                language: "sv".into(),
                text_sha256: sha256_hex(b"text"),
                screen: "privacy".into(),
                portal_build: "test".into(),
                recorded_at: 1_700_000_000 + seq,
                user_agent: Some("Firefox".into()),
                user_agent_sha256: user_agent_sha256("salt", "Firefox"),
                prev_hash: entries
                    .last()
                    .map_or(GENESIS_HASH.to_owned(), |e| e.hash.clone()),
                hash: String::new(),
                signature: None,
            };
            entry.hash = entry_hash(&entry);
            entries.push(entry);
        }
        entries
    }

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_shown_text_joins_title_description_and_policy_with_blank_lines() {
        assert_eq!(shown_text("T", "D", "P"), "T\n\nD\n\nP");
        assert_eq!(screen_sha256("T", "D", "P"), sha256_hex(b"T\n\nD\n\nP"));
    }

    #[test]
    fn the_catalog_has_every_purpose_in_every_language() {
        let config = config();
        let screens = ScreenText::all(&config);
        assert_eq!(
            screens.len(),
            config.purposes.len() * config.languages.len()
        );
        let sv = screens
            .iter()
            .find(|s| s.purpose == "marketing" && s.language == "sv")
            .unwrap();
        assert_eq!(
            sv.text_sha256,
            sha256_hex(shown_text(&sv.title, &sv.description, &sv.policy).as_bytes())
        );
    }

    fn request(config: &PortalConfig) -> RecordConsent {
        let purpose = config.purpose("marketing").unwrap();
        RecordConsent {
            purpose: "marketing".into(),
            decision: ConsentDecision::Given,
            purpose_version: purpose.version,
            language: "en".into(),
            text_sha256: ScreenText::of(purpose, "en").unwrap().text_sha256,
            screen: "privacy".into(),
            portal_build: "0.1.0".into(),
        }
    }

    #[test]
    fn a_request_for_the_configured_text_is_accepted() {
        let config = config();
        assert_eq!(request(&config).check(&config).unwrap().language, "en");
    }

    #[test]
    fn each_wrong_field_is_named() {
        let config = config();
        type Case = (fn(&mut RecordConsent), &'static str, &'static str);
        let cases: Vec<Case> = vec![
            (|r| r.purpose = "nope".into(), "purpose", "unknown_purpose"),
            (
                |r| r.purpose = "service".into(),
                "purpose",
                "consent_not_applicable",
            ),
            (
                |r| r.purpose_version = 0,
                "purpose_version",
                "outdated_version",
            ),
            (
                |r| r.purpose_version = 99,
                "purpose_version",
                "unknown_version",
            ),
            (|r| r.language = "de".into(), "language", "unknown_language"),
            (|r| r.language = "sv".into(), "text_sha256", "text_mismatch"),
            (
                |r| r.text_sha256 = sha256_hex(b"other"),
                "text_sha256",
                "text_mismatch",
            ),
            (|r| r.screen = String::new(), "screen", "bad_screen"),
            (|r| r.screen = "a\nb".into(), "screen", "bad_screen"),
            (
                |r| r.portal_build = "x".repeat(81),
                "portal_build",
                "bad_portal_build",
            ),
        ];
        for (change, field, code) in cases {
            let mut request = request(&config);
            change(&mut request);
            let problem = request.check(&config).unwrap_err();
            assert_eq!((problem.field, problem.code), (field, code), "{request:?}");
        }
    }

    #[test]
    fn an_untouched_chain_is_intact() {
        let report = verify_chain(&chain(5));
        assert_eq!(report.entries, 5);
        assert!(report.intact);
        assert_eq!(report.first_broken, None);
        assert_eq!(report.summary, "5 entries, chain intact");
        assert!(verify_chain(&[]).intact);
    }

    #[test]
    fn a_changed_field_breaks_the_chain_at_that_entry() {
        let mut entries = chain(5);
        entries[2].decision = ConsentDecision::Given;
        let report = verify_chain(&entries);
        assert!(!report.intact);
        assert_eq!(report.first_broken, Some(3));
    }

    #[test]
    fn a_rehashed_entry_breaks_the_link_of_the_next() {
        let mut entries = chain(5);
        entries[1].purpose = "analytics".into();
        entries[1].hash = entry_hash(&entries[1]);
        assert_eq!(verify_chain(&entries).first_broken, Some(3));
    }

    #[test]
    fn a_removed_entry_is_named_by_the_one_after_it() {
        let mut entries = chain(5);
        entries.remove(1);
        assert_eq!(verify_chain(&entries).first_broken, Some(3));
    }

    #[test]
    fn the_user_agent_itself_is_not_hashed_so_erasing_it_keeps_the_chain() {
        let mut entries = chain(3);
        for entry in &mut entries {
            entry.user_agent = None;
        }
        assert!(verify_chain(&entries).intact);
    }

    #[test]
    fn the_length_prefix_keeps_fields_apart() {
        let mut a = chain(1).remove(0);
        let mut b = a.clone();
        a.screen = "x\n5:y".into();
        a.portal_build = "z".into();
        b.screen = "x".into();
        b.portal_build = "y\n1:z".into();
        assert_ne!(canonical_bytes(&a), canonical_bytes(&b));
    }

    #[test]
    fn states_mark_consent_to_an_older_version_as_outdated() {
        let mut config = config();
        let entries = ConsentReceipt::numbered(&chain(2)); // marketing v1: given, given
        let states = consent_states(&config, &entries);
        let marketing = states.iter().find(|s| s.purpose == "marketing").unwrap();
        assert_eq!(marketing.decision, Some(ConsentDecision::Given));
        assert!(!marketing.outdated);
        let analytics = states.iter().find(|s| s.purpose == "analytics").unwrap();
        assert_eq!(analytics.decision, None);

        config
            .purposes
            .iter_mut()
            .find(|p| p.id == "marketing")
            .unwrap()
            .version = 2;
        let states = consent_states(&config, &entries);
        let marketing = states.iter().find(|s| s.purpose == "marketing").unwrap();
        assert!(marketing.outdated);
        assert_eq!(marketing.current_version, 2);
        // A withdrawal for an older version is still a withdrawal: nothing to ask again.
        let withdrawn = consent_states(&config, &ConsentReceipt::numbered(&chain(3)));
        assert!(!withdrawn.iter().any(|s| s.outdated));
    }

    /// A stand-in signer for the chain logic: "signature" = SHA-256 of secret + message.
    fn fake_sign(message: &[u8]) -> String {
        sha256_hex(&[b"secret".as_slice(), message].concat())
    }

    fn signed(mut entries: Vec<LedgerEntry>) -> Vec<LedgerEntry> {
        for entry in &mut entries {
            entry.signature = Some(HeadSignature {
                key_id: "k1".into(),
                signature: fake_sign(&head_message(entry.seq, &entry.hash)),
            });
        }
        entries
    }

    fn check(entries: &[LedgerEntry]) -> ChainReport {
        verify_signed_chain(entries, "k1", |message, signature| {
            fake_sign(message) == signature
        })
    }

    /// Rewrites entry `index` and recomputes every hash after it, as someone with the
    /// database but without the key would.
    fn rewrite(entries: &mut [LedgerEntry], index: usize) {
        entries[index].purpose = "rewritten".into();
        for i in index..entries.len() {
            if i > 0 {
                entries[i].prev_hash = entries[i - 1].hash.clone();
            }
            entries[i].hash = entry_hash(&entries[i]);
        }
    }

    #[test]
    fn signatures_catch_a_rewrite_the_chain_alone_cannot() {
        let entries = signed(chain(5));
        let report = check(&entries);
        assert!(report.intact, "{}", report.summary);
        assert_eq!(report.signed_head.as_ref().map(|h| h.seq), Some(5));
        assert!(report.summary.contains("head (entry 5) signed by key k1"));

        let mut rewritten = entries.clone();
        rewrite(&mut rewritten, 2);
        assert!(verify_chain(&rewritten).intact, "consistent rewrite");
        let report = check(&rewritten);
        assert_eq!(report.first_broken, Some(3), "{}", report.summary);
        assert!(report.summary.contains("entry 3"), "{}", report.summary);

        // Signatures removed after the rewrite: nothing vouches for entries after 2.
        for entry in &mut rewritten[2..] {
            entry.signature = None;
        }
        assert_eq!(check(&rewritten).first_broken, Some(3));

        // Entries appended before signing began are covered by a later signed head.
        let mut legacy = signed(chain(4));
        for entry in &mut legacy[..3] {
            entry.signature = None;
        }
        assert!(check(&legacy).intact);
        // No signature by this key at all.
        assert_eq!(check(&chain(2)).first_broken, Some(1));
        assert!(check(&[]).intact);
    }

    #[test]
    fn receipts_carry_nothing_about_other_customers() {
        let entries = chain(3);
        let receipts = ConsentReceipt::numbered(&entries);
        assert_eq!(
            receipts.iter().map(|r| r.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(receipts[1].entry_hash, entries[1].hash);
        let json = serde_json::to_value(&receipts[1]).unwrap();
        for private in [
            "seq",
            "prev_hash",
            "customer_ref",
            "signature",
            "user_agent",
        ] {
            assert!(json.get(private).is_none(), "{private} in {json}");
        }
    }

    #[test]
    fn the_history_word_granted_still_reads_as_given() {
        let old: ConsentDecision = serde_json::from_str("\"granted\"").unwrap();
        assert_eq!(old, ConsentDecision::Given);
        assert_eq!(serde_json::to_string(&old).unwrap(), "\"given\"");
    }

    #[test]
    fn csv_records_quote_and_defuse_free_text() {
        let mut entry = chain(1).remove(0);
        entry.screen = "=cmd,1".into();
        let line = ledger_csv_record(&entry);
        assert!(line.contains("\"'=cmd,1\""), "{line}");
        assert!(line.ends_with("\r\n"));
        assert_eq!(
            line.split(',').count(),
            LEDGER_CSV_HEADER.split(',').count() + 1
        );
    }
}
