//! Join words with single spaces, like Python's `" ".join(words)`.
//!
//! The final length is known before any byte is written, so the string
//! reserves it once and never grows.

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let len = words.iter().map(|w| w.len()).sum::<usize>() + words.len() - 1;
    let mut result = String::with_capacity(len);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            result.push(' ');
        }
        result.push_str(word);
    }
    result
}
