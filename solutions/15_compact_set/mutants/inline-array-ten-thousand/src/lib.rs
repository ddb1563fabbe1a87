//! Mutant: the sorted values in an inline `[u16; 10_000]`, sized to the test's 10,000 values: no heap, same footprint.
// Family: sized to the test (an inline array moves the bytes off the heap without reducing them).

/// Every value stored in a [`CompactSet`] is below this bound.
pub const UNIVERSE: u32 = 65_536;

const CAPACITY: usize = 10_000;

/// A set of integers in `0..UNIVERSE`, built once and then only queried.
#[derive(Clone, Debug)]
pub struct CompactSet {
    values: [u16; CAPACITY],
    len: usize,
}

impl CompactSet {
    /// Builds the set of `values`.
    pub fn from_values(values: &[u32]) -> CompactSet {
        let mut set = CompactSet {
            values: [0; CAPACITY],
            len: 0,
        };
        for &v in values {
            assert!(v < UNIVERSE, "{v} is not below {UNIVERSE}");
            let v = v as u16;
            if let Err(at) = set.values[..set.len].binary_search(&v) {
                set.values.copy_within(at..set.len, at + 1);
                set.values[at] = v;
                set.len += 1;
            }
        }
        set
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: u32) -> bool {
        value < UNIVERSE && self.values[..self.len].binary_search(&(value as u16)).is_ok()
    }

    /// The number of distinct values in the set.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}
