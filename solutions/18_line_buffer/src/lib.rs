//! Read a large text line by line, like Python's `for line in f:`.
//!
//! One `String` is the buffer for every line: `read_line` appends the next
//! line to it and `clear` empties it without giving its memory back, so after
//! the buffer has grown to the longest line no further allocation happens.

use std::io::{self, BufRead};

/// Returns how many lines of `reader` contain `needle` (which holds no line
/// break). A line ends at `\n`; the last line may lack one; an empty input
/// has no lines.
///
/// The text must be UTF-8: a line that is not gives an error of kind
/// [`io::ErrorKind::InvalidData`], and an error of the reader is returned as
/// it is.
pub fn count_matching_lines(mut reader: impl BufRead, needle: &str) -> io::Result<usize> {
    let mut line = String::new();
    let mut count = 0;
    while reader.read_line(&mut line)? != 0 {
        if line.contains(needle) {
            count += 1;
        }
        line.clear();
    }
    Ok(count)
}
