//! Gradescope autograder `results.json`.
//!
//! Follows the "Output format" of Gradescope's autograder specification
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>) and
//! emits only fields documented there:
//!
//! - top level: `score` (the run's points; Gradescope uses it instead of the
//!   sum of the tests), `output` (a summary: grade of record or feedback,
//!   and per-objective subtotals),
//!   `output_format` (`"text"`: nothing in it is rendered as HTML), `tests`.
//!   `execution_time`, `visibility`, `stdout_visibility`, `extra_data` and
//!   `leaderboard` are left out: the model has no run duration, and
//!   visibility is the instructor's choice in Gradescope.
//! - each test: `name` (`<exercise>::<test>`), `number` (`<exercise>.<test>`
//!   positions), `score` and `max_score` (the test's share of the exercise's
//!   points), `status` (`"passed"`/`"failed"`), `output` (why it did not pass,
//!   where, and the captured output; plain text, the default format), `tags`
//!   (the objective).
//!
//! The entries are [`entries`]: an exercise that did not compile, was
//! tampered with or ran no test is one entry `<exercise>`, an all-or-nothing
//! exercise has an entry carrying its points, so the entries add up to the
//! score.

use serde::Serialize;

use crate::pipeline::grade::Grade;
use crate::report::machine::entries::{Entry, entries};

/// The top-level object of `results.json`.
#[derive(Debug, Serialize)]
struct Results {
    score: f64,
    output: String,
    output_format: &'static str,
    tests: Vec<Test>,
}

/// One entry of `tests`.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    number: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    tags: Vec<String>,
}

/// Renders `grade` as Gradescope's `results.json` (pretty, newline-terminated).
pub fn render(grade: &Grade) -> String {
    let tests = entries(grade)
        .into_iter()
        .map(|e| Test {
            output: test_output(&e),
            name: e.name,
            number: e.number,
            score: e.points,
            max_score: e.max_points,
            status: if e.passed { "passed" } else { "failed" },
            tags: vec![e.exercise.objective.clone()],
        })
        .collect();
    let results = Results {
        score: grade.score,
        output: summary(grade),
        output_format: "text",
        tests,
    };
    let mut out = serde_json::to_string_pretty(&results).expect("results.json always serializes");
    out.push('\n');
    out
}

/// A test's `output`: the reason, the place, then what it printed.
fn test_output(e: &Entry) -> String {
    let mut out = e.reason_at();
    if !e.output.is_empty() {
        out.push_str("\n--- captured output ---\n");
        out.push_str(e.output);
    }
    out
}

