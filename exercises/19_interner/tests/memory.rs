//! The graded contract of `Interner`. Sizes are for 64-bit targets.

use std::hint::black_box;

use interner::{Interner, Symbol};
use memprobe::inputs::Rng;
use memprobe::{Budget, Metric, Stats};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn() -> interner::Interner = interner::Interner::new;
const _: fn(&mut interner::Interner, &str) -> interner::Symbol = interner::Interner::intern;
const _: for<'a> fn(&'a interner::Interner, interner::Symbol) -> &'a str =
    interner::Interner::resolve;
const _: fn(&interner::Interner) -> usize = interner::Interner::len;
const _: fn(&interner::Interner) -> bool = interner::Interner::is_empty;

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
    assert_ne!(interner.intern(""), interner.intern(" "));
    let naive = interner.intern("naïve");
    assert_ne!(naive, interner.intern("naive"));
    assert_eq!(interner.intern(&String::from("naïve")), naive);
    assert_eq!(interner.len(), 7);
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
    // More distinct words than a 16-bit index can number: every one keeps
    // its own symbol.
    let mut interner = Interner::new();
    let words: Vec<String> = (0..70_001).map(|i| format!("w{i}")).collect();
    let symbols: Vec<Symbol> = words.iter().map(|w| interner.intern(w)).collect();
    assert_eq!(interner.len(), 70_001);
    for (symbol, word) in symbols.iter().zip(&words).step_by(7) {
        assert_eq!(interner.resolve(*symbol), word);
        assert_eq!(interner.intern(word), *symbol);
    }
    assert_ne!(symbols[0], symbols[65_536]);
    assert_ne!(symbols[1], symbols[65_537]);
    // Enough distinct words that symbols made from a 32-bit hash of the text
    // collide (about 10 expected pairs among 300,007 words), checked through
    // `resolve` and string comparison alone.
    let seed = 0x19;
    let mut rng = Rng::new(seed);
    let words: Vec<String> = (0..300_007)
        .map(|i| format!("{}-{i:x}", rng.ascii_word(0..=6)))
        .collect();
    let mut interner = Interner::new();
    let symbols: Vec<Symbol> = words.iter().map(|w| interner.intern(w)).collect();
    for (i, (symbol, word)) in symbols.iter().zip(&words).enumerate() {
        let text = interner.resolve(*symbol);
        assert!(
            text == word,
            "300,007 distinct words (seed {seed}): word {i}, {word:?}, resolves to {text:?}\n  idea:     a symbol must name one word: number the words as they come (an index), a hash of the text can collide"
        );
    }
    assert_eq!(interner.len(), words.len(), "300,007 distinct words: len()");
}

#[test]
fn interning_a_known_word_allocates_nothing() {
    let mut interner = Interner::new();
    let known = [
        "apple",
        "banana",
        "",
        "日本語",
        "🦀 crab",
        "a longer word, well past any inline size",
    ];
    let symbols: Vec<Symbol> = known.iter().map(|w| interner.intern(w)).collect();
    for (word, symbol) in known.iter().zip(&symbols) {
        let again = memprobe::assert_allocs!(
            == 0,
            interner.intern(black_box(word)),
            "look the word up as a &str first; allocate only for a word you have not seen"
        );
        assert_eq!(again, *symbol);
        assert_eq!(interner.resolve(again), *word);
    }
    assert_eq!(interner.len(), known.len());
}

