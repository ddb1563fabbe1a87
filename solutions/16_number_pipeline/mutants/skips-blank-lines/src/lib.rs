//! Mutant: a streaming loop that skips blank lines instead of reporting them as not a number.
// Family: wrong output on an edge case (an empty line).
use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`.
pub fn sum_even_squares(reader: impl BufRead) -> io::Result<i64> {
    let mut total = 0;
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let n = parse_number(&line)?;
        if n % 2 == 0 {
            total += n * n;
        }
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

