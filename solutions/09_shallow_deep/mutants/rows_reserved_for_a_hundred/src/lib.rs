//! Mutant: `deep_copy` reserves room for at least 100 numbers per row (the width rows usually have), so later pushes never regrow; narrower rows keep spare capacity.
// Family: sized to the test (its 100 columns).

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
            let row = row.borrow();
            let mut numbers = Vec::with_capacity(row.len().max(100));
            numbers.extend_from_slice(&row);
            Rc::new(RefCell::new(numbers))
        })
        .collect()
}
