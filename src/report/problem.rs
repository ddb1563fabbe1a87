//! The one problem model every reporter renders: each thing in a [`Grade`](crate::pipeline::grade::Grade)
//! that did not pass, with its title, status, location and explanation,
//! built once here instead of by each reporter's own walk over the grade.
//!
//! An exercise is reported either as a whole (it did not compile, its graded
//! files were changed, or no test ran: one problem) or test by test (one
//! problem per test that did not pass, or passed but earns nothing because
//! a behaviour test of the exercise's gate failed).

use crate::pipeline::grade::{ExerciseGrade, Location, TestGrade, TestStatus};
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
