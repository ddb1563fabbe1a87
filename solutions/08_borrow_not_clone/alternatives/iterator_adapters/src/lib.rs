//! Alternative: library adapters instead of loops: `fold` to count, `is_sorted` for the order, and `max_by_key` over the reversed slice (it keeps the last maximum it sees, which is the first one of the input).
//!
//! Nothing is allocated: every adapter walks the caller's slice and yields
//! borrows into it.

/// Returns how many words are exactly equal to `needle`:
/// `count_matches(&["a", "b", "a"], "a")` gives 2.
pub fn count_matches(haystack: &[String], needle: &str) -> usize {
    haystack
        .iter()
        .fold(0, |n, word| n + usize::from(*word == needle))
}

/// Returns `true` when the words are in ascending (byte-wise, like `str`'s
/// `Ord`) order; equal neighbours are allowed. No words, or one word, are in
/// order.
pub fn is_alphabetical(words: &[String]) -> bool {
    words.is_sorted()
}

/// Returns the longest word (longest in bytes), borrowed from `words`; on a
/// tie, the one that comes first. `None` when there are no words.
pub fn longest(words: &[String]) -> Option<&str> {
    words
        .iter()
        .rev()
        .max_by_key(|word| word.len())
        .map(String::as_str)
}
