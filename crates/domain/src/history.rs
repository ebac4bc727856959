//! The customer's history: one timeline of purchases, interactions, consent changes and
//! requests, the query that pages through it, and the facts derived from it.
//!
//! Times are **Unix seconds (UTC)** as integers everywhere on the wire (`occurred_at`, the
//! `from`/`to` bounds the backend answers with): they compare and sort without parsing, the
//! store keeps them the same way, and the portal formats them for the reader's language.
//! People typing a date range may also write `2024-05-01` or `2024-05-01T08:00:00Z`; see
//! [`parse_time`]. Money is always integer minor units (öre, cents) beside an ISO 4217
//! currency code, never a float.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use crate::consent::ConsentDecision;
use crate::csv::{csv_quote, csv_text};
use crate::time::{add_months, format_utc, month_of, parse_time};

/// Page size when the query names none.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page a query may ask for; bigger pages belong in the export.
pub const MAX_LIMIT: u32 = 200;
/// Longest search text accepted; a timeline search is a few words, not a paragraph.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most search words used; more narrow nothing down and only cost time.
pub const MAX_QUERY_TERMS: usize = 8;
/// How many products [`DerivedFacts::top_products`] lists.
pub const TOP_PRODUCTS: usize = 5;
/// How many calendar months [`DerivedFacts::spending_by_month`] covers.
pub const SPENDING_MONTHS: i64 = 12;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The customer bought something.
    Purchase,
    /// The business and the customer were in touch.
    Interaction,
    /// The customer gave or withdrew consent for a purpose.
    ConsentChange,
    /// The customer asked for their data, its erasure or a correction.
    Request,
}

impl EventKind {
    /// Every kind, in the order filters list them.
    pub const ALL: [EventKind; 4] = [
        Self::Purchase,
        Self::Interaction,
        Self::ConsentChange,
        Self::Request,
    ];

    /// The identifier on the wire, in query strings and in the store.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Purchase => "purchase",
            Self::Interaction => "interaction",
            Self::ConsentChange => "consent_change",
            Self::Request => "request",
        }
    }

    /// The kind named by [`EventKind::as_str`], if any.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The business's web site or web shop.
    Web,
    /// E-mail.
    Email,
    /// A phone call.
    Phone,
    /// In a physical store.
    Store,
    /// Chat on the site or in an app.
    Chat,
}

impl Channel {
    /// Every channel, in the order filters list them (and ties in facts are broken by).
    pub const ALL: [Channel; 5] = [Self::Web, Self::Email, Self::Phone, Self::Store, Self::Chat];

    /// The identifier on the wire, in query strings and in the store.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Store => "store",
            Self::Chat => "chat",
        }
    }

    /// The channel named by [`Channel::as_str`], if any.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One entry of the timeline.
///
/// On the wire: `{ "id", "channel", "occurred_at", "kind", "details": { … } }`, where the
/// shape of `details` follows `kind`. `kind` and `details` come from [`EventDetails`] so the
/// two can never disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    /// Stable identifier; later events have larger ones, but order by time, not by id.
    pub id: i64,
    /// Where it happened.
    pub channel: Channel,
    /// When, in Unix seconds (UTC).
    pub occurred_at: i64,
    /// What happened; serialised as `kind` + `details`.
    #[serde(flatten)]
    pub details: EventDetails,
}

impl HistoryEvent {
    /// The event's kind, read from its details.
    #[must_use]
    pub fn kind(&self) -> EventKind {
        self.details.kind()
    }
}

/// The kind-specific part of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "details", rename_all = "snake_case")]
pub enum EventDetails {
    /// A purchase.
    Purchase(Purchase),
    /// Contact between business and customer.
    Interaction(Interaction),
    /// A consent given or withdrawn (written by the consent ledger once it exists).
    ConsentChange(ConsentChange),
    /// A data request.
    Request(DataRequest),
}

impl EventDetails {
    /// The kind these details belong to.
    #[must_use]
    pub fn kind(&self) -> EventKind {
        match self {
            Self::Purchase(_) => EventKind::Purchase,
            Self::Interaction(_) => EventKind::Interaction,
            Self::ConsentChange(_) => EventKind::ConsentChange,
            Self::Request(_) => EventKind::Request,
        }
    }

    /// One line a person can read, in English; also the text the backend searches.
    ///
    /// The portal renders its own translated line from the details; this one serves the
    /// export and the search index, so product names, store and summary all appear in it.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Purchase(p) => {
                let mut line = String::new();
                for (i, item) in p.items.iter().enumerate() {
                    if i > 0 {
                        line.push_str(", ");
                    }
                    let _ = write!(line, "{} × {}", item.quantity, item.product);
                }
                let _ = write!(line, " at {}", p.store);
                line
            }
            Self::Interaction(i) => i.summary.clone(),
            Self::ConsentChange(c) => format!(
                "Consent {} for {} (version {})",
                c.decision.as_str(),
                c.purpose,
                c.version
            ),
            Self::Request(DataRequest {
                order: Some(order),
                status,
                ..
            }) => format!(
                "Order {} ({}) {}",
                order.name,
                order.reference,
                match status {
                    RequestStatus::Received => "received",
                    RequestStatus::InProgress => "in progress",
                    RequestStatus::Done => "fulfilled",
                    RequestStatus::Refused => "refused",
                }
            ),
            Self::Request(r) => format!(
                "{} request {}",
                match r.kind {
                    RequestKind::Export => "Data export",
                    RequestKind::Erasure => "Erasure",
                    RequestKind::Correction => "Correction",
                    RequestKind::Order => "Order",
                },
                match r.status {
                    RequestStatus::Received => "received",
                    RequestStatus::InProgress => "in progress",
                    RequestStatus::Done => "done",
                    RequestStatus::Refused => "refused",
                }
            ),
        }
    }
}

