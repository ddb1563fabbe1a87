//! Mutant: borrows each row mutably to copy it, which panics while the caller reads that row.
//!
//! Shallow copy versus deep copy of a grid of shared, mutable rows.
//!
//! A [`Grid`] is a list of rows, each row behind an `Rc` (shared ownership)
//! and a `RefCell` (mutation through a shared handle): the Rust shape of a
//! Python list of lists, where `grid[0]` is a reference to a row object.
//!
//! - [`shallow_copy`] is Python's `original.copy()`: cloning a `Vec<Rc<_>>`
//!   clones the `Rc` handles (a counter goes up), not what they point to, so
//!   the only allocation is the new outer list.
//! - [`deep_copy`] is Python's `copy.deepcopy(original)`: every row is
//!   copied into a buffer of exactly its length, and the outer list is
//!   collected from an iterator of known length.

use std::cell::RefCell;
use std::rc::Rc;

/// One row: shared (`Rc`) and mutable through any of its handles (`RefCell`).
pub type Row = Rc<RefCell<Vec<i32>>>;

/// A grid is a list of rows.
pub type Grid = Vec<Row>;

/// Returns a new outer list holding the *same* rows as `grid`, like Python's
/// `grid.copy()`: for every `i`, `Rc::ptr_eq(&copy[i], &grid[i])`, so a write
/// through one is seen through the other.
pub fn shallow_copy(grid: &Grid) -> Grid {
    grid.clone()
}

/// Returns a grid equal to `grid` that shares nothing with it, like Python's
/// `copy.deepcopy(grid)`: writing to the copy leaves `grid` unchanged.
pub fn deep_copy(grid: &Grid) -> Grid {
    grid.iter()
        // MUTANT: borrows each row mutably to copy it, which panics when the
        // caller is reading that row.
        .map(|row| Rc::new(RefCell::new(row.borrow_mut().clone())))
        .collect()
}
