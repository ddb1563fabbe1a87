//! Classroom 50's `result.json` (schema `classroom50/result/v1`).
//!
//! Classroom 50 (github.com/foundation50/classroom50, one of the successors
//! GitHub suggested when it retired GitHub Classroom autograding) grades a
//! submission inside the student's own repository: its `runner.py` runs the
//! assignment's `autograder.py` with the student's checkout as the working
//! directory and reads the `result.json` it leaves there. The contract, from
//! the wiki page "Advanced Autograding"
//! (<https://github.com/foundation50/classroom50/wiki/Advanced-Autograding>),
//! the JSON schema `schemas/result-v1.schema.json` and the validator
//! `validate_result` in `cli/gh-teacher/skeleton/dotgithub/scripts/runner.py`:
//!
//! - top level, no other field allowed (`additionalProperties: false`):
//!   `schema` (`"classroom50/result/v1"`), `classroom`, `assignment`,
//!   `submission` (a `submit/…` tag), `commit`, `release`, `review`,
//!   `datetime` (UTC, `%Y-%m-%dT%H:%M:%SZ`), `score`, `max-score`, `tests`;
//!   `owner`, `assignment_type`, `graded_at` and `submitted_by` are stamped
//!   by the runner (memgrade writes `owner` and `assignment_type` when the
//!   runner passed them as `OWNER` and `ASSIGNMENT_TYPE`; the runner
//!   overwrites them and `datetime` in any case);
//! - scores are non-negative **integers**, `score <= max-score`;
//! - each test: `test-name` (non-empty), `passed` (boolean), `score`,
//!   `max-score` (integers, `score <= max-score`), and any extra field
//!   (`additionalProperties: true`: "an autograder.py may attach extra
//!   diagnostic fields (e.g., output, message) that the runner and collector
//!   preserve verbatim").
//!
//! memgrade lists one test per exercise (`test-name` is the exercise's name)
//! with its points as whole numbers: the maximum rounded to the nearest
//! point, the earned points rounded down (partial credit of 6.67 counts 6),
//! so no entry claims more than it earned. `score` and `max-score` are the
//! sums of the entries. Each entry adds `message` (why it did not pass: the
//! failing tests' reasons, the compiler errors or the changed files; empty
//! when it passed) and `provenance`: since the top level admits no extra
//! field, every entry says that this is feedback graded inside the student's
//! repository (a grade of record comes from the instructor's gradebook).
//!
//! The context comes from the environment the runner gives the autograder:
//! `CLASSROOM`, `ASSIGNMENT`, `SUBMISSION_TAG`, `COMMIT_URL`, `RELEASE_URL`
//! are required (a missing one is a usage error naming it, before anything
//! is graded); `REVIEW_URL` falls back to `COMMIT_URL`, as the runner does.

use serde::Serialize;

use crate::exit::UsageError;
use crate::pipeline::grade::{ExerciseGrade, Grade};
use crate::report::problem::exercise_problems;
use crate::report::status_phrase;

/// The schema sentinel.
pub const SCHEMA: &str = "classroom50/result/v1";

/// The environment variables memgrade needs from Classroom 50's runner.
pub const REQUIRED_ENV: [&str; 5] = [
    "CLASSROOM",
    "ASSIGNMENT",
    "SUBMISSION_TAG",
    "COMMIT_URL",
    "RELEASE_URL",
];

/// What the runner tells the autograder about the submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The classroom's short name (`CLASSROOM`).
    pub classroom: String,
    /// The assignment's slug (`ASSIGNMENT`).
    pub assignment: String,
    /// The `submit/…` tag (`SUBMISSION_TAG`).
    pub submission: String,
    /// Link to the graded commit (`COMMIT_URL`).
    pub commit: String,
    /// Link to the submission's release (`RELEASE_URL`).
    pub release: String,
    /// Link to the review diff (`REVIEW_URL`, else `COMMIT_URL`).
    pub review: String,
    /// The repository owner (`OWNER`), when given.
    pub owner: Option<String>,
    /// `individual`, `group`, … (`ASSIGNMENT_TYPE`), when given.
    pub assignment_type: Option<String>,
    /// When this result was made, `%Y-%m-%dT%H:%M:%SZ` in UTC.
    pub datetime: String,
}

impl Context {
    /// Reads the context from the process environment.
    pub fn from_env() -> Result<Context, UsageError> {
        Context::from_lookup(|k| std::env::var(k).ok(), now_utc())
    }

