//! Alternative: the 262 handles in an inline array built with `std::array::from_fn`, checked with `checked_sub` and `usize::try_from` instead of a range test.
// The table costs no heap (it is in the struct); the objects are the same 262 blocks.

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

const CACHED: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

/// Hands out integer objects: shared ones for `SMALL_MIN..=SMALL_MAX`, fresh
/// ones for every other value.
#[derive(Debug)]
pub struct IntCache {
    /// `small[i]` holds `SMALL_MIN + i`.
    small: [Rc<Int>; CACHED],
}

impl Default for IntCache {
    fn default() -> IntCache {
        IntCache::new()
    }
}

impl IntCache {
    /// Builds the cache, creating up front one object for each value in
    /// `SMALL_MIN..=SMALL_MAX`.
    pub fn new() -> IntCache {
        IntCache {
            small: std::array::from_fn(|i| {
                Rc::new(Int {
                    value: SMALL_MIN + i as i64,
                })
            }),
        }
    }

    /// Returns the object for `n`. For `n` in `SMALL_MIN..=SMALL_MAX` it is
    /// the cache's own object, the same one every time (`Rc::ptr_eq`), and
    /// getting it allocates nothing; any other `n` gets a new object.
    pub fn get(&self, n: i64) -> Rc<Int> {
        let cached = n
            .checked_sub(SMALL_MIN)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.small.get(i));
        match cached {
            Some(int) => Rc::clone(int),
            None => Rc::new(Int { value: n }),
        }
    }
}
