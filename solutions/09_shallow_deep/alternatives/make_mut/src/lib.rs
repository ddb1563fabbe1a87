//! Alternative: `shallow_copy` collects `Rc::clone` handles; `deep_copy` starts from that shallow copy and calls `Rc::make_mut` on each row, which clones a shared row into a new `Rc` (copy on write) and lets go of the original.
//!
//! `Rc::make_mut` sees a strong count of 2 on every row (the original and
//! the shallow copy), so it clones the `RefCell<Vec<i32>>` into a fresh block:
//! one `Rc` block and one exactly sized buffer per row, as in a direct deep
//! copy.

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
    grid.iter().map(Rc::clone).collect()
}

/// Returns a grid equal to `grid` that shares nothing with it, like Python's
/// `copy.deepcopy(grid)`: writing to the copy leaves `grid` unchanged.
pub fn deep_copy(grid: &Grid) -> Grid {
    let mut copy = shallow_copy(grid);
    for row in &mut copy {
        Rc::make_mut(row);
    }
    copy
}
