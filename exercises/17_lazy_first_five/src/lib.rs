//! The lesson's lazy evaluation: find the first five values over a threshold.
//!
//! This version works, but it is the lesson's eager one: `calculate_all`
//! computes all 1,000,000 values into a `Vec` before the search looks at the
//! first, and the search collects its answer into another `Vec`. Make
//! `calculate_all` a generator (an iterator that computes each value when
//! asked) and the search stop as soon as it has five, without any heap
//! allocation.
//!
//! The calculation itself is not yours: the caller passes it in (the tests
//! pass one that counts its calls), like the lesson's
//! `expensive_calculation(n)`.

/// How many values `calculate_all` yields, like the lesson's `range(1000000)`.
pub const COUNT: u64 = 1_000_000;

/// The values of `calculation(i)` for `i` in `0..COUNT`, in order. You may
/// change its fields (holding the calculation needs a type parameter:
/// `CalculateAll<F>`).
pub struct CalculateAll {
    values: std::vec::IntoIter<u64>,
}

impl Iterator for CalculateAll {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        self.values.next()
    }
}

/// Returns the iterator over `calculation(i)` for `i` in `0..COUNT`, in
/// order. Each value must be computed only when the iterator is asked for
/// it, so creating the iterator calls `calculation` not once.
pub fn calculate_all<F: FnMut(u64) -> u64>(mut calculation: F) -> CalculateAll {
    let mut results = Vec::new();
    for i in 0..COUNT {
        results.push(calculation(i));
    }
    CalculateAll {
        values: results.into_iter(),
    }
}

/// Returns the first five values of [`calculate_all`] over `calculation`
/// that are greater than `threshold`, in order, or `None` if there are fewer
/// than five. It calls `calculation` for no index after the fifth value
/// found.
pub fn first_five_over<F: FnMut(u64) -> u64>(threshold: u64, calculation: F) -> Option<[u64; 5]> {
    let mut results = Vec::new();
    for value in calculate_all(calculation) {
        if value > threshold {
            results.push(value);
            if results.len() == 5 {
                break;
            }
        }
    }
    results.try_into().ok()
}
