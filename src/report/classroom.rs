//! GitHub Classroom autograding result (`version: 1`).
//!
//! The JSON a grader step hands (base64-encoded, as its `result` output) to
//! GitHub Classroom's autograding reporter action
//! (classroom-resources/autograding-grading-reporter, now retired). The shape
//! follows what the Classroom graders emit (`src/main.js` of
//! classroom-resources/autograding-io-grader) and the reporter reads:
//!
//! ```text
//! {"version": 1, "status": "pass"|"fail"|"error", "max_score": N,
//!  "tests": [{"name", "status", "message", "test_code", "filename",
//!             "line_no", "duration", "score"}]}
//! ```
//!
//! The reporter sends Classroom the sum of the tests' `score` out of
//! `max_score`, so there is one entry per exercise (scored with the
//! exercise's points): the entries then add up to the run's score exactly,
//! with no rounding left over from sharing points among tests. `message` is
//! `null` when the exercise passed, else the failing tests' reasons (or the
//! compiler errors, or the changed files); `test_code` is a cargo command
//! that reruns the exercise; `filename`/`line_no` point at the first failure
//! (`""`/`0` when unknown: the reporter prints `line N` whenever `line_no` is
//! not 0); `duration` is the sum of its test processes' milliseconds.
//!
//! The reporter prints names, messages and test code to the job log as they
//! are, where a line starting with `::` (or holding `##[`) is a workflow
//! command. Such lines in these strings are defused: a line whose first
//! non-blank characters are `::` gets a `> ` prefix and `##[` becomes `# #[`.
//!
//! Statuses: a passed exercise is `pass`; a failed or tampered one `fail`;
//! one that did not compile, timed out or crashed `error`. The run is `pass`
//! when every entry passed, else `fail` if any entry failed, else `error`.

use serde::Serialize;

use crate::grade::{ExerciseGrade, ExerciseStatus, Grade, TestStatus};
use crate::report::{WholeExercise, reason, status_phrase, whole_exercise, worth_reporting};

/// The runner result.
#[derive(Debug, Serialize)]
struct Result {
    version: u32,
    status: &'static str,
    max_score: f64,
    tests: Vec<Test>,
}

/// One entry of `tests`: an exercise.
#[derive(Debug, Serialize)]
struct Test {
    name: String,
    status: &'static str,
    message: Option<String>,
    test_code: String,
    filename: String,
    line_no: u32,
    duration: u64,
    score: f64,
}

/// Renders `grade` as a Classroom runner result (compact JSON, newline-terminated).
pub fn render(grade: &Grade) -> String {
    let tests: Vec<Test> = grade.exercises.iter().map(entry).collect();
    let status = if tests.iter().all(|t| t.status == "pass") {
        "pass"
    } else if tests.iter().any(|t| t.status == "fail") {
        "fail"
    } else {
        "error"
    };
    let result = Result {
        version: 1,
        status,
        max_score: grade.max_score,
        tests,
    };
    let mut out = serde_json::to_string(&result).expect("a Classroom result always serializes");
    out.push('\n');
    out
}

