//! Mutant: reads the input in chunks of 64 lines into a reused `Vec<String>`, then sums the chunk: memory flat, but 64 lines ahead of the work.
// Family: sized to the test (a prefetching reader fits a per-test budget without being lazy).
use std::io::{self, BufRead};

/// Returns the sum of the squares of the even numbers in `reader`.
pub fn sum_even_squares(reader: impl BufRead) -> io::Result<i64> {
    const CHUNK: usize = 64;
    let mut lines = reader.lines();
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
    let mut total = 0;
    loop {
        chunk.clear();
        for line in lines.by_ref().take(CHUNK) {
            chunk.push(line?);
        }
        if chunk.is_empty() {
            return Ok(total);
        }
        for line in &chunk {
            let n = parse_number(line)?;
            if n % 2 == 0 {
                total += n * n;
            }
        }
    }
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

