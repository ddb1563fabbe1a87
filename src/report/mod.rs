//! The report formats of a grading run.
//!
//! Every format renders the one [`Grade`](crate::pipeline::grade::Grade) model and
//! never re-derives a result: statuses, points and messages come from the
//! model as the grader settled them. What did not pass is found once, by
//! [`problem::exercise_problems`] (`machine::problems` for a whole grade),
//! and every reporter renders those problems. [`format`] holds the list of
//! formats, where each goes and the dispatch to its renderer. Each module
//! exposes `render` (GitHub Actions has two outputs: `github::annotations`
//! and `github::step_summary`).
//!
//! | module | consumer |
//! |---|---|
//! | [`terminal`] | people: colored text with diffs |
//! | [`live`] | people: the progress line on stderr while grading |
//! | `json` | scripts: the model itself |
//! | `junit` | JUnit XML readers (dorny/test-reporter, mikepenz/action-junit-report, GitLab, Jenkins) |
//! | `github` | GitHub Actions: workflow-command annotations and `$GITHUB_STEP_SUMMARY` |
//! | `gradescope` | Gradescope's `/autograder/results/results.json` |
//! | `classroom50` | Classroom 50's `result.json` (`classroom50/result/v1`) |
//! | `prairielearn` | PrairieLearn's external grader `/grade/results/results.json` |
//!
//! Only the terminal report is in every build; the machine formats (and
//! `entries`, which flattens a grade into the scored entries the platform
//! formats list, and `machine`, what they share) are the instructor
//! build's (feature `instructor`).

#[macro_use]
pub mod output;

pub mod advice;
pub mod ci_log;
pub mod format;
pub mod glossary;
pub mod live;
pub mod problem;
pub mod progress;
pub mod sites;
pub mod terminal;
pub mod textdiff;

// The machine formats: instructor build only (feature `instructor`).
#[cfg(feature = "instructor")]
pub mod machine;

/// `n` and its noun, singular for 1: `1 byte`, `3 bytes`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Points without a trailing `.0`.
pub fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{p:.1}")
    }
}

#[cfg(test)]
mod snapshot_tests;

use std::borrow::Cow;

use crate::pipeline::grade::{Diagnostic, ExerciseGrade, ExerciseStatus, TestGrade, TestStatus};

/// Why an exercise is reported as one entry instead of test by test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WholeExercise<'a> {
    /// It did not compile: these are the compiler's errors.
    CompileError(&'a [Diagnostic]),
    /// Graded files were changed: its test results are not trusted.
    Tampered(&'a [String]),
    /// It compiled but no test ran.
    NoTests,
}

/// The reason to report `e` as a whole, or `None` when its tests speak for it.
pub(crate) fn whole_exercise(e: &ExerciseGrade) -> Option<WholeExercise<'_>> {
    match e.status {
        ExerciseStatus::Tampered => Some(WholeExercise::Tampered(&e.tampered_files)),
        ExerciseStatus::CompileError => Some(WholeExercise::CompileError(&e.diagnostics)),
        ExerciseStatus::Failed if e.tests.is_empty() => Some(WholeExercise::NoTests),
        _ => None,
    }
}

impl WholeExercise<'_> {
    /// The full explanation, multi-line.
    pub fn text(self) -> String {
        match self {
            WholeExercise::CompileError(diags) => compile_text(diags),
            WholeExercise::Tampered(files) => tampered_text(files),
            WholeExercise::NoTests => NO_TESTS.to_string(),
        }
    }
}

/// Explanation for an exercise where no test ran.
pub(crate) const NO_TESTS: &str =
    "no tests ran: the exercise compiled but its test binaries listed no test";

/// The compiler's rendered errors, one after the other.
pub(crate) fn compile_text(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(diagnostic_text(d));
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("the exercise did not compile\n");
    }
    out
}

