//! Mutant: Stores the id in a `NonZeroU32` as well ("niches are free"), turning the valid id 0 into 1.
// Family: wrong output on an edge case (the end of a range).

use std::num::NonZeroU32;

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Customer number, `0..=4_000_000_000` (below `u32::MAX`).
    id: NonZeroU32,
    /// Visits this year: `None` when unknown, otherwise `1..=1_000_000`.
    visits: Option<NonZeroU32>,
    /// Age in years, `0..=150`.
    age: u8,
    /// Whether the account is active.
    active: bool,
}

impl Record {
    /// Builds a record from values in the documented ranges.
    pub fn new(id: u64, age: u32, active: bool, visits: Option<u64>) -> Record {
        assert!(id <= 4_000_000_000, "id {id} is out of range");
        assert!(age <= 150, "age {age} is out of range");
        assert!(
            visits.is_none_or(|v| (1..=1_000_000).contains(&v)),
            "visits {visits:?} is out of range"
        );
        Record {
            id: NonZeroU32::new(id as u32).unwrap_or(NonZeroU32::MIN),
            visits: visits.and_then(|v| NonZeroU32::new(v as u32)),
            age: age as u8,
            active,
        }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        u64::from(self.id.get())
    }

    /// The age given to [`Record::new`].
    pub fn age(&self) -> u32 {
        u32::from(self.age)
    }

    /// Whether the account is active.
    pub fn active(&self) -> bool {
        self.active
    }

    /// The visit count given to [`Record::new`].
    pub fn visits(&self) -> Option<u64> {
        self.visits.map(|v| u64::from(v.get()))
    }
}
