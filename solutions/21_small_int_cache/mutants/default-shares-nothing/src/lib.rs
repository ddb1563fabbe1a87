//! Mutant: `IntCache::default()` builds an empty cache whose `get` makes a fresh object every time.
//!
//! A cache of shared small integers, like CPython's objects for -5..=256.
//!
//! `new` builds the 262 small objects once; `get` hands out another `Rc` to
//! one of them (a reference-count increment, no allocation) and builds a
//! fresh object only for a number outside the cached range.

use std::rc::Rc;

/// An integer object on the heap, like a Python `int`: handed out as an
/// `Rc<Int>`, each one a separate allocation unless it is shared.
#[derive(Debug, PartialEq, Eq)]
pub struct Int {
    /// The number.
    pub value: i64,
}

/// The smallest value kept in the cache.
pub const SMALL_MIN: i64 = -5;
/// The largest value kept in the cache.
pub const SMALL_MAX: i64 = 256;

/// Hands out integer objects: shared ones for `SMALL_MIN..=SMALL_MAX`, fresh
/// ones for every other value.
#[derive(Debug)]
pub struct IntCache {
    /// `small[i]` holds `SMALL_MIN + i`.
    small: Vec<Rc<Int>>,
}

/// MUTANT (default-shares-nothing): an empty table; `get` falls back to a
/// fresh object, so a default cache works but shares nothing.
impl Default for IntCache {
    fn default() -> IntCache {
        IntCache { small: Vec::new() }
    }
}

impl IntCache {
    /// Builds the cache, creating up front one object for each value in
    /// `SMALL_MIN..=SMALL_MAX`.
    pub fn new() -> IntCache {
        IntCache {
            small: (SMALL_MIN..=SMALL_MAX)
                .map(|value| Rc::new(Int { value }))
                .collect(),
        }
    }

    /// Returns the object for `n`. For `n` in `SMALL_MIN..=SMALL_MAX` it is
    /// the cache's own object, the same one every time (`Rc::ptr_eq`), and
    /// getting it allocates nothing; any other `n` gets a new object.
    pub fn get(&self, n: i64) -> Rc<Int> {
        if (SMALL_MIN..=SMALL_MAX).contains(&n) {
            if let Some(int) = self.small.get((n - SMALL_MIN) as usize) {
                return Rc::clone(int);
            }
        }
        Rc::new(Int { value: n })
    }
}
