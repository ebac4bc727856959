//! The History page's formatting and facts in a real browser (headless Chromium through
//! wasm-bindgen-test): money, dates and counts come from the browser's `Intl` in the reader's
//! language, and the derived facts read as a definition list in that language.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use rapport::i18n::{I18nContextProvider, Locale, use_i18n};
use rapport::pages::history::{FactsList, format};
use rapport_domain::history::{
    BasketValue, Channel, ChannelUse, DerivedFacts, MonthSpend, ProductBought,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `Intl` separates numbers and units with no-break spaces; tests compare plain ones.
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ")
}

#[wasm_bindgen_test]
fn money_follows_the_currency_and_the_language() {
    assert_eq!(plain(&format::money("sv", 25_870, "SEK")), "258,70 kr");
    assert_eq!(plain(&format::money("sv", 1_386, "EUR")), "13,86 €");
    // Yen have no minor unit: 500 minor units are 500 yen.
    assert!(format::money("sv", 500, "JPY").contains("500"));
    assert!(!format::money("sv", 500, "JPY").contains("5,00"));
    assert_eq!(plain(&format::number("sv", 100_000)), "100 000");
}

#[wasm_bindgen_test]
fn date_inputs_are_days_in_the_readers_zone() {
    let start = format::local_midnight("2024-05-01").unwrap();
    let end = format::local_end_of_day("2024-05-01").unwrap();
    assert_eq!(format::day_key(start), 20_240_501);
    assert_eq!(format::day_key(end - 1), 20_240_501);
    assert_eq!(format::day_key(end), 20_240_502);
    assert_eq!(format::local_midnight(""), None);
    assert_eq!(format::local_midnight("2024-13-01"), None);
    assert_eq!(format::local_midnight("yesterday"), None);
}

fn facts() -> DerivedFacts {
    DerivedFacts {
        customer_since: Some(1_607_089_757),
        last_purchase: Some(1_795_369_130),
        purchase_count: 115,
        mean_days_between_purchases: Some(19),
        typical_basket_units: Some(4),
        typical_basket_value: vec![BasketValue {
            currency: "SEK".into(),
            purchases: 109,
            median_total_minor: 25_870,
        }],
        channels_used: vec![ChannelUse {
            channel: Channel::Store,
            events: 1_074,
            last_at: 1_791_793_606,
        }],
        top_products: vec![ProductBought {
            product: "Bryggkaffe mörkrost 450 g".into(),
            units: 60,
        }],
        spending_by_month: vec![MonthSpend {
            month: "2026-11".into(),
            currency: "SEK".into(),
            total_minor: 25_870,
            purchases: 1,
        }],
    }
}

#[wasm_bindgen_test]
async fn facts_read_in_swedish() {
    let document = web_sys::window().unwrap().document().unwrap();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.clone(), move || {
        view! {
            <I18nContextProvider>
                {
                    let i18n = use_i18n();
                    Effect::new(move |_| i18n.set_locale(Locale::sv));
                    view! { <FactsList facts=facts() /> }
                }
            </I18nContextProvider>
        }
    })
    .forget();
    let mut text = String::new();
    for _ in 0..40 {
        leptos::task::tick().await;
        text = plain(&container.text_content().unwrap_or_default());
        if text.contains("Kund sedan") {
            break;
        }
    }
    for expected in [
        "Kund sedan",
        "I snitt 19 dagar mellan köpen (115 köp)",
        "4 varor · 258,70 kr (109 köp)",
        "Butik: 1 074",
        "Bryggkaffe mörkrost 450 g (60 st)",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text:?}");
    }
    assert_eq!(container.query_selector_all("dl dt").unwrap().length(), 6);
}
