//! Mutant: `deep_copy` copies each row exactly but still pushes the rows one at a time into an empty outer Vec, which regrows (and ends with spare capacity).
// Family: wasteful.

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
    let mut copy = Grid::new();
    for row in grid {
        copy.push(Rc::new(RefCell::new(row.borrow().clone())));
    }
    copy
}
