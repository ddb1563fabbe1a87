//! A grade of record's review flags as the machine formats show them
//! ([`crate::pipeline::grade::ReviewFlag`]): constructs in the fork's
//! sources for a person to look at, never a change to the points.

use crate::pipeline::grade::{ExerciseGrade, Grade, ReviewFlag};

/// The heading the formats put above the flags.
pub const HEADING: &str = "For review (constructs a memory course never needs; not a grade change)";

/// Every flag of the grade with its exercise, in course then file order.
pub fn flags(grade: &Grade) -> impl Iterator<Item = (&ExerciseGrade, &ReviewFlag)> {
    grade
        .exercises
        .iter()
        .flat_map(|e| e.review.iter().map(move |f| (e, f)))
}

/// One flag on one line: `join_words: exercises/01_join_words/src/lib.rs:1:
/// include! (reads a file ...)`.
pub fn line(e: &ExerciseGrade, f: &ReviewFlag) -> String {
    format!(
        "{}: {}:{}: {} ({})",
        e.name, f.file, f.line, f.construct, f.why
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;

    #[test]
    fn flags_read_as_lines() {
        let g = fixture::reviewed_grade();
        let lines: Vec<String> = flags(&g).map(|(e, f)| line(e, f)).collect();
        assert_eq!(
            lines,
            vec![
                "join_words: exercises/join_words/src/lib.rs:1: include! (reads a file when the crate is compiled)",
                "join_words: exercises/join_words/src/lib.rs:9: std::fs (reads or writes files)",
            ]
        );
        assert_eq!(flags(&fixture::record_grade()).count(), 0);
    }
}
