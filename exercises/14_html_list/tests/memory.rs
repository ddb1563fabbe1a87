//! The graded contract of `html_list`. Sizes are for 64-bit targets.
//!
//! Every memory test checks the complete HTML, for several inputs: the
//! lesson's thousand items, generated item lists of every length in
//! `memprobe::inputs::SIZES` (empty items, non-ASCII text, items made only
//! of special characters), the lesson's items repeated into over 2 MB of
//! HTML, and numbered lists across digit boundaries up to 100,001 items.

use std::hint::black_box;

use html_list::{html_list, numbered_list};
use memprobe::inputs::{Rng, SIZES};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&[&str]) -> String = html_list::html_list;
const _: fn(usize) -> String = html_list::numbered_list;

/// What `html_list` must return, built the plain way (outside any window).
fn expected_list(items: &[&str]) -> String {
    let mut html = String::from("<ul>");
    for item in items {
        html.push_str("<li>");
        for c in item.chars() {
            match c {
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                c => html.push(c),
            }
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

/// What `numbered_list(n)` must return.
fn expected_numbered(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("Item {i}")).collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    expected_list(&items)
}

/// A thousand items, some with characters to escape, some without, some
/// empty, some not ASCII.
fn sample_items() -> Vec<String> {
    (0..1_000)
        .map(|i| match i % 5 {
            0 => format!("Item {i}"),
            1 => format!("a < b && b > {i}"),
            2 => String::new(),
            3 => format!("<script>{i}</script>"),
            _ => format!("café & crème n°{i}"),
        })
        .collect()
}

/// Item lists of every length in `SIZES`: words (one in four not ASCII),
/// one in eight empty, one in five made only of special characters or
/// quotes (which stay as they are).
fn generated_lists(seed: u64) -> Vec<Vec<String>> {
    let marks = ["&", "<", ">", "&&", "<>", "\"'", "a&b<c>d"];
    let mut rng = Rng::new(seed);
    SIZES
        .iter()
        .map(|&n| {
            (0..n)
                .map(|_| match rng.below(40) {
                    0..=4 => String::new(),
                    5..=12 => marks[rng.below(marks.len() as u64) as usize].to_string(),
                    _ => rng.word(1..=10, true),
                })
                .collect()
        })
        .collect()
}

/// Every item list the memory tests try: a small one, the lesson's
/// thousand items and the generated ones.
fn item_lists() -> Vec<Vec<String>> {
    let small = ["Tom & Jerry", "<b>bold</b>", "plain", "", "x > y"];
    let mut lists = vec![small.map(String::from).to_vec(), sample_items()];
    lists.extend(generated_lists(14));
    // Over 2 MB of HTML: more than the 2 MiB stack a test thread gets by
    // default, so no fixed stack buffer can hold it.
    lists.push(sample_items().into_iter().cycle().take(100_000).collect());
    lists
}

/// Item counts the numbered tests try: digit boundaries up to 100,001.
const COUNTS: [usize; 11] = [0, 1, 9, 10, 11, 100, 1_000, 4_097, 9_999, 10_000, 100_001];

#[test]
fn escapes_markup_in_items() {
    assert_eq!(
        html_list(&["a", "b<c"]),
        "<ul><li>a</li><li>b&lt;c</li></ul>"
    );
    assert_eq!(
        html_list(&["Tom & Jerry", "<b>bold</b>", "&amp;"]),
        "<ul><li>Tom &amp; Jerry</li><li>&lt;b&gt;bold&lt;/b&gt;</li><li>&amp;amp;</li></ul>"
    );
    assert_eq!(html_list(&["", "é<ü"]), "<ul><li></li><li>é&lt;ü</li></ul>");
    assert_eq!(html_list(&[]), "<ul></ul>");
    assert_eq!(
        html_list(&[""]),
        "<ul><li></li></ul>",
        "an empty item is an item"
    );
    assert_eq!(html_list(&["", ""]), "<ul><li></li><li></li></ul>");
    assert_eq!(
        html_list(&["&", "<>", "\"q\" 'a'"]),
        "<ul><li>&amp;</li><li>&lt;&gt;</li><li>\"q\" 'a'</li></ul>",
        "quotes stay as they are"
    );
    assert_eq!(
        html_list(&["日本語 🦀 & ключ"]),
        "<ul><li>日本語 🦀 &amp; ключ</li></ul>"
    );
    for items in item_lists() {
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        assert_eq!(
            html_list(&items),
            expected_list(&items),
            "<{} items>",
            items.len()
        );
    }
}

#[test]
fn numbers_items_from_zero() {
    assert_eq!(numbered_list(0), "<ul></ul>");
    assert_eq!(
        numbered_list(3),
        "<ul><li>Item 0</li><li>Item 1</li><li>Item 2</li></ul>"
    );
    for n in [1, 9, 10, 11, 99, 100, 101, 1_000, 1_001, 10_001, 100_001] {
        assert_eq!(numbered_list(n), expected_numbered(n), "n = {n}");
    }
}

#[test]
fn escapes_items_with_one_allocation() {
    for items in item_lists() {
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        let expected = expected_list(&items);
        let html = memprobe::assert_allocs!(
            <= 1,
            html_list(black_box(&items)),
            "add up the escaped length first, String::with_capacity(len), then push_str the pieces"
        );
        assert_eq!(html, expected, "html_list(<{} items>)", items.len());
    }
}

#[test]
fn escaped_list_wastes_no_capacity() {
    let lists = item_lists();
    // From this thread's first call on, in one window: a dropped result
    // leaves nothing behind.
    memprobe::assert_live_bytes!(
        == 0,
        {
            for items in &lists {
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                drop(html_list(black_box(&items)));
            }
        },
        "the HTML is freed with the String that owns it"
    );
    for items in lists {
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        let expected = expected_list(&items);
        // The one buffer the answer needs, of exactly its length.
        let html = memprobe::assert_peak_bytes!(
            <= expected.len(),
            html_list(black_box(&items)),
            "count every escape in the length (in bytes): &amp; is 5 bytes, &lt; and &gt; are 4"
        );
        assert_eq!(html, expected, "html_list(<{} items>)", items.len());
        assert_eq!(html.capacity(), html.len(), "no spare capacity");
    }
}

#[test]
fn numbers_items_with_one_allocation() {
    for n in COUNTS {
        let expected = expected_numbered(n);
        let html = memprobe::assert_allocs!(
            <= 1,
            numbered_list(black_box(n)),
            "no \"Item {i}\" strings: write!(html, ...) each item straight into one reserved String"
        );
        assert_eq!(html, expected, "numbered_list({n})");
    }
}

#[test]
fn numbered_list_wastes_no_capacity() {
    // From this thread's first call on, in one window: a dropped result
    // leaves nothing behind.
    memprobe::assert_live_bytes!(
        == 0,
        {
            for n in COUNTS {
                drop(numbered_list(black_box(n)));
            }
        },
        "the HTML is freed with the String that owns it"
    );
    for n in COUNTS {
        let expected = expected_numbered(n);
        let html = memprobe::assert_peak_bytes!(
            <= expected.len(),
            numbered_list(black_box(n)),
            "count each number's digits (checked_ilog10) to reserve the exact length"
        );
        assert_eq!(html, expected, "numbered_list({n})");
        assert_eq!(html.capacity(), html.len(), "no spare capacity");
    }
}
