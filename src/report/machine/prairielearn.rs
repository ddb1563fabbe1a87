//! PrairieLearn external grader `results.json`.
//!
//! Follows "Grading results" in PrairieLearn's external grading docs
//! (<https://prairielearn.readthedocs.io/en/latest/externalGrading/>,
//! `docs/externalGrading.md` in PrairieLearn/PrairieLearn): the grader writes
//! `/grade/results/results.json` with `score` (a number in [0, 1]; the only
//! mandatory field of a gradable submission), `gradable` (false only when the
//! input could not be graded at all), and what `<pl-external-grader-results>`
//! renders: `message`, `output`, and `tests[]` with `name`, `description`,
//! `points`, `max_points`, `message`, `output`.
//!
//! - `gradable` is always true: an exercise that does not compile is graded
//!   (0 points) like any failure. When memgrade itself cannot grade, it
//!   writes no report at all (exit 3), and the grader script must not claim a
//!   score.
//! - `score` is the run's points over its maximum (0 when there is nothing
//!   to earn).
//! - `message`: the score line and whether this is a grade of record or
//!   feedback (with the sandbox and toolchain); `output`: the per-objective
//!   subtotals.
//! - `tests`: the scored [`entries`] (one per test, or one per exercise that
//!   did not compile, was tampered with, ran no test, or is all or nothing),
//!   `description` naming the exercise and its objective, `message` the
//!   reason it did not pass and where, `output` what it printed. The entries'
//!   points add up to the run's points.

use serde::Serialize;

use crate::pipeline::grade::Grade;
use crate::report::fmt_points;
use crate::report::machine::entries::entries;

/// The top-level object of `results.json`.
#[derive(Debug, Serialize)]
struct Results {
    gradable: bool,
    score: f64,
    message: String,
    output: String,
    tests: Vec<Test>,
}

/// One entry of `tests`.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    description: String,
    points: f64,
    max_points: f64,
    message: String,
    output: String,
}

/// Renders `grade` as PrairieLearn's `results.json` (pretty, newline-terminated).
pub fn render(grade: &Grade) -> String {
    let tests = entries(grade)
        .into_iter()
        .map(|e| Test {
            description: format!(
                "exercise {} ({}) in {}",
                e.exercise.name, e.exercise.objective, e.exercise.dir
            ),
            message: if e.passed {
                String::new()
            } else {
                e.reason_at()
            },
            output: e.output.to_string(),
            name: e.name,
            points: e.points,
            max_points: e.max_points,
        })
        .collect();
    let score = if grade.max_score > 0.0 {
        (grade.score / grade.max_score).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let results = Results {
        gradable: true,
        score,
        message: format!(
            "{}: {} / {} points, {} of {} exercises passed\n{}\n",
            grade.course,
            fmt_points(grade.score),
            fmt_points(grade.max_score),
            grade.passed,
            grade.total,
            grade.provenance.summary()
        ),
        output: grade
            .objectives
            .iter()
            .map(|o| {
                format!(
                    "{} ({}): {} / {} points, {} of {} exercises passed\n",
                    o.title,
                    o.id,
                    fmt_points(o.score),
                    fmt_points(o.max_score),
                    o.passed,
                    o.total
                )
            })
            .collect(),
        tests,
    };
    let mut out = serde_json::to_string_pretty(&results).expect("results.json always serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::pipeline::fixture;

    fn parsed(g: &Grade) -> Value {
        serde_json::from_str(&render(g)).unwrap()
    }

    fn entry<'a>(v: &'a Value, name: &str) -> &'a Value {
        v["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .expect(name)
    }

    #[test]
    fn score_is_the_fraction_of_points() {
        let g = fixture::grade();
        let v = parsed(&g);
        assert_eq!(v["gradable"], true);
        assert_eq!(v["score"].as_f64(), Some(g.score / g.max_score));
        let mut empty = g.clone();
        empty.max_score = 0.0;
        empty.score = 0.0;
        assert_eq!(parsed(&empty)["score"].as_f64(), Some(0.0));
    }

    #[test]
    fn a_compile_error_is_gradable_and_scores_nothing() {
        let v = parsed(&fixture::grade());
        let slots = entry(&v, "slots");
        assert_eq!(
            (slots["points"].as_f64(), slots["max_points"].as_f64()),
            (Some(0.0), Some(10.0))
        );
        assert!(
            slots["message"]
                .as_str()
                .unwrap()
                .starts_with("error[E0308]: mismatched types")
        );
        assert_eq!(v["gradable"], true);
    }

    #[test]
    fn tests_carry_reason_place_and_output_apart() {
        let v = parsed(&fixture::grade());
        let t = entry(&v, "join_words::allocates_once");
        let msg = t["message"].as_str().unwrap();
        assert!(msg.starts_with(fixture::HOSTILE_MESSAGE), "{msg}");
        assert!(msg.ends_with("at exercises/join_words/tests/memory.rs:12\n"));
        assert_eq!(t["output"], fixture::HOSTILE_OUTPUT);
        assert_eq!(
            t["description"],
            "exercise join_words (footprint) in exercises/join_words"
        );
        let ok = entry(&v, "join_words::joins");
        assert_eq!(
            (ok["message"].as_str(), ok["points"].as_f64()),
            (Some(""), Some(5.0))
        );
    }

    #[test]
    fn message_says_whether_it_is_a_grade_of_record() {
        let v = parsed(&fixture::grade());
        let m = v["message"].as_str().unwrap();
        assert!(
            m.ends_with("\nfeedback: a local check, not a grade of record (sandbox: none)\n"),
            "{m}"
        );
        let v = parsed(&fixture::record_grade());
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("\ngrade of record (sandbox: bwrap, toolchain: rustc 1.89.0)\n")
        );
        assert_eq!(
            v["output"].as_str().unwrap().lines().count(),
            4,
            "four objectives"
        );
    }
}
