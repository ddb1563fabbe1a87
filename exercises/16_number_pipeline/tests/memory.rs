//! The graded contract of `sum_even_squares`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::io::{self, BufRead, Cursor, ErrorKind, Read};

use memprobe::inputs::SIZES;
use number_pipeline::sum_even_squares;

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(std::io::Cursor<Vec<u8>>) -> std::io::Result<i64> = number_pipeline::sum_even_squares;

/// Room for one line in flight plus a `BufReader`'s 8 KiB buffer, should the
/// solution add one. The eager version needs megabytes.
const PEAK_BUDGET: usize = 16 * 1024;

/// One line of the test texts: the numbers -500 to 499 in turn, written the
/// ways Python's `int(line.strip())` accepts, with spaces around the number
/// and `\n` or `\r\n` line ends.
fn number_line(i: usize) -> (String, i64) {
    let value = (i % 1_000) as i64 - 500;
    let lead = ["", " ", "  "][i % 3];
    let trail = ["", " "][i % 2];
    let end = ["\n", "\n", "\r\n", "\n", "\r\n"][i % 5];
    (format!("{lead}{value}{trail}{end}"), value)
}

/// A text of `n` lines (see [`number_line`]) and the expected sum of the
/// squares of its even numbers; when `n` is odd the last line has no line
/// end. Built before any measurement window opens, so it costs the windows
/// nothing.
fn numbers_text(n: usize) -> (Vec<u8>, i64) {
    // A block of 1,000 lines repeated, then a part of it: building a
    // million lines this way costs almost nothing, even in a debug build.
    let mut block = String::new();
    let mut sums = vec![0_i64];
    for i in 0..1_000 {
        let (line, value) = number_line(i);
        block.push_str(&line);
        let square = if value % 2 == 0 { value * value } else { 0 };
        sums.push(sums[i] + square);
    }
    let part_len: usize = (0..n % 1_000).map(|i| number_line(i).0.len()).sum();
    let mut text = block.repeat(n / 1_000);
    text.push_str(&block[..part_len]);
    if n % 2 == 1 {
        let end = if text.ends_with("\r\n") { 2 } else { 1 };
        text.truncate(text.len() - end);
    }
    let expected = sums[1_000] * (n / 1_000) as i64 + sums[n % 1_000];
    (text.into_bytes(), expected)
}

#[test]
fn sums_the_squares_of_the_even_numbers() {
    assert_eq!(sum_even_squares(Cursor::new("1\n2\n3\n4\n")).unwrap(), 20);
    assert_eq!(sum_even_squares(Cursor::new("")).unwrap(), 0);
    assert_eq!(sum_even_squares(Cursor::new("7")).unwrap(), 0);
    assert_eq!(sum_even_squares(Cursor::new(" -6 \r\n5\n10")).unwrap(), 136);
    assert_eq!(
        sum_even_squares(Cursor::new("-3\n-4\n+8\n007\n")).unwrap(),
        80
    );
    for n in SIZES {
        let (text, expected) = numbers_text(n);
        assert_eq!(
            sum_even_squares(Cursor::new(text)).unwrap(),
            expected,
            "{n} lines"
        );
    }
    // Numbers past `i32` (their squares, and the sums, still fit an `i64`).
    for (text, expected) in [
        ("2147483648\n1\n", 4_611_686_018_427_387_904_i64),
        ("-2147483650\n", 4_611_686_027_017_322_500),
        ("3000000000\n-3\n", 9_000_000_000_000_000_000),
        ("-3037000498\n", 9_223_372_024_852_248_004),
    ] {
        assert_eq!(
            sum_even_squares(Cursor::new(text)).unwrap(),
            expected,
            "{text:?}: the numbers are i64, not i32"
        );
    }
}

#[test]
fn reports_a_line_that_is_not_a_number() {
    for text in [
        "2\nfour\n6\n",
        "2\n\n6\n",
        "2\n \n6\n",
        "2\n6\n4.0",
        "\n",
        "3\n9223372036854775808\n",
    ] {
        let err = sum_even_squares(Cursor::new(text)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData, "{text:?}");
    }
    // A reader's own error is passed on as it is.
    let err = sum_even_squares(Cursor::new(&b"2\n\xff\n"[..])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData, "invalid UTF-8");
    // Unchanged: the same kind and the same inner error (the test's own
    // type, with its payload), not a new error wrapping its message.
    let err = sum_even_squares(FailsAfter {
        text: b"2\n4\n",
        pos: 0,
    })
    .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::BrokenPipe,
        "the reader's error kind must be passed on: {err}"
    );
    let inner = err
        .into_inner()
        .expect("the reader's error has an inner error");
    let failure = inner.downcast::<ReaderFailure>().unwrap_or_else(|other| {
        panic!(
            "the reader failed with the test's ReaderFailure(7), but the caller got a different error: {other}\n  idea:     pass a reader's error on as it is (`?`), do not wrap it in a new one"
        )
    });
    assert_eq!(failure.0, 7, "the reader's error, unchanged");
}

/// The error the test's failing reader returns.
#[derive(Debug)]
struct ReaderFailure(u32);

impl std::fmt::Display for ReaderFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the test's reader failed ({})", self.0)
    }
}

