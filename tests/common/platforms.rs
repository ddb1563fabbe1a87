//! The platforms' documented result formats, as field lists with their
//! types and rules, and one validator per platform. Each validator returns
//! every violation it finds (empty when the document follows the contract).
//!
//! Sources:
//! - Gradescope: "Autograder Specifications", Output format,
//!   <https://gradescope-autograders.readthedocs.io/en/latest/specs/>.
//! - PrairieLearn: "External Grading", Grading results,
//!   <https://prairielearn.readthedocs.io/en/latest/externalGrading/>
//!   (`docs/externalGrading.md` in PrairieLearn/PrairieLearn).
//! - Classroom 50: the wiki page "Advanced Autograding"
//!   (<https://github.com/foundation50/classroom50/wiki/Advanced-Autograding>),
//!   the schema `schemas/result-v1.schema.json` and `validate_result` in
//!   `cli/gh-teacher/skeleton/dotgithub/scripts/runner.py` of
//!   foundation50/classroom50.
#![allow(dead_code)]

use serde_json::{Map, Value};

/// A JSON type a field must have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A string.
    Str,
    /// A string that is not empty.
    NonEmptyStr,
    /// Any number.
    Number,
    /// A whole number, zero or more.
    Count,
    /// `true` or `false`.
    Bool,
    /// An array.
    Array,
    /// An object.
    Object,
    /// A string or an array of strings.
    StrOrStrs,
}

/// A documented field: name, type, whether it is required.
pub type Field = (&'static str, Kind, bool);

/// Gradescope `results.json`, top level.
pub const GRADESCOPE_TOP: &[Field] = &[
    ("score", Kind::Number, false),
    ("execution_time", Kind::Number, false),
    ("output", Kind::Str, false),
    ("output_format", Kind::Str, false),
    ("test_output_format", Kind::Str, false),
    ("test_name_format", Kind::Str, false),
    ("visibility", Kind::Str, false),
    ("stdout_visibility", Kind::Str, false),
    ("extra_data", Kind::Object, false),
    ("tests", Kind::Array, false),
    ("leaderboard", Kind::Array, false),
];

/// Gradescope `results.json`, each test.
pub const GRADESCOPE_TEST: &[Field] = &[
    ("score", Kind::Number, false),
    ("max_score", Kind::Number, false),
    ("status", Kind::Str, false),
    ("name", Kind::Str, false),
    ("name_format", Kind::Str, false),
    ("number", Kind::Str, false),
    ("output", Kind::Str, false),
    ("output_format", Kind::Str, false),
    ("tags", Kind::Array, false),
    ("visibility", Kind::Str, false),
    ("extra_data", Kind::Object, false),
];

/// Gradescope's output formats (`output_format` and friends).
pub const GRADESCOPE_OUTPUT_FORMATS: &[&str] = &["text", "html", "simple_format", "md", "ansi"];

/// PrairieLearn `results.json`, top level (`score` is required when the
/// submission is gradable; other fields are free, these are the ones
/// `<pl-external-grader-results>` renders).
pub const PRAIRIELEARN_TOP: &[Field] = &[
    ("gradable", Kind::Bool, false),
    ("score", Kind::Number, false),
    ("format_errors", Kind::StrOrStrs, false),
    ("message", Kind::Str, false),
    ("output", Kind::Str, false),
    ("images", Kind::Array, false),
    ("tests", Kind::Array, false),
];

/// PrairieLearn `results.json`, each test.
pub const PRAIRIELEARN_TEST: &[Field] = &[
    ("name", Kind::Str, true),
    ("description", Kind::Str, false),
    ("points", Kind::Number, true),
    ("max_points", Kind::Number, true),
    ("message", Kind::Str, false),
    ("output", Kind::Str, false),
    ("images", Kind::Array, false),
];

/// Classroom 50 `result.json`, top level: no other field is allowed.
pub const CLASSROOM50_TOP: &[Field] = &[
    ("schema", Kind::NonEmptyStr, true),
    ("classroom", Kind::NonEmptyStr, true),
    ("assignment", Kind::NonEmptyStr, true),
    ("assignment_type", Kind::NonEmptyStr, true),
    ("owner", Kind::NonEmptyStr, true),
    ("submission", Kind::NonEmptyStr, true),
    ("commit", Kind::NonEmptyStr, true),
    ("release", Kind::NonEmptyStr, true),
    ("review", Kind::NonEmptyStr, true),
    ("datetime", Kind::NonEmptyStr, true),
    ("graded_at", Kind::NonEmptyStr, false),
    ("score", Kind::Count, true),
    ("max-score", Kind::Count, true),
    ("tests", Kind::Array, true),
    ("submitted_by", Kind::Object, false),
];

/// Classroom 50 `result.json`, each test (extra fields are allowed).
pub const CLASSROOM50_TEST: &[Field] = &[
    ("test-name", Kind::NonEmptyStr, true),
    ("passed", Kind::Bool, true),
    ("score", Kind::Count, true),
    ("max-score", Kind::Count, true),
];

fn kind_ok(v: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Str => v.is_string(),
        Kind::NonEmptyStr => v.as_str().is_some_and(|s| !s.is_empty()),
        Kind::Number => v.is_number(),
        Kind::Count => v.is_u64(),
        Kind::Bool => v.is_boolean(),
        Kind::Array => v.is_array(),
        Kind::Object => v.is_object(),
        Kind::StrOrStrs => {
            v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        }
    }
}

