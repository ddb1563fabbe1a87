//! Mutant: a streaming chain that parses each line as it comes, without trimming the spaces around the number.
// Family: wrong output on an edge case (a line with spaces around its number is an error).

use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`.
pub fn sum_even_squares(reader: impl BufRead) -> io::Result<i64> {
    reader
        .lines()
        .map(|line| {
            let line = line?;
            line.parse::<i64>()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        })
        .filter(|n| !matches!(n, Ok(n) if n % 2 != 0))
        .map(|n| n.map(|n| n * n))
        .sum()
}
