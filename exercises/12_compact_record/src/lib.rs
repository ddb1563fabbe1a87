//! One row of a customer table, kept by the ten thousand in a `Vec`.
//!
//! This version works, but every field uses a wider type than its values
//! need, and the optional count pays for a separate "is it there?" flag plus
//! padding. On a 64-bit target a `Record` is 32 bytes. Make it 12 bytes or
//! less without changing what the functions below accept and return.

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Customer number, `0..=4_000_000_000`.
    id: u64,
    /// Age in years, `0..=150`.
    age: u32,
    /// Whether the account is active.
    active: bool,
    /// Visits this year: `None` when unknown, otherwise `1..=1_000_000`
    /// (a known count is never zero).
    visits: Option<u64>,
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
            id,
            age,
            active,
            visits,
        }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The age given to [`Record::new`].
    pub fn age(&self) -> u32 {
        self.age
    }

    /// Whether the account is active.
    pub fn active(&self) -> bool {
        self.active
    }

    /// The visit count given to [`Record::new`].
    pub fn visits(&self) -> Option<u64> {
        self.visits
    }
}