    /// Reads the context through `var` (an environment), stamped `datetime`.
    pub fn from_lookup(
        var: impl Fn(&str) -> Option<String>,
        datetime: String,
    ) -> Result<Context, UsageError> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let missing: Vec<&str> = REQUIRED_ENV
            .iter()
            .copied()
            .filter(|k| get(k).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(UsageError(format!(
                "--format classroom50 needs the environment Classroom 50's runner gives its autograder; not set: {} (run memgrade from the assignment's autograder.py)",
                missing.join(", ")
            )));
        }
        let required = |k: &str| get(k).expect("checked above");
        let submission = required("SUBMISSION_TAG");
        if !submission.starts_with("submit/") {
            return Err(UsageError(format!(
                "SUBMISSION_TAG is `{submission}`; Classroom 50 submissions are `submit/…` tags"
            )));
        }
        let commit = required("COMMIT_URL");
        Ok(Context {
            classroom: required("CLASSROOM"),
            assignment: required("ASSIGNMENT"),
            submission,
            review: get("REVIEW_URL").unwrap_or_else(|| commit.clone()),
            commit,
            release: required("RELEASE_URL"),
            owner: get("OWNER"),
            assignment_type: get("ASSIGNMENT_TYPE"),
            datetime,
        })
    }
}

/// The result document.
#[derive(Debug, Serialize)]
struct ResultJson<'a> {
    schema: &'static str,
    classroom: &'a str,
    assignment: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    assignment_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    submission: &'a str,
    commit: &'a str,
    release: &'a str,
    review: &'a str,
    datetime: &'a str,
    score: u64,
    #[serde(rename = "max-score")]
    max_score: u64,
    tests: Vec<Test>,
}

/// One entry of `tests`: an exercise.
#[derive(Debug, Serialize)]
struct Test {
    #[serde(rename = "test-name")]
    test_name: String,
    passed: bool,
    score: u64,
    #[serde(rename = "max-score")]
    max_score: u64,
    message: String,
    provenance: String,
}

/// Renders `grade` as Classroom 50's `result.json` (pretty, newline-terminated).
pub fn render(grade: &Grade, ctx: &Context) -> String {
    let provenance = format!(
        "{}; graded inside the student's repository by Classroom 50's runner",
        grade.provenance.summary()
    );
    let tests: Vec<Test> = grade
        .exercises
        .iter()
        .map(|e| {
            let (score, max_score) = whole_points(e.points, e.max_points);
            Test {
                test_name: e.name.clone(),
                passed: e.status == crate::pipeline::grade::ExerciseStatus::Passed,
                score,
                max_score,
                message: message(e),
                provenance: provenance.clone(),
            }
        })
        .collect();
    let result = ResultJson {
        schema: SCHEMA,
        classroom: &ctx.classroom,
        assignment: &ctx.assignment,
        assignment_type: ctx.assignment_type.as_deref(),
        owner: ctx.owner.as_deref(),
        submission: &ctx.submission,
        commit: &ctx.commit,
        release: &ctx.release,
        review: &ctx.review,
        datetime: &ctx.datetime,
        score: tests.iter().map(|t| t.score).sum(),
        max_score: tests.iter().map(|t| t.max_score).sum(),
        tests,
    };
    let mut out = serde_json::to_string_pretty(&result).expect("result.json always serializes");
    out.push('\n');
    out
}

/// Earned and available points as whole numbers: the maximum rounded to the
/// nearest point, the earned points rounded down and never above it.
fn whole_points(points: f64, max_points: f64) -> (u64, u64) {
    let max = max_points.max(0.0).round() as u64;
    // A hair of tolerance: 9.999999 stored for 10 still counts 10.
    let earned = (points.max(0.0) + 1e-6).floor() as u64;
    (earned.min(max), max)
}

