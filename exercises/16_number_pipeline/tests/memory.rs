//! The graded contract of `sum_even_squares`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::io::{Cursor, ErrorKind};

use number_pipeline::sum_even_squares;

memprobe::install!();

/// Room for one line in flight plus a `BufReader`'s 8 KiB buffer, should the
/// solution add one. The eager version needs megabytes.
const PEAK_BUDGET: usize = 16 * 1024;

/// A text of `n` lines (the numbers -500 to 499, repeated), and the expected
/// sum of the squares of its even numbers.
/// Built before any measurement window opens, so it costs the windows nothing.
fn numbers_text(n: i64) -> (Vec<u8>, i64) {
    // A block of 1,000 lines (-500 to 499) repeated: building a million
    // lines this way costs almost nothing, even in a debug build.
    use std::fmt::Write as _;
    assert_eq!(n % 1_000, 0, "whole blocks of 1,000 lines");
    let mut block = String::new();
    let mut block_sum = 0;
    for value in -500..500_i64 {
        writeln!(block, "{value}").expect("writing to a String cannot fail");
        if value % 2 == 0 {
            block_sum += value * value;
        }
    }
    let reps = n / 1_000;
    (block.repeat(reps as usize).into_bytes(), block_sum * reps)
}

#[test]
fn sums_the_squares_of_the_even_numbers() {
    assert_eq!(sum_even_squares(Cursor::new("1\n2\n3\n4\n")).unwrap(), 20);
    assert_eq!(sum_even_squares(Cursor::new("")).unwrap(), 0);
    assert_eq!(sum_even_squares(Cursor::new("7")).unwrap(), 0);
    assert_eq!(sum_even_squares(Cursor::new(" -6 \r\n5\n10")).unwrap(), 136);
    let (text, expected) = numbers_text(1_000);
    assert_eq!(sum_even_squares(Cursor::new(text)).unwrap(), expected);
}

#[test]
fn reports_a_line_that_is_not_a_number() {
    let err = sum_even_squares(Cursor::new("2\nfour\n6\n")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
    let err = sum_even_squares(Cursor::new("2\n\n6\n")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
}

#[test]
fn peak_stays_small_for_ten_thousand_lines() {
    let (text, expected) = numbers_text(10_000);
    let sum = memprobe::assert_peak_bytes!(
        <= PEAK_BUDGET,
        sum_even_squares(black_box(Cursor::new(&text[..]))),
        "chain iterator adapters (lines → map → filter → map → sum) instead of collecting each stage into a Vec"
    );
    assert_eq!(sum.unwrap(), expected);
}

#[test]
fn peak_does_not_grow_for_a_million_lines() {
    let (small, small_expected) = numbers_text(10_000);
    let (big, big_expected) = numbers_text(1_000_000);

    let (sum, small_stats) =
        memprobe::measure(|| sum_even_squares(black_box(Cursor::new(&small[..]))));
    assert_eq!(sum.unwrap(), small_expected);

    // One pass over the million lines (debug builds are slow): the budget
    // and the growth are both read from the same window.
    let (sum, big_stats) = memprobe::measure(|| sum_even_squares(black_box(Cursor::new(&big[..]))));
    memprobe::enforce(
        memprobe::Metric::PeakBytes,
        memprobe::Budget::AtMost(PEAK_BUDGET),
        &big_stats,
        "sum_even_squares(black_box(Cursor::new(&big[..])))",
        "a generator holds one value at a time: pull one line through the whole chain before reading the next",
    );
    assert_eq!(sum.unwrap(), big_expected);

    assert!(
        big_stats.peak_bytes <= small_stats.peak_bytes + 1024,
        "the peak grew with the input: {} bytes for 10,000 lines, {} bytes for 1,000,000 lines\n  idea:     nothing may be kept per line",
        small_stats.peak_bytes,
        big_stats.peak_bytes
    );
}
