//! The graded contract of `count_matching_lines`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::io::{Cursor, ErrorKind};

use line_buffer::count_matching_lines;
use memprobe::{Budget, Metric};

memprobe::install!();

/// A handful of allocations: the line buffer growing to the longest line (a
/// few doublings), perhaps a `BufReader`. Not one per line.
const ALLOC_BUDGET: usize = 8;

/// Room for the longest line plus a `BufReader`'s 8 KiB buffer; the text
/// itself is megabytes.
const PEAK_BUDGET: usize = 16 * 1024;

const MESSAGES: [&str; 7] = [
    "disk full on /var",
    "request served",
    "cache miss for key user:42 while rendering the profile page of a very active account",
    "ok",
    "retrying connection to the primary database",
    "slow query",
    "user logged in",
];

/// A log of `n` lines (a block of 1,000 lines repeated; every seventh line
/// of the block is an ERROR), and the number of ERROR lines. Built before
/// any measurement window opens, and cheaply, even in a debug build.
fn log_text(n: usize) -> (Vec<u8>, usize) {
    use std::fmt::Write as _;
    assert_eq!(n % 1_000, 0, "whole blocks of 1,000 lines");
    let mut block = String::new();
    let mut block_errors = 0;
    for i in 0..1_000 {
        let level = if i % 7 == 0 { "ERROR" } else { "INFO" };
        block_errors += usize::from(i % 7 == 0);
        writeln!(
            block,
            "{i:07} {level} {} ({} ms)",
            MESSAGES[i % MESSAGES.len()],
            i % 1000
        )
        .expect("writing to a String cannot fail");
    }
    let reps = n / 1_000;
    (block.repeat(reps).into_bytes(), block_errors * reps)
}

#[test]
fn counts_the_lines_that_contain_the_needle() {
    let count = |text: &str, needle: &str| count_matching_lines(Cursor::new(text), needle).unwrap();
    assert_eq!(count("ERROR a\nINFO b\nERROR c\n", "ERROR"), 2);
    assert_eq!(count("ERROR a\r\nINFO b\r\nERROR c", "ERROR"), 2);
    assert_eq!(count("", "ERROR"), 0);
    assert_eq!(count("a\n\nb\n", ""), 3);
    assert_eq!(count("a\n\nb", "b"), 1);
    let (text, errors) = log_text(1_000);
    assert_eq!(
        count_matching_lines(Cursor::new(text), "ERROR").unwrap(),
        errors
    );
}

#[test]
fn reports_text_that_is_not_utf8() {
    let err = count_matching_lines(Cursor::new(&b"fine\n\xff\xfe\n"[..]), "x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData);
}

#[test]
fn allocates_a_few_times_for_ten_thousand_lines() {
    let (text, errors) = log_text(10_000);
    let count = memprobe::assert_allocs!(
        <= ALLOC_BUDGET,
        count_matching_lines(black_box(Cursor::new(&text[..])), "ERROR"),
        "read every line into one String with read_line, and clear() it before the next line"
    );
    assert_eq!(count.unwrap(), errors);
}

#[test]
fn allocations_do_not_grow_for_two_hundred_thousand_lines() {
    let (small, small_errors) = log_text(10_000);
    let (big, big_errors) = log_text(200_000);

    let (count, small_stats) =
        memprobe::measure(|| count_matching_lines(black_box(Cursor::new(&small[..])), "ERROR"));
    assert_eq!(count.unwrap(), small_errors);

    let (count, big_stats) =
        memprobe::measure(|| count_matching_lines(black_box(Cursor::new(&big[..])), "ERROR"));
    assert_eq!(count.unwrap(), big_errors);

    let what = "count_matching_lines(black_box(Cursor::new(&big[..])), \"ERROR\")";
    memprobe::enforce(
        Metric::Allocations,
        Budget::AtMost(ALLOC_BUDGET),
        &big_stats,
        what,
        "clear() keeps the String's capacity: one buffer serves every line",
    );
    memprobe::enforce(
        Metric::PeakBytes,
        Budget::AtMost(PEAK_BUDGET),
        &big_stats,
        what,
        "hold one line at a time, not the whole text",
    );
    assert!(
        big_stats.heap_allocations() <= small_stats.heap_allocations(),
        "allocations grew with the number of lines: {} for 10,000 lines, {} for 200,000 lines\n  idea:     reuse one buffer for every line",
        small_stats.heap_allocations(),
        big_stats.heap_allocations()
    );
}
