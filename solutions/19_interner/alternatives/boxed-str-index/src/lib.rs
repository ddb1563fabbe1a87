//! Alternative: the text in `Box<str>`s in a list, the map from text to symbol keyed by a hash only (`HashMap<u64, Symbol>`), the candidate compared with the list's text; the rare words whose 64-bit hash is taken by another word go to a spill list.
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
    by_hash: HashMap<u64, Symbol>,
    /// Words whose hash was already taken by another word (almost never).
    spill: Vec<Symbol>,
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
        let taken = match self.by_hash.get(&hash) {
            Some(&symbol) if &*self.words[symbol.0 as usize] == word => return symbol,
            Some(_) => true,
            None => false,
        };
        if taken {
            for &symbol in &self.spill {
                if &*self.words[symbol.0 as usize] == word {
                    return symbol;
                }
            }
        }
        let symbol = Symbol(self.words.len() as u32);
        self.words.push(Box::from(word));
        if taken {
            self.spill.push(symbol);
        } else {
            self.by_hash.insert(hash, symbol);
        }
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
