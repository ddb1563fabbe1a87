//! The graded contract of `size_report`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::{align_of, size_of};

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
    let (s, stats) = memprobe::measure(hundred_bytes_in_128);
    assert_eq!(s.len(), 100);
    let measured = Footprint {
        inline: size_of::<String>(),
        heap: stats.live_bytes as usize,
    };
    assert_eq!(
        string_footprint(black_box(&s)),
        measured,
        "memprobe measured {} heap bytes for a String of {} bytes; the String value itself is {} bytes \
         (pointer, capacity, length) and the heap block is its capacity, not its length",
        stats.live_bytes,
        s.len(),
        size_of::<String>()
    );

    let (empty, stats) = memprobe::measure(String::new);
    assert_eq!(stats.allocs, 0);
    assert_eq!(
        string_footprint(black_box(&empty)),
        Footprint {
            inline: size_of::<String>(),
            heap: 0
        },
        "an empty String owns no heap block, but its three words are still there"
    );
}
