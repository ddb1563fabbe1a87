//! The graded contract of `Interner`. Sizes are for 64-bit targets.

use std::hint::black_box;

use interner::{Interner, Symbol};
use memprobe::Stats;

memprobe::install!();

/// The lesson's word list: `["apple", "banana", "apple", "cherry", "apple"] * times`.
fn lesson_words(times: usize) -> Vec<&'static str> {
    ["apple", "banana", "apple", "cherry", "apple"].repeat(times)
}

/// Interns every word inside a measurement window (the symbols go into a
/// `Vec` reserved before the window opens), checks the result, and returns
/// what the window saw.
fn intern_all(words: &[&str]) -> Stats {
    let mut symbols: Vec<Symbol> = Vec::with_capacity(words.len());
    let (interner, stats) = memprobe::measure(|| {
        let mut interner = Interner::new();
        for word in black_box(words) {
            symbols.push(interner.intern(word));
        }
        interner
    });
    assert_eq!(interner.len(), 3);
    for (i, word) in words.iter().enumerate() {
        assert_eq!(interner.resolve(symbols[i]), *word);
        assert_eq!(symbols[i] == symbols[0], *word == words[0]);
    }
    stats
}

#[test]
fn equal_words_get_equal_symbols() {
    let mut interner = Interner::new();
    assert!(interner.is_empty());
    let apple = interner.intern("apple");
    let banana = interner.intern("banana");
    let text = String::from("apple");
    assert_eq!(interner.intern(&text), apple);
    assert_ne!(apple, banana);
    assert_ne!(interner.intern("Apple"), apple);
    assert_eq!(interner.intern(""), interner.intern(""));
    assert_eq!(interner.len(), 4);
}

#[test]
fn symbols_resolve_to_their_text() {
    let mut interner = Interner::new();
    let words = lesson_words(3);
    let symbols: Vec<Symbol> = words.iter().map(|w| interner.intern(w)).collect();
    for (symbol, word) in symbols.iter().zip(&words) {
        assert_eq!(interner.resolve(*symbol), *word);
    }
    assert_eq!(interner.len(), 3);
}

#[test]
fn interning_a_known_word_allocates_nothing() {
    let mut interner = Interner::new();
    let apple = interner.intern("apple");
    interner.intern("banana");
    let again = memprobe::assert_allocs!(
        == 0,
        interner.intern(black_box("apple")),
        "look the word up as a &str first; allocate only for a word you have not seen"
    );
    assert_eq!(again, apple);
    assert_eq!(interner.resolve(again), "apple");
    assert_eq!(interner.len(), 2);
}

#[test]
fn allocations_grow_with_distinct_words_not_total() {
    // 3 distinct words: a few allocations each (the text, the map's and the
    // list's growth) plus a constant, however many times they are interned.
    let budget = 4 * 3 + 8;
    let few = intern_all(&lesson_words(1_000));
    memprobe::enforce(
        memprobe::Metric::Allocations,
        memprobe::Budget::AtMost(budget),
        &few,
        "interning 5,000 words (3 distinct)",
        "store each distinct word once (a HashMap from text to symbol); a repeat is only a lookup",
    );
    let many = intern_all(&lesson_words(10_000));
    assert!(
        many.heap_allocations() <= few.heap_allocations(),
        "allocations grew with the number of words: {} for 5,000 words, {} for 50,000 (3 distinct both times)\n  idea:     a repeated word must cost no allocation",
        few.heap_allocations(),
        many.heap_allocations()
    );
}
