//! Shallow copy versus deep copy of a grid of shared, mutable rows.
//!
//! A [`Grid`] is a list of rows, each row behind an `Rc` (shared ownership)
//! and a `RefCell` (mutation through a shared handle): the Rust shape of a
//! Python list of lists, where `grid[0]` is a reference to a row object.
//!
//! - [`shallow_copy`] is Python's `original.copy()`: a new outer list whose
//!   rows are the *same* row objects as the original's.
//! - [`deep_copy`] is Python's `copy.deepcopy(original)`: new rows too.
//!
//! This version gets both wrong on memory: `shallow_copy` copies every row
//! (so nothing is shared and every number is duplicated), and `deep_copy`
//! grows every buffer one push at a time. Make `shallow_copy` share, and make
//! `deep_copy` allocate each buffer once, at its final size.

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
    deep_copy(grid)
}

/// Returns a grid equal to `grid` that shares nothing with it, like Python's
/// `copy.deepcopy(grid)`: writing to the copy leaves `grid` unchanged.
pub fn deep_copy(grid: &Grid) -> Grid {
    let mut copy = Grid::new();
    for row in grid {
        let mut numbers = Vec::new();
        for &n in row.borrow().iter() {
            numbers.push(n);
        }
        copy.push(Rc::new(RefCell::new(numbers)));
    }
    copy
}
