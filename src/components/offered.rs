//! What the business's store offers. Pages show a feature only when the store has it, and
//! say plainly when it does not, rather than showing a button that can only fail (or, for the
//! consent ledger, a claim of tamper evidence that a generic store cannot back).

use crate::backend::Backend;
use crate::i18n::*;
use leptos::prelude::*;
use rapport_domain::mapping::{Capabilities, Filter};

/// One thing a store may or may not offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Facts derived from the history.
    Facts,
    /// Searching the history.
    Search,
    /// Downloads of the customer's data.
    Exports,
    /// A tamper-evident consent ledger.
    Ledger,
    /// Erasure requests.
    Erasure,
    /// Saved designs and orders.
    Designs,
    /// Remembered visits.
    Visits,
}

impl Feature {
    fn in_(self, offered: Capabilities) -> bool {
        match self {
            Self::Facts => offered.derived_facts,
            Self::Search => offered.search,
            Self::Exports => offered.exports,
            Self::Ledger => offered.tamper_evident_ledger,
            Self::Erasure => offered.erasure,
            Self::Designs => offered.designs,
            Self::Visits => offered.visits,
        }
    }
}

/// Whether the store in use offers `feature`.
#[must_use]
pub fn offers(feature: Feature) -> bool {
    use_context::<Backend>().is_none_or(|backend| feature.in_(backend.capabilities()))
}

/// Whether the store can filter its history by `filter` (a filter it cannot do is left out of
/// the page rather than faked).
#[must_use]
pub fn filters_by(filter: Filter) -> bool {
    use_context::<Backend>().is_none_or(|backend| {
        let listed = backend
            .history_filters()
            .is_none_or(|offered| offered.contains(&filter));
        listed && (filter != Filter::Q || backend.capabilities().search)
    })
}

/// `children` when the store offers `feature`; otherwise one sentence saying it does not.
#[component]
pub fn IfOffered(feature: Feature, children: ChildrenFn) -> impl IntoView {
    if offers(feature) {
        children().into_any()
    } else {
        view! { <NotOffered feature=feature /> }.into_any()
    }
}

/// One sentence saying the store does not offer `feature`; nothing when it does.
#[component]
pub fn NotOffered(feature: Feature) -> impl IntoView {
    let i18n = use_i18n();
    if offers(feature) {
        return ().into_any();
    }
    let why = match feature {
        Feature::Facts => t!(i18n, store.no_facts).into_any(),
        Feature::Search => t!(i18n, store.no_search).into_any(),
        Feature::Exports => t!(i18n, store.no_exports).into_any(),
        Feature::Ledger => t!(i18n, store.no_ledger).into_any(),
        Feature::Erasure => t!(i18n, store.no_erasure).into_any(),
        Feature::Designs => t!(i18n, store.no_designs).into_any(),
        Feature::Visits => t!(i18n, store.no_visits).into_any(),
    };
    view! { <p class="not-offered">{why}</p> }.into_any()
}
