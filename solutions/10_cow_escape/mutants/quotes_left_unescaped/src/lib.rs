//! Mutant: The "is there anything to escape?" check looks for `&`, `<` and `>` only, so text whose only special characters are quotes comes back unescaped.
// Family: wrong output on an edge case (quote-only string).

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
    // Markup needs `&`, `<` or `>`; without them there is nothing to do.
    if !input.contains(['&', '<', '>']) {
        return Cow::Borrowed(input);
    }
    let len: usize = input
        .bytes()
        .map(|b| replacement(b).map_or(1, str::len))
        .sum();
    let mut escaped = String::with_capacity(len);
    let mut clean_from = 0;
    for (i, b) in input.bytes().enumerate() {
        if let Some(rep) = replacement(b) {
            escaped.push_str(&input[clean_from..i]);
            escaped.push_str(rep);
            clean_from = i + 1;
        }
    }
    escaped.push_str(&input[clean_from..]);
    Cow::Owned(escaped)
}
