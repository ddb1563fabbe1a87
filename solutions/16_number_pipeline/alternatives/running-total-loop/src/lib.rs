//! Alternative: one `read_line` loop over a reused `String` that adds each even square to a running total.
// No iterator adapters: the loop is the generator, and one buffer serves every line.
use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`.
pub fn sum_even_squares(mut reader: impl BufRead) -> io::Result<i64> {
    let mut line = String::new();
    let mut total = 0;
    while reader.read_line(&mut line)? != 0 {
        let n = parse_number(&line)?;
        if n % 2 == 0 {
            total += n * n;
        }
        line.clear();
    }
    Ok(total)
}

/// Parses one line, like Python's `int(line.strip())`.
fn parse_number(line: &str) -> io::Result<i64> {
    line.trim().parse().map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not an integer: {line:?} ({e})"),
        )
    })
}

