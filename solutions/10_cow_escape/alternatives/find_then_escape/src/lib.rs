//! Alternative: `find` the first special character (none: borrow the input), count the escaped length of the rest only, then copy the clean prefix in one piece and escape the rest `char` by `char` into one exactly reserved `String`.

use std::borrow::Cow;

/// The escape of one character, or `None` when it stands for itself.
fn escape_of(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    }
}

/// Returns `input` with the five HTML special characters replaced:
/// `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, `"` → `&quot;`, `'` → `&#39;`.
///
/// When `input` has none of them, the result is `Cow::Borrowed(input)`
/// itself; otherwise a `Cow::Owned` string of exactly the escaped length.
pub fn escape_html(input: &str) -> Cow<'_, str> {
    let Some(first) = input.find(|c| escape_of(c).is_some()) else {
        return Cow::Borrowed(input);
    };
    let (clean, rest) = input.split_at(first);
    let rest_len: usize = rest
        .chars()
        .map(|c| escape_of(c).map_or(c.len_utf8(), str::len))
        .sum();
    let mut escaped = String::with_capacity(clean.len() + rest_len);
    escaped.push_str(clean);
    for c in rest.chars() {
        match escape_of(c) {
            Some(escape) => escaped.push_str(escape),
            None => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}
