//! The graded contract of `join_words`. Sizes are for 64-bit targets.
//!
//! Every memory test also checks the complete result, on word lists of
//! several sizes (from `memprobe::inputs`: not powers of two, non-ASCII
//! words, empty words, and lists over 1 MB), so a fast but wrong join earns
//! nothing, and a buffer sized to small inputs does not fit them all.

use std::hint::black_box;

use join_words::join_words;
use memprobe::inputs::{Rng, SIZES};
use memprobe::{Budget, Metric};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(&[&str]) -> String = join_words::join_words;

/// The expected result, built independently of the crate.
fn expected(words: &[&str]) -> String {
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The seed of the generated word lists (printed by every failure that
/// names a list, through `label`).
const SEED: u64 = 0x01;

/// Word lists of every size in `SIZES`, words of 0 to 11 bytes (so some are
/// empty), one in four non-ASCII; plus 10,000 times "hello", lists past any
/// fixed buffer (180,000 words, about 1.2 MB, and a single 80,000-byte
/// non-ASCII word) and a few edge cases. Built outside any measurement
/// window.
fn word_lists() -> Vec<Vec<String>> {
    let mut rng = Rng::new(SEED);
    let mut lists: Vec<Vec<String>> = SIZES.iter().map(|&n| rng.words(n, 0..=11, true)).collect();
    lists.push(vec!["hello".to_string(); 10_000]);
    // Over 1 MB: a buffer sized to the small lists (on the stack, say) with
    // a `+=` fallback reallocates here.
    lists.push(rng.words(180_000, 1..=11, true));
    lists.push(vec!["a".to_string(), "é".repeat(40_000), "z".to_string()]);
    for edge in [&["", "x", ""][..], &["", ""], &["日本語", "🦀"], &["größe"]] {
        lists.push(edge.iter().map(|w| w.to_string()).collect());
    }
    lists
}

/// `label` names an input in failure messages: its word count and result length.
fn label(words: &[&str], len: usize) -> String {
    let s = if words.len() == 1 { "" } else { "s" };
    format!(
        "join_words of {} word{s} ({len}-byte result; seed {SEED})",
        words.len()
    )
}

#[test]
fn joins_with_single_spaces() {
    assert_eq!(join_words(&["memory", "is", "finite"]), "memory is finite");
    assert_eq!(join_words(&["alone"]), "alone");
    assert_eq!(join_words(&[]), "");
    assert_eq!(join_words(&[""]), "");
    assert_eq!(join_words(&["", "x", ""]), " x ");
    assert_eq!(join_words(&["", ""]), " ");
    assert_eq!(join_words(&["naïve", "日本語", "🦀"]), "naïve 日本語 🦀");
    for list in word_lists() {
        let words: Vec<&str> = list.iter().map(String::as_str).collect();
        assert_eq!(
            join_words(&words),
            expected(&words),
            "{} words",
            words.len()
        );
    }
}

#[test]
fn allocates_once_for_many_words() {
    // An honest join asks the allocator for one block of exactly the result's
    // length (none when the result is empty) and never grows it.
    for list in word_lists() {
        let words: Vec<&str> = list.iter().map(String::as_str).collect();
        let want = expected(&words);
        let (joined, stats) = memprobe::measure(|| join_words(black_box(&words)));
        memprobe::enforce(
            Metric::Allocations,
            Budget::AtMost(usize::from(!want.is_empty())),
            &stats,
            &label(&words, want.len()),
            "add up the final length in bytes (str::len, not chars) first, then String::with_capacity(len)",
        );
        assert_eq!(joined, want, "{} words", words.len());
    }
}

#[test]
fn allocates_nothing_for_no_words() {
    let joined = memprobe::assert_allocs!(== 0, join_words(black_box(&[])), "an empty String does not allocate");
    assert_eq!(joined, "");
    let joined = memprobe::assert_allocs!(== 0, join_words(black_box(&[""])), "an empty String does not allocate");
    assert_eq!(joined, "");
}

#[test]
fn wastes_no_capacity() {
    // The one block holds exactly the result: peak == live == length, and
    // once the result is dropped nothing stays on the heap.
    for list in word_lists() {
        let words: Vec<&str> = list.iter().map(String::as_str).collect();
        let want = expected(&words);
        let what = label(&words, want.len());
        let idea = "reserve exactly the bytes the result needs, no minimum and no rounding";
        let (joined, stats) = memprobe::measure(|| join_words(black_box(&words)));
        memprobe::enforce(
            Metric::PeakBytes,
            Budget::Exactly(want.len()),
            &stats,
            &what,
            idea,
        );
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(want.len()),
            &stats,
            &what,
            idea,
        );
        assert_eq!(joined, want, "{} words", words.len());
        assert_eq!(joined.capacity(), joined.len(), "{what}: spare capacity");
        let ((), stats) = memprobe::measure(|| drop(join_words(black_box(&words))));
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats,
            &format!("drop({what})"),
            "nothing may stay on the heap once the result is dropped",
        );
    }
    let joined = join_words(black_box(&["tuple", "list", "set", "dict"]));
    assert_eq!(joined, "tuple list set dict");
    assert_eq!(joined.capacity(), joined.len());
}
