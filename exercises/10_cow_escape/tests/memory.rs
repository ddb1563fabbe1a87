//! The graded contract of `cow_escape`. Sizes are for 64-bit targets.
//!
//! Every memory test checks the complete escaped text, on several inputs:
//! the empty string, non-ASCII text, strings whose only special characters
//! are quotes, a special character only at the very end of a long text,
//! generated texts of every word count in `memprobe::inputs::SIZES`, and
//! markup whose escaped form is over 50 KB and over 2 MB.

use std::borrow::Cow;
use std::hint::black_box;

use cow_escape::escape_html;
use memprobe::inputs::{Rng, SIZES};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: for<'a> fn(&'a str) -> std::borrow::Cow<'a, str> = cow_escape::escape_html;

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

/// Generated text of every word count in `SIZES` (words of 1 to 8 bytes,
/// one in four not ASCII), separated by spaces. With `specials`, about one
/// word in six is replaced by markup or quotes.
fn generated_texts(seed: u64, specials: bool) -> Vec<String> {
    let marks = ["&", "<b>", ">", "\"", "'", "a&b", "\"quoted\"", "it's"];
    let mut rng = Rng::new(seed);
    SIZES
        .iter()
        .map(|&n| {
            let words: Vec<String> = (0..n)
                .map(|_| {
                    if specials && rng.chance(1, 6) {
                        marks[rng.below(marks.len() as u64) as usize].to_string()
                    } else {
                        rng.word(1..=8, true)
                    }
                })
                .collect();
            words.join(" ")
        })
        .collect()
}

/// Inputs with nothing to escape.
fn clean_inputs() -> Vec<String> {
    let mut inputs = vec![
        String::new(),
        " ".to_string(),
        "plain".to_string(),
        "\u{65e5}\u{672c}\u{8a9e} \u{1F980} na\u{ef}ve r\u{e9}sum\u{e9}".to_string(),
        "#;=/?!%".to_string(),
        clean_text(),
    ];
    inputs.extend(generated_texts(10, false));
    inputs
}

/// Inputs with something to escape, including quote-only strings and one
/// special character only at the very end.
fn inputs_to_escape() -> Vec<String> {
    let mut inputs = vec![
        "\"".to_string(),
        "'".to_string(),
        "\"'\"'".to_string(),
        "say \"hi\" it's".to_string(),
        "<".to_string(),
        format!("{}'", clean_text()),
        format!("&{}", clean_text()),
        "\u{65e5}<\u{1F980}>\u{e9}\"".to_string(),
        markup(),
        // Escaped, over 50 KB: more than a fixed buffer sized to the text above.
        markup().repeat(3),
        // Quotes only, escaped over 2 MB: more than the 2 MiB stack a test
        // thread gets by default, so no fixed stack buffer can hold it.
        "\"".repeat(400_000),
    ];
    inputs.extend(
        generated_texts(11, true)
            .into_iter()
            .filter(|t| t.contains(['&', '<', '>', '"', '\''])),
    );
    inputs
}

/// A short label for an input in a failure message.
fn label(input: &str) -> String {
    let head: String = input.chars().take(24).collect();
    format!("{head:?} ({} bytes)", input.len())
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
    assert_eq!(escape_html("\""), "&quot;", "a quote alone");
    assert_eq!(escape_html("'"), "&#39;", "an apostrophe alone");
    assert_eq!(escape_html("\"'\"'"), "&quot;&#39;&quot;&#39;");
    assert_eq!(
        escape_html("say \"hi\" it's"),
        "say &quot;hi&quot; it&#39;s"
    );
    for input in clean_inputs().iter().chain(&inputs_to_escape()) {
        assert_eq!(escape_html(input), expected(input), "{}", label(input));
    }
}

#[test]
fn borrows_clean_input() {
    for text in clean_inputs() {
        let escaped = memprobe::assert_allocs!(
            == 0,
            escape_html(black_box(&text)),
            "look for a special character first; when there is none, return `Cow::Borrowed(input)`"
        );
        assert_eq!(escaped, text);
        assert!(
            matches!(escaped, Cow::Borrowed(_)),
            "clean input must come back as `Cow::Borrowed`: {}",
            label(&text)
        );
        // Python's `is`: the very same bytes, not an equal copy.
        assert!(
            std::ptr::eq(escaped.as_ptr(), text.as_ptr()),
            "the borrow must point at the input itself: {}",
            label(&text)
        );
    }
}

#[test]
fn allocates_once_for_text_to_escape() {
    for text in inputs_to_escape() {
        let want = expected(&text);
        let escaped = memprobe::assert_allocs!(
            <= 1,
            escape_html(black_box(&text)),
            "count the escaped length first, then `String::with_capacity(len)`"
        );
        assert_eq!(escaped, want, "{}", label(&text));
        assert!(
            matches!(escaped, Cow::Owned(_)),
            "escaped text is a new string: {}",
            label(&text)
        );
    }
}

#[test]
fn wastes_no_capacity() {
    let inputs = inputs_to_escape();
    // From this thread's first call on, in one window: whatever is dropped
    // leaves nothing behind (a cache that replaced its entry on every call
    // could even out a window per call, not this one).
    memprobe::assert_live_bytes!(
        == 0,
        {
            for text in &inputs {
                drop(escape_html(black_box(text)));
            }
        },
        "the escaped string is freed with the `Cow` that owns it"
    );
    for text in inputs {
        let want = expected(&text);
        // The one buffer the answer needs, of exactly the escaped length.
        let escaped = memprobe::assert_peak_bytes!(
            <= want.len(),
            escape_html(black_box(&text)),
            "reserve exactly the escaped length: each special character adds a known number of bytes"
        );
        assert_eq!(escaped, want, "{}", label(&text));
        match &escaped {
            Cow::Owned(s) => assert_eq!(s.capacity(), s.len(), "no spare capacity in the result"),
            Cow::Borrowed(_) => panic!("escaped text is a new string: {}", label(&text)),
        }
    }
}
