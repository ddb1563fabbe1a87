//! The lesson's lazy evaluation: find the first five values over a threshold.
//!
//! This version works, but it is the lesson's eager one: `calculate_all`
//! computes all 1,000,000 values into a `Vec` before the search looks at the
//! first, and the search collects its answer into another `Vec`. Make
//! `calculate_all` a generator (an iterator that computes each value when
//! asked) and the search stop as soon as it has five, without any heap
//! allocation.

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
/// order. You may change its fields (holding `calls` needs a lifetime:
/// `CalculateAll<'a>`).
pub struct CalculateAll {
    values: std::vec::IntoIter<u64>,
}

impl Iterator for CalculateAll {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        self.values.next()
    }
}

/// Returns the iterator over `expensive_calculation(i, calls)` for `i` in
/// `0..COUNT`. Each value must be computed only when the iterator is asked for
/// it, so creating the iterator computes nothing.
pub fn calculate_all(calls: &Cell<u64>) -> CalculateAll {
    let mut results = Vec::new();
    for i in 0..COUNT {
        results.push(expensive_calculation(i, calls));
    }
    CalculateAll {
        values: results.into_iter(),
    }
}

/// Returns the first five values of [`calculate_all`] that are greater than
/// `threshold`, in order, or `None` if there are fewer than five. It computes
/// no value after the fifth one found.
pub fn first_five_over(threshold: u64, calls: &Cell<u64>) -> Option<[u64; 5]> {
    let mut results = Vec::new();
    for value in calculate_all(calls) {
        if value > threshold {
            results.push(value);
            if results.len() == 5 {
                break;
            }
        }
    }
    results.try_into().ok()
}
