//! The one Grade model every reporter renders: course → exercises → tests,
//! each with its outcome, the measured-versus-budget message, and points.
//!
//! Reporters never re-derive a result; they read these types. Field names are
//! stable: they are the JSON format (`memgrade check --format json`).

use serde::{Deserialize, Serialize};

use crate::course::Course;

/// The state of one exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseStatus {
    /// Every test passed.
    Passed,
    /// At least one test failed (and none hung or crashed).
    Failed,
    /// The exercise did not compile.
    CompileError,
    /// At least one test did not finish within the time limit.
    TimedOut,
    /// At least one test crashed: signal, abort, stack overflow, memory
    /// limit, or an exit the test harness did not report.
    Crashed,
    /// A graded file (tests, manifest, grader.toml, memprobe) was changed.
    Tampered,
}

impl ExerciseStatus {
    /// The snake_case name used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            ExerciseStatus::Passed => "passed",
            ExerciseStatus::Failed => "failed",
            ExerciseStatus::CompileError => "compile_error",
            ExerciseStatus::TimedOut => "timed_out",
            ExerciseStatus::Crashed => "crashed",
            ExerciseStatus::Tampered => "tampered",
        }
    }
}

/// The outcome of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestStatus {
    /// The harness ran exactly this test and reported success.
    Passed,
    /// The harness reported a failure (an assertion or panic).
    Failed,
    /// Killed at the time limit.
    TimedOut,
    /// Ended without the harness's verdict: signal, abort, stack overflow,
    /// memory limit, or an early `exit`.
    Crashed,
}

impl TestStatus {
    /// The snake_case name used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Passed => "passed",
            TestStatus::Failed => "failed",
            TestStatus::TimedOut => "timed_out",
            TestStatus::Crashed => "crashed",
        }
    }
}

/// A place in a file, relative to the course root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the course root (`exercises/01_join_words/tests/memory.rs`).
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// Two values an assertion compared (`left`/`right` of `assert_eq!`), as
/// text; multi-line strings are unescaped so they diff line by line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// What the code produced (`left`).
    pub left: String,
    /// What was expected (`right`).
    pub right: String,
}

/// One compiler error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The one-line message (`mismatched types`).
    pub message: String,
    /// The compiler's full rendered text.
    pub rendered: String,
    /// Where, when the compiler said.
    pub location: Option<Location>,
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestGrade {
    /// The test's name in its harness (`allocates_once_for_many_words`).
    pub name: String,
    /// The test file (target) it belongs to (`memory`).
    pub suite: String,
    /// Outcome.
    pub status: TestStatus,
    /// Why it did not pass (empty when it passed): the panic message, with
    /// the measured-versus-budget line first for memory tests.
    pub message: String,
    /// Wall-clock time of its process.
    pub duration_ms: u64,
    /// Its weight for partial credit.
    pub weight: f64,
    /// Points it earned.
    pub points: f64,
    /// Points it can earn.
    pub max_points: f64,
    /// Where it failed, when known.
    pub location: Option<Location>,
    /// The compared values of a failed equality assertion.
    pub comparison: Option<Comparison>,
    /// Captured output (capped; head and tail) when it did not pass.
    pub output: String,
}

/// The result of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseGrade {
    /// Exercise name.
    pub name: String,
    /// Its directory, relative to the course root.
    pub dir: String,
    /// Its objective's id.
    pub objective: String,
    /// Overall state.
    pub status: ExerciseStatus,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
    /// Its tests, in harness order.
    pub tests: Vec<TestGrade>,
    /// Compiler errors, when it did not compile.
    pub diagnostics: Vec<Diagnostic>,
    /// Compiler warnings about the exercise's `src/` (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
    /// Graded files that differ from the sealed ones.
    pub tampered_files: Vec<String>,
    /// Whether this result came from the cache.
    pub cached: bool,
}

/// Points and exercise counts of one objective.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectiveGrade {
    /// Objective id.
    pub id: String,
    /// Objective title.
    pub title: String,
    /// Points earned.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Exercises passed.
    pub passed: usize,
    /// Exercises graded in this objective.
    pub total: usize,
}

/// A whole grading run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Course title.
    pub course: String,
    /// Points earned over the graded exercises.
    pub score: f64,
    /// Points available over the graded exercises.
    pub max_score: f64,
    /// Exercises passed.
    pub passed: usize,
    /// Exercises graded.
    pub total: usize,
    /// Per-objective subtotals, in lesson order.
    pub objectives: Vec<ObjectiveGrade>,
    /// Exercises in course order.
    pub exercises: Vec<ExerciseGrade>,
    /// Whether this is a grade of record or feedback, and how it was made.
    #[serde(default)]
    pub provenance: Provenance,
}

/// Whether a grade is the grade of record or a student's feedback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Graded on the trusted path: official course from outside the fork.
    Record,
    /// A local or self-run check: useful to the student, not a grade of record.
    #[default]
    Feedback,
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

/// How a grade was made; every report format says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Grade of record or feedback.
    pub mode: Mode,
    /// The sandbox builds and tests ran in (`none` without one).
    pub sandbox: String,
    /// The toolchain's version, when recorded (may be empty).
    pub toolchain: String,
}

impl Default for Provenance {
    fn default() -> Provenance {
        Provenance {
            mode: Mode::Feedback,
            sandbox: "none".into(),
            toolchain: String::new(),
        }
    }
}

