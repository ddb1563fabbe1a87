//! The words of memory failure messages (alloc, realloc, dealloc, bytes
//! allocated, peak, live, ...) and what they mean: `memgrade explain` prints
//! them, the terminal report prints [`LEGEND`] under the first memory
//! failure.

/// Every term a failure message uses, with its one-line meaning.
pub const TERMS: &[(&str, &str)] = &[
    (
        "window",
        "the code one memprobe measurement watched (the expression in `measure` or an `assert_*!` macro); every number below is counted inside it",
    ),
    (
        "alloc",
        "one new heap block handed out by the allocator (`Box::new`, `String::with_capacity`, a `Vec`'s first push)",
    ),
    (
        "realloc",
        "one existing block resized, usually a `Vec` or `String` growing past its capacity; it may move and copy every byte written so far",
    ),
    (
        "dealloc",
        "one block given back to the allocator, when the value that owned it is dropped",
    ),
    (
        "heap allocations",
        "allocs + reallocs: how many times the allocator had to find a block",
    ),
    (
        "bytes allocated",
        "the size of every alloc plus the new size of every realloc, even of blocks freed again: the allocator's total work",
    ),
    (
        "peak",
        "the most heap bytes live at one moment in the window, counted from its start: the memory the code needed at its worst",
    ),
    (
        "live",
        "heap bytes allocated minus bytes freed when the window closed: what is still held (a leak, or the result); negative when the window freed memory allocated before it (say, an input it was given and dropped)",
    ),
    (
        "budget",
        "what the test allows (`at most N`, `exactly N`), derived from what an honest solution costs; `measured` is what your code did",
    ),
];

/// The one-line legend the terminal report prints under the first memory
/// failure it shows.
pub const LEGEND: &str = "legend: alloc = new heap block, realloc = block resized (grown), dealloc = block freed, peak = most heap bytes live at once, live = bytes still held at the end (negative: freed memory from before the window); `memgrade explain` says more";

/// The entry for `term`: case and `_`/`-` separators do not matter, and a
/// plural (`allocs`) finds its singular.
pub fn lookup(term: &str) -> Result<(&'static str, &'static str), String> {
    let key = normalize(term);
    let found = TERMS.iter().find(|(t, _)| {
        let t = normalize(t);
        key == t || key.strip_suffix('s') == Some(t.as_str())
    });
    if let Some(&(t, meaning)) = found {
        return Ok((t, meaning));
    }
    let nearest = TERMS
        .iter()
        .map(|(t, _)| (strsim::jaro_winkler(&key, &normalize(t)), *t))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.7)
        .map(|(_, t)| format!("; did you mean `{t}`?"))
        .unwrap_or_default();
    let known: Vec<&str> = TERMS.iter().map(|(t, _)| *t).collect();
    Err(format!(
        "`{term}` is not a term memgrade explains{nearest} (terms: {})",
        known.join(", ")
    ))
}

fn normalize(term: &str) -> String {
    term.trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_whatever_their_spelling() {
        assert_eq!(lookup("peak").unwrap().0, "peak");
        assert_eq!(lookup("Reallocs").unwrap().0, "realloc");
        assert_eq!(lookup("bytes_allocated").unwrap().0, "bytes allocated");
        assert_eq!(lookup(" Bytes-Allocated ").unwrap().0, "bytes allocated");
        assert!(
            lookup("live")
                .unwrap()
                .1
                .contains("negative when the window freed memory allocated before it")
        );
    }

    #[test]
    fn unknown_terms_suggest_the_nearest() {
        let e = lookup("reallco").unwrap_err();
        assert!(e.contains("did you mean `realloc`?"), "{e}");
        assert!(e.contains("terms: window, alloc, realloc"), "{e}");
        let e = lookup("zzzzzz").unwrap_err();
        assert!(!e.contains("did you mean"), "{e}");
    }

    #[test]
    fn the_legend_fits_on_one_line_and_names_every_counter() {
        assert!(!LEGEND.contains('\n'));
        for word in ["alloc", "realloc", "dealloc", "peak", "live", "negative"] {
            assert!(LEGEND.contains(word), "{word}");
        }
    }
}
