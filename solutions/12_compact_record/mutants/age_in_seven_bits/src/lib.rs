//! Mutant: Packs every field into one `u64` (8 bytes), giving the age 7 bits as if ages stopped at 127: ages 128 to 150 come back wrong.
// Family: wrong output on an edge case (the end of a range).

/// A customer record. Each field's values are guaranteed to lie in the range
/// its doc comment states: callers never pass anything else to [`Record::new`]
/// (it may panic if they do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Bits 0..32: id; 32..52: visits (0 for none); 52..59: age; 59: active.
    bits: u64,
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
        let bits = id
            | visits.unwrap_or(0) << 32
            | (u64::from(age) & 0x7f) << 52
            | u64::from(active) << 59;
        Record { bits }
    }

    /// The customer number given to [`Record::new`].
    pub fn id(&self) -> u64 {
        self.bits & 0xffff_ffff
    }

    /// The age given to [`Record::new`].
    pub fn age(&self) -> u32 {
        ((self.bits >> 52) & 0x7f) as u32
    }

    /// Whether the account is active.
    pub fn active(&self) -> bool {
        self.bits >> 59 & 1 == 1
    }

    /// The visit count given to [`Record::new`].
    pub fn visits(&self) -> Option<u64> {
        Some((self.bits >> 32) & 0xf_ffff).filter(|&v| v != 0)
    }
}
