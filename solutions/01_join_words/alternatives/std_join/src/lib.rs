//! Alternative: the standard library's `join`, which adds up the lengths and reserves them once.

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    // `[&str]::join` computes the exact final length before copying, so the
    // result is one allocation with capacity == length (none for `[]`).
    words.join(" ")
}