/// Checks `obj` against `fields`: required ones present, types right, and
/// (when `closed`) nothing else.
fn check_fields(
    obj: &Map<String, Value>,
    fields: &[Field],
    closed: bool,
    at: &str,
    errors: &mut Vec<String>,
) {
    for (name, kind, required) in fields {
        match obj.get(*name) {
            None if *required => errors.push(format!("{at}: `{name}` is missing")),
            None => {}
            Some(v) if !kind_ok(v, *kind) => {
                errors.push(format!("{at}: `{name}` should be {kind:?}, found {v}"))
            }
            Some(_) => {}
        }
    }
    if closed {
        for key in obj.keys() {
            if !fields.iter().any(|(name, _, _)| name == key) {
                errors.push(format!("{at}: `{key}` is not a documented field"));
            }
        }
    }
}

fn tests_of<'a>(v: &'a Value, errors: &mut Vec<String>) -> Vec<&'a Map<String, Value>> {
    let mut out = Vec::new();
    for (i, t) in v["tests"].as_array().into_iter().flatten().enumerate() {
        match t.as_object() {
            Some(o) => out.push(o),
            None => errors.push(format!("tests[{i}] is not an object")),
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Gradescope: only documented fields (memgrade promises that), score equal
/// to the sum of the tests' scores, each test within `0..=max_score`,
/// statuses `passed`/`failed`, known output formats.
pub fn gradescope(v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = v.as_object() else {
        return vec!["not an object".into()];
    };
    check_fields(top, GRADESCOPE_TOP, true, "results", &mut errors);
    if !top.contains_key("score") && !top.contains_key("tests") {
        errors.push("results: `score` is required when tests carry no scores".into());
    }
    for key in ["output_format", "test_output_format"] {
        if let Some(f) = top.get(key).and_then(Value::as_str)
            && !GRADESCOPE_OUTPUT_FORMATS.contains(&f)
        {
            errors.push(format!("results: `{key}` `{f}` is not a Gradescope format"));
        }
    }
    let tests = tests_of(v, &mut errors);
    let mut sum = 0.0;
    for (i, t) in tests.iter().enumerate() {
        let at = format!("tests[{i}]");
        check_fields(t, GRADESCOPE_TEST, true, &at, &mut errors);
        let score = t.get("score").and_then(Value::as_f64).unwrap_or(0.0);
        sum += score;
        if let Some(max) = t.get("max_score").and_then(Value::as_f64)
            && !(0.0..=max + 1e-9).contains(&score)
        {
            errors.push(format!("{at}: score {score} is outside 0..={max}"));
        }
        if let Some(s) = t.get("status").and_then(Value::as_str)
            && s != "passed"
            && s != "failed"
        {
            errors.push(format!("{at}: status `{s}` is neither passed nor failed"));
        }
    }
    if let Some(score) = v["score"].as_f64()
        && !close(score, sum)
    {
        errors.push(format!(
            "results: score {score} is not the sum of the tests ({sum})"
        ));
    }
    errors
}

/// PrairieLearn: `score` in [0, 1] when gradable, tests with points within
/// `0..=max_points`, and the score equal to the tests' points over their
/// maximum (memgrade's promise).
pub fn prairielearn(v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = v.as_object() else {
        return vec!["not an object".into()];
    };
    check_fields(top, PRAIRIELEARN_TOP, false, "results", &mut errors);
    let gradable = top.get("gradable").and_then(Value::as_bool).unwrap_or(true);
    match top.get("score").and_then(Value::as_f64) {
        None if gradable => errors.push("results: a gradable result needs `score`".into()),
        Some(s) if !(0.0..=1.0).contains(&s) => {
            errors.push(format!("results: score {s} is outside [0, 1]"))
        }
        _ => {}
    }
    let tests = tests_of(v, &mut errors);
    let (mut points, mut max) = (0.0, 0.0);
    for (i, t) in tests.iter().enumerate() {
        let at = format!("tests[{i}]");
        check_fields(t, PRAIRIELEARN_TEST, false, &at, &mut errors);
        let p = t.get("points").and_then(Value::as_f64).unwrap_or(0.0);
        let m = t.get("max_points").and_then(Value::as_f64).unwrap_or(0.0);
        if !(0.0..=m + 1e-9).contains(&p) {
            errors.push(format!("{at}: points {p} are outside 0..={m}"));
        }
        points += p;
        max += m;
    }
    if let Some(s) = v["score"].as_f64()
        && max > 0.0
        && !close(s, points / max)
    {
        errors.push(format!(
            "results: score {s} is not the tests' points over their maximum ({points} / {max})"
        ));
    }
    errors
}

/// Classroom 50: the v1 schema (closed top level, `owner` and
/// `assignment_type` (`individual` or `group`) required, whole non-negative
/// scores, `submit/` tag, UTC `datetime` and `graded_at`), `score <= max-score` at both
/// levels, and `score`/`max-score` the sums of the tests (as the
/// documented example autograders compute them).
pub fn classroom50(v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = v.as_object() else {
        return vec!["not an object".into()];
    };
    check_fields(top, CLASSROOM50_TOP, true, "result", &mut errors);
    if v["schema"] != "classroom50/result/v1" {
        errors.push(format!("result: schema is {}", v["schema"]));
    }
    if !v["submission"]
        .as_str()
        .is_some_and(|s| s.starts_with("submit/"))
    {
        errors.push("result: `submission` must be a submit/* tag".into());
    }
    if !matches!(v["assignment_type"].as_str(), Some("individual" | "group")) {
        errors.push(format!(
            "result: assignment_type {} is not individual or group",
            v["assignment_type"]
        ));
    }
    for field in ["datetime", "graded_at"] {
        let Some(dt) = v[field].as_str() else {
            continue;
        };
        let shape = dt.len() == 20
            && dt.char_indices().all(|(i, c)| match i {
                4 | 7 => c == '-',
                10 => c == 'T',
                13 | 16 => c == ':',
                19 => c == 'Z',
                _ => c.is_ascii_digit(),
            });
        if !shape {
            errors.push(format!("result: {field} `{dt}` is not %Y-%m-%dT%H:%M:%SZ"));
        }
    }
    let tests = tests_of(v, &mut errors);
    let (mut sum, mut max_sum) = (0, 0);
    for (i, t) in tests.iter().enumerate() {
        let at = format!("tests[{i}]");
        check_fields(t, CLASSROOM50_TEST, false, &at, &mut errors);
        let s = t.get("score").and_then(Value::as_u64).unwrap_or(0);
        let m = t.get("max-score").and_then(Value::as_u64).unwrap_or(0);
        if s > m {
            errors.push(format!("{at}: score {s} > max-score {m}"));
        }
        sum += s;
        max_sum += m;
    }
    let (score, max) = (v["score"].as_u64(), v["max-score"].as_u64());
    if score.zip(max).is_some_and(|(s, m)| s > m) {
        errors.push("result: score > max-score".into());
    }
    if score != Some(sum) || max != Some(max_sum) {
        errors.push(format!(
            "result: score/max-score {score:?}/{max:?} are not the tests' sums {sum}/{max_sum}"
        ));
    }
    errors
}
