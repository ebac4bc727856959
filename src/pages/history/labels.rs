//! The words for the history's identifiers (kinds, channels, details), in the reader's language.
//!
//! Each match is exhaustive, so a new kind or channel in the domain crate is a compile error
//! here until it has its words.

use crate::i18n::*;
use leptos_i18n::I18nContext;
use rapport_domain::history::{
    Channel, ConsentDecision, EventDetails, EventKind, InteractionKind, RequestKind, RequestStatus,
};

type I18n = I18nContext<Locale>;

/// "Purchase", "Köp".
pub fn kind(i18n: I18n, kind: EventKind) -> String {
    match kind {
        EventKind::Purchase => t_string!(i18n, history.kind_purchase),
        EventKind::Interaction => t_string!(i18n, history.kind_interaction),
        EventKind::ConsentChange => t_string!(i18n, history.kind_consent_change),
        EventKind::Request => t_string!(i18n, history.kind_request),
    }
    .to_string()
}

/// "Web", "Webb".
pub fn channel(i18n: I18n, channel: Channel) -> String {
    match channel {
        Channel::Web => t_string!(i18n, history.ch_web),
        Channel::Email => t_string!(i18n, history.ch_email),
        Channel::Phone => t_string!(i18n, history.ch_phone),
        Channel::Store => t_string!(i18n, history.ch_store),
        Channel::Chat => t_string!(i18n, history.ch_chat),
    }
    .to_string()
}

fn interaction(i18n: I18n, kind: InteractionKind) -> String {
    match kind {
        InteractionKind::Newsletter => t_string!(i18n, history.ix_newsletter),
        InteractionKind::Offer => t_string!(i18n, history.ix_offer),
        InteractionKind::Visit => t_string!(i18n, history.ix_visit),
        InteractionKind::Support => t_string!(i18n, history.ix_support),
        InteractionKind::Question => t_string!(i18n, history.ix_question),
        InteractionKind::Complaint => t_string!(i18n, history.ix_complaint),
        InteractionKind::Feedback => t_string!(i18n, history.ix_feedback),
        InteractionKind::Appointment => t_string!(i18n, history.ix_appointment),
    }
    .to_string()
}

/// What happened, as a heading for the row ("Purchase", "Newsletter", "Consent").
pub fn headline(i18n: I18n, details: &EventDetails) -> String {
    match details {
        EventDetails::Interaction(i) => interaction(i18n, i.kind),
        other => kind(i18n, other.kind()),
    }
}

/// What happened, in one sentence, for everything but purchases (which list their items).
pub fn sentence(i18n: I18n, details: &EventDetails) -> Option<String> {
    match details {
        EventDetails::Purchase(_) => None,
        EventDetails::Interaction(i) => Some(i.summary.clone()),
        EventDetails::ConsentChange(c) => {
            // The purpose's title as the customer knows it, when the configuration has it.
            let language = leptos_i18n::Locale::as_str(i18n.get_locale());
            let purpose = leptos::prelude::use_context::<rapport_domain::config::PortalConfig>()
                .and_then(|config| {
                    config
                        .purpose(&c.purpose)
                        .map(|p| p.title.get(language).to_owned())
                })
                .unwrap_or_else(|| c.purpose.clone());
            let version = c.version.to_string();
            Some(match c.decision {
                ConsentDecision::Given => {
                    t_string!(i18n, history.consent_given, purpose, version).to_string()
                }
                ConsentDecision::Withdrawn => {
                    t_string!(i18n, history.consent_withdrawn, purpose, version).to_string()
                }
            })
        }
        EventDetails::Request(r) => {
            let request = match r.kind {
                RequestKind::Export => t_string!(i18n, history.req_export),
                RequestKind::Erasure => t_string!(i18n, history.req_erasure),
                RequestKind::Correction => t_string!(i18n, history.req_correction),
                RequestKind::Order => t_string!(i18n, history.req_order),
            }
            .to_string();
            let status = match r.status {
                RequestStatus::Received => t_string!(i18n, history.st_received),
                RequestStatus::InProgress => t_string!(i18n, history.st_in_progress),
                RequestStatus::Done => t_string!(i18n, history.st_done),
                RequestStatus::Refused => t_string!(i18n, history.st_refused),
            }
            .to_string();
            // An order names what was ordered, its reference and the agreed price.
            if let Some(order) = &r.order {
                let language = leptos_i18n::Locale::as_str(i18n.get_locale());
                let total = super::format::money(language, order.total_minor, &order.currency);
                let (name, reference) = (order.name.clone(), order.reference.clone());
                return Some(
                    t_string!(i18n, history.order_line, name, reference, total, status).to_string(),
                );
            }
            Some(t_string!(i18n, history.request_line, request, status).to_string())
        }
    }
}
