//! Consent per purpose, and the customer's consent history.
//!
//! The portal decides what is outdated from the configuration it shows: a consent given for
//! an older version of a purpose's text than the one on screen is not consent to this text.

use crate::backend::{Backend, BackendError, ops};
use crate::components::backend_error::BackendErrorText;
use crate::components::offered::{Feature, NotOffered, offers};
use crate::dom;
use crate::i18n::*;
use crate::session::Session;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use rapport_domain::config::{LegalBasis, PortalConfig, Purpose};
use rapport_domain::consent::{
    ConsentDecision, ConsentReceipt, ConsentState, MyConsents, RecordConsent, ScreenText,
    consent_states,
};

/// Which screen decisions here are recorded as made on.
const SCREEN: &str = "privacy";

/// The purposes, each with its switch when it rests on consent, then the history.
#[component]
pub fn Consents(loaded: MyConsents) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let receipts = RwSignal::new(loaded.receipts);
    let states = {
        let config = config.clone();
        Memo::new(move |_| receipts.with(|all| consent_states(&config, all)))
    };
    let outdated = {
        let config = config.clone();
        move || {
            let lang = language(i18n);
            states.with(|all| {
                all.iter()
                    .filter(|s| s.outdated)
                    .filter_map(|s| {
                        config
                            .purpose(&s.purpose)
                            .map(|p| p.title.get(lang).to_owned())
                    })
                    .collect::<Vec<_>>()
            })
        }
    };

    view! {
        {move || {
            let changed = outdated();
            (!changed.is_empty()).then(|| view! {
                <div class="banner" role="alert">
                    <p><strong>{t!(i18n, privacy.changed_title)}</strong></p>
                    <p>{t!(i18n, privacy.changed_body, purposes = move || changed.join(", "))}</p>
                </div>
            })
        }}
        <section aria-labelledby="purposes-title">
            <h2 id="purposes-title">{t!(i18n, privacy.purposes)}</h2>
            {config
                .purposes
                .clone()
                .into_iter()
                .map(|purpose| view! { <PurposeCard purpose=purpose states=states receipts=receipts recorded_on=SCREEN /> })
                .collect_view()}
        </section>
        <ConsentHistory receipts=receipts />
        <NotOffered feature=Feature::Ledger />
    }
}

/// One purpose: its exact text, its legal basis, and for consent a switch. Decisions are
/// recorded as made on `recorded_on` (`privacy`, `welcome`), which the officer's audit shows.
#[component]
pub fn PurposeCard(
    purpose: Purpose,
    states: Memo<Vec<ConsentState>>,
    receipts: RwSignal<Vec<ConsentReceipt>>,
    recorded_on: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let session = expect_context::<Session>();
    let id = purpose.id.clone();
    let heading_id = format!("purpose-{id}-title");
    let labelled_by = heading_id.clone();
    let switch_id = format!("consent-{id}");
    let state = {
        let id = id.clone();
        Memo::new(move |_| states.with(|all| all.iter().find(|s| s.purpose == id).cloned()))
    };
    let screen = {
        let purpose = purpose.clone();
        Memo::new(move |_| ScreenText::of(&purpose, language(i18n)))
    };
    let receipt = RwSignal::new(None::<ConsentReceipt>);
    let record = Action::new_local(move |decision: &RecordConsent| {
        let (backend, decision) = (backend.clone(), decision.clone());
        async move { ops::record_consent(&backend, decision).await }
    });
    Effect::new(move || match record.value().get() {
        Some(Ok(recorded)) => {
            receipts.update(|all| all.push(recorded.clone()));
            receipt.set(Some(recorded));
            crate::embed::saved("consent");
        }
        Some(Err(BackendError::SignedOut)) => session.expired(),
        _ => {}
    });
    let agreed = move || {
        state.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.decision == Some(ConsentDecision::Given) && !s.outdated)
        })
    };
    let decide = move |give: bool| {
        let Some(shown) = screen.get_untracked() else {
            return;
        };
        record.dispatch(RecordConsent {
            purpose: shown.purpose,
            decision: if give {
                ConsentDecision::Given
            } else {
                ConsentDecision::Withdrawn
            },
            purpose_version: shown.version,
            language: shown.language,
            text_sha256: shown.text_sha256,
            screen: recorded_on.into(),
            portal_build: env!("CARGO_PKG_VERSION").into(),
        });
    };
    let text = move |part: fn(&ScreenText) -> &String| {
        screen.with(|s| s.as_ref().map(|s| part(s).clone()).unwrap_or_default())
    };
    let basis = purpose.legal_basis;
    let version = purpose.version;
    let needs_consent = purpose.needs_consent();

    view! {
        <article class="card purpose" id=format!("purpose-{id}") aria-labelledby=labelled_by>
            <h3 id=heading_id>{move || text(|s| &s.title)}</h3>
            <p class="basis">{move || basis_label(i18n, basis)} " · " {t!(i18n, privacy.version, version)}</p>
            <p>{move || text(|s| &s.description)}</p>
            <p class="policy">{move || text(|s| &s.policy)}</p>
            {needs_consent.then(|| view! {
                <div class="consent">
                    <div class="option">
                        <input
                            type="checkbox"
                            role="switch"
                            id=switch_id.clone()
                            prop:checked=agreed
                            disabled=move || record.pending().get()
                            on:change:target=move |ev| decide(ev.target().checked())
                        />
                        <label for=switch_id.clone()>{t!(i18n, privacy.agree)}</label>
                    </div>
                    <p class="hint">{move || state_text(i18n, state.get())}</p>
                    <p class="status error" role="alert">
                        {move || match record.value().get() {
                            Some(Err(error)) => Some(view! { {t!(i18n, privacy.not_recorded)} " " <BackendErrorText error=error /> }),
                            _ => None,
                        }}
                    </p>
                    {move || receipt.get().map(|receipt| view! { <Receipt receipt=receipt /> })}
                </div>
            })}
        </article>
    }
}