fn entry(e: &ExerciseGrade) -> Test {
    let status = match e.status {
        ExerciseStatus::Passed => "pass",
        ExerciseStatus::Failed | ExerciseStatus::Tampered => "fail",
        ExerciseStatus::CompileError | ExerciseStatus::TimedOut | ExerciseStatus::Crashed => {
            "error"
        }
    };
    let whole = whole_exercise(e);
    let failing: Vec<_> = e.tests.iter().filter(|t| worth_reporting(t)).collect();
    let location = match whole {
        Some(WholeExercise::CompileError(diags)) => diags.iter().find_map(|d| d.location.as_ref()),
        Some(_) => None,
        None => failing
            .iter()
            .filter(|t| t.status != TestStatus::Passed)
            .find_map(|t| t.location.as_ref()),
    };
    let message = match whole {
        Some(w) => Some(w.text()),
        None if failing.is_empty() => None,
        None => Some(
            failing
                .iter()
                .map(|t| {
                    let at = t
                        .location
                        .as_ref()
                        .map(|l| format!(" (at {}:{})", l.file, l.line))
                        .unwrap_or_default();
                    format!(
                        "{}::{} {}{at}: {}",
                        t.suite,
                        t.name,
                        status_phrase(t.status),
                        reason(t).trim_end()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n\n"),
        ),
    };
    let test_code = match whole {
        Some(WholeExercise::CompileError(_)) => format!("cargo build --tests -p {}", e.name),
        Some(WholeExercise::Tampered(_)) => String::new(),
        _ => format!("cargo test -p {}", e.name),
    };
    Test {
        name: defuse(&e.name),
        status,
        message: message.as_deref().map(defuse),
        test_code: defuse(&test_code),
        filename: defuse(location.map(|l| l.file.as_str()).unwrap_or("")),
        line_no: location.map_or(0, |l| l.line),
        duration: e.tests.iter().map(|t| t.duration_ms).sum(),
        score: e.points,
    }
}

/// Defuses workflow commands in text a third party prints to the job log:
/// lines (split at CR or LF, as the runner reads them) whose first
/// characters other than blanks and control characters are `::` get a `> `
/// prefix, and `##[` becomes `# #[`.
fn defuse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let end = rest.find(['\r', '\n']).map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(end);
        if line
            .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
            .starts_with("::")
        {
            out.push_str("> ");
        }
        out.push_str(line);
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    out.replace("##[", "# #[")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;
    use crate::report::fixture;

    fn parsed(g: &Grade) -> Value {
        let out = render(g);
        assert_eq!(out.lines().count(), 1, "one compact line");
        serde_json::from_str(&out).unwrap()
    }

    fn keys(v: &Value) -> BTreeSet<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    fn strings(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::String(s) => found.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, found)),
            Value::Object(o) => o.values().for_each(|x| strings(x, found)),
            _ => {}
        }
    }

    #[test]
    fn classroom_emits_exactly_the_runner_result_fields() {
        let v = parsed(&fixture::grade());
        assert_eq!(
            keys(&v),
            BTreeSet::from(["version", "status", "max_score", "tests"])
        );
        assert_eq!(v["version"], 1);
        let expected = BTreeSet::from([
            "name",
            "status",
            "message",
            "test_code",
            "filename",
            "line_no",
            "duration",
            "score",
        ]);
        for t in v["tests"].as_array().unwrap() {
            assert_eq!(keys(t), expected, "{t}");
            assert!(t["line_no"].is_u64() && t["duration"].is_u64() && t["score"].is_f64());
        }
    }

    #[test]
    fn classroom_scores_sum_to_the_grade() {
        let g = fixture::grade();
        let v = parsed(&g);
        assert_eq!(v["max_score"].as_f64(), Some(g.max_score));
        let tests = v["tests"].as_array().unwrap();
        assert_eq!(tests.len(), g.exercises.len());
        let sum: f64 = tests.iter().map(|t| t["score"].as_f64().unwrap()).sum();
        assert_eq!(sum, g.score);
        assert_eq!(
            tests[5]["score"].as_f64(),
            Some(5.0),
            "all-or-nothing exercise keeps its points"
        );
    }

    #[test]
    fn classroom_statuses_map_from_the_exercise_status() {
        let v = parsed(&fixture::grade());
        let got: Vec<(&str, &str)> = v["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap(), t["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("join_words", "fail"),
                ("lazy_lines", "error"),
                ("interner", "error"),
                ("slots", "error"),
                ("arena", "fail"),
                ("drop_order", "pass"),
                ("views", "fail"),
            ]
        );
        assert_eq!(v["status"], "fail");
        let errors_only = fixture::grade_of(vec![fixture::exercise(
            "hang",
            "iteration",
            2.0,
            vec![fixture::test("h", TestStatus::TimedOut, 1.0)],
        )]);
        assert_eq!(parsed(&errors_only)["status"], "error");
        let passing = fixture::grade_of(vec![fixture::exercise(
            "ok",
            "footprint",
            2.0,
            vec![fixture::test("a", TestStatus::Passed, 1.0)],
        )]);
        let v = parsed(&passing);
        assert_eq!(v["status"], "pass");
        assert_eq!(v["tests"][0]["message"], Value::Null);
        assert_eq!(v["tests"][0]["score"].as_f64(), Some(2.0));
    }

    #[test]
    fn classroom_points_at_the_first_failure() {
        let v = parsed(&fixture::grade());
        let t = &v["tests"];
        assert_eq!(t[0]["filename"], "exercises/join_words/tests/memory.rs");
        assert_eq!(t[0]["line_no"], 12);
        assert_eq!(t[0]["duration"], 1246);
        assert_eq!(t[0]["test_code"], "cargo test -p join_words");
        assert_eq!(t[3]["filename"], fixture::ODD_PATH);
        assert_eq!(t[3]["line_no"], 7);
        assert_eq!(t[3]["test_code"], "cargo build --tests -p slots");
        assert_eq!(
            (t[1]["filename"].as_str(), t[1]["line_no"].as_u64()),
            (Some(""), Some(0))
        );
        assert_eq!(t[4]["test_code"], "");
        let msg = t[0]["message"].as_str().unwrap();
        assert!(
            msg.starts_with("memory::allocates_once failed (at exercises/join_words/tests/memory.rs:12): measured 3"),
            "{msg}"
        );
        assert!(
            t[4]["message"]
                .as_str()
                .unwrap()
                .contains("exercises/arena/tests/memory.rs, grader.toml")
        );
        assert!(
            t[1]["message"]
                .as_str()
                .unwrap()
                .contains("streams_lines timed out: killed after 10s")
        );
    }

    #[test]
    fn classroom_strings_cannot_issue_workflow_commands() {
        let v = parsed(&fixture::grade());
        let mut all = vec![];
        strings(&v, &mut all);
        let text = all.join("\n");
        assert!(
            text.contains("> ::error::forged by the student"),
            "the student's text is kept, defused"
        );
        assert!(text.contains("# #[error]v1 forged"));
        assert!(!text.contains("##["));
        for line in text.split(['\r', '\n']) {
            let start = line.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
            assert!(!start.starts_with("::"), "{line:?}");
        }
    }

    #[test]
    fn defuse_only_touches_command_lines() {
        assert_eq!(
            defuse("a::b\n  ::add-mask::x\r::y\nok ##[z"),
            "a::b\n>   ::add-mask::x\r> ::y\nok # #[z"
        );
        assert_eq!(defuse("plain text: 1, 2"), "plain text: 1, 2");
        assert_eq!(defuse(""), "");
    }
}