/// What was bought, for how much, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    /// The lines of the receipt.
    pub items: Vec<PurchaseItem>,
    /// What was paid, in minor units of `currency`; may differ from the items' sum (discounts).
    pub total_minor: i64,
    /// ISO 4217 code, such as `SEK`.
    pub currency: String,
    /// The store or web site it was bought at.
    pub store: String,
}

impl Purchase {
    /// How many units were bought in all; the basket size facts speak of.
    #[must_use]
    pub fn units(&self) -> u64 {
        self.items.iter().map(|i| u64::from(i.quantity)).sum()
    }
}

/// One line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseItem {
    /// Product name as the receipt shows it.
    pub product: String,
    /// How many.
    pub quantity: u32,
    /// Price of one, in minor units of the purchase's currency.
    pub unit_price_minor: i64,
}

/// Contact between the business and the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// What sort of contact.
    pub kind: InteractionKind,
    /// A short summary a person wrote or a system generated.
    pub summary: String,
}

/// Sorts of contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    /// A newsletter sent to (and perhaps opened by) the customer.
    Newsletter,
    /// A personal offer.
    Offer,
    /// A visit: to the site, or to a store without buying.
    Visit,
    /// A support case.
    Support,
    /// A question the customer asked.
    Question,
    /// A complaint.
    Complaint,
    /// Feedback or a review.
    Feedback,
    /// A booked appointment.
    Appointment,
}

/// A consent given or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    /// The purpose's identifier in the business's configuration.
    pub purpose: String,
    /// Given or withdrawn.
    pub decision: ConsentDecision,
    /// The version of the purpose's text the customer saw.
    pub version: u32,
}

/// A data request and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRequest {
    /// What was asked for.
    pub kind: RequestKind,
    /// Where it stands.
    pub status: RequestStatus,
    /// For an order: what was ordered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderSummary>,
}

/// What an order request asked for, as its history line shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    /// The order's reference.
    pub reference: String,
    /// The design's name.
    pub name: String,
    /// The model's id.
    pub model: String,
    /// The agreed price, in minor units.
    pub total_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
}

/// What a customer can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A copy of their data.
    Export,
    /// Erasure of their data.
    Erasure,
    /// Correction of their data.
    Correction,
    /// A product they designed, ordered.
    Order,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Received, not yet started.
    Received,
    /// Being worked on.
    InProgress,
    /// Done.
    Done,
    /// Refused (the answer says why).
    Refused,
}

/// One page of the timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    /// The events, newest first.
    pub events: Vec<HistoryEvent>,
    /// Pass as `cursor` to get the next (older) page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The whole history, as the JSON export carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryExport {
    /// Every event, newest first.
    pub events: Vec<HistoryEvent>,
}

/// A request for one page: filters, search, where to continue and how many.
///
/// Built from a query string with [`HistoryQuery::from_pairs`] (the backend) and turned back
/// into one with [`HistoryQuery::to_pairs`] (the portal), so both read it the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    /// Only this kind (`kind=`).
    pub kind: Option<EventKind>,
    /// Only this channel (`channel=`).
    pub channel: Option<Channel>,
    /// Only events at or after this time (`from=`, inclusive).
    pub since: Option<i64>,
    /// Only events before this time (`to=` is inclusive, so this is one past it).
    pub before: Option<i64>,
    /// Search words (`q=`), lower-cased; every word must match (as a word prefix).
    pub terms: Vec<String>,
    /// Continue after this point (`cursor=`); opaque, made by the backend.
    pub cursor: Option<String>,
    /// Page size (`limit=`), 1 to [`MAX_LIMIT`].
    pub limit: u32,
}