impl std::error::Error for ReaderFailure {}

/// A reader that hands out `text`, then fails with `ReaderFailure(7)`.
struct FailsAfter {
    text: &'static [u8],
    pos: usize,
}

impl Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for FailsAfter {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.text.len() {
            return Err(io::Error::new(ErrorKind::BrokenPipe, ReaderFailure(7)));
        }
        Ok(&self.text[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos += amount;
    }
}

#[test]
fn holds_one_long_line_at_a_time() {
    // Five lines of about 100 KB each (a number padded with spaces, which
    // `int(line.strip())` accepts): one line in flight costs its buffer, at
    // most twice its length as it grows; a second copy of a line (a context
    // string, an owned trimmed copy) or all the lines at once go past
    // `2 * longest + 16 KiB`.
    let values = [120_i64, -7, 33_334, -98, 5];
    let mut text = String::new();
    let mut longest = 0;
    for (i, v) in values.iter().enumerate() {
        let line = format!("{}{v}{}\n", " ".repeat(60_000 + 7 * i), " ".repeat(40_003));
        longest = longest.max(line.len());
        text.push_str(&line);
    }
    let expected: i64 = values.iter().filter(|v| *v % 2 == 0).map(|v| v * v).sum();
    let budget = 2 * longest + PEAK_BUDGET;
    let (sum, stats) =
        memprobe::measure(|| sum_even_squares(black_box(Cursor::new(text.as_bytes()))));
    assert_eq!(sum.unwrap(), expected, "5 lines of about 100 KB");
    memprobe::enforce(
        memprobe::Metric::PeakBytes,
        memprobe::Budget::AtMost(budget),
        &stats,
        &format!("sum_even_squares of 5 lines of about 100 KB (longest {longest} bytes)"),
        "hold one line at a time, and read the number where it is (trim() borrows): no copy of the line, no context string per line",
    );
}

#[test]
fn peak_stays_small_for_ten_thousand_lines() {
    for n in SIZES.into_iter().chain([10_007]) {
        let (text, expected) = numbers_text(n);
        let sum = memprobe::assert_peak_bytes!(
            <= PEAK_BUDGET,
            sum_even_squares(black_box(Cursor::new(&text[..]))),
            "chain iterator adapters (lines → map → filter → map → sum) instead of collecting each stage into a Vec"
        );
        assert_eq!(sum.unwrap(), expected, "{n} lines");
    }
}

#[test]
fn peak_does_not_grow_for_a_million_lines() {
    let (small, small_expected) = numbers_text(10_001);
    let (big, big_expected) = numbers_text(1_000_001);

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
        "the peak grew with the input: {} bytes for 10,001 lines, {} bytes for 1,000,001 lines\n  idea:     nothing may be kept per line",
        small_stats.peak_bytes,
        big_stats.peak_bytes
    );
    // Whatever the pipeline allocated, it gave back.
    assert_eq!(
        big_stats.live_bytes, 0,
        "bytes left allocated after the sum"
    );
}

/// A reader the test owns, like a pipe or a terminal: each read hands out at
/// most one line, and the reader remembers how far it was read, so the test
/// (not the code under test) sees how many lines were pulled.
struct OneLineAtATime<'a> {
    text: &'a [u8],
    pos: usize,
}

impl OneLineAtATime<'_> {
    /// The lines handed out so far (a partly handed-out line counts).
    fn lines_read(&self) -> usize {
        let read = &self.text[..self.pos];
        read.iter().filter(|&&b| b == b'\n').count()
            + usize::from(!read.ends_with(b"\n") && self.pos > 0)
    }
}

impl Read for OneLineAtATime<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for OneLineAtATime<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let rest = &self.text[self.pos..];
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        Ok(&rest[..line_end])
    }

    fn consume(&mut self, amount: usize) {
        self.pos += amount;
    }
}

#[test]
fn reads_no_line_past_the_first_bad_one() {
    // A generator is pulled one value at a time, so the sum stops reading
    // at the first line that is not a number: nothing after it is read,
    // neither by the pipeline nor by a buffer it wraps around the reader.
    for bad in [0, 1, 2, 17, 100, 255, 998] {
        let mut text = String::new();
        for i in 0..1_000 {
            if i == bad {
                // Bad lines of several kinds, the blank one among them.
                text.push_str(["not a number\n", "\n", " \r\n", "4.0\n"][bad % 4]);
            } else {
                text.push_str(&number_line(i).0);
            }
        }
        let mut reader = OneLineAtATime {
            text: text.as_bytes(),
            pos: 0,
        };
        let (result, stats) = memprobe::measure(|| sum_even_squares(black_box(&mut reader)));
        let Err(err) = result else {
            panic!("line {} is not a number, yet the sum succeeded", bad + 1);
        };
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        drop(err);
        memprobe::enforce(
            memprobe::Metric::PeakBytes,
            memprobe::Budget::AtMost(PEAK_BUDGET),
            &stats,
            "sum_even_squares(&mut reader)",
            "hold one line at a time",
        );
        assert!(
            reader.lines_read() <= bad + 1,
            "the bad line is line {} of 1,000, but {} lines were read\n  idea:     pull one line through the whole chain before reading the next; do not read ahead",
            bad + 1,
            reader.lines_read()
        );
    }
}
