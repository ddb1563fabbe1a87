//! A string interner, Rust's `sys.intern`: one stored copy of each distinct
//! word, and a small `Symbol` to stand for it.
//!
//! This version works, but it keeps a new `String` for every call, even for
//! a word it has seen a thousand times: memory grows with the number of words
//! interned instead of the number of distinct words. Store each distinct word
//! once, and make interning a known word allocate nothing.

/// Stands for one interned word. Symbols are `Copy` and compare as numbers:
/// two symbols from the same interner are equal exactly when their words are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

/// Stores the words it interns and hands out their symbols.
#[derive(Debug, Default)]
pub struct Interner {
    words: Vec<String>,
    distinct: usize,
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
        let index = self.words.iter().position(|w| w == word).unwrap();
        if index == self.words.len() - 1 {
            self.distinct += 1;
        }
        Symbol(index as u32)
    }

    /// Returns the text of a symbol this interner handed out.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        &self.words[symbol.0 as usize]
    }

    /// The number of distinct words interned so far.
    pub fn len(&self) -> usize {
        self.distinct
    }

    /// Whether no word has been interned yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
