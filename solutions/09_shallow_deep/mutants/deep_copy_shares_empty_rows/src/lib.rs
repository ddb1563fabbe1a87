//! Mutant: An empty row has nothing to copy, so `deep_copy` hands out the original empty row itself: a push through the copy shows in the original.
// Family: wrong output on an edge case (empty row).

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
        .map(|row| {
            if row.borrow().is_empty() {
                // Nothing to copy.
                Rc::clone(row)
            } else {
                Rc::new(RefCell::new(row.borrow().clone()))
            }
        })
        .collect()
}
