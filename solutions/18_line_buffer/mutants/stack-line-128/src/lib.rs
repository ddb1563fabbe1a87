//! Mutant: each line copied into a fixed 128-byte stack buffer (no heap at all); bytes past the 128th are skipped unread.
// Family: sized to the test (every line of the test's log is shorter than 128 bytes).

use std::io::{self, BufRead};

const LINE: usize = 128;

/// Returns how many lines of `reader` contain `needle`.
pub fn count_matching_lines(mut reader: impl BufRead, needle: &str) -> io::Result<usize> {
    let mut buf = [0u8; LINE];
    let mut count = 0;
    loop {
        let mut len = 0;
        let mut truncated = false;
        let mut any = false;
        loop {
            let available = reader.fill_buf()?;
            if available.is_empty() {
                break;
            }
            any = true;
            let end = available.iter().position(|&b| b == b'\n');
            let take = end.map_or(available.len(), |i| i + 1);
            let room = LINE - len;
            let copy = take.min(room);
            buf[len..len + copy].copy_from_slice(&available[..copy]);
            len += copy;
            truncated |= take > room;
            reader.consume(take);
            if end.is_some() {
                break;
            }
        }
        if !any {
            return Ok(count);
        }
        let text = match std::str::from_utf8(&buf[..len]) {
            Ok(text) => text,
            // A character cut at the 128th byte: keep the whole ones.
            Err(e) if truncated && e.error_len().is_none() => {
                std::str::from_utf8(&buf[..e.valid_up_to()]).expect("valid prefix")
            }
            Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
        };
        if text.contains(needle) {
            count += 1;
        }
    }
}
