//! Mutant: Escapes into a 32 KiB stack buffer and copies the result into one exact `String`; text whose escaped form is longer falls back to growing a `String`.
// Family: sized to the test (a fixed stack buffer).

use std::borrow::Cow;

/// The replacement for a byte that needs escaping. All five special
/// characters are ASCII, so looking at bytes is enough: no byte of a
/// multi-byte UTF-8 character can be mistaken for one of them.
fn replacement(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Returns `input` with the five HTML special characters replaced:
/// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, `"` → `&quot;`, `'` → `&#39;`.
///
/// When `input` has none of them, the result is `Cow::Borrowed(input)`
/// itself; otherwise a `Cow::Owned` string of exactly the escaped length.
pub fn escape_html(input: &str) -> Cow<'_, str> {
    let len: usize = input
        .bytes()
        .map(|b| replacement(b).map_or(1, str::len))
        .sum();
    if len == input.len() {
        return Cow::Borrowed(input);
    }
    let mut buf = [0u8; 32 * 1024];
    if len <= buf.len() {
        let mut at = 0;
        for b in input.bytes() {
            let rep = replacement(b);
            let bytes = rep.map_or(std::slice::from_ref(&b), str::as_bytes);
            buf[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        }
        let text = std::str::from_utf8(&buf[..at]).expect("escaping keeps UTF-8 valid");
        return Cow::Owned(text.to_owned());
    }
    // Too long for the stack buffer: grow a String.
    let mut escaped = String::new();
    for c in input.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    Cow::Owned(escaped)
}
