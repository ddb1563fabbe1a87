//! The graded contract of `cow_escape`. Sizes are for 64-bit targets.

use std::borrow::Cow;
use std::hint::black_box;

use cow_escape::escape_html;

memprobe::install!();

/// A slow but obviously right escaper to check answers against.
fn expected(input: &str) -> String {
    input
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// About 12 KB of text with nothing to escape (some of it not ASCII).
fn clean_text() -> String {
    "Generators yield one value at a time; caf\u{e9} cr\u{e8}me, \u{1F980} ferris. ".repeat(200)
}

/// About 12 KB of text with something to escape in every sentence.
fn markup() -> String {
    "<li class=\"item\">Tom & Jerry's caf\u{e9} costs < 5 > 3</li>\n".repeat(200)
}

#[test]
fn escapes_the_five_special_characters() {
    assert_eq!(
        escape_html("<a href=\"x\">"),
        "&lt;a href=&quot;x&quot;&gt;"
    );
    assert_eq!(escape_html("Tom & Jerry's"), "Tom &amp; Jerry&#39;s");
    assert_eq!(escape_html("&amp;"), "&amp;amp;");
    assert_eq!(
        escape_html("plain caf\u{e9} \u{1F980}"),
        "plain caf\u{e9} \u{1F980}"
    );
    assert_eq!(
        escape_html("caf\u{e9}<\u{1F980}>"),
        "caf\u{e9}&lt;\u{1F980}&gt;"
    );
    assert_eq!(escape_html(""), "");
    assert_eq!(escape_html("<"), "&lt;");
    assert_eq!(escape_html(&markup()), expected(&markup()));
}

#[test]
fn borrows_clean_input() {
    let text = clean_text();
    let escaped = memprobe::assert_allocs!(
        == 0,
        escape_html(black_box(&text)),
        "look for a special character first; when there is none, return `Cow::Borrowed(input)`"
    );
    assert_eq!(escaped, text);
    assert!(
        matches!(escaped, Cow::Borrowed(_)),
        "clean input must come back as `Cow::Borrowed`"
    );
    // Python's `is`: the very same bytes, not an equal copy.
    assert!(
        std::ptr::eq(escaped.as_ptr(), text.as_ptr()),
        "the borrow must point at the input itself"
    );
}

#[test]
fn allocates_once_for_text_to_escape() {
    let text = markup();
    let escaped = memprobe::assert_allocs!(
        <= 1,
        escape_html(black_box(&text)),
        "count the escaped length first, then `String::with_capacity(len)`"
    );
    assert!(
        matches!(escaped, Cow::Owned(_)),
        "escaped text is a new string"
    );
    assert_eq!(escaped, expected(&text));
}

#[test]
fn wastes_no_capacity() {
    let text = markup();
    let want = expected(&text);
    let escaped = memprobe::assert_peak_bytes!(
        <= want.len(),
        escape_html(black_box(&text)),
        "reserve exactly the escaped length: each special character adds a known number of bytes"
    );
    assert_eq!(escaped, want);
    if let Cow::Owned(s) = &escaped {
        assert_eq!(s.capacity(), s.len(), "no spare capacity in the result");
    }
}
