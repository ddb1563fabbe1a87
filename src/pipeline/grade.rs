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
    /// Its weight for partial credit (0 for a gate test).
    pub weight: f64,
    /// Whether it is one of the exercise's behaviour tests (its gate).
    #[serde(default)]
    pub gate: bool,
    /// Why its points do not count although it ran, e.g. "behaviour test
    /// `joins_with_single_spaces` failed"; `None` when they count.
    #[serde(default)]
    pub not_counted: Option<String>,
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
    /// Where its last measured call allocated, when a re-run recorded it
    /// (a local check's memory failures; never a grading run's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Sites>,
}

/// What grew the heap at one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// New blocks.
    Alloc,
    /// Blocks resized (grown).
    Realloc,
}

/// One line of the student's code that allocated inside the window, like
/// a line of `tracemalloc`'s statistics by line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// The file, relative to the course root.
    pub file: String,
    /// The line.
    pub line: u32,
    /// Alloc or realloc.
    pub kind: SiteKind,
    /// How many calls.
    pub count: u64,
    /// Bytes they asked for (a realloc's new size).
    pub bytes: u64,
    /// The line's code, trimmed (empty when the file could not be read).
    #[serde(default)]
    pub code: String,
}

/// Allocations of a window made outside the student's `src/`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outside {
    /// Allocs and reallocs.
    pub count: u64,
    /// Bytes they asked for.
    pub bytes: u64,
}

/// Where one measured call's memory went: a re-run of the test with
/// memprobe's allocation sites on, its last measured call (the window
/// closed before the test failed, or the test's last one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sites {
    /// The student's lines (the innermost frame in the exercise's `src/`
    /// of each allocation), largest first.
    pub lines: Vec<Site>,
    /// Allocations with no frame in the student's `src/`: the test's own
    /// code, or the standard library called from it.
    pub outside: Outside,
    /// The window's allocs, reallocs and deallocs.
    pub allocs: u64,
    /// Reallocs in the window.
    pub reallocs: u64,
    /// Deallocs in the window.
    pub deallocs: u64,
    /// Allocations and reallocs attributed to a line (the first few
    /// thousand of the window; the rest are only counted).
    pub attributed: u64,
    /// Live heap bytes after each allocator call of the window, from 0
    /// (the first hundred thousand calls).
    pub series: Vec<i64>,
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
    /// Grade of record: constructs in the fork's sources for a person to
    /// look at (absent when none); never changes the points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<ReviewFlag>,
}

/// A construct a memory course never needs, found in a fork's exercise
/// sources (`std::fs`, `include!`, a large static ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFlag {
    /// The file, relative to the course root.
    pub file: String,
    /// Its line (1-based).
    pub line: u32,
    /// The construct, e.g. `std::fs` or `include!`.
    pub construct: String,
    /// Why a person should look at it.
    pub why: String,
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
    ///
    /// Memory points need a correct result: when a test that carries no
    /// points of its own (a gate test, or one weighing 0) does not pass, the
    /// exercise earns 0 and every other test is marked
    /// [`not_counted`](TestGrade::not_counted). An exercise that is not
    /// passed never has its full points.
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
        let blocking = self.gate_failure();
        for t in &mut self.tests {
            t.max_points = if total_weight > 0.0 {
                round_points(self.max_points * t.weight / total_weight)
            } else {
                0.0
            };
            t.not_counted = match &blocking {
                // Gate tests carry no points, and a failing test that
                // weighs 0 is itself the reason.
                Some(why) if !(t.gate || (t.weight == 0.0 && t.status != TestStatus::Passed)) => {
                    Some(why.clone())
                }
                _ => None,
            };
            t.points = if t.status == TestStatus::Passed && t.not_counted.is_none() {
                t.max_points
            } else {
                0.0
            };
        }
        self.points = match self.status {
            ExerciseStatus::Passed => self.max_points,
            ExerciseStatus::Tampered | ExerciseStatus::CompileError => 0.0,
            _ if blocking.is_some() => 0.0,
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
                t.not_counted = None;
            }
        }
        // Rounding a share of thousands of weights could reach the full
        // points; a failure must always cost something.
        if self.status != ExerciseStatus::Passed && self.points >= self.max_points {
            self.points = round_points((self.max_points - 0.01).max(0.0));
        }
        assert!(
            self.status == ExerciseStatus::Passed
                || self.points < self.max_points
                || self.max_points <= 0.0,
            "{}: an exercise that is not passed cannot earn its full points",
            self.name
        );
    }

    /// Why no test's points count: the tests that carry no points of their
    /// own (gate tests, or tests weighing 0) and did not pass. `None` when
    /// every one of them passed.
    fn gate_failure(&self) -> Option<String> {
        let failed: Vec<String> = self
            .tests
            .iter()
            .filter(|t| t.status != TestStatus::Passed && (t.gate || t.weight == 0.0))
            .map(|t| format!("`{}`", t.name))
            .collect();
        match failed.len() {
            0 => None,
            1 => Some(format!("behaviour test {} failed", failed[0])),
            _ => Some(format!("behaviour tests {} failed", failed.join(", "))),
        }
    }
}

