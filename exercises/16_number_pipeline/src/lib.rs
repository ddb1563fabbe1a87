//! The lesson's chained generators, in Rust: read numbers → keep the evens →
//! square them → sum.
//!
//! This version works, but every stage builds a whole `Vec` before the next
//! stage starts: all the lines, then all the numbers, then all the evens, then
//! all the squares. Memory grows with the input. Make the stages hand values
//! on one at a time, so the peak stays the same however long the input is.

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
    let numbers = read_numbers(reader)?;
    let evens = filter_evens(numbers);
    let squares = square_numbers(evens);
    Ok(squares.iter().sum())
}

/// Like the lesson's `read_numbers`, but eager: every line, then every number.
fn read_numbers(reader: impl BufRead) -> io::Result<Vec<i64>> {
    let lines: Vec<String> = reader.lines().collect::<io::Result<_>>()?;
    let mut numbers = Vec::new();
    for line in &lines {
        numbers.push(parse_number(line)?);
    }
    Ok(numbers)
}

/// Like the lesson's `filter_evens`, but it returns a new list.
fn filter_evens(numbers: Vec<i64>) -> Vec<i64> {
    let mut evens = Vec::new();
    for n in numbers {
        if n % 2 == 0 {
            evens.push(n);
        }
    }
    evens
}

/// Like the lesson's `square_numbers`, but it returns a new list.
fn square_numbers(numbers: Vec<i64>) -> Vec<i64> {
    let mut squares = Vec::new();
    for n in numbers {
        squares.push(n * n);
    }
    squares
}

/// Parses one line, like Python's `int(line.strip())`. (You can keep this.)
fn parse_number(line: &str) -> io::Result<i64> {
    line.trim().parse().map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not an integer: {line:?} ({e})"),
        )
    })
}
