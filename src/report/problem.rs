//! The one problem model every reporter renders: each thing in a [`Grade`]
//! that did not pass, with its title, status, location and explanation,
//! built once here instead of by each reporter's own walk over the grade.
//!
//! An exercise is reported either as a whole (it did not compile, its graded
//! files were changed, or no test ran: one problem) or test by test (one
//! problem per test that did not pass, or passed but earns nothing because
//! a behaviour test of the exercise's gate failed).

use crate::grade::{ExerciseGrade, Grade, Location, TestGrade, TestStatus};
use crate::report::{WholeExercise, reason, status_phrase, whole_exercise, worth_reporting};

/// What a problem is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subject<'a> {
    /// One test that did not pass, or whose points do not count.
    Test(&'a TestGrade),
    /// The exercise as a whole.
    Whole(WholeExercise<'a>),
}

/// One thing that did not pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem<'a> {
    /// The exercise it belongs to.
    pub exercise: &'a ExerciseGrade,
    /// The test, or the reason the exercise is reported as a whole.
    pub subject: Subject<'a>,
    /// One line naming it: `join_words::allocates_once failed`,
    /// `slots: compile error`, `arena: graded files changed`,
    /// `views: no tests ran`.
    pub title: String,
    /// The snake_case status: the test's, or the exercise's when whole.
    pub status: &'static str,
    /// Where: the failing test's location, or a compile error's first located
    /// diagnostic.
    pub location: Option<&'a Location>,
    /// The full explanation (multi-line): the test's message, or a sentence
    /// for its status when it left none; the compiler's errors; the changed
    /// files; or why no test ran.
    pub text: String,
}

impl<'a> Problem<'a> {
    /// Whether the problem is a test that passed but whose points do not
    /// count (its exercise's gate failed): worth showing, not a failure.
    pub fn only_not_counted(&self) -> bool {
        self.test().is_some_and(|t| t.status == TestStatus::Passed)
    }

    /// The test that did not pass, when the problem is one test.
    pub fn test(&self) -> Option<&'a TestGrade> {
        match self.subject {
            Subject::Test(t) => Some(t),
            Subject::Whole(_) => None,
        }
    }

    /// The entry's short name: the test's name, or `compile`,
    /// `tamper_check`, `tests` for a whole exercise.
    pub fn name(&self) -> &'a str {
        match self.subject {
            Subject::Test(t) => &t.name,
            Subject::Whole(w) => w.entry_name(),
        }
    }
}

/// Every problem of a grade, in course and harness order.
pub fn problems(grade: &Grade) -> Vec<Problem<'_>> {
    grade.exercises.iter().flat_map(exercise_problems).collect()
}

/// The problems of one exercise (none when it passed).
pub fn exercise_problems(e: &ExerciseGrade) -> Vec<Problem<'_>> {
    if let Some(whole) = whole_exercise(e) {
        let title = match whole {
            WholeExercise::CompileError(_) => "compile error",
            WholeExercise::Tampered(_) => "graded files changed",
            WholeExercise::NoTests => "no tests ran",
        };
        let location = match whole {
            WholeExercise::CompileError(diags) => diags.iter().find_map(|d| d.location.as_ref()),
            _ => None,
        };
        return vec![Problem {
            exercise: e,
            subject: Subject::Whole(whole),
            title: format!("{}: {title}", e.name),
            status: e.status.as_str(),
            location,
            text: whole.text(),
        }];
    }
    e.tests
        .iter()
        .filter(|t| worth_reporting(t))
        .map(|t| Problem {
            exercise: e,
            subject: Subject::Test(t),
            title: match t.status {
                TestStatus::Passed => format!("{}::{} passed, not counted", e.name, t.name),
                s => format!("{}::{} {}", e.name, t.name, status_phrase(s)),
            },
            status: t.status.as_str(),
            location: t.location.as_ref(),
            text: reason(t).into_owned(),
        })
        .collect()
}

/// The problem about test `t`, if it did not pass.
pub fn of_test<'p, 'a>(problems: &'p [Problem<'a>], t: &TestGrade) -> Option<&'p Problem<'a>> {
    problems
        .iter()
        .find(|p| p.test().is_some_and(|pt| std::ptr::eq(pt, t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

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
}