impl TestGrade {
    /// The line every format shows beside a test whose points do not count
    /// ("not counted: behaviour test `x` failed").
    pub fn not_counted_line(&self) -> Option<String> {
        self.not_counted
            .as_ref()
            .map(|why| format!("not counted: {why}"))
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

    use crate::pipeline::fixture::test;

    fn exercise(tests: Vec<TestGrade>) -> ExerciseGrade {
        crate::pipeline::fixture::exercise("x", "footprint", 10.0, tests)
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

    fn gate(name: &str, status: TestStatus) -> TestGrade {
        let mut t = test(name, status, 0.0);
        t.gate = true;
        t
    }

    #[test]
    fn a_failing_gate_test_costs_every_point() {
        let mut e = exercise(vec![
            gate("joins", TestStatus::Failed),
            gate("empty", TestStatus::Passed),
            test("one_alloc", TestStatus::Passed, 2.0),
            test("no_waste", TestStatus::Failed, 1.0),
        ]);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Failed, 0.0));
        let why = Some("behaviour test `joins` failed".to_string());
        assert_eq!(e.tests[0].not_counted, None, "the failing gate test itself");
        assert_eq!(e.tests[1].not_counted, None, "gate tests carry no points");
        assert_eq!(e.tests[2].not_counted, why);
        assert_eq!(e.tests[3].not_counted, why);
        assert_eq!((e.tests[2].points, e.tests[2].max_points), (0.0, 6.67));
        assert_eq!(
            e.tests[2].not_counted_line().unwrap(),
            "not counted: behaviour test `joins` failed"
        );
    }

    #[test]
    fn passing_gate_tests_leave_partial_credit_alone() {
        let mut e = exercise(vec![
            gate("joins", TestStatus::Passed),
            test("one_alloc", TestStatus::Passed, 2.0),
            test("no_waste", TestStatus::Failed, 1.0),
        ]);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Failed, 6.67));
        assert!(e.tests.iter().all(|t| t.not_counted.is_none()));
    }

    #[test]
    fn a_gate_test_that_times_out_or_crashes_gates_too() {
        for status in [TestStatus::TimedOut, TestStatus::Crashed] {
            let mut e = exercise(vec![
                gate("a", status),
                gate("b", TestStatus::Failed),
                test("m", TestStatus::Passed, 1.0),
            ]);
            e.settle();
            assert_eq!(e.points, 0.0);
            assert_eq!(
                e.tests[2].not_counted.as_deref(),
                Some("behaviour tests `a`, `b` failed")
            );
        }
    }

    #[test]
    fn never_failed_beside_full_points() {
        // A failing test that weighs 0 outside the gate (verify reports it)
        // cannot leave the exercise at full points.
        let mut e = exercise(vec![
            test("behaves", TestStatus::Failed, 0.0),
            test("one_alloc", TestStatus::Passed, 1.0),
        ]);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Failed, 0.0));
        // Nor can rounding a tiny failing share.
        let mut tests = vec![test("tiny", TestStatus::Failed, 1.0)];
        tests.push(test("huge", TestStatus::Passed, 100_000.0));
        let mut e = exercise(tests);
        e.settle();
        assert_eq!((e.status, e.points), (ExerciseStatus::Failed, 9.99));
    }

    #[test]
    fn compile_errors_and_tampering_mark_nothing_as_not_counted() {
        let mut e = exercise(vec![
            gate("joins", TestStatus::Failed),
            test("m", TestStatus::Passed, 1.0),
        ]);
        e.tampered_files = vec!["grader.toml".into()];
        e.settle();
        assert_eq!(e.status, ExerciseStatus::Tampered);
        assert!(
            e.tests
                .iter()
                .all(|t| t.not_counted.is_none() && t.points == 0.0)
        );
    }
}
