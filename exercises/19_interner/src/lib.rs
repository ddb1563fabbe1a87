//! A string interner, Rust's `sys.intern`: one stored copy of each distinct
//! word, and a small `Symbol` to stand for it.
//!
//! This version works, but it keeps a new `String` for every call, even for
//! a word it has seen a thousand times: memory grows with the number of words
//! interned instead of the number of distinct words. And to find a word's
//! first copy it makes yet another `String`, a map key, on every call. Store
//! each distinct word once, and make interning a known word allocate nothing.

use std::collections::HashMap;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    /// A copy of the word of every call, in call order.
    words: Vec<String>,
    /// Each distinct word and the symbol (an index into `words`) of its
    /// first copy.
    first: HashMap<String, Symbol>,
}

impl Interner {
    /// An empty interner. It does not allocate.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// Returns the symbol of `word`: the same symbol every time for the same
    /// text, a different one for different text.
    pub fn intern(&mut self, word: &str) -> Symbol {
        self.words.push(word.to_string());
        let this_call = Symbol(self.words.len() as u32 - 1);
        *self.first.entry(word.to_string()).or_insert(this_call)
    }

    /// Returns the text of a symbol this interner handed out.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        &self.words[symbol.0 as usize]
    }

    /// The number of distinct words interned so far.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Whether no word has been interned yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
