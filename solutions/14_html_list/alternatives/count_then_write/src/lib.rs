//! Alternative: render twice through `std::fmt::Write`: first into a sink that only counts bytes, then into a `String` reserved with that count, so the length arithmetic cannot drift from what is written.

use std::fmt::{self, Write};

/// A `fmt::Write` sink that keeps nothing but the number of bytes written.
#[derive(Default)]
struct ByteCount(usize);

impl Write for ByteCount {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Writes `text` with `&`, `<` and `>` escaped, the runs between special
/// characters in one piece.
fn write_escaped(out: &mut impl Write, text: &str) -> fmt::Result {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.write_str(&text[start..i])?;
        out.write_str(escape)?;
        start = i + 1;
    }
    out.write_str(&text[start..])
}

/// Writes the whole list of `items` into `out`.
fn write_list(out: &mut impl Write, items: &[&str]) -> fmt::Result {
    out.write_str("<ul>")?;
    for item in items {
        out.write_str("<li>")?;
        write_escaped(out, item)?;
        out.write_str("</li>")?;
    }
    out.write_str("</ul>")
}

/// Writes the numbered list of `n` items into `out`.
fn write_numbered(out: &mut impl Write, n: usize) -> fmt::Result {
    out.write_str("<ul>")?;
    for i in 0..n {
        write!(out, "<li>Item {i}</li>")?;
    }
    out.write_str("</ul>")
}

/// Runs `render` once to count its bytes, then again into a `String` of
/// exactly that capacity.
fn render_exact(render: impl Fn(&mut dyn Write) -> fmt::Result) -> String {
    let mut count = ByteCount::default();
    render(&mut count).expect("counting cannot fail");
    let mut html = String::with_capacity(count.0);
    render(&mut html).expect("writing to a String cannot fail");
    html
}

/// Returns the items as an HTML list, each item escaped (`&` becomes
/// `&amp;`, `<` becomes `&lt;`, `>` becomes `&gt;`): `["a", "b<c"]` gives
/// `<ul><li>a</li><li>b&lt;c</li></ul>`, no items give `<ul></ul>`.
pub fn html_list(items: &[&str]) -> String {
    render_exact(|mut out| write_list(&mut out, items))
}

/// Returns the lesson's list of `n` numbered items:
/// `<ul><li>Item 0</li><li>Item 1</li>...<li>Item {n-1}</li></ul>`,
/// `<ul></ul>` when `n` is 0.
pub fn numbered_list(n: usize) -> String {
    render_exact(|mut out| write_numbered(&mut out, n))
}
