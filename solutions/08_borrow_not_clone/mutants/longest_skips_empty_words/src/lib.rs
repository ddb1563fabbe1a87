//! Mutant: `longest` starts from a best length of 0, so a list of empty words has no longest word (None instead of the first "").
// Family: wrong output on an edge case (empty elements).

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
    let mut best: Option<&str> = None;
    let mut best_len = 0;
    for word in words {
        if word.len() > best_len {
            best = Some(word);
            best_len = word.len();
        }
    }
    best
}
