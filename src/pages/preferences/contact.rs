//! The contact controls: a pause for all contact, and the grid of topics x channels with a
//! frequency per channel. Every cell starts unticked; a topic whose purpose needs consent says so.

use super::form::PageProblem;
use crate::editor::describe::Cx;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use rapport_domain::Preferences;
use rapport_domain::config::{Channel, ContactConfig, Frequency};

/// The pause switch and the grid.
#[component]
pub fn ContactControls(
    grid: ContactConfig,
    draft: RwSignal<Preferences>,
    pausing: RwSignal<bool>,
    cx: Cx,
    problems: Memo<Vec<PageProblem>>,
    on_touch: Callback<()>,
) -> impl IntoView {
    let i18n = cx.i18n;
    let needs_date =
        Memo::new(move |_| problems.with(|p| p.contains(&PageProblem::PauseNeedsDate)));
    let set_pausing = move |on: bool| {
        pausing.set(on);
        if !on {
            draft.update(|d| d.contact.paused_until = None);
        }
        on_touch.run(());
    };
    let default_frequency = grid.default_frequency;
    let channels = grid.channels.clone();

    let frequency_row = channels
        .iter()
        .map(|&channel| {
            let id = format!("frequency-{}", channel.as_str());
            let options = grid.frequencies.clone();
            view! {
                <td>
                    <select
                        id=id
                        aria-label=move || frequency_select_label(i18n, channel)
                        on:change:target=move |ev| {
                            if let Ok(frequency) = serde_json::from_value::<Frequency>(ev.target().value().into()) {
                                draft.update(|d| {
                                    d.contact.frequencies.insert(channel, frequency);
                                });
                                on_touch.run(());
                            }
                        }
                    >
                        {options
                            .into_iter()
                            .map(|frequency| {
                                let selected = move || {
                                    draft.with(|d| d.contact.frequencies.get(&channel).copied().unwrap_or(default_frequency))
                                        == frequency
                                };
                                view! {
                                    <option value=frequency.as_str() selected=selected>
                                        {move || frequency_label(i18n, frequency)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </td>
            }
        })
        .collect_view();

    let rows = grid
        .topics
        .iter()
        .map(|topic| {
            let purpose = cx.config.purpose(&topic.purpose).cloned();
            let needs_consent = purpose.as_ref().is_some_and(|p| p.needs_consent());
            let lang = {
                let cx = cx.clone();
                move || cx.language()
            };
            let consent_note = needs_consent.then(|| {
                let (purpose, lang) = (purpose.clone(), lang.clone());
                let title = move || purpose.as_ref().map(|p| p.title.get(lang()).to_owned()).unwrap_or_default();
                view! {
                    <span class="consent-note">
                        {t!(i18n, preferences.needs_consent, purpose = title)} " "
                        <A href=crate::embed::href("/privacy")>{t!(i18n, preferences.see_privacy)}</A>
                    </span>
                }
            });
            let label = topic.label.clone();
            let label_lang = lang.clone();
            let cells = channels
                .iter()
                .map(|&channel| {
                    let (topic_id, topic_for_change) = (topic.id.clone(), topic.id.clone());
                    let (topic_label, lang) = (topic.label.clone(), lang.clone());
                    let aria = move || cell_label(i18n, topic_label.get(lang()), channel);
                    view! {
                        <td>
                            <input
                                type="checkbox"
                                id=format!("cell-{}-{}", topic.id, channel.as_str())
                                aria-label=aria
                                prop:checked=move || draft.with(|d| d.contact.is_subscribed(&topic_id, channel))
                                on:change:target=move |ev| {
                                    let on = ev.target().checked();
                                    draft.update(|d| d.contact.set_subscribed(&topic_for_change, channel, on));
                                    on_touch.run(());
                                }
                            />
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        <span class="topic">{move || label.get(label_lang()).to_owned()}</span>
                        {consent_note}
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();

    let headers = channels
        .iter()
        .map(|&channel| view! { <th scope="col">{move || channel_label(i18n, channel)}</th> })
        .collect_view();

    view! {
        <section class="card" aria-labelledby="contact-title">
            <h2 id="contact-title">{t!(i18n, preferences.contact)}</h2>
            <p class="hint">{t!(i18n, preferences.contact_intro)}</p>
            <div class="field pause">
                <div class="option">
                    <input
                        type="checkbox"
                        id="pause"
                        prop:checked=move || pausing.get()
                        on:change:target=move |ev| set_pausing(ev.target().checked())
                    />
                    <label for="pause">{t!(i18n, preferences.pause)}</label>
                </div>
                <Show when=move || pausing.get()>
                    <div class="field" class:invalid=move || needs_date.get()>
                        <label for="pause-until">{t!(i18n, preferences.pause_until)}</label>
                        <p class="hint" id="pause-until-hint">{t!(i18n, preferences.pause_hint)}</p>
                        <input
                            type="date"
                            id="pause-until"
                            aria-describedby=move || if needs_date.get() { "pause-until-hint pause-until-error" } else { "pause-until-hint" }
                            aria-invalid=move || needs_date.get().then_some("true")
                            prop:value=move || draft.with(|d| d.contact.paused_until.clone().unwrap_or_default())
                            on:input:target=move |ev| {
                                let date = ev.target().value();
                                draft.update(|d| d.contact.paused_until = Some(date));
                                on_touch.run(());
                            }
                        />
                        <p class="problem" id="pause-until-error">
                            {move || needs_date.get().then_some(t!(i18n, preferences.pause_needs_date))}
                        </p>
                    </div>
                </Show>
            </div>
            <div class="grid-wrap" role="region" aria-labelledby="grid-caption" tabindex="0">
                <table class="contact-grid">
                    <caption id="grid-caption">{t!(i18n, preferences.grid_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, preferences.topic)}</th>
                            {headers}
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="frequencies">
                            <th scope="row">{t!(i18n, preferences.how_often)}</th>
                            {frequency_row}
                        </tr>
                        {rows}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A channel's name in the current language.
pub fn channel_label(i18n: I18nContext<Locale>, channel: Channel) -> String {
    match channel {
        Channel::Email => t_string!(i18n, channel.email),
        Channel::Sms => t_string!(i18n, channel.sms),
        Channel::Phone => t_string!(i18n, channel.phone),
        Channel::Post => t_string!(i18n, channel.post),
        Channel::InApp => t_string!(i18n, channel.in_app),
    }
    .to_owned()
}

/// A frequency's name in the current language.
pub fn frequency_label(i18n: I18nContext<Locale>, frequency: Frequency) -> String {
    match frequency {
        Frequency::Daily => t_string!(i18n, frequency.daily),
        Frequency::Weekly => t_string!(i18n, frequency.weekly),
        Frequency::Monthly => t_string!(i18n, frequency.monthly),
        Frequency::Quarterly => t_string!(i18n, frequency.quarterly),
        Frequency::Yearly => t_string!(i18n, frequency.yearly),
        Frequency::Never => t_string!(i18n, frequency.never),
    }
    .to_owned()
}

/// "How often by E-mail".
pub fn frequency_select_label(i18n: I18nContext<Locale>, channel: Channel) -> String {
    t_string!(
        i18n,
        preferences.how_often_on,
        channel = channel_label(i18n, channel)
    )
    .to_string()
}

/// "Offers and discounts by E-mail".
pub fn cell_label(i18n: I18nContext<Locale>, topic: &str, channel: Channel) -> String {
    t_string!(
        i18n,
        preferences.cell,
        topic = topic.to_owned(),
        channel = channel_label(i18n, channel)
    )
    .to_string()
}
