//! Mutant: `longest` sorts a Vec of borrowed `&str` (only pointers, "copying references is free"), which is still one allocation of 16 bytes per word.
// Family: wasteful.

/// Returns how many words are exactly equal to `needle`:
/// `count_matches(&["a", "b", "a"], "a")` gives 2.
pub fn count_matches(haystack: &[String], needle: &str) -> usize {
    haystack
        .iter()
        .filter(|word| word.as_str() == needle)
        .count()
}

/// Returns `true` when the words are in ascending (byte-wise, like `str`'s
/// `Ord`) order; equal neighbours are allowed. No words, or one word, are in
/// order.
pub fn is_alphabetical(words: &[String]) -> bool {
    words.windows(2).all(|pair| pair[0] <= pair[1])
}

/// Returns the longest word (longest in bytes), borrowed from `words`; on a
/// tie, the one that comes first. `None` when there are no words.
pub fn longest(words: &[String]) -> Option<&str> {
    let mut by_length: Vec<&str> = words.iter().map(String::as_str).collect();
    // A stable sort keeps tied words in their original order.
    by_length.sort_by_key(|word| std::cmp::Reverse(word.len()));
    by_length.first().copied()
}
