//! The graded contract of `calculate_all` and `first_five_over`. Sizes are for
//! 64-bit targets.

use std::cell::Cell;
use std::hint::black_box;

use lazy_first_five::{COUNT, calculate_all, first_five_over};

memprobe::install!();

#[test]
fn yields_the_squares_in_order() {
    let calls = Cell::new(0);
    assert!(calculate_all(&calls).take(4).eq([0, 1, 4, 9]));
    assert_eq!(calculate_all(&calls).count() as u64, COUNT);
    assert_eq!(calculate_all(&calls).last(), Some(999_999 * 999_999));
}

#[test]
fn finds_the_first_five_over_the_threshold() {
    let calls = Cell::new(0);
    assert_eq!(
        first_five_over(1_000_000, &calls),
        Some([1_002_001, 1_004_004, 1_006_009, 1_008_016, 1_010_025])
    );
    assert_eq!(first_five_over(0, &calls), Some([1, 4, 9, 16, 25]));
    let fifth_from_last = 999_995 * 999_995;
    assert_eq!(
        first_five_over(fifth_from_last - 1, &calls),
        Some([
            fifth_from_last,
            999_996 * 999_996,
            999_997 * 999_997,
            999_998 * 999_998,
            999_999 * 999_999
        ])
    );
    assert_eq!(first_five_over(fifth_from_last, &calls), None);
    assert_eq!(first_five_over(u64::MAX, &calls), None);
}

#[test]
fn creating_the_iterator_computes_nothing() {
    let calls = Cell::new(0);
    let mut values = memprobe::assert_allocs!(
        == 0,
        calculate_all(black_box(&calls)),
        "a generator stores where it is (the next i), not the values: compute each one in Iterator::next"
    );
    assert_eq!(
        calls.get(),
        0,
        "creating the iterator called expensive_calculation"
    );
    assert_eq!(values.next(), Some(0));
    assert_eq!(values.next(), Some(1));
    assert_eq!(values.next(), Some(4));
    assert_eq!(calls.get(), 3, "three values asked for, three computed");
}

#[test]
fn stops_after_the_fifth_value() {
    let calls = Cell::new(0);
    let first_five = memprobe::assert_allocs!(
        == 0,
        first_five_over(black_box(1_000_000), &calls),
        "pull from a lazy calculate_all, stop at the fifth match, and keep the five in a [u64; 5] on the stack"
    );
    assert_eq!(
        first_five,
        Some([1_002_001, 1_004_004, 1_006_009, 1_008_016, 1_010_025])
    );
    // The fifth match is 1005², the 1,006th value: a lazy search stops there.
    assert!(
        calls.get() <= 1_100,
        "computed {} values to find five; the fifth one over 1,000,000 is the 1,006th",
        calls.get()
    );
}
