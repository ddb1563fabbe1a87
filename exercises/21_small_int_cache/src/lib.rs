//! A cache of shared small integers, like CPython's objects for -5..=256.
//!
//! This version works, but `get` builds a new heap object on every call, even
//! for the small numbers a program asks for all the time: ten thousand calls
//! for `7` give ten thousand separate copies of `7`. Build one shared object
//! for each small value up front, and hand out that one.

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
/// ones for every other value. (Add the fields you need.)
#[derive(Debug, Default)]
pub struct IntCache {}

impl IntCache {
    /// Builds the cache, creating up front one object for each value in
    /// `SMALL_MIN..=SMALL_MAX`.
    pub fn new() -> IntCache {
        IntCache {}
    }

    /// Returns the object for `n`. For `n` in `SMALL_MIN..=SMALL_MAX` it is
    /// the cache's own object, the same one every time (`Rc::ptr_eq`), and
    /// getting it allocates nothing; any other `n` gets a new object.
    pub fn get(&self, n: i64) -> Rc<Int> {
        Rc::new(Int { value: n })
    }
}
