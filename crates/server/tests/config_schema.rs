//! `docs/config.schema.json` is generated from the configuration types; this test keeps the
//! committed file in step with them. `UPDATE_SCHEMA=1 cargo test -p rapport-server --test
//! config_schema` rewrites it after a change.

use rapport_domain::config::PortalConfig;

#[test]
fn the_committed_json_schema_matches_the_configuration_types() {
    let schema = schemars::schema_for!(PortalConfig);
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/config.schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/config.schema.json is out of date: run UPDATE_SCHEMA=1 cargo test -p rapport-server --test config_schema"
    );
}
