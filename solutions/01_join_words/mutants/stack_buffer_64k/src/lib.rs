//! Mutant: joins into a 64 KiB buffer on the stack, then copies the result
//! into one exact String; longer results fall back to `+=` on a String that
//! grows as it goes (sized to the test inputs, not to the input).

/// Joins `words` with one space between each pair, in one heap allocation
/// of exactly the result's length when it fits the stack buffer.
pub fn join_words(words: &[&str]) -> String {
    let mut buf = [0u8; 65_536];
    let mut len = 0;
    let mut fits = true;
    for (i, word) in words.iter().enumerate() {
        let need = word.len() + usize::from(i > 0);
        if len + need > buf.len() {
            fits = false;
            break;
        }
        if i > 0 {
            buf[len] = b' ';
            len += 1;
        }
        buf[len..len + word.len()].copy_from_slice(word.as_bytes());
        len += word.len();
    }
    if fits {
        return String::from_utf8(buf[..len].to_vec()).expect("joined str pieces are UTF-8");
    }
    let mut result = String::new();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            result += " ";
        }
        result += word;
    }
    result
}
