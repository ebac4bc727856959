//! What the welcome page says has happened since the customer's last visit: new history by
//! kind, requests that have been answered, and consent texts with a new version to look at.

use crate::consent::ConsentState;
use crate::history::{DataRequest, EventDetails, EventKind, HistoryEvent, RequestStatus};

/// Most events the welcome page reads to count what is new; beyond it, it says "or more".
pub const NEW_EVENTS_READ: u32 = 100;

/// Since the last visit, in brief.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SinceLastVisit {
    /// How many new events of each kind, in [`EventKind::ALL`] order, kinds with none left out.
    pub new_events: Vec<(EventKind, usize)>,
    /// There were more new events than were read: the counts are lower bounds.
    pub more: bool,
    /// Requests (orders, erasure, export…) answered since, newest first.
    pub answered: Vec<HistoryEvent>,
    /// Purposes whose text has a newer version than the one the customer decided on.
    pub new_texts: Vec<String>,
}

impl SinceLastVisit {
    /// Whether there is nothing to tell.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.new_events.is_empty() && self.answered.is_empty() && self.new_texts.is_empty()
    }
}

/// Sums up `events` (those since the last visit, newest first; `more` when the backend had
/// more than it sent) and the customer's consent standing.
#[must_use]
pub fn since_last_visit(
    events: &[HistoryEvent],
    more: bool,
    consents: &[ConsentState],
) -> SinceLastVisit {
    let new_events = EventKind::ALL
        .into_iter()
        .map(|kind| (kind, events.iter().filter(|e| e.kind() == kind).count()))
        .filter(|(_, count)| *count > 0)
        .collect();
    let answered = events
        .iter()
        .filter(|e| {
            matches!(
                e.details,
                EventDetails::Request(DataRequest {
                    status: RequestStatus::Done | RequestStatus::Refused,
                    ..
                })
            )
        })
        .cloned()
        .collect();
    let new_texts = consents
        .iter()
        .filter(|s| s.version.is_some_and(|seen| seen < s.current_version))
        .map(|s| s.purpose.clone())
        .collect();
    SinceLastVisit {
        new_events,
        more,
        answered,
        new_texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ConsentDecision;
    use crate::history::{Channel, Interaction, InteractionKind, OrderSummary, RequestKind};

    fn event(id: i64, details: EventDetails) -> HistoryEvent {
        HistoryEvent {
            id,
            channel: Channel::Web,
            occurred_at: 1_000 + id,
            details,
        }
    }

    fn request(kind: RequestKind, status: RequestStatus) -> EventDetails {
        EventDetails::Request(DataRequest {
            kind,
            status,
            order: (kind == RequestKind::Order).then(|| OrderSummary {
                reference: "R-1".into(),
                name: "Mine".into(),
                model: "m".into(),
                total_minor: 100,
                currency: "SEK".into(),
            }),
        })
    }

    fn state(purpose: &str, current: u32, seen: Option<u32>) -> ConsentState {
        ConsentState {
            purpose: purpose.into(),
            current_version: current,
            decision: seen.map(|_| ConsentDecision::Withdrawn),
            version: seen,
            recorded_at: seen.map(|_| 1),
            outdated: false,
        }
    }

    #[test]
    fn counts_new_events_by_kind_and_lists_answered_requests() {
        let newsletter = EventDetails::Interaction(Interaction {
            kind: InteractionKind::Newsletter,
            summary: "Autumn".into(),
        });
        let events = [
            event(4, request(RequestKind::Order, RequestStatus::Done)),
            event(3, newsletter.clone()),
            event(2, request(RequestKind::Erasure, RequestStatus::Received)),
            event(1, newsletter),
        ];
        let since = since_last_visit(&events, false, &[]);
        assert_eq!(
            since.new_events,
            vec![(EventKind::Interaction, 2), (EventKind::Request, 2)]
        );
        assert_eq!(since.answered, vec![events[0].clone()]);
        assert!(!since.is_empty());
    }

    #[test]
    fn a_newer_text_than_the_one_decided_on_is_named() {
        let consents = [
            state("marketing", 2, Some(1)),
            state("personalisation", 1, Some(1)),
            state("analytics", 3, None),
        ];
        let since = since_last_visit(&[], false, &consents);
        assert_eq!(since.new_texts, vec!["marketing".to_owned()]);
        assert!(since_last_visit(&[], false, &consents[1..]).is_empty());
    }
}
