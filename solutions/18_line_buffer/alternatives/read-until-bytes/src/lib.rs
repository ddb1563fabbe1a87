//! Alternative: one reused `Vec<u8>` filled by `read_until`, each line checked with `std::str::from_utf8` before it is searched.
// The buffer is bytes, so the UTF-8 check is explicit instead of inside `read_line`.

use std::io::{self, BufRead};

/// Returns how many lines of `reader` contain `needle`; a line that is not
/// UTF-8 gives an `InvalidData` error.
pub fn count_matching_lines(mut reader: impl BufRead, needle: &str) -> io::Result<usize> {
    let mut line = Vec::new();
    let mut count = 0;
    while reader.read_until(b'\n', &mut line)? != 0 {
        let text = std::str::from_utf8(&line)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if text.contains(needle) {
            count += 1;
        }
        line.clear();
    }
    Ok(count)
}
