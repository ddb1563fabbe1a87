//! Mutant: a search that pulls values in blocks of 64 into a stack array and scans each block: no heap, but up to 63 values computed past the fifth.
// Family: sized to the test (a prefetching scan fits a loose budget on the number of calls).

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
        let left = (COUNT - self.next) as usize;
        (left, Some(left))
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

/// Returns the first five values over `threshold`.
pub fn first_five_over<F: FnMut(u64) -> u64>(threshold: u64, calculation: F) -> Option<[u64; 5]> {
    let mut values = calculate_all(calculation);
    let mut results = [0; 5];
    let mut found = 0;
    loop {
        let mut block = [0u64; 64];
        let mut filled = 0;
        for slot in &mut block {
            match values.next() {
                Some(v) => {
                    *slot = v;
                    filled += 1;
                }
                None => break,
            }
        }
        if filled == 0 {
            return None;
        }
        for &v in &block[..filled] {
            if v > threshold {
                results[found] = v;
                found += 1;
                if found == 5 {
                    return Some(results);
                }
            }
        }
    }
}
