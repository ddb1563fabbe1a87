//! Mutant: one reused `Vec<u8>` filled by `read_until`, searched as bytes, never checked to be UTF-8.
// Family: wrong output on an edge case (text that is not UTF-8 is counted instead of reported).

use std::io::{self, BufRead};

/// Returns how many lines of `reader` contain `needle`.
pub fn count_matching_lines(mut reader: impl BufRead, needle: &str) -> io::Result<usize> {
    let needle = needle.as_bytes();
    let mut line = Vec::new();
    let mut count = 0;
    while reader.read_until(b'\n', &mut line)? != 0 {
        if needle.is_empty() || line.windows(needle.len()).any(|w| w == needle) {
            count += 1;
        }
        line.clear();
    }
    Ok(count)
}
