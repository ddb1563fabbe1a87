//! The graded contract of `html_list`. Sizes are for 64-bit targets.

use std::hint::black_box;

use html_list::{html_list, numbered_list};

memprobe::install!();

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
    let items = sample_items();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    assert_eq!(html_list(&items), expected_list(&items));
}

#[test]
fn numbers_items_from_zero() {
    assert_eq!(numbered_list(0), "<ul></ul>");
    assert_eq!(
        numbered_list(3),
        "<ul><li>Item 0</li><li>Item 1</li><li>Item 2</li></ul>"
    );
    for n in [1, 9, 10, 11, 99, 100, 101, 1_000, 1_001, 10_001] {
        assert_eq!(numbered_list(n), expected_numbered(n), "n = {n}");
    }
}

#[test]
fn escapes_a_thousand_items_with_one_allocation() {
    let items = sample_items();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let expected = expected_list(&items);
    let html = memprobe::assert_allocs!(
        <= 1,
        html_list(black_box(&items)),
        "add up the escaped length first, String::with_capacity(len), then push_str the pieces"
    );
    assert_eq!(html, expected);
}

#[test]
fn escaped_list_wastes_no_capacity() {
    let items = ["Tom & Jerry", "<b>bold</b>", "plain", "", "x > y"];
    let expected = expected_list(&items);
    let html = memprobe::assert_peak_bytes!(
        <= expected.len(),
        html_list(black_box(&items)),
        "count every escape in the length: &amp; is 5 bytes, &lt; and &gt; are 4"
    );
    assert_eq!(html, expected);
    assert_eq!(html.capacity(), html.len());
}

#[test]
fn numbers_ten_thousand_items_with_one_allocation() {
    let expected = expected_numbered(10_000);
    let html = memprobe::assert_allocs!(
        <= 1,
        numbered_list(black_box(10_000)),
        "no \"Item {i}\" strings: write!(html, ...) each item straight into one reserved String"
    );
    assert_eq!(html, expected);
}

#[test]
fn numbered_list_wastes_no_capacity() {
    let expected = expected_numbered(1_000);
    let html = memprobe::assert_peak_bytes!(
        <= expected.len(),
        numbered_list(black_box(1_000)),
        "count each number's digits (checked_ilog10) to reserve the exact length"
    );
    assert_eq!(html, expected);
    assert_eq!(html.capacity(), html.len());
}
