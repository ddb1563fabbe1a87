//! Mutant: compares the words without their surrounding spaces.
//!
//! Read words through borrows instead of copying them.
//!
//! Every function reads the caller's strings where they are: iterating over
//! `&[String]` yields `&String`, comparing a `&String` with a `&str` needs no
//! conversion, and the answer is a count, a `bool` or a `&str` pointing into
//! the caller's slice. Nothing is allocated.

/// Returns how many words are exactly equal to `needle`:
/// `count_matches(&["a", "b", "a"], "a")` gives 2.
pub fn count_matches(haystack: &[String], needle: &str) -> usize {
    haystack
        .iter()
        // MUTANT: compares the words without their surrounding spaces.
        .filter(|word| word.trim() == needle)
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
    for word in words {
        if best.is_none_or(|b| word.len() > b.len()) {
            best = Some(word);
        }
    }
    best
}
