//! `memgrade explain [TERM]`: what the words in memprobe's failure messages
//! mean (alloc, realloc, dealloc, bytes allocated, peak, live, ...), one
//! entry per term, its meaning broken at spaces under its own column on a
//! terminal.

use anyhow::Result;

use crate::exit::{EXIT_OK, UsageError};
use crate::report::glossary::{TERMS, lookup};
use crate::report::output::{terminal_width, wrap_hanging};

/// Prints every term, or only `term`; an unknown term is a usage error with
/// the nearest known one suggested.
pub fn run(term: Option<&str>) -> Result<i32> {
    let entries = match term {
        None => TERMS.to_vec(),
        Some(term) => vec![lookup(term).map_err(UsageError)?],
    };
    out!("{}", text(&entries, terminal_width()));
    Ok(EXIT_OK)
}

/// The entries, one per line, or broken at spaces to `width` columns with
/// each meaning's continuation lines under the meaning's column.
fn text(entries: &[(&str, &str)], width: Option<usize>) -> String {
    let column = TERMS.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (t, meaning) in entries {
        let line = format!("{t:<column$}  {meaning}");
        match width {
            Some(w) => out.push_str(&wrap_hanging(&line, w, Some(column + 2))),
            None => out.push_str(&line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::output::display_width;

    /// Every line fits `width` and the words are those of the glossary, in
    /// order: nothing was broken inside a word.
    fn fits(width: usize) {
        let shown = text(TERMS, Some(width));
        for l in shown.lines() {
            assert!(display_width(l) <= width, "{width} columns: {l:?}");
        }
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let plain = text(TERMS, None);
        assert_eq!(words(&shown), words(&plain));
        assert!(shown.lines().count() > plain.lines().count());
        // A meaning continues under its own column.
        let continued = shown.lines().nth(1).unwrap();
        assert!(continued.starts_with(&" ".repeat(18)), "{continued:?}");
        assert!(!continued.starts_with(&" ".repeat(19)), "{continued:?}");
    }

    #[test]
    fn meanings_break_at_spaces_at_60_and_100_columns() {
        fits(60);
        fits(100);
    }

    #[test]
    fn off_a_terminal_each_term_is_one_line() {
        assert_eq!(text(TERMS, None).lines().count(), TERMS.len());
    }
}
