//! Mutant: uses a 32-bit hash of the text as the symbol: two words can collide.
//!
//! A string interner, Rust's `sys.intern`: one stored copy of each distinct
//! word, and a small `Symbol` to stand for it.
//!
//! Each distinct word is allocated once, as an `Rc<str>` shared by the list
//! (symbol → text) and the map (text → symbol). Looking a word up borrows it
//! as `&str`, so a word already known costs no allocation.

use std::collections::HashMap;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    /// The text of each symbol, by the symbol's number.
    words: HashMap<u32, Box<str>>,
}

/// The 32-bit FNV-1a hash of `word`.
fn hash32(word: &str) -> u32 {
    word.bytes().fold(0x811c_9dc5, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

impl Interner {
    /// An empty interner. It does not allocate.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// MUTANT: the symbol is a 32-bit hash of the text: no list to keep,
    /// but two words with the same hash get the same symbol (the first
    /// one's text wins).
    pub fn intern(&mut self, word: &str) -> Symbol {
        let hash = hash32(word);
        self.words.entry(hash).or_insert_with(|| Box::from(word));
        Symbol(hash)
    }

    /// Returns the text of a symbol this interner handed out.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        &self.words[&symbol.0]
    }

    /// The number of distinct words interned so far.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word has been interned yet.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}
