//! Alternative: `CalculateAll<F>` wraps the standard `Map<Range<u64>, F>`, already a lazy iterator, and the search takes five with `next` into an array.
// No hand-written state machine: the range remembers the next index.

use std::iter::Map;
use std::ops::Range;

/// How many values `calculate_all` yields, like the lesson's `range(1000000)`.
pub const COUNT: u64 = 1_000_000;

/// The values of `calculation(i)` for `i` in `0..COUNT`, in order, each
/// computed when it is asked for.
pub struct CalculateAll<F> {
    values: Map<Range<u64>, F>,
}

impl<F: FnMut(u64) -> u64> Iterator for CalculateAll<F> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        self.values.next()
    }
}

/// Returns the lazy iterator over `calculation(i)` for `i` in `0..COUNT`.
pub fn calculate_all<F: FnMut(u64) -> u64>(calculation: F) -> CalculateAll<F> {
    CalculateAll {
        values: (0..COUNT).map(calculation),
    }
}

/// Returns the first five values over `threshold`, or `None`.
pub fn first_five_over<F: FnMut(u64) -> u64>(threshold: u64, calculation: F) -> Option<[u64; 5]> {
    let mut over = calculate_all(calculation).filter(|&value| value > threshold);
    let first = over.next()?;
    let second = over.next()?;
    let third = over.next()?;
    let fourth = over.next()?;
    let fifth = over.next()?;
    Some([first, second, third, fourth, fifth])
}