/// One compiler error's text: the rendered form, or the one-line message
/// when the compiler rendered nothing; trailing whitespace trimmed.
pub(crate) fn diagnostic_text(d: &Diagnostic) -> &str {
    if d.rendered.trim().is_empty() {
        d.message.trim_end()
    } else {
        d.rendered.trim_end()
    }
}

/// The explanation for a tampered exercise, naming the files.
pub(crate) fn tampered_text(files: &[String]) -> String {
    format!(
        "graded files were changed: {}\nthey must match the course's copies for this exercise to be graded",
        files.join(", ")
    )
}

/// How to put changed graded files back (`files` as [`tampered_text`]
/// gets them: `path (changed)`, `path (added)`, `path (removed)`) without
/// touching the student's `src/`: git restores the changed and removed
/// ones, an added one is deleted. (`memgrade reset` would also put `src/`
/// back to the stub.)
pub fn restore_remedy(files: &[String]) -> String {
    let (added, tracked): (Vec<&str>, Vec<&str>) = files
        .iter()
        .map(|f| f.as_str())
        .partition(|f| f.ends_with(" (added)"));
    let path = |f: &str| f.rsplit_once(" (").map_or(f, |(p, _)| p).to_string();
    let mut steps = Vec::new();
    if !tracked.is_empty() {
        let paths: Vec<String> = tracked.iter().map(|f| path(f)).collect();
        steps.push(format!("git checkout -- {}", paths.join(" ")));
    }
    if !added.is_empty() {
        let paths: Vec<String> = added.iter().map(|f| path(f)).collect();
        steps.push(format!("delete {}", paths.join(", ")));
    }
    format!(
        "restore them ({}), which leaves your src/ as it is",
        steps.join("; then ")
    )
}

/// Why a test did not pass: its message, or a sentence for its status when
/// the harness left no message; then, when its points do not count, the
/// "not counted: ..." line. For a passed test: only that line (or nothing).
pub(crate) fn reason(t: &TestGrade) -> Cow<'_, str> {
    let base = if !t.message.trim().is_empty() {
        t.message.as_str()
    } else {
        match t.status {
            TestStatus::Passed => "",
            TestStatus::Failed => "the test failed without a message",
            TestStatus::TimedOut => "the test did not finish within the time limit",
            TestStatus::Crashed => {
                "the test process ended without a verdict (signal, abort, stack overflow or memory limit)"
            }
        }
    };
    match t.not_counted_line() {
        None => Cow::Borrowed(base),
        Some(note) if base.trim().is_empty() => Cow::Owned(note),
        Some(note) => Cow::Owned(format!("{}\n{note}", base.trim_end())),
    }
}

/// Whether a report should list `t`: it did not pass, or its points do not
/// count.
pub(crate) fn worth_reporting(t: &TestGrade) -> bool {
    t.status != TestStatus::Passed || t.not_counted.is_some()
}

/// A human phrase for a test outcome (`timed out`).
pub(crate) fn status_phrase(s: TestStatus) -> &'static str {
    match s {
        TestStatus::Passed => "passed",
        TestStatus::Failed => "failed",
        TestStatus::TimedOut => "timed out",
        TestStatus::Crashed => "crashed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remedy_for_changed_graded_files_leaves_src_alone() {
        let files = [
            "exercises/01_a/tests/memory.rs (changed)".to_string(),
            "exercises/01_a/tests/extra.rs (added)".to_string(),
            "exercises/01_a/Cargo.toml (removed)".to_string(),
        ];
        assert_eq!(
            restore_remedy(&files),
            "restore them (git checkout -- exercises/01_a/tests/memory.rs exercises/01_a/Cargo.toml; then delete exercises/01_a/tests/extra.rs), which leaves your src/ as it is"
        );
        assert!(!restore_remedy(&files[..1]).contains("reset"));
    }

    #[test]
    fn plurals_are_singular_for_one() {
        assert_eq!(plural(1, "byte"), "1 byte");
        assert_eq!(plural(0, "line"), "0 lines");
        assert_eq!(plural(2, "line"), "2 lines");
    }
}