/// The receipt of the decision just recorded, shown and downloadable. It holds the
/// customer's own count and the ledger entry's hash, nothing about other customers.
#[component]
fn Receipt(receipt: ConsentReceipt) -> impl IntoView {
    let i18n = use_i18n();
    let when = dom::date_time(receipt.recorded_at, language(i18n));
    let (number, hash, entry) = (
        receipt.number,
        receipt.text_sha256.clone(),
        receipt.entry_hash.clone(),
    );
    let decision = receipt.decision;
    let json = serde_json::to_string_pretty(&receipt).unwrap_or_default();
    let name = format!("consent-receipt-{number}.json");
    view! {
        <div class="receipt" role="status">
            <p>
                {move || decision_label(i18n, decision)} ". "
                {if offers(Feature::Ledger) {
                    t!(i18n, privacy.receipt, number, when = move || when.clone(), hash = move || hash.clone(), entry = move || entry.clone()).into_any()
                } else {
                    t!(i18n, privacy.receipt_plain, number, when = move || when.clone(), hash = move || hash.clone()).into_any()
                }}
            </p>
            <button type="button" class="secondary" on:click=move |_| dom::download(&name, "application/json", &json)>
                {t!(i18n, privacy.download_receipt)}
            </button>
        </div>
    }
}

/// The customer's own consent receipts, newest first.
#[component]
fn ConsentHistory(receipts: RwSignal<Vec<ConsentReceipt>>) -> impl IntoView {
    let i18n = use_i18n();
    let config = expect_context::<PortalConfig>();
    let rows = move || {
        let lang = language(i18n);
        let mut entries = receipts.get();
        entries.reverse();
        entries
            .into_iter()
            .map(|e| {
                let title = config
                    .purpose(&e.purpose)
                    .map_or(e.purpose.clone(), |p| p.title.get(lang).to_owned());
                view! {
                    <tr>
                        <td>{dom::date_time(e.recorded_at, lang)}</td>
                        <td>{title}</td>
                        <td>{decision_label(i18n, e.decision)}</td>
                        <td>{e.purpose_version}</td>
                        <td>{e.language.clone()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card">
            <h2 id="consent-history-title">{t!(i18n, privacy.history)}</h2>
            <Show
                when=move || receipts.with(|all| !all.is_empty())
                fallback=move || view! { <p>{t!(i18n, privacy.no_history)}</p> }
            >
                <div class="grid-wrap" role="region" aria-labelledby="consent-history-title" tabindex="0">
                    <table class="ledger">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, privacy.when)}</th>
                                <th scope="col">{t!(i18n, privacy.what)}</th>
                                <th scope="col">{t!(i18n, privacy.decision)}</th>
                                <th scope="col">{t!(i18n, privacy.version_column)}</th>
                                <th scope="col">{t!(i18n, privacy.language)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows.clone()}</tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

fn language(i18n: I18nContext<Locale>) -> &'static str {
    leptos_i18n::Locale::as_str(i18n.get_locale())
}

fn state_text(i18n: I18nContext<Locale>, state: Option<ConsentState>) -> String {
    let lang = language(i18n);
    let Some(state) = state else {
        return String::new();
    };
    match (state.decision, state.recorded_at) {
        (Some(_), Some(at)) if state.outdated => t_string!(
            i18n,
            privacy.state_outdated,
            when = dom::date_time(at, lang)
        )
        .to_string(),
        (Some(ConsentDecision::Given), Some(at)) => {
            t_string!(i18n, privacy.state_given, when = dom::date_time(at, lang)).to_string()
        }
        (Some(ConsentDecision::Withdrawn), Some(at)) => t_string!(
            i18n,
            privacy.state_withdrawn,
            when = dom::date_time(at, lang)
        )
        .to_string(),
        _ => t_string!(i18n, privacy.state_none).to_owned(),
    }
}

fn decision_label(i18n: I18nContext<Locale>, decision: ConsentDecision) -> &'static str {
    match decision {
        ConsentDecision::Given => t_string!(i18n, privacy.given),
        ConsentDecision::Withdrawn => t_string!(i18n, privacy.withdrawn),
    }
}

fn basis_label(i18n: I18nContext<Locale>, basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Consent => t_string!(i18n, privacy.basis_consent),
        LegalBasis::Contract => t_string!(i18n, privacy.basis_contract),
        LegalBasis::LegitimateInterest => t_string!(i18n, privacy.basis_legitimate_interest),
        LegalBasis::LegalObligation => t_string!(i18n, privacy.basis_legal_obligation),
    }
}
