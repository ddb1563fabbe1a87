//! Read words through borrows instead of copying them.
//!
//! Every function here receives a borrowed slice (`&[String]`) and answers
//! with a count, a `bool` or a `&str` that points into that slice. None of
//! them needs a heap allocation. This version works, but each function first
//! copies the words (`to_vec()`, `clone()`, `to_string()`), like Python code
//! that loops over `list(words)` or `words[:]` "to be safe". Make every
//! function allocate nothing.

/// Returns how many words are exactly equal to `needle`:
/// `count_matches(&["a", "b", "a"], "a")` gives 2.
pub fn count_matches(haystack: &[String], needle: &str) -> usize {
    // A private copy of everything, "to be safe".
    let words = haystack.to_vec();
    let needle = needle.to_string();
    let mut count = 0;
    for word in &words {
        if *word == needle {
            count += 1;
        }
    }
    count
}

/// Returns `true` when the words are in ascending (byte-wise, like `str`'s
/// `Ord`) order; equal neighbours are allowed. No words, or one word, are in
/// order.
pub fn is_alphabetical(words: &[String]) -> bool {
    let mut sorted = words.to_vec();
    sorted.sort();
    sorted == words
}

/// Returns the longest word (longest in bytes), borrowed from `words`; on a
/// tie, the one that comes first. `None` when there are no words.
pub fn longest(words: &[String]) -> Option<&str> {
    let mut by_length = words.to_vec();
    // A stable sort keeps tied words in their original order.
    by_length.sort_by_key(|word| std::cmp::Reverse(word.len()));
    let winner = by_length.first()?;
    words
        .iter()
        .find(|word| *word == winner)
        .map(|word| word.as_str())
}
