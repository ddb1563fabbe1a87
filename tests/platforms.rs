//! The platform formats (Gradescope, PrairieLearn, Classroom 50) from a real
//! grading run, validated against each platform's documented contract
//! (`tests/common/platforms.rs`), the Classroom 50 context rules, and the
//! entry points: Classroom 50's `autograder.py` run as its runner runs it,
//! PrairieLearn's `run.sh` over a job directory laid out as PrairieLearn
//! mounts it.

mod common;

use common::platforms;
use common::{copy_tree, course_builder, repo, text};
use serde_json::{Value, json};

/// The environment Classroom 50's runner gives an autograder.
const CLASSROOM50_ENV: [(&str, &str); 7] = [
    ("CLASSROOM", "mem101"),
    ("ASSIGNMENT", "memgrade"),
    ("SUBMISSION_TAG", "submit/20261126T031500Z-abc1234"),
    (
        "COMMIT_URL",
        "https://github.com/mem101/mem101-memgrade-ada/commit/abc1234",
    ),
    (
        "RELEASE_URL",
        "https://github.com/mem101/mem101-memgrade-ada/releases/tag/submit%2F20261126T031500Z-abc1234",
    ),
    ("OWNER", "ada"),
    ("ASSIGNMENT_TYPE", "individual"),
];

/// Makes `dir` a git repository whose one commit was committed at
/// `2026-11-26T03:15:00Z` (as a submission's commit would be).
fn commit_at_known_time(dir: &std::path::Path) {
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &["commit", "-q", "-m", "submission"],
    ] {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-26T04:15:00+01:00")
            .env("GIT_COMMITTER_DATE", "2026-11-26T04:15:00+01:00")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    }
}

