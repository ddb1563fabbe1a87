//! Mutant: the line buffer lives in a `thread_local!` so that later calls reuse it too; it is never freed.
// Family: leak or kept capacity (a cache that outlives the call).

use std::cell::RefCell;
use std::io::{self, BufRead};

thread_local! {
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Returns how many lines of `reader` contain `needle`.
pub fn count_matching_lines(mut reader: impl BufRead, needle: &str) -> io::Result<usize> {
    LINE.with_borrow_mut(|line| {
        let mut count = 0;
        line.clear();
        while reader.read_line(line)? != 0 {
            if line.contains(needle) {
                count += 1;
            }
            line.clear();
        }
        Ok(count)
    })
}
