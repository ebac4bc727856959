//! CSV fields as our exports write them (RFC 4180): what to quote and what to defuse.

/// Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return) gets a `'` in front: free text comes from people, and an export must not
/// become a way to run formulas on the reader's machine.
#[must_use]
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The field as RFC 4180 writes it: quoted (with quotes doubled) when it holds a comma, a
/// quote or a line break.
#[must_use]
pub fn csv_quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}
