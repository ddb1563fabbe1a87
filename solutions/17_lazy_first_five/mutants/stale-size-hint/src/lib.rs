//! Mutant: a size_hint that is never updated as the iterator advances.
//!
//! The lesson's lazy evaluation: find the first five values over a threshold.
//!
//! `calculate_all` is a generator: a struct that remembers where it is (the
//! next index) and the calculation, and computes one value per call to
//! `next`. The search pulls values only until it has five, and writes them
//! into an array on the stack.

/// How many values `calculate_all` yields, like the lesson's `range(1000000)`.
pub const COUNT: u64 = 1_000_000;

/// The values of `calculation(i)` for `i` in `0..COUNT`, in order, each
/// computed when it is asked for.
pub struct CalculateAll<F> {
    next: u64,
    calculation: F,
}

impl<F: FnMut(u64) -> u64> Iterator for CalculateAll<F> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next == COUNT {
            return None;
        }
        let value = (self.calculation)(self.next);
        self.next += 1;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // MUTANT: the hint of a fresh iterator, never updated as it advances.
        (COUNT as usize, Some(COUNT as usize))
    }
}

/// Returns the iterator over `calculation(i)` for `i` in `0..COUNT`, in
/// order. Each value is computed only when the iterator is asked for it, so
/// creating the iterator calls `calculation` not once.
pub fn calculate_all<F: FnMut(u64) -> u64>(calculation: F) -> CalculateAll<F> {
    CalculateAll {
        next: 0,
        calculation,
    }
}

/// Returns the first five values of [`calculate_all`] over `calculation`
/// that are greater than `threshold`, in order, or `None` if there are fewer
/// than five. It calls `calculation` for no index after the fifth value
/// found.
pub fn first_five_over<F: FnMut(u64) -> u64>(threshold: u64, calculation: F) -> Option<[u64; 5]> {
    let mut over = calculate_all(calculation).filter(|&value| value > threshold);
    let mut results = [0; 5];
    for slot in &mut results {
        *slot = over.next()?;
    }
    Some(results)
}
