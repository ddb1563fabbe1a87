//! What each exercise of a gradebook row came to, in the words a person
//! reads in `gradebook.csv`, the job summary and the reports: an untouched
//! stub and a fork that does not compile both score 0, and they are not
//! the same thing.

use crate::class::book::{Row, RowStatus};
use crate::class::cache::Reference;
use crate::pipeline::grade::ExerciseStatus;

/// One exercise's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Every test passed.
    Passed,
    /// Some test failed (or its points do not count).
    Failed,
    /// The sources do not compile.
    CompileError,
    /// A test ran out of time.
    Timeout,
    /// A test crashed (signal, abort, memory limit).
    Crashed,
    /// The sources are the starting code, byte for byte.
    Untouched,
    /// The fork's sources were refused (a link, too large, missing).
    Refused,
    /// Graded files were changed (a feedback check only).
    Tampered,
}

impl Outcome {
    /// The words in every report.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::CompileError => "compile error",
            Outcome::Timeout => "timeout",
            Outcome::Crashed => "crashed",
            Outcome::Untouched => "untouched",
            Outcome::Refused => "refused",
            Outcome::Tampered => "tampered",
        }
    }

    /// Each outcome, in report order.
    pub const ALL: [Outcome; 8] = [
        Outcome::Passed,
        Outcome::Failed,
        Outcome::CompileError,
        Outcome::Timeout,
        Outcome::Crashed,
        Outcome::Untouched,
        Outcome::Refused,
        Outcome::Tampered,
    ];
}

/// The outcome of `exercise` in `row`, or `None` when the row has no grade
/// (rejected, or the fork could not be graded).
pub fn of(row: &Row, reference: &Reference, exercise: &str) -> Option<Outcome> {
    if row.status != RowStatus::Graded {
        return None;
    }
    let grade = row.grade.as_ref()?;
    let e = grade.exercises.iter().find(|e| e.name == exercise)?;
    if row.cost.refused.iter().any(|r| r == exercise) {
        return Some(Outcome::Refused);
    }
    if row
        .sources
        .get(exercise)
        .is_some_and(|h| reference.stubs.get(exercise) == Some(h))
    {
        return Some(Outcome::Untouched);
    }
    Some(match e.status {
        ExerciseStatus::Passed => Outcome::Passed,
        ExerciseStatus::Failed => Outcome::Failed,
        ExerciseStatus::CompileError => Outcome::CompileError,
        ExerciseStatus::TimedOut => Outcome::Timeout,
        ExerciseStatus::Crashed => Outcome::Crashed,
        ExerciseStatus::Tampered => Outcome::Tampered,
    })
}

/// `3 passed, 1 compile error, 18 untouched`: the outcomes of a row, by
/// kind, in report order (empty for a row without a grade).
pub fn tally(row: &Row, reference: &Reference, exercises: &[String]) -> String {
    let all: Vec<Outcome> = exercises
        .iter()
        .filter_map(|e| of(row, reference, e))
        .collect();
    Outcome::ALL
        .iter()
        .filter_map(|o| {
            let n = all.iter().filter(|x| *x == o).count();
            (n > 0).then(|| format!("{n} {}", o.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
