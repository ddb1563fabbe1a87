//! Mutant: a correct bitset whose `len` counts the values given, duplicates included.
// Family: wrong output on an edge case (input with repeated values).

/// Every value stored in a [`CompactSet`] is below this bound.
pub const UNIVERSE: u32 = 65_536;

const WORDS: usize = UNIVERSE as usize / 64;

/// A set of integers in `0..UNIVERSE`, built once and then only queried.
#[derive(Clone, Debug)]
pub struct CompactSet {
    words: Box<[u64]>,
    len: usize,
}

impl CompactSet {
    /// Builds the set of `values`.
    pub fn from_values(values: &[u32]) -> CompactSet {
        let mut words = vec![0u64; WORDS].into_boxed_slice();
        for &value in values {
            assert!(value < UNIVERSE, "{value} is not below {UNIVERSE}");
            words[value as usize / 64] |= 1 << (value % 64);
        }
        CompactSet {
            words,
            len: values.len(),
        }
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: u32) -> bool {
        value < UNIVERSE && self.words[value as usize / 64] >> (value % 64) & 1 == 1
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
