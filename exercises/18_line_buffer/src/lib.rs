//! Read a large text line by line, like Python's `for line in f:`.
//!
//! This version works, but `lines()` hands out every line as a brand-new
//! `String`: one heap allocation (and one free) per line, a million of them
//! for a million lines. Read every line into the same buffer instead, so the
//! number of allocations stays a small constant however long the text is.

use std::io::{self, BufRead};

/// Returns how many lines of `reader` contain `needle` (which holds no line
/// break). A line ends at `\n`; the last line may lack one; an empty input
/// has no lines.
///
/// The text must be UTF-8: a line that is not gives an error of kind
/// [`io::ErrorKind::InvalidData`], and an error of the reader is returned as
/// it is.
pub fn count_matching_lines(reader: impl BufRead, needle: &str) -> io::Result<usize> {
    let mut count = 0;
    for line in reader.lines() {
        let line = line?;
        if line.contains(needle) {
            count += 1;
        }
    }
    Ok(count)
}
