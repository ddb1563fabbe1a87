//! The graded contract of `shallow_deep`. Sizes are for 64-bit targets.
//!
//! Every memory test runs on the lesson-sized grid (1,000 rows of 100
//! numbers) and on generated grids with every row count in
//! `memprobe::inputs::SIZES`, rows of 0 to 40 numbers (empty rows included)
//! and numbers across the whole `i32` range, every buffer with spare
//! capacity; it checks the complete copy, not only its size, and the copy's
//! buffers hold exactly their length.

use std::cell::RefCell;
use std::hint::black_box;
use std::mem::size_of;
use std::rc::Rc;

use memprobe::inputs::{Rng, SIZES};
use shallow_deep::{Grid, Row, deep_copy, shallow_copy};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&shallow_deep::Grid) -> shallow_deep::Grid = shallow_deep::shallow_copy;
const _: fn(&shallow_deep::Grid) -> shallow_deep::Grid = shallow_deep::deep_copy;

const ROWS: usize = 1_000;
const COLS: usize = 100;

/// `ROWS` rows of `COLS` numbers; row `r` holds `r * COLS .. (r + 1) * COLS`,
/// in a buffer with room for 128 (as a row grown by pushes would have): a
/// copy sized to the source's capacity instead of its length is seen.
fn big_grid() -> Grid {
    (0..ROWS)
        .map(|r| {
            let start = (r * COLS) as i32;
            let mut row = Vec::with_capacity(128);
            row.extend(start..start + COLS as i32);
            Rc::new(RefCell::new(row))
        })
        .collect()
}

fn grid(rows: &[&[i32]]) -> Grid {
    rows.iter()
        .map(|row| Rc::new(RefCell::new(row.to_vec())))
        .collect()
}

/// The seed of the generated grids.
const SEED: u64 = 9;

/// The lesson-sized grid, then one generated grid per row count in `SIZES`:
/// rows of 0 to 40 numbers (one in eight empty), numbers anywhere in the
/// `i32` range. Every buffer of the originals has 0 to 17 slots to spare
/// (the outer list too), so a copy must size each buffer to its length, not
/// to the source's capacity.
fn grids() -> Vec<Grid> {
    let mut rng = Rng::new(SEED);
    let mut grids = vec![big_grid()];
    for &rows in &SIZES {
        let mut grid: Grid = Vec::with_capacity(rows + rng.range(0..=17));
        for _ in 0..rows {
            let len = if rng.chance(1, 8) {
                0
            } else {
                rng.range(1..=40)
            };
            let mut row: Vec<i32> = Vec::with_capacity(len + rng.range(0..=17));
            row.extend((0..len).map(|_| rng.next_u64() as i32));
            grid.push(Rc::new(RefCell::new(row)));
        }
        grids.push(grid);
    }
    grids
}

fn numbers(grid: &Grid) -> Vec<Vec<i32>> {
    grid.iter().map(|row| row.borrow().clone()).collect()
}

/// Bytes of one `Rc` allocation holding a row: the strong and weak counters,
/// then the `RefCell<Vec<i32>>` (borrow flag + pointer, capacity, length).
fn rc_row_block() -> usize {
    2 * size_of::<usize>() + size_of::<RefCell<Vec<i32>>>()
}

/// Rows that hold at least one number (an empty `Vec` owns no buffer).
fn non_empty_rows(grid: &Grid) -> usize {
    grid.iter().filter(|row| !row.borrow().is_empty()).count()
}

/// What a deep copy of `grid` must cost and nothing more: the outer buffer
/// (one 8-byte `Rc` pointer per row), one `Rc` block per row and every
/// number once, with no spare capacity anywhere.
fn deep_copy_bytes(grid: &Grid) -> usize {
    let numbers: usize = grid.iter().map(|row| row.borrow().len()).sum();
    grid.len() * (size_of::<Row>() + rc_row_block()) + numbers * size_of::<i32>()
}

/// Checks that `copy` is a deep copy of `original`: equal numbers, no
/// shared row, each row owned once (behaviour only).
#[track_caller]
fn assert_independent(copy: &Grid, original: &Grid) {
    assert_eq!(numbers(copy), numbers(original));
    for (i, (mine, theirs)) in copy.iter().zip(original).enumerate() {
        assert!(
            !Rc::ptr_eq(mine, theirs),
            "row {i}: a deep copy owns new rows"
        );
        assert_eq!(
            Rc::strong_count(mine),
            1,
            "row {i} of the copy has one owner"
        );
        assert_eq!(
            Rc::strong_count(theirs),
            1,
            "row {i} of the original has one owner"
        );
        assert_eq!(
            (Rc::weak_count(mine), Rc::weak_count(theirs)),
            (0, 0),
            "row {i}: nothing else keeps a handle on the rows, not even a `Weak` one"
        );
    }
}

/// Checks that `copy` is a complete deep copy of `original` whose buffers
/// (the outer list and every row) have exactly their length.
#[track_caller]
fn assert_deep(copy: &Grid, original: &Grid) {
    assert_independent(copy, original);
    assert_eq!(
        copy.capacity(),
        copy.len(),
        "no spare slots in the outer list"
    );
    for (i, row) in copy.iter().enumerate() {
        let row = row.borrow();
        assert_eq!(row.capacity(), row.len(), "row {i}: no spare capacity");
    }
}

