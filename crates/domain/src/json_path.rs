//! JSON parsing whose errors name where in the document they are
//! (`checklists[0].items[1].id: unknown field ...`), without a path-tracking deserializer.
//!
//! serde_json already reports the line and column of a mistake; [`path_at`] walks the text up
//! to that point and names the value being read there. This replaced `serde_path_to_error`,
//! whose wrapper around every `Deserialize` impl was about 6% of the portal's wasm.

use serde::de::DeserializeOwned;

/// A document that did not fit its type: where (empty for the whole document) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonMistake {
    /// Where, as `a.b[2].c`; empty when the mistake is in the document as a whole.
    pub path: String,
    /// What serde_json said, without its line and column.
    pub message: String,
}

impl std::fmt::Display for JsonMistake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Parses `text` as `T`; a mistake names the path of the value where it was found.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, JsonMistake> {
    serde_json::from_str(text).map_err(|err| {
        let full = err.to_string();
        let message = match full.rsplit_once(" at line ") {
            Some((message, _)) if err.line() > 0 => message.to_owned(),
            _ => full,
        };
        JsonMistake {
            path: path_at(text, err.line(), err.column()),
            message,
        }
    })
}

enum Frame {
    Object {
        key: Option<String>,
        expecting_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The path of the value being read at `line`:`column` (1-based, as serde_json counts),
/// everything up to and including that byte having been read.
#[must_use]
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let end = offset_of(text, line, column);
    let bytes = &text.as_bytes()[..end];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => stack.push(Frame::Object {
                key: None,
                expecting_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
            }
            // A comma where a value should be is the mistake itself, not the next value.
            b',' if i + 1 == bytes.len() => {}
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { expecting_key, .. }) = stack.last_mut() {
                    *expecting_key = false;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    expecting_key: true,
                }) = stack.last_mut()
                {
                    let raw = &text[start..i.min(bytes.len())];
                    *key = Some(
                        serde_json::from_str(&format!("\"{raw}\""))
                            .unwrap_or_else(|_| raw.to_owned()),
                    );
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// The byte offset just after `line`:`column`, clamped to the text.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return text.len();
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let mut end = (start + column).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
        name: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        #[serde(default)]
        count: u8,
    }

    fn mistake(text: &str) -> String {
        parse::<Doc>(text).unwrap_err().to_string()
    }

    #[test]
    fn mistakes_name_their_path() {
        let cases = [
            (
                r#"{"items": 3, "name": "x"}"#,
                "items: invalid type: integer `3`, expected a sequence",
            ),
            (
                r#"{"items": [{"id": "a"}, {"id": 7}], "name": "x"}"#,
                "items[1].id: invalid type: integer `7`, expected a string",
            ),
            (
                r#"{"items": [{"id": "a", "colour": "red"}], "name": "x"}"#,
                "items[0].colour: unknown field `colour`",
            ),
            (
                r#"{"items": [{"id": "a"}, {"count": 1}], "name": "x"}"#,
                "items[1]: missing field `id`",
            ),
            (r#"{"items": []}"#, "missing field `name`"),
            (
                "{\n  \"name\": \"\\\"quoted\\\" \u{e5}\",\n  \"items\": [{\"id\": \"a\", \"count\": 300}]\n}",
                "items[0].count: invalid value: integer `300`, expected u8",
            ),
            (
                r#"{"items": [], "na\"me": 1}"#,
                "na\"me: unknown field `na\"me`",
            ),
        ];
        for (text, expected) in cases {
            let got = mistake(text);
            assert!(
                got.starts_with(expected),
                "{text}\n  got {got}\n  expected {expected}"
            );
        }
    }

    #[test]
    fn broken_syntax_is_reported_as_serde_json_says() {
        let got = mistake(r#"{"items": [,"#);
        assert!(got.starts_with("items[0]: expected value"), "{got}");
        assert!(mistake("").starts_with("EOF while parsing"));
    }
}
