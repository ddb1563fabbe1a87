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
//! - top level, no other field allowed (`additionalProperties: false`),
//!   required: `schema` (`"classroom50/result/v1"`), `classroom`,
//!   `assignment`, `assignment_type` (`individual` or `group`), `owner` (the
//!   repository owner's login), `submission` (a `submit/…` tag), `commit`,
//!   `release`, `review`, `datetime` (the graded commit's committer date,
//!   UTC, `%Y-%m-%dT%H:%M:%SZ`: the submission instant, the same on every
//!   regrade), `score`, `max-score`, `tests`; optional `graded_at` (this
//!   run's time) and `submitted_by`. The runner passes `OWNER` (also as
//!   `USERNAME`) and `ASSIGNMENT_TYPE` to the autograder, and stamps
//!   `owner`, `assignment_type`, `datetime` and `graded_at` over what the
//!   autograder wrote; memgrade writes the same values, so its result is
//!   valid on its own too;
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
//! `CLASSROOM`, `ASSIGNMENT`, `SUBMISSION_TAG`, `COMMIT_URL`, `RELEASE_URL`,
//! `OWNER` (or `USERNAME`, which older runners pass) and `ASSIGNMENT_TYPE`
//! are required (a missing one is a usage error naming it, before anything
//! is graded); `REVIEW_URL` falls back to `COMMIT_URL`, as the runner does.
//! `datetime` is the committer date of `HEAD` in the current directory (the
//! student's checkout, where the runner starts the autograder), read with
//! git; where git cannot say, the grading time, with a note on stderr.

use serde::Serialize;

use crate::exit::UsageError;
use crate::pipeline::grade::{ExerciseGrade, Grade};
use crate::report::problem::exercise_problems;
use crate::report::status_phrase;

/// The schema sentinel.
pub const SCHEMA: &str = "classroom50/result/v1";

/// The environment variables memgrade needs from Classroom 50's runner
/// (`OWNER` may be given as `USERNAME`).
pub const REQUIRED_ENV: [&str; 7] = [
    "CLASSROOM",
    "ASSIGNMENT",
    "SUBMISSION_TAG",
    "COMMIT_URL",
    "RELEASE_URL",
    "OWNER",
    "ASSIGNMENT_TYPE",
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
    /// The repository owner (`OWNER`, else `USERNAME`).
    pub owner: String,
    /// `individual` or `group` (`ASSIGNMENT_TYPE`).
    pub assignment_type: String,
    /// The graded commit's committer date, `%Y-%m-%dT%H:%M:%SZ` in UTC.
    pub datetime: String,
    /// When this run graded it, in the same form.
    pub graded_at: String,
}

impl Context {
    /// Reads the context from the process environment, `datetime` from the
    /// commit checked out in the current directory.
    pub fn from_env() -> Result<Context, UsageError> {
        let now = utc(jiff::Timestamp::now());
        let committed = head_commit_time().unwrap_or_else(|why| {
            warnln!(
                "note: the commit's time could not be read ({why}); Classroom 50's datetime is the grading time (the runner writes the commit's)"
            );
            now.clone()
        });
        Context::from_lookup(|k| std::env::var(k).ok(), committed, now)
    }

    /// Reads the context through `var` (an environment), with the commit's
    /// time `datetime` and the run's `graded_at`.
    pub fn from_lookup(
        var: impl Fn(&str) -> Option<String>,
        datetime: String,
        graded_at: String,
    ) -> Result<Context, UsageError> {
        let get = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .or_else(|| (k == "OWNER").then(|| get_username(&var)).flatten())
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
            owner: required("OWNER"),
            assignment_type: required("ASSIGNMENT_TYPE"),
            datetime,
            graded_at,
        })
    }
}

/// `USERNAME`, which older runners pass instead of `OWNER`.
fn get_username(var: &impl Fn(&str) -> Option<String>) -> Option<String> {
    var("USERNAME")
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The committer date of `HEAD` in the current directory, in UTC.
fn head_commit_time() -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "core.fsmonitor=false",
            "--no-pager",
            "log",
            "-1",
            "--format=%ct",
            "HEAD",
        ])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let secs: i64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| "git gave no commit time".to_string())?;
    let t = jiff::Timestamp::from_second(secs).map_err(|e| e.to_string())?;
    Ok(utc(t))
}

/// `%Y-%m-%dT%H:%M:%SZ` in UTC.
pub fn utc(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The result document.
#[derive(Debug, Serialize)]
struct ResultJson<'a> {
    schema: &'static str,
    classroom: &'a str,
    assignment: &'a str,
    assignment_type: &'a str,
    owner: &'a str,
    submission: &'a str,
    commit: &'a str,
    release: &'a str,
    review: &'a str,
    datetime: &'a str,
    graded_at: &'a str,
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
        assignment_type: &ctx.assignment_type,
        owner: &ctx.owner,
        submission: &ctx.submission,
        commit: &ctx.commit,
        release: &ctx.release,
        review: &ctx.review,
        datetime: &ctx.datetime,
        graded_at: &ctx.graded_at,
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
            ("OWNER", "ada"),
            ("ASSIGNMENT_TYPE", "individual"),
        ])
    }

    fn context(env: &BTreeMap<&str, &str>) -> Result<Context, UsageError> {
        Context::from_lookup(
            |k| env.get(k).map(|v| v.to_string()),
            "2026-11-26T03:15:00Z".into(),
            "2026-11-27T08:00:00Z".into(),
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
        assert_eq!(
            (v["owner"].as_str(), v["assignment_type"].as_str()),
            (Some("ada"), Some("individual"))
        );
        assert_eq!(
            (v["datetime"].as_str(), v["graded_at"].as_str()),
            (Some("2026-11-26T03:15:00Z"), Some("2026-11-27T08:00:00Z"))
        );
        let mut e = env();
        e.insert("REVIEW_URL", "https://example.test/compare/a...b");
        e.remove("OWNER");
        e.insert("USERNAME", "grace");
        let v: Value =
            serde_json::from_str(&render(&fixture::grade(), &context(&e).unwrap())).unwrap();
        assert_eq!(v["review"], "https://example.test/compare/a...b");
        assert_eq!(v["owner"], "grace", "USERNAME, as older runners pass it");
        e.remove("USERNAME");
        e.remove("ASSIGNMENT_TYPE");
        let err = context(&e).unwrap_err().0;
        assert!(err.contains("not set: OWNER, ASSIGNMENT_TYPE"), "{err}");
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
        let t = |s| jiff::Timestamp::from_second(s).unwrap();
        assert_eq!(utc(t(0)), "1970-01-01T00:00:00Z");
        assert_eq!(utc(t(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(utc(t(1_795_662_000)), "2026-11-26T03:00:00Z");
    }
}
