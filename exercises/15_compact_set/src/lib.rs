//! A set of small integers for fast membership tests, like the lesson's
//! `allowed = set(range(0, 10000, 2))`.
//!
//! This version works, but a general-purpose `HashSet<u32>` spends 4 bytes on
//! each slot plus a control byte, keeps at least one slot in eight empty, and
//! while it grows it holds its old table and its new one at the same time.
//! For ten thousand values below 65,536 that is over 100 KB. Store the same
//! set in 24 KB or less, in storage of exactly the size it needs.

use std::collections::HashSet;

/// Every value stored in a [`CompactSet`] is below this bound.
pub const UNIVERSE: u32 = 65_536;

/// A set of integers in `0..UNIVERSE`, built once and then only queried.
#[derive(Clone, Debug)]
pub struct CompactSet {
    values: HashSet<u32>,
}

impl CompactSet {
    /// Builds the set of `values`. Values may repeat and come in any order;
    /// every value is below [`UNIVERSE`] (this may panic if one is not).
    pub fn from_values(values: &[u32]) -> CompactSet {
        let mut set = HashSet::new();
        for &value in values {
            assert!(value < UNIVERSE, "{value} is not below {UNIVERSE}");
            set.insert(value);
        }
        CompactSet { values: set }
    }

    /// Whether `value` is in the set (never, for a value not below
    /// [`UNIVERSE`]).
    pub fn contains(&self, value: u32) -> bool {
        self.values.contains(&value)
    }

    /// The number of distinct values in the set.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the set has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}
