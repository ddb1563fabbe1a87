//! Join words with single spaces, like Python's `" ".join(words)`.
//!
//! This version works, but it grows the string one piece at a time: every
//! `+=` that runs past the current capacity makes the allocator find a bigger
//! block and copy everything written so far. Make it allocate exactly once.

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    let mut result = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            result += " ";
        }
        result += word;
    }
    result
}