impl Default for HistoryQuery {
    fn default() -> Self {
        Self {
            kind: None,
            channel: None,
            since: None,
            before: None,
            terms: Vec::new(),
            cursor: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// A query parameter that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamProblem {
    /// The parameter's name, as the client sent it.
    pub field: String,
    /// What is wrong, in English.
    pub message: String,
}

impl ParamProblem {
    fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl HistoryQuery {
    /// Reads a query string's decoded pairs; the first problem names its parameter.
    ///
    /// Unknown and repeated parameters are refused rather than ignored, so a misspelt filter
    /// (`chanel=web`) says so instead of silently showing everything.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, ParamProblem> {
        let mut query = HistoryQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in pairs {
            if seen.contains(&name) {
                return Err(ParamProblem::new(name, format!("{name} is given twice")));
            }
            seen.push(name);
            let value = value.trim();
            match name {
                "kind" => {
                    query.kind = Some(EventKind::parse(value).ok_or_else(|| {
                        ParamProblem::new(
                            name,
                            one_of(value, EventKind::ALL.map(EventKind::as_str)),
                        )
                    })?);
                }
                "channel" => {
                    query.channel = Some(Channel::parse(value).ok_or_else(|| {
                        ParamProblem::new(name, one_of(value, Channel::ALL.map(Channel::as_str)))
                    })?);
                }
                "from" => query.since = Some(time_param(name, value, false)?),
                "to" => query.before = Some(time_param(name, value, true)?),
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(ParamProblem::new(
                            name,
                            format!("q is longer than {MAX_QUERY_CHARS} characters"),
                        ));
                    }
                    query.terms = search_terms(value);
                    if query.terms.is_empty() && !value.is_empty() {
                        return Err(ParamProblem::new(
                            name,
                            "q has no letters or digits to search for",
                        ));
                    }
                }
                "cursor" => {
                    if !value.is_empty() {
                        query.cursor = Some(value.to_owned());
                    }
                }
                "limit" => {
                    query.limit = value
                        .parse::<u32>()
                        .ok()
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            ParamProblem::new(
                                name,
                                format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                            )
                        })?;
                }
                other => {
                    return Err(ParamProblem::new(
                        other,
                        format!(
                            "{other} is not a history parameter; use kind, channel, from, to, q, cursor or limit"
                        ),
                    ));
                }
            }
        }
        if let (Some(since), Some(before)) = (query.since, query.before)
            && before <= since
        {
            return Err(ParamProblem::new("to", "to is before from"));
        }
        Ok(query)
    }

    /// The query string pairs that [`HistoryQuery::from_pairs`] reads back as this query.
    #[must_use]
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(kind) = self.kind {
            pairs.push(("kind", kind.as_str().to_owned()));
        }
        if let Some(channel) = self.channel {
            pairs.push(("channel", channel.as_str().to_owned()));
        }
        if let Some(since) = self.since {
            pairs.push(("from", since.to_string()));
        }
        if let Some(before) = self.before {
            pairs.push(("to", (before - 1).to_string()));
        }
        if !self.terms.is_empty() {
            pairs.push(("q", self.terms.join(" ")));
        }
        if let Some(cursor) = &self.cursor {
            pairs.push(("cursor", cursor.clone()));
        }
        if self.limit != DEFAULT_LIMIT {
            pairs.push(("limit", self.limit.to_string()));
        }
        pairs
    }

    /// Whether an event passes the filters and search (not the cursor or limit).
    ///
    /// The backend answers from indexes; this is the same rule in plain Rust, for tests and
    /// for clients that filter what they already hold.
    #[must_use]
    pub fn matches(&self, event: &HistoryEvent) -> bool {
        let text = event.details.describe().to_lowercase();
        let words: Vec<&str> = words(&text).collect();
        self.kind.is_none_or(|k| k == event.kind())
            && self.channel.is_none_or(|c| c == event.channel)
            && self.since.is_none_or(|s| event.occurred_at >= s)
            && self.before.is_none_or(|b| event.occurred_at < b)
            && self
                .terms
                .iter()
                .all(|term| words.iter().any(|w| w.starts_with(term.as_str())))
    }
}

fn one_of<const N: usize>(value: &str, names: [&str; N]) -> String {
    format!("{value:?} is not one of {}", names.join(", "))
}

fn time_param(name: &str, value: &str, inclusive_end: bool) -> Result<i64, ParamProblem> {
    parse_time(value, inclusive_end).ok_or_else(|| {
        ParamProblem::new(
            name,
            format!(
                "{name} must be a date (2024-05-01), a UTC time (2024-05-01T08:00:00Z) or Unix seconds"
            ),
        )
    })
}

/// The words of a search text, lower-cased: runs of letters and digits.
///
/// Splitting the same way as SQLite's `unicode61` tokenizer keeps the backend's index and this
/// crate's [`HistoryQuery::matches`] in agreement.
#[must_use]
pub fn search_terms(text: &str) -> Vec<String> {
    words(text)
        .take(MAX_QUERY_TERMS)
        .map(str::to_lowercase)
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The columns of the CSV export, in order.
pub const CSV_HEADER: &str =
    "id,occurred_at,kind,channel,description,total_minor,currency,store,details\r\n";

/// One CSV record (RFC 4180, CRLF-terminated) for an event, matching [`CSV_HEADER`].
///
/// Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return) is prefixed with `'`: summaries come from people, and an export must not
/// become a way to run formulas on the customer's machine.
#[must_use]
pub fn csv_record(event: &HistoryEvent) -> String {
    let (total, currency, store) = match &event.details {
        EventDetails::Purchase(p) => (
            p.total_minor.to_string(),
            p.currency.as_str(),
            p.store.as_str(),
        ),
        _ => (String::new(), "", ""),
    };
    let details = match &event.details {
        EventDetails::Purchase(d) => serde_json::to_string(d),
        EventDetails::Interaction(d) => serde_json::to_string(d),
        EventDetails::ConsentChange(d) => serde_json::to_string(d),
        EventDetails::Request(d) => serde_json::to_string(d),
    }
    .unwrap_or_default();
    let fields = [
        event.id.to_string(),
        format_utc(event.occurred_at),
        event.kind().as_str().to_owned(),
        event.channel.as_str().to_owned(),
        csv_text(&event.details.describe()),
        total,
        csv_text(currency),
        csv_text(store),
        details,
    ];
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&csv_quote(field));
    }
    line.push_str("\r\n");
    line
}

