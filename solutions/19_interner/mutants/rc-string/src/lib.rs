//! Mutant: stores each word as an Rc<String>: two blocks per word (counts and header, then the text).
//!
//! A string interner, Rust's `sys.intern`: one stored copy of each distinct
//! word, and a small `Symbol` to stand for it.
//!
//! Each distinct word is allocated once, as an `Rc<str>` shared by the list
//! (symbol → text) and the map (text → symbol). Looking a word up borrows it
//! as `&str`, so a word already known costs no allocation.

use std::collections::HashMap;
use std::rc::Rc;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<Rc<String>>,
    symbols: HashMap<Key, Symbol>,
}

/// A map key that can be looked up by `&str`.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key(Rc<String>);

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl Interner {
    /// An empty interner. It does not allocate.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// Returns the symbol of `word`: the same symbol every time for the same
    /// text, a different one for different text.
    pub fn intern(&mut self, word: &str) -> Symbol {
        if let Some(&symbol) = self.symbols.get(word) {
            return symbol;
        }
        let symbol = Symbol(self.words.len() as u32);
        // MUTANT: an Rc<String>: the counts and the String's header in one
        // block, the text in another: two allocations per distinct word.
        let word: Rc<String> = Rc::new(word.to_string());
        self.words.push(Rc::clone(&word));
        self.symbols.insert(Key(word), symbol);
        symbol
    }

    /// Returns the text of a symbol this interner handed out.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        &self.words[symbol.0 as usize]
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
