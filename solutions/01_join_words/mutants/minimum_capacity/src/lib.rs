//! Mutant: never reserves less than 16 bytes ("tiny allocations are wasteful"), so short results keep spare capacity.
//! Family: leak or kept capacity (spare capacity stays allocated; even no words allocate).

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    let len = words
        .iter()
        .map(|w| w.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut result = String::with_capacity(len.max(16));
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            result.push(' ');
        }
        result.push_str(word);
    }
    result
}