fn read(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

#[test]
fn every_platform_format_follows_its_documented_contract() {
    let course = course_builder()
        .exercises(&["join_words", "release_early"])
        .build();
    // join_words solved, release_early left as shipped.
    copy_tree(
        &repo().join("solutions/01_join_words/src"),
        &course.root().join("exercises/01_join_words/src"),
    );
    commit_at_known_time(course.root());
    let out_dir = tempfile::tempdir().unwrap();
    let path = |name: &str| out_dir.path().join(name);
    let mut cmd = course
        .memgrade()
        .args(["check", "--ci", "--format", "json"]);
    for (format, file) in [
        ("json", "grade.json"),
        ("gradescope", "gradescope.json"),
        ("prairielearn", "prairielearn.json"),
        ("classroom50", "result.json"),
    ] {
        if format != "json" {
            cmd = cmd.args(["--format", format]);
        }
        cmd = cmd.args([
            "--output".to_string(),
            format!("{format}={}", path(file).display()),
        ]);
    }
    for (k, v) in CLASSROOM50_ENV {
        cmd = cmd.env(k, v);
    }
    // Classroom 50's runner starts the autograder in the student's checkout.
    let out = cmd
        .into_command()
        .current_dir(course.root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "release_early fails:\n{}",
        text(&out)
    );

    let grade = read(&path("grade.json"));
    let (score, max) = (
        grade["score"].as_f64().unwrap(),
        grade["max_score"].as_f64().unwrap(),
    );
    assert!(
        score > 0.0 && score < max,
        "one of two exercises passed: {grade}"
    );

    let gs = read(&path("gradescope.json"));
    assert_eq!(platforms::gradescope(&gs), Vec::<String>::new(), "{gs:#}");
    assert_eq!(gs["score"].as_f64(), Some(score));

    let pl = read(&path("prairielearn.json"));
    assert_eq!(platforms::prairielearn(&pl), Vec::<String>::new(), "{pl:#}");
    assert_eq!(pl["gradable"], true);
    assert!((pl["score"].as_f64().unwrap() - score / max).abs() < 1e-9);

    let c50 = read(&path("result.json"));
    assert_eq!(
        platforms::classroom50(&c50),
        Vec::<String>::new(),
        "{c50:#}"
    );
    assert_eq!(c50["classroom"], "mem101");
    assert_eq!(c50["owner"], "ada");
    assert_eq!(c50["assignment_type"], "individual");
    assert_eq!(c50["datetime"], "2026-11-26T03:15:00Z", "the commit's time");
    assert_ne!(c50["graded_at"], c50["datetime"], "the run's time");
    assert_eq!(
        c50["review"], c50["commit"],
        "no REVIEW_URL: the commit view"
    );
    let passed: Vec<(&str, bool)> = c50["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["test-name"].as_str().unwrap(),
                t["passed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(passed, vec![("join_words", true), ("release_early", false)]);
    assert_eq!(c50["score"].as_f64(), Some(score.floor()));
    assert_eq!(c50["max-score"].as_f64(), Some(max));
    assert!(
        c50["tests"][0]["provenance"]
            .as_str()
            .unwrap()
            .starts_with("feedback: "),
        "{c50:#}"
    );
}

#[test]
fn classroom50_without_the_runner_environment_stops_before_grading() {
    let course = course_builder().exercises(&["join_words"]).build();
    let out = course
        .memgrade()
        .args(["check", "--format", "classroom50"])
        .env("CLASSROOM", "mem101")
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "not set: ASSIGNMENT, SUBMISSION_TAG, COMMIT_URL, RELEASE_URL, OWNER, ASSIGNMENT_TYPE"
        ),
        "{err}"
    );
    assert!(
        !course.root().join("target").exists(),
        "nothing was compiled"
    );
}

#[test]
fn the_retired_classroom_format_points_to_classroom50() {
    let course = course_builder().exercises(&["join_words"]).build();
    for args in [
        &["check", "--format", "classroom"][..],
        &["check", "--output", "classroom=r.json"][..],
    ] {
        let out = course.run(args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("use --format classroom50"), "{err}");
    }
}

#[test]
fn validators_reject_what_the_contracts_forbid() {
    let c50 = json!({
        "schema": "classroom50/result/v1", "classroom": "c", "assignment": "a",
        "owner": "ada", "assignment_type": "individual",
        "submission": "submit/1", "commit": "x", "release": "y", "review": "z",
        "datetime": "2026-11-26T03:15:00Z", "score": 1, "max-score": 2,
        "tests": [{"test-name": "t", "passed": false, "score": 1, "max-score": 2}]
    });
    assert_eq!(platforms::classroom50(&c50), Vec::<String>::new());
    for (field, bad) in [
        ("score", json!(1.5)),
        ("mode", json!("feedback")),
        ("submission", json!("v1")),
        ("datetime", json!("2026-11-26 03:15:00")),
        ("max-score", json!(3)),
        ("assignment_type", json!("solo")),
        ("graded_at", json!("now")),
    ] {
        let mut v = c50.clone();
        v[field] = bad;
        assert!(!platforms::classroom50(&v).is_empty(), "{field}");
    }
    for required in ["owner", "assignment_type"] {
        let mut v = c50.clone();
        v.as_object_mut().unwrap().remove(required);
        assert!(!platforms::classroom50(&v).is_empty(), "{required}");
    }
    let mut v = c50.clone();
    v["tests"][0]["score"] = json!(3);
    assert!(!platforms::classroom50(&v).is_empty());

    let pl = json!({"gradable": true, "score": 0.5, "tests": [
        {"name": "a", "points": 1, "max_points": 1}, {"name": "b", "points": 0, "max_points": 1}]});
    assert_eq!(platforms::prairielearn(&pl), Vec::<String>::new());
    for bad in [json!(1.5), json!(0.25)] {
        let mut v = pl.clone();
        v["score"] = bad;
        assert!(!platforms::prairielearn(&v).is_empty());
    }
    let mut v = pl.clone();
    v["tests"][0].as_object_mut().unwrap().remove("max_points");
    assert!(!platforms::prairielearn(&v).is_empty());

    let gs = json!({"score": 1.0, "output_format": "text", "tests": [
        {"name": "a", "score": 1.0, "max_score": 1.0, "status": "passed"}]});
    assert_eq!(platforms::gradescope(&gs), Vec::<String>::new());
    for (field, bad) in [
        ("score", json!(2.0)),
        ("mode", json!("x")),
        ("output_format", json!("rtf")),
    ] {
        let mut v = gs.clone();
        v[field] = bad;
        assert!(!platforms::gradescope(&v).is_empty(), "{field}");
    }
    let mut v = gs.clone();
    v["tests"][0]["status"] = json!("error");
    assert!(!platforms::gradescope(&v).is_empty());
}

/// memgrade's own executable, for the entry points' `MEMGRADE`.
fn memgrade_exe() -> &'static str {
    env!("CARGO_BIN_EXE_memgrade")
}

