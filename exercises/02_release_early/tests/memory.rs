//! The graded contract of `release_early`. Sizes are for 64-bit targets.
//!
//! Inputs come from a seeded generator (`memprobe::inputs`): texts of several
//! lengths that are not powers of two, every printable ASCII byte, CSV
//! records with non-ASCII labels and values beyond `u16`. Every memory test
//! also checks the complete result, so a frugal but wrong version earns
//! nothing.

use std::fmt::Write as _;
use std::hint::black_box;

use memprobe::inputs::{Rng, SIZES};
use memprobe::{Budget, Metric};
use release_early::{Dataset, sorted_letters};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(String) -> String = release_early::sorted_letters;
const _: fn(String) -> release_early::Dataset = release_early::Dataset::load;
const _: fn(&mut release_early::Dataset) = release_early::Dataset::parse;
const _: for<'a> fn(&'a release_early::Dataset) -> &'a [u32] = release_early::Dataset::values;

/// `len` printable ASCII bytes (space to `~`: upper- and lowercase letters,
/// digits, punctuation) in an exact-capacity buffer, from `seed`.
fn ascii_text(len: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut text = String::with_capacity(len);
    for _ in 0..len {
        text.push(char::from(b' ' + rng.below(95) as u8));
    }
    text
}

/// `len` ASCII bytes, unevenly spread: about 90% one letter (`e`), the rest
/// printable ASCII, from `seed`. A temporary per distinct byte is as large
/// as the text here, not a hundredth of it.
fn skewed_text(len: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut text = String::with_capacity(len);
    for _ in 0..len {
        text.push(if rng.chance(9, 10) {
            'e'
        } else {
            char::from(b' ' + rng.below(95) as u8)
        });
    }
    text
}

/// The anagram key, computed independently of the crate.
fn sorted_copy(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes.sort_unstable();
    String::from_utf8(bytes).expect("ASCII")
}

/// `lines` CSV records (`label,value`, some labels with a comma or non-ASCII
/// text, some values after a space, values over the whole `u32` range) and
/// the values they hold.
fn csv(lines: usize, seed: u64) -> (String, Vec<u32>) {
    let mut rng = Rng::new(seed);
    let mut text = String::new();
    let mut values = Vec::with_capacity(lines);
    for _ in 0..lines {
        let value = rng.next_u64() as u32;
        let label = rng.word(1..=9, true);
        let extra = if rng.chance(1, 5) { ",x" } else { "" };
        let space = if rng.chance(1, 4) { " " } else { "" };
        writeln!(text, "{label}{extra},{space}{value}").unwrap();
        values.push(value);
    }
    (text, values)
}

#[test]
fn sorts_letters_like_an_anagram_key() {
    assert_eq!(sorted_letters("listen".to_string()), "eilnst");
    assert_eq!(sorted_letters("banana".to_string()), "aaabnn");
    assert_eq!(sorted_letters("Zz a".to_string()), " Zaz");
    assert_eq!(sorted_letters("B2a!\n".to_string()), "\n!2Ba");
    assert_eq!(sorted_letters(String::new()), "");
    let all: String = (0u8..128).rev().map(char::from).collect();
    assert_eq!(sorted_letters(all.clone()), sorted_copy(&all));
    for (i, &len) in SIZES.iter().enumerate() {
        let text = ascii_text(len, i as u64);
        assert_eq!(
            sorted_letters(text.clone()),
            sorted_copy(&text),
            "length {len}"
        );
    }
}

#[test]
fn parses_every_value() {
    let mut data = Dataset::load("a,1\nb,22\nc,d,333\n".to_string());
    assert_eq!(data.values(), &[] as &[u32]);
    data.parse();
    assert_eq!(data.values(), &[1, 22, 333]);
    data.parse();
    assert_eq!(
        data.values(),
        &[1, 22, 333],
        "a second parse must change nothing"
    );

    let mut data = Dataset::load("größe, 70000\nmax,4294967295\r\nlast,0".to_string());
    data.parse();
    assert_eq!(data.values(), &[70_000, u32::MAX, 0]);

    let mut empty = Dataset::load(String::new());
    empty.parse();
    assert_eq!(empty.values(), &[] as &[u32]);

    let (text, values) = csv(1_000, 7);
    let mut data = Dataset::load(text);
    data.parse();
    assert_eq!(data.values(), &values[..]);
}

