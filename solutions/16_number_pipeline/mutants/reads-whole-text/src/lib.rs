//! Mutant: reads the whole input into one `String` first, then iterates over its lines lazily.
// Family: wasteful (the text is held at once; only the stages after it are lazy).
use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`.
pub fn sum_even_squares(mut reader: impl BufRead) -> io::Result<i64> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    text.lines()
        .map(parse_number)
        .filter(|n| !matches!(n, Ok(n) if n % 2 != 0))
        .map(|n| n.map(|n| n * n))
        .sum()
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

