//! Alternative: the text in `Box<str>`s in a list, the map from text to symbol keyed by a hash only (`HashMap<u64, Vec<Symbol>>`), each candidate compared with the list's text.
// One copy of every word, no `Rc`: the map holds symbols, not text.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<Box<str>>,
    /// The symbols of the words with each hash (almost always one).
    by_hash: HashMap<u64, Vec<Symbol>>,
    hasher: RandomState,
}

impl Interner {
    /// An empty interner. It does not allocate.
    pub fn new() -> Interner {
        Interner::default()
    }

    /// Returns the symbol of `word`: the same symbol every time for the same
    /// text, a different one for different text.
    pub fn intern(&mut self, word: &str) -> Symbol {
        let hash = self.hasher.hash_one(word);
        if let Some(candidates) = self.by_hash.get(&hash) {
            for &symbol in candidates {
                if &*self.words[symbol.0 as usize] == word {
                    return symbol;
                }
            }
        }
        let symbol = Symbol(self.words.len() as u32);
        self.words.push(Box::from(word));
        self.by_hash.entry(hash).or_default().push(symbol);
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
