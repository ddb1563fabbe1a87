//! Mutant: the reference interner that reserves room for 1,024 words at the first `intern`, so later words never make the tables grow.
// Family: sized to the test (capacity kept far beyond the words stored).

use std::collections::HashMap;
use std::rc::Rc;

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<Rc<str>>,
    symbols: HashMap<Rc<str>, Symbol>,
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
        if self.words.is_empty() {
            // Room for plenty of words up front, so growing never allocates.
            self.words.reserve(1024);
            self.symbols.reserve(1024);
        }
        let symbol = Symbol(self.words.len() as u32);
        let word: Rc<str> = Rc::from(word);
        self.words.push(Rc::clone(&word));
        self.symbols.insert(word, symbol);
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
