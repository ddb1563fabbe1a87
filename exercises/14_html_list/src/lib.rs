//! Build an HTML list, like the lesson's `build_html_efficient`.
//!
//! This version works, but it builds a temporary string for every escaped
//! item and every `<li>` element, and grows the result one piece at a time:
//! every `+=` that runs past the capacity makes the allocator find a bigger
//! block and copy what was written so far. Make each function allocate exactly
//! once, a buffer of exactly the final length.

/// Returns `text` with the HTML special characters escaped: `&` becomes
/// `&amp;`, `<` becomes `&lt;` and `>` becomes `&gt;`.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Returns the items as an HTML list, each item escaped (see above):
/// `["a", "b<c"]` gives `<ul><li>a</li><li>b&lt;c</li></ul>`, no items give
/// `<ul></ul>`.
pub fn html_list(items: &[&str]) -> String {
    let mut html = String::from("<ul>");
    for item in items {
        html += &format!("<li>{}</li>", escape(item));
    }
    html += "</ul>";
    html
}

/// Returns the lesson's list of `n` numbered items:
/// `<ul><li>Item 0</li><li>Item 1</li>...<li>Item {n-1}</li></ul>`,
/// `<ul></ul>` when `n` is 0.
pub fn numbered_list(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| format!("Item {i}")).collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    html_list(&items)
}
