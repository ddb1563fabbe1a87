//! What the machine formats share (instructor build, feature
//! `instructor`): every problem of a grade in one list, the short entry
//! names platforms show, first lines for one-line messages, JUnit's
//! seconds and the provenance mode's name. The terminal report, the one
//! format of a student's build, needs none of it.

pub mod classroom50;
pub mod entries;
pub mod github;
pub mod gradescope;
pub mod json;
pub mod junit;
pub mod prairielearn;
pub mod review;

use crate::pipeline::grade::{Grade, Mode, TestGrade};
use crate::report::WholeExercise;
use crate::report::problem::{Problem, Subject, exercise_problems};

/// Every problem of a grade, in course and harness order.
pub fn problems(grade: &Grade) -> Vec<Problem<'_>> {
    grade.exercises.iter().flat_map(exercise_problems).collect()
}

/// The problem about test `t`, if it did not pass.
pub fn of_test<'p, 'a>(problems: &'p [Problem<'a>], t: &TestGrade) -> Option<&'p Problem<'a>> {
    problems
        .iter()
        .find(|p| p.test().is_some_and(|pt| std::ptr::eq(pt, t)))
}

impl<'a> Problem<'a> {
    /// The entry's short name: the test's name, or `compile`,
    /// `tamper_check`, `tests` for a whole exercise.
    pub fn name(&self) -> &'a str {
        match self.subject {
            Subject::Test(t) => &t.name,
            Subject::Whole(w) => w.entry_name(),
        }
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
}

impl Mode {
    /// The snake_case name used in every format (`record`, `feedback`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Record => "record",
            Mode::Feedback => "feedback",
        }
    }
}

/// The first non-blank line of `s`, trimmed (empty when there is none).
pub fn first_line(s: &str) -> &str {
    s.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// Seconds with millisecond precision (`0.012`), as JUnit readers expect.
pub fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::TestStatus;
    use crate::report::{terminal, whole_exercise};

    #[test]
    fn one_problem_per_failing_test_or_whole_exercise() {
        let g = fixture::grade();
        let found: Vec<(String, &str, &str, Option<u32>)> = problems(&g)
            .iter()
            .map(|p| {
                (
                    p.title.clone(),
                    p.status,
                    p.name(),
                    p.location.map(|l| l.line),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "join_words::allocates_once failed".into(),
                    "failed",
                    "allocates_once",
                    Some(12)
                ),
                (
                    "lazy_lines::streams_lines timed out".into(),
                    "timed_out",
                    "streams_lines",
                    None
                ),
                (
                    "interner::interns_once crashed".into(),
                    "crashed",
                    "interns_once",
                    None
                ),
                (
                    "slots: compile error".into(),
                    "compile_error",
                    "compile",
                    Some(7)
                ),
                (
                    "arena: graded files changed".into(),
                    "tampered",
                    "tamper_check",
                    None
                ),
                ("views: no tests ran".into(), "failed", "tests", None),
            ]
        );
    }

    #[test]
    fn text_falls_back_to_a_sentence_for_the_status() {
        let g = fixture::grade();
        let all = problems(&g);
        let crashed = all.iter().find(|p| p.status == "crashed").unwrap();
        assert!(
            crashed
                .text
                .starts_with("the test process ended without a verdict")
        );
        let t = crashed.test().unwrap();
        assert!(std::ptr::eq(of_test(&all, t).unwrap(), crashed));
        let passed = &g.exercises[5].tests[0];
        assert!(of_test(&all, passed).is_none());
    }

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
    fn gated() -> crate::pipeline::grade::Grade {
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
            ("OWNER", "ada"),
            ("ASSIGNMENT_TYPE", "individual"),
        ];
        classroom50::Context::from_lookup(
            |k| {
                env.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            },
            "2026-11-26T03:15:00Z".into(),
            "2026-11-27T08:00:00Z".into(),
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
            // Markdown escapes the backticks; it renders the same.
            assert!(
                text.contains(why) || text.contains(&github::cell(why)),
                "{format} does not say why:\n{text}"
            );
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