/// The top-level `output`: score, exercises passed, objective subtotals.
fn summary(grade: &Grade) -> String {
    let mut out = format!(
        "{}: {} / {} points, {} of {} exercises passed\n",
        grade.course, grade.score, grade.max_score, grade.passed, grade.total
    );
    out.push_str(&grade.provenance.summary());
    out.push('\n');
    for o in &grade.objectives {
        out.push_str(&format!(
            "{} ({}): {} / {} points, {} of {} exercises passed\n",
            o.title, o.id, o.score, o.max_score, o.passed, o.total
        ));
    }
    let flags: Vec<String> = super::review::flags(grade)
        .map(|(e, f)| super::review::line(e, f))
        .collect();
    if !flags.is_empty() {
        out.push_str(&format!("\n{}:\n", super::review::HEADING));
        for f in flags {
            out.push_str(&f);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::pipeline::fixture;

    /// Top-level keys the specification documents.
    const DOCUMENTED_TOP: &[&str] = &[
        "score",
        "execution_time",
        "output",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "tests",
        "leaderboard",
    ];
    /// Per-test keys the specification documents.
    const DOCUMENTED_TEST: &[&str] = &[
        "score",
        "max_score",
        "status",
        "name",
        "name_format",
        "number",
        "output",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ];

    fn keys(v: &Value) -> BTreeSet<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    fn parsed() -> (Grade, Value) {
        let g = fixture::grade();
        let v = serde_json::from_str(&render(&g)).unwrap();
        (g, v)
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
    fn gradescope_output_lists_review_flags_without_changing_the_score() {
        let g = fixture::reviewed_grade();
        let v: Value = serde_json::from_str(&render(&g)).unwrap();
        let plain: Value = serde_json::from_str(&render(&fixture::record_grade())).unwrap();
        assert_eq!(v["score"], plain["score"]);
        assert_eq!(v["tests"], plain["tests"]);
        let out = v["output"].as_str().unwrap();
        assert!(
            out.ends_with(&format!(
                "{}:\njoin_words: exercises/join_words/src/lib.rs:1: include! (reads a file when the crate is compiled)\njoin_words: exercises/join_words/src/lib.rs:9: std::fs (reads or writes files)\n",
                crate::report::machine::review::HEADING
            )),
            "{out}"
        );
        assert!(!plain["output"].as_str().unwrap().contains("For review"));
    }

    #[test]
    fn gradescope_emits_only_documented_fields() {
        let (_, v) = parsed();
        let top = keys(&v);
        assert_eq!(
            top,
            BTreeSet::from(["score", "output", "output_format", "tests"])
        );
        assert!(top.iter().all(|k| DOCUMENTED_TOP.contains(k)));
        let expected = BTreeSet::from([
            "name",
            "number",
            "score",
            "max_score",
            "status",
            "output",
            "tags",
        ]);
        for t in v["tests"].as_array().unwrap() {
            assert_eq!(keys(t), expected, "{t}");
            assert!(keys(t).iter().all(|k| DOCUMENTED_TEST.contains(k)));
            assert!(matches!(t["status"].as_str(), Some("passed" | "failed")));
        }
    }

    #[test]
    fn gradescope_scores_add_up_to_the_grade() {
        let (g, v) = parsed();
        assert_eq!(v["score"].as_f64(), Some(g.score));
        let tests = v["tests"].as_array().unwrap();
        let sum = |key: &str| tests.iter().map(|t| t[key].as_f64().unwrap()).sum::<f64>();
        assert_eq!(sum("score"), 20.0);
        assert_eq!(sum("max_score"), g.max_score);
        // 2 + 2 + 2 tests, compile, tampered, all-or-nothing + 2, no tests.
        assert_eq!(tests.len(), 12);
        for t in tests {
            assert!(t["score"].as_f64() <= t["max_score"].as_f64(), "{t}");
        }
    }

    #[test]
    fn gradescope_entries_map_statuses_and_points() {
        let (_, v) = parsed();
        let t = entry(&v, "join_words::allocates_once");
        assert_eq!(
            (t["score"].as_f64(), t["max_score"].as_f64()),
            (Some(0.0), Some(5.0))
        );
        assert_eq!(t["status"], "failed");
        assert_eq!(t["number"], "1.2");
        assert_eq!(t["tags"], serde_json::json!(["footprint"]));
        let out = t["output"].as_str().unwrap();
        assert!(out.starts_with(fixture::HOSTILE_MESSAGE), "{out}");
        assert!(out.contains("\nat exercises/join_words/tests/memory.rs:12\n"));
        assert!(out.ends_with(&format!(
            "--- captured output ---\n{}",
            fixture::HOSTILE_OUTPUT
        )));
        let ok = entry(&v, "join_words::joins");
        assert_eq!(
            (ok["score"].as_f64(), ok["status"].as_str()),
            (Some(5.0), Some("passed"))
        );
        assert_eq!(entry(&v, "lazy_lines::streams_lines")["status"], "failed");
        assert_eq!(entry(&v, "interner::interns_once")["status"], "failed");
        for (name, max, start) in [
            ("slots", 10.0, "error[E0308]: mismatched types <&>"),
            (
                "arena",
                10.0,
                "graded files were changed: exercises/arena/tests/memory.rs, grader.toml",
            ),
            ("views", 5.0, "no tests ran"),
        ] {
            let t = entry(&v, name);
            assert_eq!(
                (t["score"].as_f64(), t["max_score"].as_f64()),
                (Some(0.0), Some(max))
            );
            assert_eq!(t["status"], "failed");
            assert!(t["output"].as_str().unwrap().starts_with(start), "{t}");
        }
        assert!(
            v["tests"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["name"] != "arena::reuses")
        );
        let whole = entry(&v, "drop_order");
        assert_eq!(
            (whole["score"].as_f64(), whole["max_score"].as_f64()),
            (Some(5.0), Some(5.0))
        );
        assert_eq!(whole["status"], "passed");
        assert_eq!(
            entry(&v, "drop_order::no_leak")["max_score"].as_f64(),
            Some(0.0)
        );
    }

    #[test]
    fn gradescope_summary_lists_objective_subtotals() {
        let (_, v) = parsed();
        assert_eq!(v["output_format"], "text");
        let out = v["output"].as_str().unwrap();
        assert!(out.starts_with(
            "Memory <&> \"optimization\" | 101: 20 / 60 points, 1 of 7 exercises passed\n"
        ));
        assert!(
            out.contains("Iterate lazily (iteration): 10 / 20 points, 0 of 2 exercises passed\n")
        );
        assert_eq!(out.lines().count(), 6, "title, provenance, four objectives");
    }

    #[test]
    fn output_says_whether_it_is_a_grade_of_record() {
        let v: serde_json::Value = serde_json::from_str(&render(&fixture::grade())).unwrap();
        let output = v["output"].as_str().unwrap();
        assert_eq!(
            output.lines().nth(1),
            Some("feedback: a local check, not a grade of record (sandbox: none)")
        );
        let v: serde_json::Value = serde_json::from_str(&render(&fixture::record_grade())).unwrap();
        let output = v["output"].as_str().unwrap();
        assert_eq!(
            output.lines().nth(1),
            Some("grade of record (sandbox: bwrap, toolchain: rustc 1.89.0)")
        );
    }
}
