//! The lesson's lazy evaluation: find the first five values over a threshold.
//!
//! `calculate_all` is a generator: a struct that remembers where it is and
//! computes one value per call to `next`. The search pulls values only until
//! it has five, and writes them into an array on the stack.

use std::cell::Cell;

/// How many values `calculate_all` yields, like the lesson's `range(1000000)`.
pub const COUNT: u64 = 1_000_000;

/// The lesson's `expensive_calculation`: `n` squared. Every call adds one to
/// `calls`, so the tests can see how much work was done. (Keep this as it is.)
pub fn expensive_calculation(n: u64, calls: &Cell<u64>) -> u64 {
    calls.set(calls.get() + 1);
    n * n
}

/// The values of `expensive_calculation(i, calls)` for `i` in `0..COUNT`, in
/// order, each computed when it is asked for.
pub struct CalculateAll<'a> {
    next: u64,
    calls: &'a Cell<u64>,
}

impl Iterator for CalculateAll<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next == COUNT {
            return None;
        }
        let value = expensive_calculation(self.next, self.calls);
        self.next += 1;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (COUNT - self.next) as usize;
        (left, Some(left))
    }
}

/// Returns the iterator over `expensive_calculation(i, calls)` for `i` in
/// `0..COUNT`. Each value is computed only when the iterator is asked for it,
/// so creating the iterator computes nothing.
pub fn calculate_all(calls: &Cell<u64>) -> CalculateAll<'_> {
    CalculateAll { next: 0, calls }
}

/// Returns the first five values of [`calculate_all`] that are greater than
/// `threshold`, in order, or `None` if there are fewer than five. It computes
/// no value after the fifth one found.
pub fn first_five_over(threshold: u64, calls: &Cell<u64>) -> Option<[u64; 5]> {
    let mut over = calculate_all(calls).filter(|&value| value > threshold);
    let mut results = [0; 5];
    for slot in &mut results {
        *slot = over.next()?;
    }
    Some(results)
}
