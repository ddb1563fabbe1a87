//! The graded contract of `count_matching_lines`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::io::{Cursor, ErrorKind};

use line_buffer::count_matching_lines;
use memprobe::inputs::Rng;
use memprobe::{Budget, Metric, Stats};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(std::io::Cursor<Vec<u8>>, &str) -> std::io::Result<usize> =
    line_buffer::count_matching_lines;

/// A handful of allocations: the line buffer growing to the longest line (a
/// few doublings), perhaps a `BufReader`. Not one per line.
const ALLOC_BUDGET: usize = 8;

/// Room for the longest line plus a `BufReader`'s 8 KiB buffer; the text
/// itself is megabytes.
const PEAK_BUDGET: usize = 16 * 1024;

const MESSAGES: [&str; 8] = [
    "disk full on /var",
    "request served",
    "cache miss for key user:42 while rendering the profile page of a very active account",
    "ok",
    "retrying connection to the primary database",
    "slow query",
    "user logged in",
    "größe der warteschlange: 日本語 ключ 🦀",
];

/// A log of `n` lines (a block of 1,000 lines repeated; every seventh line
/// of the block is an ERROR), and the number of ERROR lines. Built before
/// any measurement window opens, and cheaply, even in a debug build.
fn log_text(n: usize) -> (Vec<u8>, usize) {
    use std::fmt::Write as _;
    let mut block = String::new();
    let mut ends = vec![0];
    let mut errors = vec![0];
    for i in 0..1_000 {
        let level = if i % 7 == 0 { "ERROR" } else { "INFO" };
        writeln!(
            block,
            "{i:07} {level} {} ({} ms)",
            MESSAGES[i % MESSAGES.len()],
            i % 1000
        )
        .expect("writing to a String cannot fail");
        ends.push(block.len());
        errors.push(errors[i] + usize::from(i % 7 == 0));
    }
    // Whole blocks, then the first `n % 1,000` lines of one more.
    let mut text = block.repeat(n / 1_000);
    text.push_str(&block[..ends[n % 1_000]]);
    (
        text.into_bytes(),
        errors[1_000] * (n / 1_000) + errors[n % 1_000],
    )
}

/// Checks that a window gave back every byte it allocated: the buffer
/// belongs to one call and goes when the call returns.
fn assert_nothing_kept(stats: &Stats, what: &str) {
    memprobe::enforce(
        Metric::LiveBytes,
        Budget::Exactly(0),
        stats,
        what,
        "the line buffer is a local variable of the call: nothing may outlive it (no static or thread_local cache)",
    );
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
    let long = "ok ".repeat(100);
    let texts: [Vec<u8>; 6] = [
        b"fine\n\xff\xfe\n".to_vec(),
        // Late in a long line, after a match and after 300 good bytes.
        [
            format!("fine\nERROR {long}").as_bytes(),
            b"\xff the end\nERROR\n",
        ]
        .concat(),
        [format!("ERROR {long}").as_bytes(), b"\xff\n"].concat(),
        // A character cut short at the very end of the input.
        [b"ERROR \xe6\x97\xa5".as_slice(), b"\xe6\x97"].concat(),
        // A lone continuation byte in the last line, without a line end.
        b"ERROR\nERROR \x80".to_vec(),
        // An encoded surrogate, which UTF-8 forbids.
        b"ERROR \xed\xa0\x80\n".to_vec(),
    ];
    for text in texts {
        let err = count_matching_lines(Cursor::new(&text[..]), "ERROR").unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidData,
            "{}",
            String::from_utf8_lossy(&text)
        );
    }
}

/// A text of `n` lines of random length (up to `longest` bytes with the
/// line end, ASCII and non-ASCII words), a few containing the needle
/// `"größe"`, and the number that do.
fn long_lines(n: usize, longest: usize, rng: &mut Rng) -> (Vec<u8>, usize) {
    let mut text = String::new();
    let mut matches = 0;
    for i in 0..n {
        let target = if i == n / 2 {
            longest - 1
        } else {
            rng.range(0..=longest - 1)
        };
        let start = text.len();
        while text.len() - start < target {
            let word = rng.word(1..=9, true);
            text.push_str(&word);
            text.push(' ');
        }
        // Cut back to the target at a character boundary.
        let mut end = (start + target).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        matches += usize::from(text[start..].contains("größe"));
        text.push('\n');
    }
    (text.into_bytes(), matches)
}

#[test]
fn long_lines_cost_a_few_doublings() {
    // Lines of up to 3,001 bytes, most of them far longer than a fixed
    // buffer sized to the log lines of the other tests.
    let longest = 3_001;
    let mut rng = Rng::new(18);
    let (text, matches) = long_lines(5_003, longest, &mut rng);
    assert!(
        matches > 100 && matches < 5_003,
        "the needle is in some lines, not all"
    );
    let (count, stats) =
        memprobe::measure(|| count_matching_lines(black_box(Cursor::new(&text[..])), "größe"));
    assert_eq!(count.unwrap(), matches);
    let what = "count_matching_lines(black_box(Cursor::new(&text[..])), \"größe\")";
    // One buffer that grows to the longest line: its first allocation, then
    // at most one doubling per power of two up to 3,001 bytes (12), plus
    // perhaps a `BufReader`: 14. Not one per line.
    let doublings = usize::BITS - (longest - 1).leading_zeros();
    memprobe::enforce(
        Metric::Allocations,
        Budget::AtMost(2 + doublings as usize),
        &stats,
        what,
        "one String for every line: read_line appends, clear() keeps the capacity",
    );
    // The buffer is at most twice the longest line (it grows by doubling),
    // plus a `BufReader`'s 8 KiB.
    memprobe::enforce(
        Metric::PeakBytes,
        Budget::AtMost(8 * 1024 + 2 * longest),
        &stats,
        what,
        "hold one line at a time, not the whole text",
    );
    assert_nothing_kept(&stats, what);
    // The same text with one bad byte late in its longest line is refused.
    let mut bad = text.clone();
    let at = bad
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or(bad.len() / 2);
    bad.insert(at, 0xff);
    let err = count_matching_lines(Cursor::new(&bad[..]), "größe").unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidData,
        "a 0xff byte in the text"
    );
}

#[test]
fn allocates_a_few_times_for_ten_thousand_lines() {
    for n in [0, 1, 3, 17, 100, 255, 1_000, 4_097, 10_007] {
        let (text, errors) = log_text(n);
        let (count, stats) =
            memprobe::measure(|| count_matching_lines(black_box(Cursor::new(&text[..])), "ERROR"));
        assert_eq!(count.unwrap(), errors, "{n} lines");
        let what = format!("count_matching_lines(..) over {n} lines");
        memprobe::enforce(
            Metric::Allocations,
            Budget::AtMost(ALLOC_BUDGET),
            &stats,
            &what,
            "read every line into one String with read_line, and clear() it before the next line",
        );
        assert_nothing_kept(&stats, &what);
    }
}

#[test]
fn allocations_do_not_grow_for_two_hundred_thousand_lines() {
    let (small, small_errors) = log_text(10_007);
    let (big, big_errors) = log_text(200_003);

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
    assert_nothing_kept(&big_stats, what);
    assert!(
        big_stats.heap_allocations() <= small_stats.heap_allocations(),
        "allocations grew with the number of lines: {} for 10,007 lines, {} for 200,003 lines\n  idea:     reuse one buffer for every line",
        small_stats.heap_allocations(),
        big_stats.heap_allocations()
    );
}