/// Why an exercise did not pass: the compiler errors or changed files, or
/// each failing test's reason with its place; empty when it passed.
fn message(e: &ExerciseGrade) -> String {
    exercise_problems(e)
        .iter()
        .map(|p| match p.test() {
            None => p.text.trim_end().to_string(),
            Some(t) => {
                let at = p
                    .location
                    .map(|l| format!(" (at {}:{})", l.file, l.line))
                    .unwrap_or_default();
                format!(
                    "{}::{} {}{at}: {}",
                    t.suite,
                    t.name,
                    status_phrase(t.status),
                    p.text.trim_end()
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Now in UTC as `%Y-%m-%dT%H:%M:%SZ`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_datetime(secs)
}

/// Seconds since the Unix epoch as `%Y-%m-%dT%H:%M:%SZ` (proleptic
/// Gregorian calendar; Howard Hinnant's `civil_from_days`).
pub fn utc_datetime(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::*;
    use crate::pipeline::fixture;

    fn env() -> BTreeMap<&'static str, &'static str> {
        BTreeMap::from([
            ("CLASSROOM", "mem101"),
            ("ASSIGNMENT", "memgrade"),
            ("SUBMISSION_TAG", "submit/20261126T031500Z-abc1234"),
            (
                "COMMIT_URL",
                "https://github.com/mem101/mem101-memgrade-ada/commit/abc1234",
            ),
            (
                "RELEASE_URL",
                "https://github.com/mem101/mem101-memgrade-ada/releases/tag/submit%2F1",
            ),
        ])
    }

    fn context(env: &BTreeMap<&str, &str>) -> Result<Context, UsageError> {
        Context::from_lookup(
            |k| env.get(k).map(|v| v.to_string()),
            "2026-11-26T03:15:00Z".into(),
        )
    }

    fn parsed(g: &Grade) -> Value {
        serde_json::from_str(&render(g, &context(&env()).unwrap())).unwrap()
    }

    #[test]
    fn missing_context_names_every_missing_variable() {
        let mut e = env();
        e.remove("CLASSROOM");
        e.insert("RELEASE_URL", "  ");
        let err = context(&e).unwrap_err().0;
        assert!(err.contains("not set: CLASSROOM, RELEASE_URL"), "{err}");
        let mut e = env();
        e.insert("SUBMISSION_TAG", "v1");
        assert!(context(&e).unwrap_err().0.contains("`submit/…` tags"));
    }

    #[test]
    fn review_falls_back_to_the_commit_and_runner_fields_pass_through() {
        let v = parsed(&fixture::grade());
        assert_eq!(v["review"], v["commit"]);
        assert!(v.get("owner").is_none() && v.get("assignment_type").is_none());
        let mut e = env();
        e.insert("REVIEW_URL", "https://example.test/compare/a...b");
        e.insert("OWNER", "ada");
        e.insert("ASSIGNMENT_TYPE", "individual");
        let v: Value =
            serde_json::from_str(&render(&fixture::grade(), &context(&e).unwrap())).unwrap();
        assert_eq!(v["review"], "https://example.test/compare/a...b");
        assert_eq!(
            (v["owner"].as_str(), v["assignment_type"].as_str()),
            (Some("ada"), Some("individual"))
        );
    }

    #[test]
    fn scores_are_whole_points_that_never_exceed_what_was_earned() {
        assert_eq!(whole_points(6.67, 10.0), (6, 10));
        assert_eq!(whole_points(9.999_999_9, 10.0), (10, 10));
        assert_eq!(whole_points(10.0, 10.0), (10, 10));
        assert_eq!(whole_points(0.0, 2.5), (0, 3));
        assert_eq!(whole_points(2.5, 2.5), (2, 3));
        let v = parsed(&fixture::grade());
        let tests = v["tests"].as_array().unwrap();
        assert_eq!(tests.len(), fixture::grade().exercises.len());
        let jw = &tests[0];
        assert_eq!(jw["test-name"], "join_words");
        assert_eq!(
            (jw["score"].as_u64(), jw["max-score"].as_u64()),
            (Some(5), Some(10))
        );
        assert_eq!(jw["passed"], false);
        let msg = jw["message"].as_str().unwrap();
        assert!(msg.starts_with("memory::allocates_once failed (at exercises/join_words/tests/memory.rs:12): measured 3"), "{msg}");
        let slots = tests.iter().find(|t| t["test-name"] == "slots").unwrap();
        assert!(
            slots["message"]
                .as_str()
                .unwrap()
                .starts_with("error[E0308]")
        );
    }

    #[test]
    fn provenance_is_on_every_entry() {
        let v = parsed(&fixture::grade());
        for t in v["tests"].as_array().unwrap() {
            assert_eq!(
                t["provenance"],
                "feedback: a local check, not a grade of record (sandbox: none); graded inside the student's repository by Classroom 50's runner"
            );
        }
    }

    #[test]
    fn utc_datetimes() {
        assert_eq!(utc_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_datetime(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_datetime(1_795_662_000), "2026-11-26T03:00:00Z");
        assert!(now_utc().ends_with('Z') && now_utc().len() == 20);
    }
}
