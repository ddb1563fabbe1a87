//! Mutant: builds a context string per line (for an error message), a second copy of every line.
//!
//! The lesson's chained generators, in Rust: read numbers → keep the evens →
//! square them → sum.
//!
//! Each stage is an iterator adapter: nothing runs until `sum` pulls a value,
//! and then one line travels through the whole chain before the next one is
//! read. Only one line is alive at a time, so the peak does not depend on the
//! length of the input.

use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`, which holds
/// one integer per line (spaces around it are allowed):
/// `"1\n2\n3\n4\n"` gives `2² + 4² = 20`, an empty input gives `0`.
///
/// A line that is not an integer gives an error of kind
/// [`io::ErrorKind::InvalidData`], and no line after it is read; an error of
/// the reader is returned as it is. The numbers are small enough for the sum
/// to fit in an `i64`.
pub fn sum_even_squares(reader: impl BufRead) -> io::Result<i64> {
    square_numbers(filter_evens(read_numbers(reader))).sum()
}

/// The lesson's `read_numbers` generator: one number per line, on demand.
fn read_numbers(reader: impl BufRead) -> impl Iterator<Item = io::Result<i64>> {
    // MUTANT: a context string per line, made ahead for an error message.
    reader.lines().enumerate().map(|(i, line)| {
        let line = line?;
        let context = format!("line {}: {line:?}", i + 1);
        parse_number(&line).map_err(|e| io::Error::new(e.kind(), format!("{context}: {e}")))
    })
}

/// The lesson's `filter_evens`: errors pass through so `sum` can stop on them.
fn filter_evens(
    numbers: impl Iterator<Item = io::Result<i64>>,
) -> impl Iterator<Item = io::Result<i64>> {
    numbers.filter(|n| !matches!(n, Ok(n) if n % 2 != 0))
}

/// The lesson's `square_numbers`.
fn square_numbers(
    numbers: impl Iterator<Item = io::Result<i64>>,
) -> impl Iterator<Item = io::Result<i64>> {
    numbers.map(|n| n.map(|n| n * n))
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
