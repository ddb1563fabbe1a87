//! The graded contract of `release_early`. Sizes are for 64-bit targets.

use std::fmt::Write as _;
use std::hint::black_box;

use release_early::{Dataset, sorted_letters};

memprobe::install!();

/// A text of `len` lowercase letters in a fixed shuffled order, in a buffer of
/// exactly `len` bytes.
fn letters(len: usize) -> String {
    let mut text = String::with_capacity(len);
    for i in 0..len {
        text.push(char::from(b'a' + (i * 7 % 26) as u8));
    }
    text
}

/// `lines` CSV records such as `sensor-00042,1042`.
fn csv(lines: usize) -> String {
    let mut text = String::new();
    for i in 0..lines {
        writeln!(text, "sensor-{i:05},{}", 1000 + i % 9000).unwrap();
    }
    text
}

#[test]
fn sorts_letters_like_an_anagram_key() {
    assert_eq!(sorted_letters("listen".to_string()), "eilnst");
    assert_eq!(sorted_letters("banana".to_string()), "aaabnn");
    assert_eq!(sorted_letters("Zz a".to_string()), " Zaz");
    assert_eq!(sorted_letters(String::new()), "");
}

#[test]
fn parses_every_value() {
    let mut data = Dataset::load("a,1\nb,22\nc,d,333\n".to_string());
    assert_eq!(data.values(), &[] as &[u32]);
    data.parse();
    assert_eq!(data.values(), &[1, 22, 333]);
    data.parse();
    assert_eq!(data.values(), &[1, 22, 333]);
}

#[test]
fn holds_one_text_sized_buffer_at_a_time() {
    // 256 KiB of input. The input and the result are each 256 KiB; a version
    // that keeps the input alive while it fills the result peaks at 512 KiB.
    const LEN: usize = 1 << 18;
    let sorted = memprobe::assert_peak_bytes!(
        <= LEN + LEN / 8,
        sorted_letters(black_box(letters(LEN))),
        "once the counts are taken the input is dead: save its len, drop(text), then allocate the result (or reuse the input's buffer)"
    );
    assert_eq!(sorted.len(), LEN);
    assert!(sorted.as_bytes().is_sorted());
    let a_count = sorted.bytes().filter(|&b| b == b'a').count();
    assert_eq!(a_count, (0..LEN).filter(|i| i * 7 % 26 == 0).count());
}

#[test]
fn frees_the_raw_text_once_parsed() {
    const LINES: usize = 20_000;
    // Only the values may stay live: 4 bytes per line, and the budget allows
    // twice that for a Vec's spare capacity. The raw text is about 18 bytes
    // per line (and more in a grown String's capacity).
    let data = memprobe::assert_live_bytes!(
        <= 2 * LINES * size_of::<u32>(),
        {
            let mut data = Dataset::load(black_box(csv(LINES)));
            data.parse();
            data
        },
        "nothing reads the raw text after parse: take it out of the struct (std::mem::take(&mut self.raw)) so it is freed"
    );
    let values = data.values();
    assert_eq!(values.len(), LINES);
    assert_eq!(values[0], 1000);
    assert_eq!(values[LINES - 1], 1000 + ((LINES - 1) % 9000) as u32);
}
