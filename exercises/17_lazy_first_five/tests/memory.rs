//! The graded contract of `calculate_all` and `first_five_over`. Sizes are for
//! 64-bit targets.
//!
//! The calculation and its call counter belong to these tests: the code under
//! test receives the calculation as a closure, so the count of calls is the
//! test's own evidence of how much work was done.

use std::cell::Cell;
use std::hint::black_box;

use lazy_first_five::{COUNT, calculate_all, first_five_over};
use memprobe::inputs::SIZES;

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: u64 = lazy_first_five::COUNT;
type Calculation = fn(u64) -> u64;
const _: fn(u64, Calculation) -> Option<[u64; 5]> = lazy_first_five::first_five_over::<Calculation>;

/// The lesson's `expensive_calculation(n)`, `n` squared, counting its calls
/// in `calls`.
fn counted_square(calls: &Cell<u64>) -> impl FnMut(u64) -> u64 + '_ {
    move |n| {
        calls.set(calls.get() + 1);
        n * n
    }
}

/// The first five squares over `threshold`, and how many values a lazy
/// search computes to find them (the index of the fifth, plus one).
fn expected_search(threshold: u64) -> ([u64; 5], u64) {
    let first = (0..COUNT)
        .find(|&i| i * i > threshold)
        .expect("a square over the threshold");
    let five = [0, 1, 2, 3, 4].map(|k| (first + k) * (first + k));
    (five, first + 5)
}

#[test]
fn yields_the_squares_in_order() {
    let calls = Cell::new(0);
    assert!(
        calculate_all(counted_square(&calls))
            .take(4)
            .eq([0, 1, 4, 9])
    );
    assert_eq!(calculate_all(counted_square(&calls)).count() as u64, COUNT);
    assert_eq!(
        calculate_all(counted_square(&calls)).last(),
        Some(999_999 * 999_999)
    );
    // Any calculation, not only squares: the iterator applies the one given.
    assert!(calculate_all(|n| 3 * n + 1).take(4).eq([1, 4, 7, 10]));
    assert_eq!(calculate_all(|n| n).nth(999_998), Some(999_998));
    assert_eq!(
        calculate_all(|n| n % 7).filter(|&v| v == 6).count(),
        142_857
    );
    // `size_hint`, if you write one, must stay true as the iterator
    // advances: `collect` and `ExactSizeIterator` users trust it. (The
    // default, `(0, None)`, is always true.)
    for taken in [0, 1, 5, 999_999, 1_000_000] {
        let mut values = calculate_all(|n| n);
        if taken > 0 {
            values.nth(taken as usize - 1);
        }
        let left = (COUNT - taken) as usize;
        let (low, high) = values.size_hint();
        assert!(
            low <= left && high.is_none_or(|high| high >= left),
            "after {taken} values, {left} are left, but size_hint() says ({low}, {high:?})\n  idea:     compute the hint from the iterator's position, (COUNT - next) both ways, or leave the default"
        );
        assert_eq!(values.count(), left, "after {taken} values");
    }
}

#[test]
fn finds_the_first_five_over_the_threshold() {
    let calls = Cell::new(0);
    let square = || counted_square(&calls);
    assert_eq!(
        first_five_over(1_000_000, square()),
        Some([1_002_001, 1_004_004, 1_006_009, 1_008_016, 1_010_025])
    );
    assert_eq!(first_five_over(0, square()), Some([1, 4, 9, 16, 25]));
    let fifth_from_last = 999_995 * 999_995;
    assert_eq!(
        first_five_over(fifth_from_last - 1, square()),
        Some([
            fifth_from_last,
            999_996 * 999_996,
            999_997 * 999_997,
            999_998 * 999_998,
            999_999 * 999_999
        ])
    );
    // Fewer than five values over the threshold: none is an answer.
    assert_eq!(first_five_over(fifth_from_last, square()), None);
    assert_eq!(first_five_over(999_998 * 999_998, square()), None);
    assert_eq!(first_five_over(u64::MAX, square()), None);
    // Repeated values count once each; the calculation given is the one used.
    assert_eq!(first_five_over(8, |n| n % 10), Some([9; 5]));
    assert_eq!(first_five_over(9, |n| n % 10), None);
    assert_eq!(
        first_five_over(u64::MAX - 1, |n| if n % 100_000 == 3 {
            u64::MAX
        } else {
            n
        }),
        Some([u64::MAX; 5])
    );
}

#[test]
fn creating_the_iterator_computes_nothing() {
    let calls = Cell::new(0);
    let mut values = memprobe::assert_allocs!(
        == 0,
        calculate_all(counted_square(black_box(&calls))),
        "a generator stores where it is (the next i) and the calculation, not the values: compute each one in Iterator::next"
    );
    assert_eq!(
        calls.get(),
        0,
        "creating the iterator called the calculation"
    );
    assert_eq!(values.next(), Some(0));
    assert_eq!(values.next(), Some(1));
    assert_eq!(values.next(), Some(4));
    assert_eq!(calls.get(), 3, "three values asked for, three computed");
    // However many values are asked for, each costs exactly one call and no
    // allocation: nothing is computed ahead, not even a small chunk.
    for n in SIZES {
        let calls = Cell::new(0);
        let (sum, stats) = memprobe::measure(|| {
            calculate_all(counted_square(&calls))
                .take(black_box(n))
                .sum::<u64>()
        });
        let n = n as u64;
        assert_eq!(
            sum,
            (0..n).map(|i| i * i).sum::<u64>(),
            "the first {n} squares"
        );
        memprobe::enforce(
            memprobe::Metric::Allocations,
            memprobe::Budget::Exactly(0),
            &stats,
            "calculate_all(..).take(n).sum()",
            "compute each value in next; keep nothing on the heap",
        );
        assert_eq!(
            calls.get(),
            n,
            "{n} values asked for, {} computed: a generator computes a value when it is asked for, not ahead",
            calls.get()
        );
    }
}

#[test]
fn stops_after_the_fifth_value() {
    // Thresholds whose fifth match comes early, late, just inside a block of
    // 64 and just past one, so no chunked scan can stop at the right call.
    for threshold in [
        1_000_000,
        0,
        999,
        3_968,
        4_095,
        4_096,
        123_456_789,
        999_990 * 999_990,
    ] {
        let calls = Cell::new(0);
        let (expected, work) = expected_search(threshold);
        let first_five = memprobe::assert_allocs!(
            == 0,
            first_five_over(black_box(threshold), counted_square(&calls)),
            "pull from a lazy calculate_all, stop at the fifth match, and keep the five in a [u64; 5] on the stack"
        );
        assert_eq!(
            first_five,
            Some(expected),
            "the first five squares over {threshold}"
        );
        assert_eq!(
            calls.get(),
            work,
            "computed {} values to find the five over {threshold}; the fifth is value number {work}, so a lazy search stops there",
            calls.get()
        );
    }
    // With fewer than five matches the search runs to the end, once.
    let calls = Cell::new(0);
    let none = memprobe::assert_allocs!(
        == 0,
        first_five_over(black_box(999_996 * 999_996), counted_square(&calls)),
        "a search with too few matches allocates nothing either"
    );
    assert_eq!(none, None);
    assert_eq!(calls.get(), COUNT, "every value computed exactly once");
}
