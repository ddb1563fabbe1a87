//! Mutant: measures the words in characters (`chars().count()`), so non-ASCII text outgrows the reservation.
//! Family: sized to the test (right only while every input is ASCII).

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let len = words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len() - 1;
    let mut result = String::with_capacity(len);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            result.push(' ');
        }
        result.push_str(word);
    }
    result
}
