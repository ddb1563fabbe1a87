//! Alternative: bit-pack into two `u32` words (8 bytes): the id in one, and the visit count (20 bits, 0 for none), the age (8 bits) and the active flag (1 bit) in the other.
//!
//! A visit count of at most 1,000,000 needs 20 bits (2^20 = 1,048,576), an
//! age of at most 150 needs 8, the flag 1: 29 bits, so they share one `u32`.
//! A known count is never 0, so 0 can stand for `None`.

/// Bits of the packed word that hold the visit count.
const VISITS_MASK: u32 = (1 << 20) - 1;
/// Where the age starts in the packed word.
const AGE_SHIFT: u32 = 20;
/// The bit of the packed word that says whether the account is active.
const ACTIVE_BIT: u32 = 1 << 28;

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Customer number, `0..=4_000_000_000` (below `u32::MAX`).
    id: u32,
    /// Visits (bits 0..20, 0 for unknown), age (bits 20..28), active (bit 28).
    packed: u32,
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
        let visits = visits.unwrap_or(0) as u32;
        let active = if active { ACTIVE_BIT } else { 0 };
        Record {
            id: id as u32,
            packed: visits | age << AGE_SHIFT | active,
        }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        u64::from(self.id)
    }

    /// The age given to [`Record::new`].
    pub fn age(&self) -> u32 {
        (self.packed >> AGE_SHIFT) & 0xff
    }

    /// Whether the account is active.
    pub fn active(&self) -> bool {
        self.packed & ACTIVE_BIT != 0
    }

    /// The visit count given to [`Record::new`].
    pub fn visits(&self) -> Option<u64> {
        match self.packed & VISITS_MASK {
            0 => None,
            v => Some(u64::from(v)),
        }
    }
}
