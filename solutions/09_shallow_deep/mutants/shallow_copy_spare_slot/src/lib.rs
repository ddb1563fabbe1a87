//! Mutant: `shallow_copy` reserves one spare slot so a row can be appended to the copy without regrowing: capacity kept beyond the length.
// Family: leak or kept capacity.

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
    let mut copy = Grid::with_capacity(grid.len() + 1);
    copy.extend(grid.iter().map(Rc::clone));
    copy
}

/// Returns a grid equal to `grid` that shares nothing with it, like Python's
/// `copy.deepcopy(grid)`: writing to the copy leaves `grid` unchanged.
pub fn deep_copy(grid: &Grid) -> Grid {
    grid.iter()
        .map(|row| Rc::new(RefCell::new(row.borrow().clone())))
        .collect()
}