#[test]
fn the_classroom50_autograder_writes_a_result_the_runner_accepts() {
    if !common::require_tool("python3") {
        return;
    }
    let course = course_builder().exercises(&["join_words"]).build();
    copy_tree(
        &repo().join("solutions/01_join_words/src"),
        &course.root().join("exercises/01_join_words/src"),
    );
    commit_at_known_time(course.root());
    let autograder = repo().join("templates/classroom50/autograder.py");
    let run = |memgrade: &str, env: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(&autograder)
            .current_dir(course.root())
            .env("MEMGRADE", memgrade)
            .env("CARGO_TARGET_DIR", course.root().join("target"))
            .env("NO_COLOR", "1")
            .env_remove("CI");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    // As the runner starts it: the checkout as working directory, its
    // environment (USERNAME beside OWNER, as the runner passes both).
    let mut env: Vec<(&str, &str)> = CLASSROOM50_ENV.to_vec();
    env.push(("USERNAME", "ada"));
    env.push((
        "REVIEW_URL",
        "https://github.com/mem101/mem101-memgrade-ada/compare/a...b",
    ));
    let out = run(memgrade_exe(), &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let result = read(&course.root().join("result.json"));
    assert_eq!(
        platforms::classroom50(&result),
        Vec::<String>::new(),
        "{result:#}"
    );
    assert_eq!(
        (result["score"].as_u64(), result["max-score"].as_u64()),
        (Some(10), Some(10))
    );
    assert_eq!(result["datetime"], "2026-11-26T03:15:00Z");
    assert_eq!(result["owner"], "ada");

    // memgrade failing (here: the runner's context missing) leaves no
    // result.json: the runner records an error, not a zero.
    let out = run(memgrade_exe(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!course.root().join("result.json").exists());
    assert!(
        text(&out).contains("memgrade could not grade this submission (exit 2)"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_prairielearn_entrypoint_grades_the_mounted_job_into_results_json() {
    let course = course_builder().exercises(&["join_words"]).sealed().build();
    let jobs = tempfile::tempdir().unwrap();
    // /grade as PrairieLearn mounts it: serverFilesCourse/memgrade with the
    // script and the student template, the submitted files in student/.
    let job = |name: &str, submitted: Option<&std::path::Path>| {
        let root = jobs.path().join(name);
        let server = root.join("serverFilesCourse/memgrade");
        std::fs::create_dir_all(&server).unwrap();
        let out = common::Memgrade::new()
            .root(course.root())
            .args(["template".as_ref(), server.join("course").as_os_str()])
            .output();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        std::fs::copy(
            repo().join("templates/prairielearn/run.sh"),
            server.join("run.sh"),
        )
        .unwrap();
        std::fs::create_dir_all(root.join("student")).unwrap();
        std::fs::create_dir_all(root.join("data")).unwrap();
        std::fs::write(root.join("data/data.json"), "{}").unwrap();
        if let Some(lib) = submitted {
            std::fs::copy(lib, root.join("student/lib.rs")).unwrap();
        }
        root
    };
    let grade = |root: &std::path::Path, exercise: &str| {
        std::process::Command::new("bash")
            .arg(root.join("serverFilesCourse/memgrade/run.sh"))
            .env("MEMGRADE_PL_ROOT", root)
            .env("MEMGRADE_EXERCISE", exercise)
            .env("MEMGRADE", memgrade_exe())
            .env("MEMGRADE_SANDBOX", "none")
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .unwrap()
    };
    let solved = job(
        "solved",
        Some(&repo().join("solutions/01_join_words/src/lib.rs")),
    );
    let out = grade(&solved, "01_join_words");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let results = read(&solved.join("results/results.json"));
    assert_eq!(
        platforms::prairielearn(&results),
        Vec::<String>::new(),
        "{results:#}"
    );
    assert_eq!(results["gradable"], true);
    assert_eq!(results["score"].as_f64(), Some(1.0), "{results:#}");

    // Nothing submitted: the starting code, graded (0), not an error.
    let empty = job("empty", None);
    let out = grade(&empty, "01_join_words");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let results = read(&empty.join("results/results.json"));
    assert_eq!(
        platforms::prairielearn(&results),
        Vec::<String>::new(),
        "{results:#}"
    );
    assert_eq!(results["score"].as_f64(), Some(0.0), "{results:#}");

    // A question configured with an unknown exercise: no results.json, so
    // PrairieLearn shows a grading failure rather than a zero.
    let unknown = job("unknown", None);
    let out = grade(&unknown, "99_nothing");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!unknown.join("results/results.json").exists());
    assert!(
        text(&out).contains("MEMGRADE_EXERCISE must name an exercise directory"),
        "{}",
        text(&out)
    );
}
