//! Mutant: values as sorted, deduplicated `u16`s kept in the `Vec` they were collected into, never shrunk.
// Family: leak or kept capacity (dedup leaves the duplicates' room allocated).

/// Every value stored in a [`CompactSet`] is below this bound.
pub const UNIVERSE: u32 = 65_536;

/// A set of integers in `0..UNIVERSE`, built once and then only queried.
#[derive(Clone, Debug)]
pub struct CompactSet {
    values: Vec<u16>,
}

impl CompactSet {
    /// Builds the set of `values`.
    pub fn from_values(values: &[u32]) -> CompactSet {
        let mut sorted: Vec<u16> = values
            .iter()
            .map(|&v| {
                assert!(v < UNIVERSE, "{v} is not below {UNIVERSE}");
                v as u16
            })
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        CompactSet { values: sorted }
    }

    /// Whether `value` is in the set.
    pub fn contains(&self, value: u32) -> bool {
        value < UNIVERSE && self.values.binary_search(&(value as u16)).is_ok()
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
