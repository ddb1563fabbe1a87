//! The graded contract of `shallow_deep`. Sizes are for 64-bit targets.

use std::cell::RefCell;
use std::hint::black_box;
use std::mem::size_of;
use std::rc::Rc;

use shallow_deep::{Grid, Row, deep_copy, shallow_copy};

memprobe::install!();

const ROWS: usize = 1_000;
const COLS: usize = 100;

/// `ROWS` rows of `COLS` numbers; row `r` holds `r * COLS .. (r + 1) * COLS`.
fn big_grid() -> Grid {
    (0..ROWS)
        .map(|r| {
            let start = (r * COLS) as i32;
            Rc::new(RefCell::new((start..start + COLS as i32).collect()))
        })
        .collect()
}

fn grid(rows: &[&[i32]]) -> Grid {
    rows.iter()
        .map(|row| Rc::new(RefCell::new(row.to_vec())))
        .collect()
}

fn numbers(grid: &Grid) -> Vec<Vec<i32>> {
    grid.iter().map(|row| row.borrow().clone()).collect()
}

/// Bytes of one `Rc` allocation holding a row: the strong and weak counters,
/// then the `RefCell<Vec<i32>>` (borrow flag + pointer, capacity, length).
fn rc_row_block() -> usize {
    2 * size_of::<usize>() + size_of::<RefCell<Vec<i32>>>()
}

#[test]
fn shallow_copy_shares_every_row() {
    let original = big_grid();
    let copy = memprobe::assert_allocs!(
        <= 1,
        shallow_copy(black_box(&original)),
        "a shallow copy only needs a new outer Vec: cloning an `Rc` bumps a counter, it does not copy the row"
    );
    assert_eq!(copy.len(), ROWS);
    assert!(
        !std::ptr::eq(copy.as_ptr(), original.as_ptr()),
        "the outer list must be a new one"
    );
    for (mine, theirs) in copy.iter().zip(&original) {
        // Python's `shallow[0] is original[0]`.
        assert!(
            Rc::ptr_eq(mine, theirs),
            "every row of the copy must be the original's row"
        );
        assert_eq!(Rc::strong_count(theirs), 2, "each row now has two owners");
    }

    // The lesson's demo: `shallow[0].append(99)` shows in the original too.
    copy[0].borrow_mut().push(99);
    assert_eq!(original[0].borrow().last(), Some(&99));

    drop(copy);
    assert_eq!(
        Rc::strong_count(&original[0]),
        1,
        "dropping the copy gives the rows back to the original"
    );
}

#[test]
fn shallow_copy_costs_one_pointer_per_row() {
    let original = big_grid();
    // 64-bit: an `Rc` handle is one 8-byte pointer.
    assert_eq!(size_of::<Row>(), size_of::<usize>());
    let copy = memprobe::assert_peak_bytes!(
        <= ROWS * size_of::<Row>(),
        shallow_copy(black_box(&original)),
        "share the rows (`Rc::clone`) instead of copying their numbers"
    );
    assert_eq!(numbers(&copy), numbers(&original));
}

#[test]
fn deep_copy_shares_nothing() {
    let original = grid(&[&[1, 2], &[3, 4], &[]]);
    let deep = deep_copy(&original);
    assert_eq!(numbers(&deep), vec![vec![1, 2], vec![3, 4], vec![]]);
    for (mine, theirs) in deep.iter().zip(&original) {
        assert!(!Rc::ptr_eq(mine, theirs), "a deep copy owns new rows");
        assert_eq!(Rc::strong_count(theirs), 1);
        assert_eq!(Rc::strong_count(mine), 1);
    }

    // The lesson's demo: `deep[0].append(99)` leaves the original alone.
    deep[0].borrow_mut().push(99);
    assert_eq!(numbers(&original), vec![vec![1, 2], vec![3, 4], vec![]]);
    assert_eq!(numbers(&deep)[0], vec![1, 2, 99]);

    assert!(deep_copy(&Grid::new()).is_empty());
    assert!(shallow_copy(&Grid::new()).is_empty());
}

#[test]
fn deep_copy_allocates_once_per_buffer() {
    let original = big_grid();
    // One outer Vec, then per row one `Rc` block and one buffer of numbers.
    let deep = memprobe::assert_allocs!(
        <= 1 + 2 * ROWS,
        deep_copy(black_box(&original)),
        "cloning a Vec allocates its exact length once; collecting from `grid.iter().map(..)` sizes the outer Vec once"
    );
    assert_eq!(numbers(&deep), numbers(&original));
    assert!(
        deep.iter()
            .zip(&original)
            .all(|(mine, theirs)| !Rc::ptr_eq(mine, theirs))
    );
}

#[test]
fn deep_copy_wastes_no_capacity() {
    let original = big_grid();
    let exact = ROWS * size_of::<Row>() + ROWS * rc_row_block() + ROWS * COLS * size_of::<i32>();
    let deep = memprobe::assert_peak_bytes!(
        <= exact,
        deep_copy(black_box(&original)),
        "every buffer can be allocated at its final size: nothing needs to grow"
    );
    assert_eq!(numbers(&deep), numbers(&original));
    assert!(
        deep.iter()
            .zip(&original)
            .all(|(mine, theirs)| !Rc::ptr_eq(mine, theirs))
    );
}
