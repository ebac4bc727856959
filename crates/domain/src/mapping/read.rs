//! Reading answers through pointers; every miss names the pointer and what was there.

use super::config::{ErrorPointers, OpMapping, Operation};
use super::{Answer, Failure, Mismatch, Refusal};
use crate::api::Role;
use crate::version::Version;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

fn mismatch(operation: Operation, pointer: &str, found: String) -> Failure {
    Failure::Mismatch(Mismatch {
        operation,
        pointer: pointer.to_owned(),
        found,
    })
}

/// A value described for a person: its type and a short look at it.
#[must_use]
pub fn describe(value: Option<&Value>) -> String {
    match value {
        None => "nothing".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::Bool(b)) => format!("{b}"),
        Some(Value::Number(n)) => format!("the number {n}"),
        Some(Value::String(s)) => format!("the text {:?}", short(s)),
        Some(Value::Array(items)) => format!("a list of {}", items.len()),
        Some(Value::Object(fields)) if fields.is_empty() => "an empty object".into(),
        Some(Value::Object(fields)) => format!(
            "an object with {}",
            fields
                .keys()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// What a body that is not JSON looks like, without repeating it at length.
fn not_json(answer: &Answer) -> String {
    let text = String::from_utf8_lossy(&answer.body);
    let trimmed = text.trim_start();
    let kind = answer.header("content-type").unwrap_or("no content type");
    if trimmed.is_empty() {
        "an empty body".into()
    } else if trimmed.starts_with('<') {
        format!("an HTML page ({kind}), not JSON")
    } else {
        format!("text that is not JSON ({kind}): {:?}", short(trimmed))
    }
}

/// The answer's body as JSON.
pub(super) fn json(op: Operation, answer: &Answer) -> Result<Value, Failure> {
    serde_json::from_slice(&answer.body).map_err(|_| mismatch(op, "", not_json(answer)))
}

fn at<'a>(op: Operation, json: &'a Value, pointer: &str) -> Result<&'a Value, Failure> {
    json.pointer(pointer)
        .filter(|v| !v.is_null())
        .ok_or_else(|| mismatch(op, pointer, found_near(json, pointer)))
}

/// What is at the nearest existing parent of a missing pointer, so the fix is visible
/// ("nothing; /data is an object with id, last_modified, name").
fn found_near(json: &Value, pointer: &str) -> String {
    let mut parent = pointer;
    while let Some(cut) = parent.rfind('/') {
        parent = &parent[..cut];
        if let Some(value) = json.pointer(parent) {
            let here = describe(json.pointer(pointer));
            let name = if parent.is_empty() {
                "the answer"
            } else {
                parent
            };
            return format!("{here}; {name} is {}", describe(Some(value)));
        }
    }
    describe(json.pointer(pointer))
}

/// A string (or number, written out) at `pointer`.
pub(super) fn text_at(op: Operation, json: &Value, pointer: &str) -> Result<String, Failure> {
    match at(op, json, pointer)? {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(mismatch(op, pointer, describe(Some(other)))),
    }
}

/// A role at `pointer`.
pub(super) fn role_at(op: Operation, json: &Value, pointer: &str) -> Result<Role, Failure> {
    let value = at(op, json, pointer)?;
    serde_json::from_value(value.clone()).map_err(|_| {
        mismatch(
            op,
            pointer,
            format!("{}, not customer or privacy_officer", describe(Some(value))),
        )
    })
}

/// A version at `pointer`: a whole number, or a string of digits.
pub(super) fn version_at(op: Operation, json: &Value, pointer: &str) -> Result<Version, Failure> {
    let value = at(op, json, pointer)?;
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .map(Version)
        .ok_or_else(|| {
            mismatch(
                op,
                pointer,
                format!("{}, not a whole number", describe(Some(value))),
            )
        })
}

/// The data of an answer: at the operation's pointer (or `pointer` instead), through its field
/// map, as `T`.
pub(super) fn data<T: DeserializeOwned>(
    op: Operation,
    json: &Value,
    mapping: &OpMapping,
    pointer: Option<&str>,
) -> Result<T, Failure> {
    let pointer = pointer.or(mapping.data.as_deref()).unwrap_or("");
    let value = if pointer.is_empty() {
        json
    } else {
        at(op, json, pointer)?
    };
    let value = match &mapping.fields {
        None => value.clone(),
        Some(fields) => map_fields(value, fields),
    };
    typed(op, pointer, value)
}

/// `value` as `T`; a mistake names the pointer and the path below it.
///
/// Read from text rather than with `from_value`: the portal already deserialises its types
/// from text, and a second, `Value`-fed copy of every `Deserialize` impl would cost its wasm
/// more than the extra serialisation costs time.
pub(super) fn typed<T: DeserializeOwned>(
    op: Operation,
    pointer: &str,
    value: Value,
) -> Result<T, Failure> {
    crate::json_path::parse::<T>(&value.to_string()).map_err(|m| {
        let below = m.path.replace(['.', '['], "/").replace(']', "");
        let place = if below.is_empty() {
            pointer.to_owned()
        } else {
            format!("{pointer}/{below}")
        };
        let found = describe(value.pointer(place.strip_prefix(pointer).unwrap_or("")));
        mismatch(op, &place, format!("{found} ({})", m.message))
    })
}

/// The portal's object built from the store's, field by field.
pub(super) fn map_fields(value: &Value, fields: &BTreeMap<String, String>) -> Value {
    let mut out = Map::new();
    for (field, pointer) in fields {
        if let Some(found) = value.pointer(pointer).filter(|v| !v.is_null()) {
            out.insert(field.clone(), found.clone());
        }
    }
    Value::Object(out)
}

/// The store's object built from the portal's, field by field (the reverse of
/// [`map_fields`]).
pub(super) fn unmap_fields(document: &Value, fields: &BTreeMap<String, String>) -> Value {
    let mut out = Value::Object(Map::new());
    for (field, pointer) in fields {
        if let Some(found) = document.get(field) {
            super::template::set_pointer(&mut out, pointer, found.clone());
        }
    }
    out
}

/// An error answer read through the error pointers.
pub(super) fn refusal(op: Operation, answer: &Answer, pointers: &ErrorPointers) -> Refusal {
    let mut refusal = Refusal {
        operation: op,
        status: answer.status,
        code: None,
        message: None,
        field: None,
        not_json: None,
    };
    let json = match serde_json::from_slice::<Value>(&answer.body) {
        Ok(json) => json,
        Err(_) => {
            refusal.not_json = Some(not_json(answer));
            return refusal;
        }
    };
    let text = |pointer: &Option<String>| {
        pointer
            .as_deref()
            .and_then(|p| json.pointer(p))
            .and_then(|v| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
    };
    refusal.code = text(&pointers.code);
    refusal.message = text(&pointers.message);
    refusal.field = text(&pointers.field).or_else(|| {
        pointers
            .field_key
            .as_deref()
            .and_then(|p| json.pointer(p))
            .and_then(Value::as_object)
            .and_then(|o| o.keys().next().cloned())
    });
    refusal
}
