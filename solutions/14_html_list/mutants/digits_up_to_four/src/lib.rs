//! Mutant: Counts a number's digits with a chain of comparisons that stops at four digits (lists are never longer than 10,000 items): longer lists reserve too little and the buffer regrows.
// Family: sized to the test (its largest count).

use std::fmt::Write;

const OPEN: &str = "<ul>";
const CLOSE: &str = "</ul>";
const ITEM_OPEN: &str = "<li>";
const ITEM_CLOSE: &str = "</li>";

/// The escape of one byte, or `None` when the byte stands for itself.
fn escape_of(byte: u8) -> Option<&'static str> {
    match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    }
}

/// The length of `text` once escaped.
fn escaped_len(text: &str) -> usize {
    text.bytes().map(|b| escape_of(b).map_or(1, str::len)).sum()
}

/// Appends `text` to `out` with `&`, `<` and `>` escaped, copying the runs
/// between special characters in one piece.
fn push_escaped(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(escape) = escape_of(b) {
            out.push_str(&text[start..i]);
            out.push_str(escape);
            start = i + 1;
        }
    }
    out.push_str(&text[start..]);
}

/// Returns the items as an HTML list, each item escaped (`&` becomes
/// `&amp;`, `<` becomes `&lt;`, `>` becomes `&gt;`): `["a", "b<c"]` gives
/// `<ul><li>a</li><li>b&lt;c</li></ul>`, no items give `<ul></ul>`.
pub fn html_list(items: &[&str]) -> String {
    let per_item = ITEM_OPEN.len() + ITEM_CLOSE.len();
    let len = OPEN.len()
        + CLOSE.len()
        + items
            .iter()
            .map(|item| per_item + escaped_len(item))
            .sum::<usize>();
    let mut html = String::with_capacity(len);
    html.push_str(OPEN);
    for item in items {
        html.push_str(ITEM_OPEN);
        push_escaped(&mut html, item);
        html.push_str(ITEM_CLOSE);
    }
    html.push_str(CLOSE);
    html
}

/// The number of decimal digits of `n` (1 for 0).
fn digits(n: usize) -> usize {
    if n < 10 {
        1
    } else if n < 100 {
        2
    } else if n < 1_000 {
        3
    } else {
        4
    }
}

/// Returns the lesson's list of `n` numbered items:
/// `<ul><li>Item 0</li><li>Item 1</li>...<li>Item {n-1}</li></ul>`,
/// `<ul></ul>` when `n` is 0.
pub fn numbered_list(n: usize) -> String {
    let per_item = "<li>Item </li>".len();
    let len = OPEN.len() + CLOSE.len() + (0..n).map(|i| per_item + digits(i)).sum::<usize>();
    let mut html = String::with_capacity(len);
    html.push_str(OPEN);
    for i in 0..n {
        // Formatting an integer writes its digits from a small stack buffer;
        // `write!` into a `String` allocates only if the string must grow.
        write!(html, "<li>Item {i}</li>").expect("writing to a String cannot fail");
    }
    html.push_str(CLOSE);
    html
}
