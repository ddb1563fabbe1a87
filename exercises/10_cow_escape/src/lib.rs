//! Escape text for HTML, allocating only when something needs escaping.
//!
//! Most text has nothing to escape. `Cow<'_, str>` ("clone on write") lets a
//! function answer with either a borrow of its input (`Cow::Borrowed`, no
//! allocation, the very same bytes) or a new `String` (`Cow::Owned`) when it
//! really had to change something.
//!
//! This version works, but it always builds a new string, and builds it one
//! character at a time, so the buffer keeps growing. Make clean input cost
//! nothing, and escaped input cost exactly one allocation.

use std::borrow::Cow;

/// Returns `input` with the five HTML special characters replaced:
/// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, `"` → `&quot;`, `'` → `&#39;`.
///
/// When `input` has none of them, the result is `Cow::Borrowed(input)`
/// itself; otherwise a `Cow::Owned` string of exactly the escaped length.
pub fn escape_html(input: &str) -> Cow<'_, str> {
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
