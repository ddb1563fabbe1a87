//! One row of a customer table, kept by the ten thousand in a `Vec`.
//!
//! Every field now uses the narrowest type that holds its documented range,
//! and the optional count lives in a `NonZeroU32`: zero is never a valid
//! count, so `Option` stores `None` as that zero and needs no flag. The
//! compiler orders the fields to avoid padding: 4 + 4 + 1 + 1 bytes, rounded
//! up to the 4-byte alignment, is 12 bytes on a 64-bit target.

use std::num::NonZeroU32;

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Customer number, `0..=4_000_000_000` (below `u32::MAX`).
    id: u32,
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
            id: id as u32,
            visits: visits.and_then(|v| NonZeroU32::new(v as u32)),
            age: age as u8,
            active,
        }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        u64::from(self.id)
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
