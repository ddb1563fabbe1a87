//! Mutant: each distinct word stored twice, as a `String` key of the map and a `String` in the list.
// Family: wasteful (two copies of every word; repeats are still free).

use std::collections::HashMap;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<String>,
    symbols: HashMap<String, Symbol>,
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
        self.words.push(word.to_string());
        self.symbols.insert(word.to_string(), symbol);
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
