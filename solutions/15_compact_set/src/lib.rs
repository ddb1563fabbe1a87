//! A set of small integers for fast membership tests, like the lesson's
//! `allowed = set(range(0, 10000, 2))`.
//!
//! The set is a bitset: one bit for each of the 65,536 possible values, 1 if
//! the value is present. That is 1,024 `u64` words, 8 KiB whatever the number
//! of values, allocated once at exactly that size and frozen into a
//! `Box<[u64]>` (no capacity field, no spare room).

/// Every value stored in a [`CompactSet`] is below this bound.
pub const UNIVERSE: u32 = 65_536;

const WORDS: usize = UNIVERSE as usize / 64;

/// A set of integers in `0..UNIVERSE`, built once and then only queried.
#[derive(Clone, Debug)]
pub struct CompactSet {
    /// Bit `v % 64` of word `v / 64` says whether `v` is in the set.
    words: Box<[u64]>,
    /// The number of bits set, counted once when the set is built.
    len: usize,
}

impl CompactSet {
    /// Builds the set of `values`. Values may repeat and come in any order;
    /// every value is below [`UNIVERSE`] (this may panic if one is not).
    pub fn from_values(values: &[u32]) -> CompactSet {
        // `vec![0; n]` allocates exactly `n` zeroed words, so turning it into
        // a boxed slice does not reallocate.
        let mut words = vec![0u64; WORDS].into_boxed_slice();
        for &value in values {
            assert!(value < UNIVERSE, "{value} is not below {UNIVERSE}");
            words[value as usize / 64] |= 1 << (value % 64);
        }
        let len = words.iter().map(|w| w.count_ones() as usize).sum();
        CompactSet { words, len }
    }

    /// Whether `value` is in the set (never, for a value not below
    /// [`UNIVERSE`]).
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