#[test]
fn holds_one_text_sized_buffer_at_a_time() {
    // The input is handed over in a buffer of exactly `len` bytes, and the
    // result is just as long: an honest version holds one of them at a time,
    // so its peak is `len` plus, at most, a counting table on the heap
    // (a HashMap or BTreeMap of at most 128 entries stays under 8 KiB).
    // Keeping the input while filling the result peaks at `2 * len`; growing
    // the result by doubling peaks at the next power of two (`1.3 * len` for
    // 100,003 bytes). Afterwards only the result is live: exactly `len`.
    // Texts of evenly spread bytes, and skewed ones (90% one letter), so a
    // temporary per letter costs as much as the text itself.
    const TABLE: usize = 8 * 1024;
    let texts = [
        (1, 100_003, false),
        (2, 1 << 18, false),
        (3, 150_001, false),
        (4, 100_003, true),
        (5, 1_048_583, true),
    ];
    for (seed, len, skewed) in texts {
        let text = if skewed {
            skewed_text(len, seed)
        } else {
            ascii_text(len, seed)
        };
        let want = sorted_copy(&text);
        let spread = if skewed {
            "90% one letter"
        } else {
            "evenly spread"
        };
        let what = format!("sorted_letters of {len} bytes ({spread}, seed {seed})");
        let (sorted, stats) = memprobe::measure(|| sorted_letters(black_box(text.clone())));
        memprobe::enforce(
            Metric::PeakBytes,
            Budget::AtMost(len + TABLE),
            &stats,
            &what,
            "once the counts are taken the input is dead: save its len, drop(text), then String::with_capacity(len) (or reuse the input's buffer)",
        );
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(len),
            &stats,
            &what,
            "only the result may stay, in a buffer of exactly its length",
        );
        assert_eq!(sorted, want, "{what}");
        assert_eq!(sorted.capacity(), len, "{what}: spare capacity");
        let ((), stats) = memprobe::measure(|| drop(sorted_letters(black_box(text.clone()))));
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats,
            &format!("drop({what})"),
            "nothing may stay on the heap once the result is dropped",
        );
    }
}

#[test]
fn frees_the_raw_text_once_parsed() {
    // After `parse` only the values may stay live: `4 * capacity` bytes. A
    // Vec collected from `lines()` grows by doubling, so its capacity is
    // under twice its length (at least 4 slots once it allocates): the
    // budget is `4 * max(4, 2 * lines)`. The raw text is 5 to 25 bytes per
    // line, more than that. Peak during the call: the raw text plus that
    // budget (a clone of the text during parse doubles it).
    for (i, &lines) in SIZES.iter().chain(&[20_000, 70_001]).enumerate() {
        let (text, want) = csv(lines, 100 + i as u64);
        let budget = if lines == 0 {
            0
        } else {
            4 * (2 * lines).max(4)
        };
        let seed = 100 + i as u64;
        let what = format!(
            "Dataset::load({lines} lines, {} bytes; seed {seed}) then parse() twice",
            text.len()
        );
        let (data, stats) = memprobe::measure(|| {
            let mut data = Dataset::load(black_box(text.clone()));
            data.parse();
            data.parse();
            data
        });
        // During the call: the raw text (handed over in a buffer of exactly
        // its length) and the values growing, never a second copy of the
        // text.
        memprobe::enforce(
            Metric::PeakBytes,
            Budget::AtMost(text.len() + budget),
            &stats,
            &what,
            "parse reads the raw text where it is: move it out (std::mem::take) instead of cloning it, so the text is never held twice",
        );
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::AtMost(budget),
            &stats,
            &what,
            "nothing reads the raw text after parse: take it out of the struct (std::mem::take(&mut self.raw)) so it is freed; clear() keeps the buffer",
        );
        assert_eq!(data.values(), &want[..], "{what}");
        drop(data);
        let ((), stats) = memprobe::measure(|| {
            let mut data = Dataset::load(black_box(text.clone()));
            data.parse();
            drop(data);
        });
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats,
            &format!("drop({what})"),
            "a dropped Dataset must leave nothing on the heap",
        );
    }
}
