//! Machine report formats of a grading run.
//!
//! Every format renders the one [`Grade`](crate::grade::Grade) model and
//! never re-derives a result: statuses, points and messages come from the
//! model as the grader settled them. What did not pass is found once, by
//! [`problem::problems`], and every reporter renders those problems.
//! [`format`] holds the list of formats, where each goes and the dispatch
//! to its renderer. Each module exposes `render` (GitHub
//! Actions has two outputs: [`github::annotations`] and
//! [`github::step_summary`]).
//!
//! | module | consumer |
//! |---|---|
//! | [`terminal`] | people: colored text with diffs |
//! | [`live`] | people: the progress line on stderr while grading |
//! | [`json`] | scripts: the model itself |
//! | [`junit`] | JUnit XML readers (dorny/test-reporter, mikepenz/action-junit-report, GitLab, Jenkins) |
//! | [`github`] | GitHub Actions: workflow-command annotations and `$GITHUB_STEP_SUMMARY` |
//! | [`gradescope`] | Gradescope's `/autograder/results/results.json` |
//! | [`classroom50`] | Classroom 50's `result.json` (`classroom50/result/v1`) |
//! | [`prairielearn`] | PrairieLearn's external grader `/grade/results/results.json` |
//!
//! [`entries`] flattens a grade into the scored entries the platform
//! formats list.

pub mod classroom50;
pub mod entries;
pub mod format;
pub mod github;
pub mod gradescope;
pub mod json;
pub mod junit;
pub mod live;
pub mod prairielearn;
pub mod problem;
pub mod terminal;

/// Points without a trailing `.0`.
pub fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{p:.1}")
    }
}

#[cfg(test)]
pub(crate) mod fixture;

use std::borrow::Cow;

use crate::grade::{Diagnostic, ExerciseGrade, ExerciseStatus, TestGrade, TestStatus};

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
    /// A short name for the entry (a JUnit testcase name, a title suffix).
    pub fn entry_name(self) -> &'static str {
        match self {
            WholeExercise::CompileError(_) => "compile",
            WholeExercise::Tampered(_) => "tamper_check",
            WholeExercise::NoTests => "tests",
        }
    }

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

/// The first non-blank line of `s`, trimmed (empty when there is none).
pub(crate) fn first_line(s: &str) -> &str {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
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

/// Seconds with millisecond precision (`0.012`), as JUnit readers expect.
pub(crate) fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_skips_blank_lines_and_trims() {
        assert_eq!(first_line("\n  \n  measured 3 \nbudget 1"), "measured 3");
        assert_eq!(first_line(""), "");
        assert_eq!(first_line("\r\nx\r\n"), "x");
    }

    #[test]
    fn seconds_pad_milliseconds() {
        assert_eq!(seconds(12), "0.012");
        assert_eq!(seconds(1500), "1.500");
        assert_eq!(seconds(0), "0.000");
    }

    #[test]
    fn whole_exercise_follows_the_settled_status() {
        let g = fixture::grade();
        let kinds: Vec<Option<&str>> = g
            .exercises
            .iter()
            .map(|e| whole_exercise(e).map(|w| w.entry_name()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                None,
                None,
                None,
                Some("compile"),
                Some("tamper_check"),
                None,
                Some("tests")
            ]
        );
    }

    /// A gated exercise: its behaviour test failed, its memory test passed.
    fn gated() -> crate::grade::Grade {
        let mut behaviour = fixture::test("joins_with_single_spaces", TestStatus::Failed, 0.0);
        behaviour.gate = true;
        behaviour.message = "assertion `left == right` failed".into();
        let memory = fixture::test("allocates_once", TestStatus::Passed, 1.0);
        let mut waste = fixture::test("wastes_no_capacity", TestStatus::Failed, 1.0);
        waste.message = "expected at most 19 peak bytes, measured 32".into();
        fixture::grade_of(vec![fixture::exercise(
            "join_words",
            "footprint",
            10.0,
            vec![behaviour, memory, waste],
        )])
    }

    /// A Classroom 50 runner's context, for rendering in tests.
    fn classroom50_context() -> classroom50::Context {
        let env = [
            ("CLASSROOM", "mem101"),
            ("ASSIGNMENT", "memgrade"),
            ("SUBMISSION_TAG", "submit/1"),
            ("COMMIT_URL", "https://example.invalid/commit/1"),
            ("RELEASE_URL", "https://example.invalid/releases/1"),
        ];
        classroom50::Context::from_lookup(
            |k| {
                env.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            },
            "2026-11-26T03:15:00Z".into(),
        )
        .unwrap()
    }

    #[test]
    fn every_format_shows_what_is_not_counted() {
        let g = gated();
        assert_eq!(g.score, 0.0);
        let why = "behaviour test `joins_with_single_spaces` failed";
        colored::control::set_override(false);
        let outputs = [
            ("terminal", terminal::render(&g)),
            ("json", json::render(&g)),
            ("junit", junit::render(&g)),
            ("github annotations", github::annotations(&g)),
            ("github summary", github::step_summary(&g)),
            ("gradescope", gradescope::render(&g)),
            ("prairielearn", prairielearn::render(&g)),
            (
                "classroom50",
                classroom50::render(&g, &classroom50_context()),
            ),
        ];
        for (format, text) in outputs {
            let hits = text.matches("not counted").count() + text.matches("not_counted").count();
            assert!(
                hits > 0,
                "{format} does not say what is not counted:\n{text}"
            );
            assert!(text.contains(why), "{format} does not say why:\n{text}");
        }
        // The passed memory test is listed too, not only the failures.
        let terminal = terminal::render(&g);
        assert!(
            terminal.contains("allocates_once (passed, not counted"),
            "{terminal}"
        );
        let junit = junit::render(&g);
        assert!(
            junit.contains("<testcase name=\"allocates_once\"")
                && junit.matches("name=\"not_counted\"").count() == 2,
            "{junit}"
        );
    }
}
