//! The profile form in a real browser (headless Chromium through wasm-bindgen-test): what a
//! customer sees while typing, and what a failed save leaves on the page.
#![cfg(target_arch = "wasm32")]

mod common;

use common::sleep;
use leptos::prelude::*;
use rapport::backend::{Backend, http::HttpBackend};
use rapport::i18n::{I18nContextProvider, Locale, use_i18n};
use rapport::pages::profile::ProfileForm;
use rapport::session::Session;
use rapport_domain::api::Role;
use rapport_domain::config::PortalConfig;
use rapport_domain::{ContactMethod, Profile, Version, Versioned};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn initial() -> Versioned<Profile> {
    Versioned {
        version: Version(3),
        data: Profile {
            name: "Astrid Lindqvist".into(),
            email: "astrid@example.se".into(),
            phone: String::new(),
            preferred_contact: Some(ContactMethod::Email),
        },
    }
}

/// Mounts the form in a fresh container, talking to `backend_url`, in `locale`.
fn mount(backend_url: &'static str, locale: Locale) -> web_sys::HtmlElement {
    let document = document();
    let container: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        provide_context(Backend::new(HttpBackend::new(backend_url)));
        provide_context(Session {
            signed_in: RwSignal::new(true),
            role: RwSignal::new(Role::Customer),
        });
        provide_context(
            PortalConfig::from_json(include_str!("../public/config.json"), &["en", "sv"]).unwrap(),
        );
        view! {
            <I18nContextProvider>
                {
                    let i18n = use_i18n();
                    Effect::new(move |_| i18n.set_locale(locale));
                    view! { <ProfileForm initial=initial() /> }
                }
            </I18nContextProvider>
        }
    });
    handle.forget();
    container
}

fn input(container: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlInputElement {
    container
        .query_selector(&format!("#{id}"))
        .unwrap()
        .expect(id)
        .unchecked_into()
}

fn type_into(field: &web_sys::HtmlInputElement, text: &str) {
    field.set_value(text);
    field
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn text(container: &web_sys::HtmlElement) -> String {
    container.text_content().unwrap_or_default()
}

/// Waits (up to two seconds) for the page to show `needle`.
async fn until_shown(container: &web_sys::HtmlElement, needle: &str) {
    for _ in 0..40 {
        leptos::task::tick().await;
        if text(container).contains(needle) {
            return;
        }
        sleep(50).await;
    }
    panic!("never showed {needle:?}; page says: {}", text(container));
}

#[wasm_bindgen_test]
async fn a_bad_email_is_explained_as_it_is_typed() {
    let page = mount("/api", Locale::en);
    until_shown(&page, "E-mail address").await;
    let email = input(&page, "profile-email");
    assert!(
        !text(&page).contains("does not look like an e-mail"),
        "no complaint before typing"
    );

    type_into(&email, "astrid.example.se");
    until_shown(&page, "This does not look like an e-mail address").await;
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(
        email
            .get_attribute("aria-describedby")
            .unwrap()
            .contains("profile-email-error")
    );

    type_into(&email, "astrid@example.se");
    leptos::task::tick().await;
    assert_eq!(email.get_attribute("aria-invalid"), None);
    assert!(!text(&page).contains("does not look like an e-mail"));
}

#[wasm_bindgen_test]
async fn choosing_text_messages_without_a_phone_number_is_explained() {
    let page = mount("/api", Locale::en);
    until_shown(&page, "Text message").await;
    let sms = input(&page, "contact-sms");
    sms.click();
    until_shown(&page, "Calls and text messages need a phone number").await;
}

#[wasm_bindgen_test]
async fn a_save_that_cannot_reach_the_backend_keeps_the_edit() {
    // Port 9 (discard) on loopback: nothing listens, so the request fails as offline does.
    let page = mount("http://127.0.0.1:9/api", Locale::en);
    until_shown(&page, "Name").await;
    let name = input(&page, "profile-name");
    type_into(&name, "Astrid L");
    until_shown(&page, "You have unsaved changes.").await;

    let form: web_sys::HtmlFormElement = page
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into();
    form.request_submit().unwrap();
    until_shown(&page, "We could not reach the server.").await;
    assert!(text(&page).contains("Your changes were not saved, but they are still here."));
    assert_eq!(input(&page, "profile-name").value(), "Astrid L");
}

#[wasm_bindgen_test]
async fn the_form_speaks_swedish() {
    let page = mount("/api", Locale::sv);
    until_shown(&page, "Hur vill du helst bli kontaktad?").await;
    type_into(&input(&page, "profile-name"), " ");
    until_shown(&page, "Fyll i det här fältet.").await;
}