/// What the history says about the customer, computed from all of it.
///
/// Medians are *lower* medians (the middle value, or the lower of the two middle ones): always
/// an amount that really occurred, and exactly the same from SQL and from Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DerivedFacts {
    /// Time of the first event of any kind.
    pub customer_since: Option<i64>,
    /// Time of the latest purchase.
    pub last_purchase: Option<i64>,
    /// How many purchases in all.
    pub purchase_count: u64,
    /// How often they buy: the mean gap between purchases in days, rounded; needs two purchases.
    pub mean_days_between_purchases: Option<i64>,
    /// Typical basket size: the median number of units per purchase.
    pub typical_basket_units: Option<u64>,
    /// Typical basket value per currency, the currency with most purchases first.
    pub typical_basket_value: Vec<BasketValue>,
    /// Every channel the customer has used, the most used first.
    pub channels_used: Vec<ChannelUse>,
    /// The products bought most (by units), at most [`TOP_PRODUCTS`].
    pub top_products: Vec<ProductBought>,
    /// Spending per calendar month (UTC) and currency over the [`SPENDING_MONTHS`] months
    /// ending with the month of the latest purchase, oldest first (currencies by name within
    /// a month). Only months with purchases appear; [`DerivedFacts::spending_series`] fills in
    /// the others. Counted back from the latest purchase rather than from today, so a
    /// customer who stopped buying still sees their last year, and the answer depends only on
    /// the history (the same from SQL as from [`DerivedFacts::compute`]). Absent in answers
    /// from before it existed, which read as empty.
    #[serde(default)]
    pub spending_by_month: Vec<MonthSpend>,
}

/// What was spent in one currency in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthSpend {
    /// The calendar month in UTC, `YYYY-MM`.
    pub month: String,
    /// ISO 4217 code.
    pub currency: String,
    /// The purchases' totals added up, in minor units.
    pub total_minor: i64,
    /// How many purchases.
    pub purchases: u64,
}

/// One currency's spending over every month of the window, empty months included: what a
/// chart draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencySpending {
    /// ISO 4217 code.
    pub currency: String,
    /// Each of the [`SPENDING_MONTHS`] months, oldest first; months without purchases have
    /// zero totals.
    pub months: Vec<MonthSpend>,
}

/// The typical purchase total in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasketValue {
    /// ISO 4217 code.
    pub currency: String,
    /// How many purchases were in this currency.
    pub purchases: u64,
    /// Their median total, in minor units.
    pub median_total_minor: i64,
}

/// How much one channel was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelUse {
    /// The channel.
    pub channel: Channel,
    /// How many events of any kind happened there.
    pub events: u64,
    /// When it was last used.
    pub last_at: i64,
}

/// One of the products bought most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductBought {
    /// Product name.
    pub product: String,
    /// Units bought in all.
    pub units: u64,
}

impl DerivedFacts {
    /// Computes the facts from a customer's events, in any order.
    ///
    /// Ties are broken so the answer never depends on input order: channels by
    /// [`Channel::ALL`] order, currencies and products by name (byte order, as SQLite's
    /// default collation compares).
    #[must_use]
    pub fn compute(events: &[HistoryEvent]) -> DerivedFacts {
        let mut facts = DerivedFacts {
            customer_since: events.iter().map(|e| e.occurred_at).min(),
            ..DerivedFacts::default()
        };
        let mut channels: BTreeMap<Channel, (u64, i64)> = BTreeMap::new();
        for event in events {
            let entry = channels.entry(event.channel).or_insert((0, i64::MIN));
            entry.0 += 1;
            entry.1 = entry.1.max(event.occurred_at);
        }
        facts.channels_used = channels
            .into_iter()
            .map(|(channel, (events, last_at))| ChannelUse {
                channel,
                events,
                last_at,
            })
            .collect();
        facts
            .channels_used
            .sort_by(|a, b| b.events.cmp(&a.events).then(a.channel.cmp(&b.channel)));

        let purchases: Vec<(i64, &Purchase)> = events
            .iter()
            .filter_map(|e| match &e.details {
                EventDetails::Purchase(p) => Some((e.occurred_at, p)),
                _ => None,
            })
            .collect();
        let count = purchases.len() as i64;
        facts.purchase_count = purchases.len() as u64;
        let first = purchases.iter().map(|(at, _)| *at).min();
        facts.last_purchase = purchases.iter().map(|(at, _)| *at).max();
        if let (Some(first), Some(last)) = (first, facts.last_purchase)
            && count >= 2
        {
            let gaps = count - 1;
            facts.mean_days_between_purchases =
                Some((last - first + gaps * 43_200) / (gaps * 86_400));
        }
        facts.typical_basket_units =
            lower_median(purchases.iter().map(|(_, p)| p.units()).collect());

        let mut totals: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        let mut units: BTreeMap<&str, u64> = BTreeMap::new();
        for (_, purchase) in &purchases {
            totals
                .entry(purchase.currency.as_str())
                .or_default()
                .push(purchase.total_minor);
            for item in &purchase.items {
                *units.entry(item.product.as_str()).or_default() += u64::from(item.quantity);
            }
        }
        facts.typical_basket_value = totals
            .into_iter()
            .filter_map(|(currency, totals)| {
                let purchases = totals.len() as u64;
                lower_median(totals).map(|median_total_minor| BasketValue {
                    currency: currency.to_owned(),
                    purchases,
                    median_total_minor,
                })
            })
            .collect();
        facts.typical_basket_value.sort_by(|a, b| {
            b.purchases
                .cmp(&a.purchases)
                .then(a.currency.cmp(&b.currency))
        });
        let mut products: Vec<ProductBought> = units
            .into_iter()
            .map(|(product, units)| ProductBought {
                product: product.to_owned(),
                units,
            })
            .collect();
        products.sort_by(|a, b| b.units.cmp(&a.units).then(a.product.cmp(&b.product)));
        products.truncate(TOP_PRODUCTS);
        facts.top_products = products;
        facts.spending_by_month = spending_by_month(&purchases, facts.last_purchase);
        facts
    }

