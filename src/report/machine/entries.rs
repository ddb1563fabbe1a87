//! Scored entries: the grade as the flat list of scored tests that platform
//! formats (Gradescope, PrairieLearn) list, built once here.
//!
//! An exercise that did not compile, was tampered with or ran no test is one
//! entry `<exercise>` scoring 0 of the exercise's points. An all-or-nothing
//! exercise (every test weighs 0) has an entry `<exercise>` carrying its
//! points before its tests' 0-point entries. Every other test is an entry
//! `<exercise>::<test>` with its share of the points. So the entries' points
//! add up to the grade's score, and their maximums to its maximum.

use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus, Grade, Location, TestStatus};
use crate::report::machine::of_test;
use crate::report::problem::exercise_problems;

/// One scored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    /// The exercise it belongs to.
    pub exercise: &'a ExerciseGrade,
    /// `<exercise>` or `<exercise>::<test>`.
    pub name: String,
    /// `<n>` for a whole-exercise entry, `<n>.<m>` for a test (1-based
    /// positions in the run and in the exercise).
    pub number: String,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
    /// Whether it passed.
    pub passed: bool,
    /// Why it did not pass (empty when it passed).
    pub reason: String,
    /// Where it failed, when known.
    pub location: Option<&'a Location>,
    /// What the test printed (capped), when it did not pass.
    pub output: &'a str,
}

/// Every scored entry of `grade`, in course and harness order.
pub fn entries(grade: &Grade) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for (i, e) in grade.exercises.iter().enumerate() {
        let n = i + 1;
        let whole_entry = |points: f64, passed: bool, reason: String, location| Entry {
            exercise: e,
            name: e.name.clone(),
            number: n.to_string(),
            points,
            max_points: e.max_points,
            passed,
            reason,
            location,
            output: "",
        };
        let problems = exercise_problems(e);
        if let Some(whole) = problems.iter().find(|p| p.test().is_none()) {
            out.push(whole_entry(0.0, false, whole.text.clone(), whole.location));
            continue;
        }
        if all_or_nothing(e) {
            let passed = e.status == ExerciseStatus::Passed;
            let reason = if passed {
                String::new()
            } else {
                "all or nothing: this exercise's points need every test to pass".to_string()
            };
            out.push(whole_entry(e.points, passed, reason, None));
        }
        for (j, t) in e.tests.iter().enumerate() {
            let problem = of_test(&problems, t);
            out.push(Entry {
                exercise: e,
                name: format!("{}::{}", e.name, t.name),
                number: format!("{n}.{}", j + 1),
                points: t.points,
                max_points: t.max_points,
                passed: t.status == TestStatus::Passed,
                reason: problem.map(|p| p.text.clone()).unwrap_or_default(),
                location: problem.and_then(|p| p.location).or(t.location.as_ref()),
                output: &t.output,
            });
        }
    }
    out
}

/// Whether the exercise's points are not shared among its tests (every test
/// weighs 0, so each test's share is 0).
fn all_or_nothing(e: &ExerciseGrade) -> bool {
    e.max_points > 0.0 && !e.tests.is_empty() && e.tests.iter().all(|t| t.max_points == 0.0)
}

impl Entry<'_> {
    /// The reason followed by `at FILE:LINE` when known (empty when there is
    /// neither).
    pub fn reason_at(&self) -> String {
        let mut out = String::new();
        if !self.reason.is_empty() {
            out.push_str(self.reason.trim_end());
            out.push('\n');
        }
        if let Some(l) = self.location {
            out.push_str(&format!("at {}:{}\n", l.file, l.line));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;

    #[test]
    fn entries_add_up_to_the_grade() {
        let g = fixture::grade();
        let all = entries(&g);
        let sum: f64 = all.iter().map(|e| e.points).sum();
        let max: f64 = all.iter().map(|e| e.max_points).sum();
        assert_eq!(sum, g.score);
        assert_eq!(max, g.max_score);
        // 2 + 2 + 2 tests, compile, tampered, all-or-nothing + 2, no tests.
        assert_eq!(all.len(), 12);
        let names: Vec<&str> = all.iter().map(|e| e.name.as_str()).collect();
        assert!(names.contains(&"slots") && names.contains(&"drop_order::no_leak"));
        assert!(
            !names.contains(&"arena::reuses"),
            "tampered tests are not listed"
        );
    }
}
