//! Templates: URLs whose placeholders are whole tokens, bodies whose placeholders are whole
//! JSON values, and the pointer and encoding helpers they need.
//!
//! A placeholder never splices text into text: in a URL it fills a whole path segment or a
//! whole query value and is percent-encoded, so a subject such as `../admin?x=1` stays one
//! segment; in a body it replaces a whole string with a JSON value.

use serde_json::{Map, Value};

/// A piece of a URL template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Text kept as written.
    Literal(String),
    /// `{name}`, filled and percent-encoded.
    Placeholder(String),
}

/// Splits a URL template, refusing a placeholder that is only part of a segment or value.
pub fn parse_url(url: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut rest = url;
    let mut literal = String::new();
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("\"{url}\" has a }} without its {{"));
        }
        literal.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("\"{url}\" has a {{ without its }}"))?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(format!("\"{{{name}}}\" is not a placeholder name"));
        }
        let next = after[close + 1..].chars().next();
        let starts_token = literal.ends_with(['/', '=']);
        let ends_token = match next {
            None => true,
            Some(c) => {
                if literal.ends_with('=') {
                    c == '&'
                } else {
                    c == '/' || c == '?'
                }
            }
        };
        if !starts_token || !ends_token {
            return Err(format!(
                "{{{name}}} must be a whole path segment or a whole query value, such as /records/{{{name}}} or ?id={{{name}}}"
            ));
        }
        if !literal.is_empty() {
            tokens.push(Token::Literal(std::mem::take(&mut literal)));
        }
        tokens.push(Token::Placeholder(name.to_owned()));
        rest = &after[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    Ok(tokens)
}

/// Fills a URL template; `value` gives each placeholder's text (checked names only).
pub fn expand_url(
    tokens: &[Token],
    value: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut url = String::new();
    for token in tokens {
        match token {
            Token::Literal(text) => url.push_str(text),
            Token::Placeholder(name) => {
                let text = value(name).ok_or_else(|| format!("no value for {{{name}}}"))?;
                url.push_str(&percent_encode(&text));
            }
        }
    }
    Ok(url)
}

/// The placeholder name when `text` is exactly one placeholder.
#[must_use]
pub fn placeholder(text: &str) -> Option<&str> {
    let name = text.strip_prefix('{')?.strip_suffix('}')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')).then_some(name)
}

/// A copy of the body template with every whole-placeholder string replaced by its value.
pub fn fill_body(template: &Value, value: &dyn Fn(&str) -> Option<Value>) -> Result<Value, String> {
    Ok(match template {
        Value::String(text) => match placeholder(text) {
            Some(name) => value(name).ok_or_else(|| format!("no value for {{{name}}}"))?,
            None => template.clone(),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| fill_body(item, value))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| Ok((k.clone(), fill_body(v, value)?)))
                .collect::<Result<Map<_, _>, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Puts `new` at `pointer` in `target`, making objects on the way; "" replaces the whole.
pub fn set_pointer(target: &mut Value, pointer: &str, new: Value) {
    if pointer.is_empty() {
        *target = new;
        return;
    }
    let mut here = target;
    let parts: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let object = here.as_object_mut().expect("made an object above");
        if i + 1 == parts.len() {
            object.insert(part.clone(), new);
            return;
        }
        here = object.entry(part.clone()).or_insert(Value::Null);
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
#[must_use]
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether `name` is an HTTP header name (RFC 9110 token).
#[must_use]
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Standard base64 with padding, for Basic credentials (too small a need for a crate).
#[must_use]
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_fill_whole_tokens_and_are_encoded() {
        let tokens = parse_url("/records/{subject}?owner={subject}&sort=-at").unwrap();
        let url = expand_url(&tokens, &|_| Some("../admin?x=1&y".into())).unwrap();
        assert_eq!(
            url,
            "/records/..%2Fadmin%3Fx%3D1%26y?owner=..%2Fadmin%3Fx%3D1%26y&sort=-at"
        );
        assert_eq!(
            expand_url(&parse_url("/a/{subject}").unwrap(), &|_| Some("ö é".into())).unwrap(),
            "/a/%C3%B6%20%C3%A9"
        );
    }

    #[test]
    fn partial_placeholders_are_refused() {
        for bad in [
            "/records/user-{subject}",
            "/records/{subject}.json",
            "/x?q=a{subject}",
            "/x?q={subject}b",
            "/x/{subject",
            "/x/subject}",
            "/x/{Subject}",
            "/x/{}",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        for good in [
            "/x/{subject}",
            "/x/{subject}/y",
            "/x/{subject}?a=1",
            "/x?a={subject}&b=2",
            "/plain",
        ] {
            assert!(parse_url(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn body_placeholders_become_json_values_never_text() {
        let template =
            json!({ "data": "{document}", "note": "about {document}", "n": [1, "{version}"] });
        let document = json!({ "name": "Ann \"quoted\"", "tags": ["a"] });
        let body = fill_body(&template, &|name| match name {
            "document" => Some(document.clone()),
            "version" => Some(json!(7)),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            body,
            json!({ "data": document, "note": "about {document}", "n": [1, 7] })
        );
        assert!(fill_body(&json!("{subject}"), &|_| None).is_err());
    }

    #[test]
    fn set_pointer_builds_the_path() {
        let mut target = json!({ "keep": 1 });
        set_pointer(&mut target, "/data/contact/e~1mail", json!("a@b"));
        set_pointer(&mut target, "/keep", json!(2));
        assert_eq!(
            target,
            json!({ "keep": 2, "data": { "contact": { "e/mail": "a@b" } } })
        );
        set_pointer(&mut target, "", json!(null));
        assert_eq!(target, json!(null));
    }

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn header_names() {
        assert!(is_header_name("If-Match"));
        assert!(!is_header_name("If Match"));
        assert!(!is_header_name(""));
    }
}
