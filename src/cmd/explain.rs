//! `memgrade explain [TERM]`: what the words in memprobe's failure messages
//! mean (alloc, realloc, dealloc, bytes allocated, peak, live, ...), one
//! line per term.

use anyhow::Result;

use crate::exit::{EXIT_OK, UsageError};
use crate::report::glossary::{TERMS, lookup};

/// Prints every term, or only `term`; an unknown term is a usage error with
/// the nearest known one suggested.
pub fn run(term: Option<&str>) -> Result<i32> {
    let width = TERMS.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
    let Some(term) = term else {
        for (t, meaning) in TERMS {
            outln!("{t:<width$}  {meaning}");
        }
        return Ok(EXIT_OK);
    };
    let (t, meaning) = lookup(term).map_err(UsageError)?;
    outln!("{t:<width$}  {meaning}");
    Ok(EXIT_OK)
}