impl Provenance {
    /// One line for people: `feedback: a local check, not a grade of record
    /// (sandbox: none)`, or `grade of record (sandbox: bwrap, toolchain: …)`.
    pub fn summary(&self) -> String {
        let what = match self.mode {
            Mode::Record => "grade of record",
            Mode::Feedback => "feedback: a local check, not a grade of record",
        };
        let mut how = format!("sandbox: {}", self.sandbox);
        if !self.toolchain.is_empty() {
            how.push_str(&format!(", toolchain: {}", self.toolchain));
        }
        format!("{what} ({how})")
    }
}

/// Rounds points to two decimals so reports agree with each other; never
/// returns negative zero (an empty `f64` sum is `-0.0`, which would print
/// as `-0`).
pub fn round_points(p: f64) -> f64 {
    (p * 100.0).round() / 100.0 + 0.0
}

impl ExerciseGrade {
    /// Fills in `status`, test points and exercise points from the test
    /// outcomes: points are shared by weight (tests not in `weights` weigh
    /// 1); when every weight is 0 the exercise is all-or-nothing.
    pub fn settle(&mut self) {
        if !self.tampered_files.is_empty() {
            self.status = ExerciseStatus::Tampered;
        } else if !self.diagnostics.is_empty() {
            self.status = ExerciseStatus::CompileError;
        } else if self.tests.iter().any(|t| t.status == TestStatus::TimedOut) {
            self.status = ExerciseStatus::TimedOut;
        } else if self.tests.iter().any(|t| t.status == TestStatus::Crashed) {
            self.status = ExerciseStatus::Crashed;
        } else if self.tests.is_empty() || self.tests.iter().any(|t| t.status != TestStatus::Passed)
        {
            self.status = ExerciseStatus::Failed;
        } else {
            self.status = ExerciseStatus::Passed;
        }
        let total_weight: f64 = self.tests.iter().map(|t| t.weight).sum();
        for t in &mut self.tests {
            t.max_points = if total_weight > 0.0 {
                round_points(self.max_points * t.weight / total_weight)
            } else {
                0.0
            };
            t.points = if t.status == TestStatus::Passed {
                t.max_points
            } else {
                0.0
            };
        }
        self.points = match self.status {
            ExerciseStatus::Passed => self.max_points,
            ExerciseStatus::Tampered | ExerciseStatus::CompileError => 0.0,
            _ if total_weight > 0.0 => {
                let earned: f64 = self
                    .tests
                    .iter()
                    .filter(|t| t.status == TestStatus::Passed)
                    .map(|t| t.weight)
                    .sum();
                round_points(self.max_points * earned / total_weight)
            }
            _ => 0.0,
        };
        if matches!(
            self.status,
            ExerciseStatus::Tampered | ExerciseStatus::CompileError
        ) {
            for t in &mut self.tests {
                t.points = 0.0;
            }
        }
    }
}

impl Grade {
    /// Builds the run's totals from graded exercises (in course order).
    pub fn new(course: &Course, exercises: Vec<ExerciseGrade>) -> Grade {
        let objectives = course
            .objectives
            .iter()
            .map(|o| {
                let mine: Vec<&ExerciseGrade> =
                    exercises.iter().filter(|e| e.objective == o.id).collect();
                ObjectiveGrade {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    score: round_points(mine.iter().map(|e| e.points).sum()),
                    max_score: round_points(mine.iter().map(|e| e.max_points).sum()),
                    passed: mine
                        .iter()
                        .filter(|e| e.status == ExerciseStatus::Passed)
                        .count(),
                    total: mine.len(),
                }
            })
            .collect();
        Grade {
            course: course.title.clone(),
            score: round_points(exercises.iter().map(|e| e.points).sum()),
            max_score: round_points(exercises.iter().map(|e| e.max_points).sum()),
            passed: exercises
                .iter()
                .filter(|e| e.status == ExerciseStatus::Passed)
                .count(),
            total: exercises.len(),
            objectives,
            exercises,
            provenance: Provenance::default(),
        }
    }

    /// Whether every graded exercise passed.
    pub fn all_passed(&self) -> bool {
        self.passed == self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::fixture::test;

    fn exercise(tests: Vec<TestGrade>) -> ExerciseGrade {
        crate::report::fixture::exercise("x", "footprint", 10.0, tests)
    }

    #[test]
    fn partial_credit_follows_weights() {
        let mut e = exercise(vec![
            test("behaves", TestStatus::Passed, 0.0),
            test("one_alloc", TestStatus::Passed, 2.0),
            test("no_waste", TestStatus::Failed, 1.0),
        ]);
        e.settle();
        assert_eq!(e.status, ExerciseStatus::Failed);
        assert_eq!(e.points, 6.67);
        assert_eq!(e.tests[1].points, 6.67);
        assert_eq!(e.tests[2].max_points, 3.33);
        assert_eq!(e.tests[0].max_points, 0.0);
    }

    #[test]
    fn zero_points_are_positive_zero() {
        let mut e = exercise(vec![test("a", TestStatus::Failed, 1.0)]);
        e.settle();
        assert_eq!(e.points.to_string(), "0");
        assert_eq!(round_points(-0.0).to_string(), "0");
    }

    #[test]
    fn status_precedence_and_zero_points_for_tampering() {
        let mut e = exercise(vec![
            test("a", TestStatus::TimedOut, 1.0),
            test("b", TestStatus::Crashed, 1.0),
        ]);
        e.settle();
        assert_eq!(e.status, ExerciseStatus::TimedOut);
        let mut e = exercise(vec![test("a", TestStatus::Passed, 1.0)]);
        e.tampered_files = vec!["exercises/x/tests/memory.rs".into()];
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Tampered, 0.0));
        assert_eq!(e.tests[0].points, 0.0);
        let mut e = exercise(vec![]);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Failed, 0.0));
        let mut e = exercise(vec![test("a", TestStatus::Passed, 0.0)]);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Passed, 10.0));
    }
}
