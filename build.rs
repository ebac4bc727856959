//! Generates the typed translation module from `locales/*.json` (leptos_i18n): a key missing
//! from one language, or a misspelt key in the code, is a compile error rather than a blank
//! on a customer's screen.

use leptos_i18n_build::{Config, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let mut config = Config::new("en")?.add_locale("sv")?;
    // Interpolated texts are also needed as plain strings (aria-label, confirm dialogs).
    let options = std::mem::take(&mut config.options);
    config.options = options.interpolate_display(true);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
