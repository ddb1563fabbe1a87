//! The graded contract of `size_report`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::{align_of, size_of};

use memprobe::inputs::{Rng, SIZES};
use size_report::{Direction, Footprint, Reading, size_report, string_footprint};

memprobe::install!();

/// One report line, rendered the way the report must render it.
fn line<T>(name: &str) -> String {
    format!(
        "{name}: size {}, align {}\n",
        size_of::<T>(),
        align_of::<T>()
    )
}

/// The report as the compiler sees it.
fn true_report() -> String {
    [
        line::<u8>("u8"),
        line::<u64>("u64"),
        line::<bool>("bool"),
        line::<char>("char"),
        line::<&str>("&str"),
        line::<String>("String"),
        line::<Vec<u64>>("Vec<u64>"),
        line::<Box<[u8]>>("Box<[u8]>"),
        line::<Option<Box<u8>>>("Option<Box<u8>>"),
        line::<(u8, u32)>("(u8, u32)"),
        line::<Reading>("Reading"),
        line::<Direction>("Direction"),
    ]
    .concat()
}

/// A String of 100 bytes in a buffer of 128.
fn hundred_bytes_in_128() -> String {
    let mut s = String::with_capacity(128);
    for _ in 0..100 {
        s.push('x');
    }
    s
}

/// Builds `s` in a memprobe window and checks `string_footprint` against
/// the String's size and the heap bytes the window saw it keep.
#[track_caller]
fn check_footprint(what: &str, build: impl FnOnce() -> String) {
    let (s, stats) = memprobe::measure(build);
    let measured = Footprint {
        inline: size_of::<String>(),
        heap: stats.live_bytes.max(0) as usize,
    };
    assert_eq!(
        string_footprint(black_box(&s)),
        measured,
        "{what} ({} bytes of text): memprobe measured {} heap bytes; the String value itself is {} bytes \
         (pointer, capacity, length) and the heap block is its capacity, not its length, used or not",
        s.len(),
        stats.live_bytes,
        size_of::<String>()
    );
}

#[test]
fn report_lists_every_type_once() {
    let names: Vec<String> = size_report()
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    let expected: Vec<String> = true_report()
        .lines()
        .map(|l| l.split(": ").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(names, expected);
}

#[test]
fn report_matches_size_of_and_align_of() {
    // Left: your report. Right: size_of and align_of on a 64-bit target.
    assert_eq!(
        size_report(),
        true_report(),
        "a Rust value has no object header: its size is its fields plus padding up to its alignment; \
         heap parts are not counted (size_of::<String>() is the same for any text)"
    );
}

#[test]
fn string_footprint_matches_measured_heap() {
    check_footprint(
        "a String of 100 bytes with capacity 128",
        hundred_bytes_in_128,
    );
    check_footprint("String::new()", String::new);
    check_footprint("an empty String::with_capacity(50)", || {
        String::with_capacity(50)
    });
    check_footprint("String::from(\"größe\")", || {
        String::from(black_box("größe"))
    });
    check_footprint("\"ab\".repeat(150)", || black_box("ab").repeat(150));
    check_footprint("a String of 1,000 pushes, then shrink_to_fit", || {
        let mut s = String::new();
        for _ in 0..1_000 {
            s.push(black_box('y'));
        }
        s.shrink_to_fit();
        s
    });
    // Seeded text of every size in SIZES, with non-ASCII words, in buffers
    // with 0 to 37 bytes to spare.
    let mut rng = Rng::new(5);
    for n in SIZES {
        let spare = rng.range(0..=37);
        let words = rng.words(n, 1..=7, true);
        let text: String = words.concat();
        check_footprint(
            &format!("{} words in a buffer with {spare} bytes to spare", n),
            || {
                let mut s = String::with_capacity(text.len() + spare);
                s.push_str(&text);
                s
            },
        );
    }
}
