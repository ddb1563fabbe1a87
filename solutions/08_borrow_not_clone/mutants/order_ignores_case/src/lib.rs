//! Mutant: `is_alphabetical` compares neighbours in dictionary order (ASCII case folded), not byte order, so ["Zebra", "apple"] is judged out of order.
// Family: wrong output on an edge case (uppercase).

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
    words.windows(2).all(|pair| {
        let a = pair[0].bytes().map(|b| b.to_ascii_lowercase());
        let b = pair[1].bytes().map(|b| b.to_ascii_lowercase());
        a.le(b)
    })
}

/// Returns the longest word (longest in bytes), borrowed from `words`; on a
/// tie, the one that comes first. `None` when there are no words.
pub fn longest(words: &[String]) -> Option<&str> {
    let mut best: Option<&str> = None;
    for word in words {
        if best.is_none_or(|b| word.len() > b.len()) {
            best = Some(word);
        }
    }
    best
}