#[test]
fn allocations_grow_with_distinct_words_not_total() {
    // Many distinct words: one allocation for each (its one copy of the
    // text, counts included for an Rc<str>), plus the list's and the map's
    // growth by doubling (a few dozen in all), never two blocks per word.
    let seed = 0x190;
    let mut rng = Rng::new(seed);
    let distinct: Vec<String> = (0..20_011)
        .map(|i| format!("{}{i}", rng.word(1..=8, true)))
        .collect();
    let (interner, stats) = memprobe::measure(|| {
        let mut interner = Interner::new();
        for word in black_box(&distinct) {
            interner.intern(word);
        }
        interner
    });
    memprobe::enforce(
        Metric::Allocations,
        Budget::AtMost(distinct.len() + 64),
        &stats,
        &format!("interning 20,011 distinct words (seed {seed})"),
        "one block per distinct word: Rc::from(word) (or Box::from) puts counts and text in one allocation; an Rc<String> needs two",
    );
    assert_eq!(interner.len(), distinct.len());
    drop(interner);
    // 3 distinct words: a few allocations each (the text, the map's and the
    // list's growth) plus a constant, however many times they are interned.
    let budget = 4 * 3 + 8;
    let few = intern_all(&lesson_words(1_000));
    memprobe::enforce(
        Metric::Allocations,
        Budget::AtMost(budget),
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

/// What an interner honestly costs beyond the text of its `distinct` words,
/// in bytes, for the layouts the README suggests (64-bit):
/// - each word's own block: an `Rc<str>` adds two 8-byte counts to the text
///   and rounds up to 8 bytes (at most 23 bytes); a `Box<str>` adds nothing;
/// - the list `resolve` reads: one handle per word (16 bytes for `Rc<str>`
///   or `Box<str>`, 24 for `String`), its capacity grown by doubling from 4,
///   so at most `max(4, 2 × distinct)` slots;
/// - the map: a hashbrown table keeps at most 7 of 8 buckets full, buckets
///   a power of two (at least 4), each one key and symbol (at most 32 bytes)
///   and one control byte, plus 16 control bytes at the end.
fn overhead_budget(distinct: usize) -> usize {
    let buckets = (distinct * 8 / 7 + 1).next_power_of_two().max(4);
    23 * distinct + 24 * (2 * distinct).max(4) + 33 * buckets + 16
}

/// Interns `words` into a new interner inside a window and checks what it
/// holds: at least the text of each distinct word once, at most that plus
/// [`overhead_budget`]; then drops it inside another window and checks that
/// every byte is given back.
fn check_held_bytes(words: &[String], what: &str) {
    let mut distinct: Vec<&str> = words.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let text: usize = distinct.iter().map(|w| w.len()).sum();
    let mut symbols: Vec<Symbol> = Vec::with_capacity(words.len());
    let (interner, built) = memprobe::measure(|| {
        let mut interner = Interner::new();
        for word in black_box(words) {
            symbols.push(interner.intern(word));
        }
        interner
    });
    assert_eq!(interner.len(), distinct.len(), "{what}: len()");
    for (word, symbol) in words.iter().zip(&symbols) {
        assert_eq!(interner.resolve(*symbol), word, "{what}: resolve");
    }
    let held = built.live_bytes.max(0) as usize;
    assert!(
        held >= text,
        "{what}: the interner holds {held} bytes, less than the {text} bytes of its distinct words"
    );
    let budget = text + overhead_budget(distinct.len());
    if let Err(msg) = memprobe::check(
        Metric::LiveBytes,
        Budget::AtMost(budget),
        &built,
        what,
        "keep one copy of each distinct word (an Rc<str> shared by the map and the list), and no spare room reserved ahead",
    ) {
        panic!(
            "{msg}\n  (the budget is the {text} bytes of the {} distinct words plus {} for the map, the list and the per-word headers)",
            distinct.len(),
            budget - text
        );
    }
    let (_, dropped) = memprobe::measure(move || {
        let _dropped_here = interner;
    });
    assert_eq!(
        dropped.live_bytes, -built.live_bytes,
        "{what}: dropping the interner gave back {} of the {held} bytes it held\n  idea:     own the words (Rc<str>, Box<str>, String): a leaked word is never freed",
        -dropped.live_bytes
    );
}

#[test]
fn holds_each_word_once_and_frees_it() {
    let mut rng = Rng::new(19);
    // Five long words (some non-ASCII, lengths not powers of two), each
    // interned many times in a shuffled order: the text dominates, so a
    // second copy of it cannot hide in the table's overhead.
    let long: Vec<String> = [713, 1_001, 1_499, 2_203, 3_001]
        .iter()
        .map(|&len| {
            let mut word = String::new();
            while word.len() < len {
                word.push_str(&rng.word(1..=9, true));
            }
            word
        })
        .collect();
    let repeated: Vec<String> = (0..5_000)
        .map(|_| long[rng.below(long.len() as u64) as usize].clone())
        .collect();
    check_held_bytes(&repeated, "interning 5,000 words, 5 distinct long ones");
    // Many short distinct words, with repeats.
    let pool = rng.words(1_003, 1..=12, true);
    let many: Vec<String> = (0..6_007)
        .map(|_| pool[rng.below(pool.len() as u64) as usize].clone())
        .collect();
    check_held_bytes(&many, "interning 6,007 words from 1,003 short ones");
    // More distinct words than a 16-bit symbol can number.
    let numbered: Vec<String> = (0..70_001).map(|i| format!("w{i}")).collect();
    check_held_bytes(&numbered, "interning 70,001 distinct words");
    check_held_bytes(&[], "an interner with no words");
}