    /// [`DerivedFacts::spending_by_month`] per currency with every month of the window filled
    /// in, the currency with most purchases in the window first (ties by name).
    #[must_use]
    pub fn spending_series(&self) -> Vec<CurrencySpending> {
        let Some(last) = self
            .spending_by_month
            .iter()
            .map(|m| m.month.as_str())
            .max()
        else {
            return Vec::new();
        };
        let months: Vec<String> = (1 - SPENDING_MONTHS..=0)
            .filter_map(|back| add_months(last, back))
            .collect();
        let mut currencies: Vec<(&str, u64)> = Vec::new();
        for spend in &self.spending_by_month {
            match currencies.iter_mut().find(|(c, _)| *c == spend.currency) {
                Some((_, purchases)) => *purchases += spend.purchases,
                None => currencies.push((&spend.currency, spend.purchases)),
            }
        }
        currencies.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        currencies
            .into_iter()
            .map(|(currency, _)| CurrencySpending {
                currency: currency.to_owned(),
                months: months
                    .iter()
                    .map(|month| {
                        self.spending_by_month
                            .iter()
                            .find(|s| s.month == *month && s.currency == currency)
                            .cloned()
                            .unwrap_or_else(|| MonthSpend {
                                month: month.clone(),
                                currency: currency.to_owned(),
                                total_minor: 0,
                                purchases: 0,
                            })
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Totals per month and currency from the first month of the window on (see
/// [`DerivedFacts::spending_by_month`]).
fn spending_by_month(purchases: &[(i64, &Purchase)], last: Option<i64>) -> Vec<MonthSpend> {
    let Some(first) = last.and_then(|last| add_months(&month_of(last), 1 - SPENDING_MONTHS)) else {
        return Vec::new();
    };
    let mut months: BTreeMap<(String, &str), (i64, u64)> = BTreeMap::new();
    for (at, purchase) in purchases {
        let month = month_of(*at);
        if month >= first {
            let entry = months
                .entry((month, purchase.currency.as_str()))
                .or_default();
            entry.0 += purchase.total_minor;
            entry.1 += 1;
        }
    }
    months
        .into_iter()
        .map(|((month, currency), (total_minor, purchases))| MonthSpend {
            month,
            currency: currency.to_owned(),
            total_minor,
            purchases,
        })
        .collect()
}

fn lower_median<T: Ord + Copy>(mut values: Vec<T>) -> Option<T> {
    values.sort_unstable();
    values.get(values.len().checked_sub(1)? / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    fn purchase(
        id: i64,
        at: i64,
        channel: Channel,
        currency: &str,
        total: i64,
        items: &[(&str, u32)],
    ) -> HistoryEvent {
        HistoryEvent {
            id,
            channel,
            occurred_at: at,
            details: EventDetails::Purchase(Purchase {
                items: items
                    .iter()
                    .map(|(product, quantity)| PurchaseItem {
                        product: (*product).into(),
                        quantity: *quantity,
                        unit_price_minor: 1000,
                    })
                    .collect(),
                total_minor: total,
                currency: currency.into(),
                store: "Webbshop".into(),
            }),
        }
    }

    fn interaction(id: i64, at: i64, channel: Channel, summary: &str) -> HistoryEvent {
        HistoryEvent {
            id,
            channel,
            occurred_at: at,
            details: EventDetails::Interaction(Interaction {
                kind: InteractionKind::Support,
                summary: summary.into(),
            }),
        }
    }

    #[test]
    fn events_travel_as_kind_plus_details() {
        let event = purchase(
            7,
            1_700_000_000,
            Channel::Store,
            "SEK",
            4990,
            &[("Kaffe", 2)],
        );
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], "purchase");
        assert_eq!(json["channel"], "store");
        assert_eq!(json["details"]["items"][0]["product"], "Kaffe");
        assert_eq!(json["details"]["total_minor"], 4990);
        let back: HistoryEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);

        let consent = serde_json::json!({
            "id": 1, "channel": "web", "occurred_at": 5, "kind": "consent_change",
            "details": { "purpose": "newsletter", "decision": "withdrawn", "version": 3 }
        });
        let event: HistoryEvent = serde_json::from_value(consent).unwrap();
        assert_eq!(event.kind(), EventKind::ConsentChange);
        let mismatched = serde_json::json!({
            "id": 1, "channel": "web", "occurred_at": 5, "kind": "request",
            "details": { "purpose": "newsletter", "decision": "withdrawn", "version": 3 }
        });
        assert!(serde_json::from_value::<HistoryEvent>(mismatched).is_err());
    }

    #[test]
    fn derived_facts_table() {
        struct Case {
            name: &'static str,
            events: Vec<HistoryEvent>,
            expect: DerivedFacts,
        }
        let cases = vec![
            Case {
                name: "no history at all",
                events: vec![],
                expect: DerivedFacts::default(),
            },
            Case {
                name: "interactions only: customer since, channels, no purchase facts",
                events: vec![
                    interaction(1, 100, Channel::Email, "Nyhetsbrev"),
                    interaction(2, 50, Channel::Email, "Nyhetsbrev"),
                    interaction(3, 300, Channel::Chat, "Fråga om leverans"),
                ],
                expect: DerivedFacts {
                    customer_since: Some(50),
                    channels_used: vec![
                        ChannelUse {
                            channel: Channel::Email,
                            events: 2,
                            last_at: 100,
                        },
                        ChannelUse {
                            channel: Channel::Chat,
                            events: 1,
                            last_at: 300,
                        },
                    ],
                    ..DerivedFacts::default()
                },
            },
            Case {
                name: "one purchase: no interval, its own basket is typical",
                events: vec![purchase(
                    1,
                    10 * DAY,
                    Channel::Web,
                    "SEK",
                    12_900,
                    &[("Te", 3)],
                )],
                expect: DerivedFacts {
                    customer_since: Some(10 * DAY),
                    last_purchase: Some(10 * DAY),
                    purchase_count: 1,
                    mean_days_between_purchases: None,
                    typical_basket_units: Some(3),
                    typical_basket_value: vec![BasketValue {
                        currency: "SEK".into(),
                        purchases: 1,
                        median_total_minor: 12_900,
                    }],
                    channels_used: vec![ChannelUse {
                        channel: Channel::Web,
                        events: 1,
                        last_at: 10 * DAY,
                    }],
                    top_products: vec![ProductBought {
                        product: "Te".into(),
                        units: 3,
                    }],
                    spending_by_month: vec![MonthSpend {
                        month: "1970-01".into(),
                        currency: "SEK".into(),
                        total_minor: 12_900,
                        purchases: 1,
                    }],
                },
            },
            Case {
                name: "four purchases, even count takes the lower median, ties by name and channel order",
                events: vec![
                    purchase(
                        4,
                        31 * DAY,
                        Channel::Store,
                        "SEK",
                        400,
                        &[("Bröd", 1), ("Ost", 1)],
                    ),
                    purchase(1, DAY, Channel::Web, "SEK", 100, &[("Ost", 2)]),
                    interaction(9, 0, Channel::Store, "Besök"),
                    purchase(
                        2,
                        11 * DAY,
                        Channel::Web,
                        "SEK",
                        300,
                        &[("Bröd", 1), ("Äpple", 5)],
                    ),
                    purchase(
                        3,
                        21 * DAY + DAY / 2,
                        Channel::Store,
                        "SEK",
                        200,
                        &[("Kaffe", 1)],
                    ),
                ],
                expect: DerivedFacts {
                    customer_since: Some(0),
                    last_purchase: Some(31 * DAY),
                    purchase_count: 4,
                    // 30 days over 3 gaps.
                    mean_days_between_purchases: Some(10),
                    // units 2, 6, 1, 2 -> sorted 1 2 2 6 -> lower median 2.
                    typical_basket_units: Some(2),
                    // totals 100 200 300 400 -> lower median 200.
                    typical_basket_value: vec![BasketValue {
                        currency: "SEK".into(),
                        purchases: 4,
                        median_total_minor: 200,
                    }],
                    channels_used: vec![
                        ChannelUse {
                            channel: Channel::Store,
                            events: 3,
                            last_at: 31 * DAY,
                        },
                        ChannelUse {
                            channel: Channel::Web,
                            events: 2,
                            last_at: 11 * DAY,
                        },
                    ],
                    top_products: vec![
                        ProductBought {
                            product: "Äpple".into(),
                            units: 5,
                        },
                        ProductBought {
                            product: "Ost".into(),
                            units: 3,
                        },
                        ProductBought {
                            product: "Bröd".into(),
                            units: 2,
                        },
                        ProductBought {
                            product: "Kaffe".into(),
                            units: 1,
                        },
                    ],
                    // Three January purchases (100 + 300 + 200), one on 1 February.
                    spending_by_month: vec![
                        MonthSpend {
                            month: "1970-01".into(),
                            currency: "SEK".into(),
                            total_minor: 600,
                            purchases: 3,
                        },
                        MonthSpend {
                            month: "1970-02".into(),
                            currency: "SEK".into(),
                            total_minor: 400,
                            purchases: 1,
                        },
                    ],
                },
            },
            Case {
                name: "currencies kept apart, the most used first; interval rounds half up",
                events: vec![
                    purchase(1, 0, Channel::Web, "EUR", 1_000, &[("A", 1)]),
                    purchase(2, DAY + DAY / 2, Channel::Web, "SEK", 9_000, &[("B", 1)]),
                    purchase(3, 3 * DAY, Channel::Web, "SEK", 7_000, &[("C", 1)]),
                ],
                expect: DerivedFacts {
                    customer_since: Some(0),
                    last_purchase: Some(3 * DAY),
                    purchase_count: 3,
                    // 3 days over 2 gaps = 1.5 -> 2.
                    mean_days_between_purchases: Some(2),
                    typical_basket_units: Some(1),
                    typical_basket_value: vec![
                        BasketValue {
                            currency: "SEK".into(),
                            purchases: 2,
                            median_total_minor: 7_000,
                        },
                        BasketValue {
                            currency: "EUR".into(),
                            purchases: 1,
                            median_total_minor: 1_000,
                        },
                    ],
                    channels_used: vec![ChannelUse {
                        channel: Channel::Web,
                        events: 3,
                        last_at: 3 * DAY,
                    }],
                    top_products: vec![
                        ProductBought {
                            product: "A".into(),
                            units: 1,
                        },
                        ProductBought {
                            product: "B".into(),
                            units: 1,
                        },
                        ProductBought {
                            product: "C".into(),
                            units: 1,
                        },
                    ],
                    spending_by_month: vec![
                        MonthSpend {
                            month: "1970-01".into(),
                            currency: "EUR".into(),
                            total_minor: 1000,
                            purchases: 1,
                        },
                        MonthSpend {
                            month: "1970-01".into(),
                            currency: "SEK".into(),
                            total_minor: 16_000,
                            purchases: 2,
                        },
                    ],
                },
            },
        ];
        for case in cases {
            assert_eq!(
                DerivedFacts::compute(&case.events),
                case.expect,
                "{}",
                case.name
            );
            let mut reversed = case.events.clone();
            reversed.reverse();
            assert_eq!(
                DerivedFacts::compute(&reversed),
                case.expect,
                "{} (reversed)",
                case.name
            );
        }
    }

    #[test]
    fn top_products_stop_at_five() {
        let items: Vec<(String, u32)> = (1..=7).map(|n| (format!("P{n}"), n)).collect();
        let events: Vec<HistoryEvent> = items
            .iter()
            .enumerate()
            .map(|(i, (p, q))| {
                purchase(
                    i as i64,
                    i as i64,
                    Channel::Web,
                    "SEK",
                    1,
                    &[(p.as_str(), *q)],
                )
            })
            .collect();
        let facts = DerivedFacts::compute(&events);
        let names: Vec<&str> = facts
            .top_products
            .iter()
            .map(|p| p.product.as_str())
            .collect();
        assert_eq!(names, ["P7", "P6", "P5", "P4", "P3"]);
    }

    #[test]
    fn spending_covers_twelve_months_up_to_the_latest_purchase() {
        use crate::time::month_start;
        let at = |month: &str, day: i64| month_start(month).unwrap() + (day - 1) * DAY;
        let events = vec![
            // Before the window: April 2023 is the thirteenth month back from March 2024.
            purchase(
                1,
                at("2023-03", 31) + DAY - 1,
                Channel::Web,
                "SEK",
                999,
                &[("A", 1)],
            ),
            // The window's first instant.
            purchase(2, at("2023-04", 1), Channel::Web, "SEK", 1_000, &[("A", 1)]),
            purchase(
                3,
                at("2023-12", 31) + DAY - 1,
                Channel::Store,
                "SEK",
                2_000,
                &[("B", 1)],
            ),
            purchase(4, at("2023-12", 5), Channel::Store, "EUR", 300, &[("B", 1)]),
            purchase(5, at("2024-01", 1), Channel::Web, "SEK", 4_000, &[("C", 1)]),
            purchase(6, at("2024-01", 20), Channel::Web, "SEK", 500, &[("C", 1)]),
            // Interactions after the last purchase do not move the window.
            interaction(7, at("2025-06", 1), Channel::Email, "Nyhetsbrev"),
            purchase(8, at("2024-03", 9), Channel::Web, "SEK", 700, &[("D", 1)]),
        ];
        let spend = |month: &str, currency: &str, total_minor: i64, purchases: u64| MonthSpend {
            month: month.into(),
            currency: currency.into(),
            total_minor,
            purchases,
        };
        let facts = DerivedFacts::compute(&events);
        assert_eq!(
            facts.spending_by_month,
            [
                spend("2023-04", "SEK", 1_000, 1),
                spend("2023-12", "EUR", 300, 1),
                spend("2023-12", "SEK", 2_000, 1),
                spend("2024-01", "SEK", 4_500, 2),
                spend("2024-03", "SEK", 700, 1),
            ]
        );
        let series = facts.spending_series();
        let currencies: Vec<&str> = series.iter().map(|s| s.currency.as_str()).collect();
        assert_eq!(currencies, ["SEK", "EUR"], "most purchases first");
        for one in &series {
            let months: Vec<&str> = one.months.iter().map(|m| m.month.as_str()).collect();
            assert_eq!(months.len(), 12);
            assert_eq!((months[0], months[11]), ("2023-04", "2024-03"));
        }
        assert_eq!(series[0].months[8], spend("2023-12", "SEK", 2_000, 1));
        assert_eq!(series[0].months[10], spend("2024-02", "SEK", 0, 0));
        assert_eq!(series[1].months[0], spend("2023-04", "EUR", 0, 0));
        let json = serde_json::to_value(&facts).unwrap();
        assert_eq!(json["spending_by_month"][0]["month"], "2023-04");

        // An answer from before the field existed still reads.
        let old = serde_json::json!({ "purchase_count": 0, "typical_basket_value": [],
            "channels_used": [], "top_products": [] });
        let read: DerivedFacts = serde_json::from_value(old).unwrap();
        assert!(read.spending_by_month.is_empty());
        assert!(read.spending_series().is_empty());
    }

    #[test]
    fn query_parameters() {
        let ok = HistoryQuery::from_pairs([
            ("kind", "purchase"),
            ("channel", "store"),
            ("from", "2024-01-01"),
            ("to", "2024-01-31"),
            ("q", "  Kaffe, BRYGG! "),
            ("limit", "20"),
            ("cursor", "abc"),
        ])
        .unwrap();
        assert_eq!(ok.kind, Some(EventKind::Purchase));
        assert_eq!(ok.channel, Some(Channel::Store));
        assert_eq!(ok.since, Some(1_704_067_200));
        assert_eq!(ok.before, Some(1_706_745_600), "the whole of 31 January");
        assert_eq!(ok.terms, ["kaffe", "brygg"]);
        assert_eq!(ok.limit, 20);
        assert_eq!(ok.cursor.as_deref(), Some("abc"));
        let again =
            HistoryQuery::from_pairs(ok.to_pairs().iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(again, ok);
        assert_eq!(
            HistoryQuery::from_pairs([]).unwrap(),
            HistoryQuery::default()
        );

        let long = "a".repeat(201);
        let bad = [
            (vec![("kind", "purchases")], "kind"),
            (vec![("channel", "fax")], "channel"),
            (vec![("from", "2024-13-01")], "from"),
            (vec![("from", "2023-02-29")], "from"),
            (vec![("to", "yesterday")], "to"),
            (vec![("from", "2024-02-01"), ("to", "2024-01-01")], "to"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "201")], "limit"),
            (vec![("limit", "-1")], "limit"),
            (vec![("limit", "ten")], "limit"),
            (vec![("q", "!!!")], "q"),
            (vec![("q", long.as_str())], "q"),
            (vec![("chanel", "web")], "chanel"),
            (vec![("kind", "purchase"), ("kind", "request")], "kind"),
        ];
        for (pairs, field) in bad {
            let problem = HistoryQuery::from_pairs(pairs.clone()).unwrap_err();
            assert_eq!(problem.field, field, "{pairs:?}: {}", problem.message);
        }
    }

    #[test]
    fn search_matches_word_prefixes_of_the_description() {
        let event = purchase(
            1,
            0,
            Channel::Store,
            "SEK",
            5_000,
            &[("Bryggkaffe Mörkrost 450 g", 2)],
        );
        let query = |q: &str| HistoryQuery::from_pairs([("q", q)]).unwrap();
        assert!(query("bryggkaffe").matches(&event));
        assert!(query("mörk BRYGG").matches(&event));
        assert!(
            query("webbshop").matches(&event),
            "the store is searched too"
        );
        assert!(
            !query("kaffe").matches(&event),
            "prefixes of words, not substrings"
        );
        assert!(
            !query("bryggkaffe te").matches(&event),
            "every word must match"
        );
    }

    #[test]
    fn csv_records_are_quoted_and_defused() {
        let event = interaction(3, 0, Channel::Phone, "=HYPERLINK(\"x\"), sa hon\nnästa rad");
        let line = csv_record(&event);
        assert!(line.starts_with("3,1970-01-01T00:00:00Z,interaction,phone,\"'=HYPERLINK(\"\"x\"\"), sa hon\nnästa rad\",,,,"), "{line}");
        assert!(line.ends_with("\r\n"));
        let details = line.rsplit_once(",\"{").map(|(_, d)| d).unwrap();
        assert!(
            details.starts_with("\"\"kind\"\":\"\"support\"\""),
            "{details}"
        );
        let plain = purchase(4, 60, Channel::Web, "SEK", 12_345, &[("Te", 1)]);
        assert!(csv_record(&plain).starts_with(
            "4,1970-01-01T00:01:00Z,purchase,web,1 × Te at Webbshop,12345,SEK,Webbshop,"
        ));
    }
}