/// Checks that `copy` is a complete shallow copy of `original`: a new outer
/// list of exactly its length whose rows are the original's rows.
#[track_caller]
fn assert_shallow(copy: &Grid, original: &Grid) {
    assert_eq!(copy.len(), original.len());
    assert_eq!(
        copy.capacity(),
        copy.len(),
        "no spare slots in the outer list"
    );
    if !original.is_empty() {
        assert!(
            !std::ptr::eq(copy.as_ptr(), original.as_ptr()),
            "the outer list must be a new one"
        );
    }
    for (i, (mine, theirs)) in copy.iter().zip(original).enumerate() {
        // Python's `shallow[i] is original[i]`.
        assert!(
            Rc::ptr_eq(mine, theirs),
            "row {i} of the copy must be the original's row"
        );
        assert_eq!(Rc::strong_count(theirs), 2, "row {i} now has two owners");
        assert_eq!(
            Rc::weak_count(theirs),
            0,
            "row {i}: nothing else keeps a handle"
        );
    }
}

#[test]
fn shallow_copy_shares_every_row() {
    let grids = grids();
    // From this thread's first call on, in one window: whatever is dropped
    // leaves nothing behind (a cache that replaced its entry on every call
    // could even out a window per call, not this one).
    memprobe::assert_live_bytes!(
        == 0,
        {
            for original in &grids {
                drop(shallow_copy(black_box(original)));
            }
        },
        "a dropped copy leaves nothing behind"
    );
    for original in grids {
        let copy = memprobe::assert_allocs!(
            <= 1,
            shallow_copy(black_box(&original)),
            "a shallow copy only needs a new outer Vec: cloning an `Rc` bumps a counter, it does not copy the row"
        );
        assert_shallow(&copy, &original);
        drop(copy);
        assert!(
            original.iter().all(|row| Rc::strong_count(row) == 1),
            "dropping the copy gives the rows back to the original"
        );
    }

    // The lesson's demo: `shallow[0].append(99)` shows in the original too.
    let original = grid(&[&[1, 2], &[], &[3]]);
    let copy = shallow_copy(&original);
    copy[0].borrow_mut().push(99);
    copy[1].borrow_mut().push(-7);
    assert_eq!(numbers(&original), vec![vec![1, 2, 99], vec![-7], vec![3]]);
}

#[test]
fn shallow_copy_costs_one_pointer_per_row() {
    // 64-bit: an `Rc` handle is one 8-byte pointer.
    assert_eq!(size_of::<Row>(), size_of::<usize>());
    for original in grids() {
        let copy = memprobe::assert_peak_bytes!(
            <= original.len() * size_of::<Row>(),
            shallow_copy(black_box(&original)),
            "share the rows (`Rc::clone`) instead of copying their numbers"
        );
        assert_shallow(&copy, &original);
    }
}

#[test]
fn deep_copy_shares_nothing() {
    let original = grid(&[&[], &[1, 2], &[i32::MIN, i32::MAX], &[], &[3, 4], &[]]);
    let deep = deep_copy(&original);
    assert_independent(&deep, &original);

    // The lesson's demo: `deep[0].append(99)` leaves the original alone, for
    // empty rows too.
    for row in &deep {
        row.borrow_mut().push(99);
    }
    assert_eq!(
        numbers(&original),
        vec![
            vec![],
            vec![1, 2],
            vec![i32::MIN, i32::MAX],
            vec![],
            vec![3, 4],
            vec![]
        ]
    );
    assert_eq!(numbers(&deep)[0], vec![99]);
    assert_eq!(numbers(&deep)[2], vec![i32::MIN, i32::MAX, 99]);

    assert!(deep_copy(&Grid::new()).is_empty());
    assert!(shallow_copy(&Grid::new()).is_empty());

    // Copying only reads the rows: it works while the caller is reading a
    // row (a shared `borrow()` held across the call).
    let original = grid(&[&[5, 6], &[7]]);
    {
        let reading = original[0].borrow();
        let deep = deep_copy(&original);
        let shallow = shallow_copy(&original);
        assert_eq!(*reading, [5, 6]);
        assert_eq!(numbers(&deep), vec![vec![5, 6], vec![7]]);
        assert_eq!(shallow.len(), 2);
        drop(shallow);
        drop(reading);
        assert_independent(&deep, &original);
    }
    for original in grids().into_iter().skip(1) {
        assert_independent(&deep_copy(&original), &original);
    }
}

#[test]
fn deep_copy_allocates_once_per_buffer() {
    for original in grids() {
        // The outer Vec (when there are rows), one `Rc` block per row, and
        // one buffer per row that holds numbers (an empty Vec allocates
        // nothing).
        let outer = usize::from(!original.is_empty());
        let budget = outer + original.len() + non_empty_rows(&original);
        let deep = memprobe::assert_allocs!(
            <= budget,
            deep_copy(black_box(&original)),
            "cloning a Vec allocates its exact length once; collecting from `grid.iter().map(..)` sizes the outer Vec once"
        );
        assert_deep(&deep, &original);
    }
}

#[test]
fn deep_copy_wastes_no_capacity() {
    let grids = grids();
    // From this thread's first call on, in one window: whatever is dropped
    // leaves nothing behind (a cache that replaced its entry on every call
    // could even out a window per call, not this one).
    memprobe::assert_live_bytes!(
        == 0,
        {
            for original in &grids {
                drop(deep_copy(black_box(original)));
            }
        },
        "a dropped deep copy frees every row it made"
    );
    for original in grids {
        let exact = deep_copy_bytes(&original);
        let deep = memprobe::assert_peak_bytes!(
            <= exact,
            deep_copy(black_box(&original)),
            "every buffer can be allocated at its final size: nothing needs to grow"
        );
        assert_deep(&deep, &original);
    }
}
