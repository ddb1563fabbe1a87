//! Mutant: puts a space only once something was written, so empty words vanish (`["", "x", ""]` gives `"x"`).
//! Family: wrong output on an edge case (empty element).

/// Returns the words joined by single spaces: `["a", "b"]` gives `"a b"`,
/// no words give `""`.
pub fn join_words(words: &[&str]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let len = words.iter().map(|w| w.len()).sum::<usize>() + words.len() - 1;
    let mut result = String::with_capacity(len);
    for word in words {
        // "No leading space": checks the output instead of the position.
        if !result.is_empty() && !word.is_empty() {
            result.push(' ');
        }
        result.push_str(word);
    }
    result
}
