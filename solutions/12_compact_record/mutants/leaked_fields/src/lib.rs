//! Mutant: Keeps the compact fields in a leaked `Box` and makes `Record` an 8-byte `&'static` reference: `size_of` says 8, but every record costs 12 more heap bytes that are never freed.
// Family: leak; inline bytes moved to the heap without reducing the footprint.

use std::num::NonZeroU32;

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    fields: &'static Fields,
}

/// The values of a [`Record`], stored once on the heap.
#[derive(Debug, PartialEq, Eq)]
struct Fields {
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
        let fields = Fields {
            id: id as u32,
            visits: visits.and_then(|v| NonZeroU32::new(v as u32)),
            age: age as u8,
            active,
        };
        Record {
            fields: Box::leak(Box::new(fields)),
        }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        u64::from(self.fields.id)
    }

    /// The age given to [`Record::new`].
    pub fn age(&self) -> u32 {
        u32::from(self.fields.age)
    }

    /// Whether the account is active.
    pub fn active(&self) -> bool {
        self.fields.active
    }

    /// The visit count given to [`Record::new`].
    pub fn visits(&self) -> Option<u64> {
        self.fields.visits.map(|v| u64::from(v.get()))
    }
}
