//! CI grading: tamper detection with the lock file (feedback), the grade of
//! record with `--course` (alias `--tests-from`) and `--course-git`, the
//! GitHub format in CI mode, `--exit-zero`, and the gradebook.

mod common;

use common::{copy_tree, course, memgrade, text};

/// [`memgrade`] for the grade of record, with the sandbox
/// [`common::record_sandbox`] picks (`none` without bubblewrap: these
/// tests are about the official course and the fork, not the sandbox).
fn record(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--sandbox", common::record_sandbox()]);
    memgrade(root, &all)
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

#[test]
fn a_tampered_test_is_caught_and_tests_from_ignores_it() {
    let c = course();
    assert_eq!(memgrade(c.path(), &["seal"]).status.code(), Some(0));
    let pristine = c.copy();

    // The student "fixes" the test by loosening the budget.
    let test = c.path().join("exercises/01_join_words/tests/memory.rs");
    let src = std::fs::read_to_string(&test).unwrap();
    let loosened = src.replace(
        "Budget::AtMost(usize::from(!want.is_empty()))",
        "Budget::AtMost(100)",
    );
    assert_ne!(loosened, src, "the budget to loosen is in the test");
    std::fs::write(&test, loosened).unwrap();

    let o = memgrade(c.path(), &["check", "--ci", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json(&o);
    let ex = &v["exercises"][0];
    assert_eq!(ex["status"], "tampered");
    assert_eq!(ex["points"], 0.0);
    assert_eq!(
        ex["tampered_files"][0],
        "exercises/01_join_words/tests/memory.rs (changed)"
    );

    // Graded with the official tests, the loosened budget does not help.
    let o = record(
        c.path(),
        &[
            "check",
            "--ci",
            "--format",
            "json",
            "--tests-from",
            pristine.path().to_str().unwrap(),
        ],
    );
    let v = json(&o);
    let ex = &v["exercises"][0];
    assert_eq!(ex["status"], "failed", "{}", text(&o));
    let failed: Vec<&str> = ex["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "failed")
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        failed.contains(&"allocates_once_for_many_words"),
        "{failed:?}"
    );

    // With the solution in place and official tests, it passes.
    std::fs::copy(
        c.path().join("solutions/01_join_words/src/lib.rs"),
        c.path().join("exercises/01_join_words/src/lib.rs"),
    )
    .unwrap();
    let o = record(
        c.path(),
        &[
            "check",
            "--ci",
            "--format",
            "json",
            "--course",
            pristine.path().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(json(&o)["exercises"][0]["status"], "passed");
}

#[test]
fn an_edited_manifest_or_grader_toml_is_tampering() {
    let c = course();
    assert_eq!(memgrade(c.path(), &["seal"]).status.code(), Some(0));
    let manifest = c.path().join("exercises/01_join_words/Cargo.toml");
    let m = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        m.replace("unsafe_code = \"forbid\"", "unsafe_code = \"allow\""),
    )
    .unwrap();
    let v = json(&memgrade(c.path(), &["check", "--ci", "--format", "json"]));
    assert_eq!(
        v["exercises"][0]["tampered_files"][0],
        "exercises/01_join_words/Cargo.toml (changed)"
    );
    std::fs::write(&manifest, m).unwrap();

    let toml = c.path().join("grader.toml");
    let t = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        t.replace(
            "allocates_once_for_many_words = 2",
            "allocates_once_for_many_words = 0",
        ),
    )
    .unwrap();
    let v = json(&memgrade(c.path(), &["check", "--ci", "--format", "json"]));
    assert_eq!(v["exercises"][0]["status"], "tampered");
    assert_eq!(
        v["exercises"][0]["tampered_files"][0],
        "grader.toml (changed)"
    );
}

#[test]
fn ci_mode_writes_annotations_summary_and_honours_exit_zero() {
    let c = course();
    assert_eq!(memgrade(c.path(), &["seal"]).status.code(), Some(0));
    let summary = c.path().join("summary.md");
    let junit = c.path().join("junit.xml");
    let o = c
        .memgrade()
        // CI mode turns colors off even when asked for them.
        .args(["--color", "always"])
        .args(["check", "--exit-zero", "--format", "junit", "--output"])
        .args([format!("junit={}", junit.display())])
        .ci()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    // The annotation points at the budget check of the first memory test.
    let test =
        std::fs::read_to_string(c.path().join("exercises/01_join_words/tests/memory.rs")).unwrap();
    let start = test.find("fn allocates_once_for_many_words").unwrap();
    let check = start + test[start..].find("memprobe::enforce(").unwrap();
    let line = test[..check].matches('\n').count() + 1;
    let at = format!("::error file=exercises/01_join_words/tests/memory.rs,line={line},");
    assert!(
        out.lines().any(|l| l.starts_with(&at)),
        "{at}\n{}",
        text(&o)
    );
    assert!(!out.contains("\u{1b}["), "no colors in CI mode");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| join_words |"), "{md}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"join_words\""), "{xml}");
}

#[test]
fn gradebook_grades_every_checkout_and_survives_a_broken_one() {
    let official = course();
    let forks = tempfile::tempdir().unwrap();
    let good = forks.path().join("alice");
    official.copy_to(&good);
    std::fs::copy(
        good.join("solutions/01_join_words/src/lib.rs"),
        good.join("exercises/01_join_words/src/lib.rs"),
    )
    .unwrap();
    let bad = forks.path().join("bob");
    official.copy_to(&bad);
    std::fs::write(
        bad.join("exercises/01_join_words/src/lib.rs"),
        "this is not rust",
    )
    .unwrap();
    let missing = forks.path().join("carol");

    let out = tempfile::tempdir().unwrap();
    let o = record(
        official.path(),
        &[
            "gradebook",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            missing.to_str().unwrap(),
            "--course",
            official.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "carol could not be graded: {}",
        text(&o)
    );
    let csv = std::fs::read_to_string(out.path().join("gradebook.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "student,join_words,total,max_total,status,commit,taken,deadline,late,commit_date,identical_to,tampered,error,review,join_words status"
    );
    assert_eq!(
        lines[1],
        "alice,10,10,10,graded,,working tree,,,,join_words:solution,,,,passed"
    );
    assert!(
        lines[2] == "bob,0,0,10,graded,,working tree,,,,,,,,compile error",
        "{csv}"
    );
    assert!(
        lines[3].starts_with("carol,0,0,10,error,,working tree,,,,,,")
            && lines[3].contains("is not a directory"),
        "{csv}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("gradebook.json")).unwrap()).unwrap();
    assert_eq!(
        v["students"][1]["grade"]["exercises"][0]["status"],
        "compile_error"
    );
}

/// Runs git in `dir` with a fixed identity; panics on failure.
fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "course")
        .env("GIT_AUTHOR_EMAIL", "course@example.com")
        .env("GIT_COMMITTER_NAME", "course")
        .env("GIT_COMMITTER_EMAIL", "course@example.com")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn the_official_course_from_a_git_commit_is_graded_and_the_fork_s_own_files_are_not() {
    // The instructor's repository, and a bare clone of it to fetch from.
    let c = course();
    git(c.path(), &["init", "-q"]);
    git(c.path(), &["add", "-A"]);
    git(c.path(), &["commit", "-q", "-m", "course"]);
    let sha = git(c.path(), &["rev-parse", "HEAD"]);
    let remote = tempfile::tempdir().unwrap();
    let bare = remote.path().join("course.git");
    git(
        remote.path(),
        &[
            "clone",
            "-q",
            "--bare",
            c.path().to_str().unwrap(),
            "course.git",
        ],
    );
    let bare = bare.to_str().unwrap();

    // The fork deletes the memory tests and breaks its own grader.toml.
    let fork = tempfile::tempdir().unwrap();
    copy_tree(c.path(), fork.path());
    let test = fork.path().join("exercises/01_join_words/tests/memory.rs");
    let src = std::fs::read_to_string(&test).unwrap();
    let cut = src
        .find("#[test]\nfn allocates_once_for_many_words")
        .unwrap();
    std::fs::write(&test, &src[..cut]).unwrap();
    std::fs::write(
        fork.path().join("grader.toml"),
        "format = 1\ntitle = \"mine\"\nobjectives = []\nexercises = []\n",
    )
    .unwrap();

    let o = record(
        fork.path(),
        &[
            "check",
            "--ci",
            "--format",
            "json",
            "--course-git",
            bare,
            "--course-commit",
            &sha,
        ],
    );
    let v = json(&o);
    assert_eq!(v["total"], 1, "{}", text(&o));
    let ex = &v["exercises"][0];
    assert_eq!(ex["name"], "join_words");
    assert_eq!(ex["tests"].as_array().unwrap().len(), 4, "{}", text(&o));
    assert_eq!(ex["status"], "failed");
    assert_eq!(v["provenance"]["mode"], "record");
    assert!(
        v["provenance"]["toolchain"]
            .as_str()
            .unwrap()
            .starts_with("rustc 1."),
        "{v:#}"
    );

    // The gradebook fetches the same commit once and grades with it.
    let out = tempfile::tempdir().unwrap();
    let o = record(
        fork.path(),
        &[
            "gradebook",
            fork.path().to_str().unwrap(),
            "--course-git",
            bare,
            "--course-commit",
            &sha,
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let rows: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("gradebook.json")).unwrap()).unwrap();
    let rows = &rows["students"];
    let ex = &rows[0]["grade"]["exercises"][0];
    assert_eq!(ex["tests"].as_array().unwrap().len(), 4, "{rows:#}");
    assert_eq!(rows[0]["grade"]["provenance"]["mode"], "record");
    assert!(
        rows[0]["tampered"]
            .to_string()
            .contains("exercises/01_join_words/tests/memory.rs (changed)"),
        "{rows:#}"
    );

    // A commit the repository does not have is a usage error naming it.
    let missing = "0".repeat(40);
    let o = record(
        fork.path(),
        &[
            "check",
            "--ci",
            "--course-git",
            bare,
            "--course-commit",
            &missing,
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains(&missing), "{}", text(&o));

    // Names are never resolved: not a tag, not a short id, not a directory
    // of the fork.
    git(c.path(), &["tag", "course-v1"]);
    let o = memgrade(
        fork.path(),
        &[
            "check",
            "--ci",
            "--course-git",
            bare,
            "--course-commit",
            "course-v1",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("40 hexadecimal digits"), "{}", text(&o));
    let o = memgrade(fork.path(), &["check", "--ci", "--tests-from", "course-v1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("--course-git URL --course-commit SHA"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_check_without_an_outside_course_is_feedback() {
    let c = course();
    let o = memgrade(c.path(), &["check", "--ci", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["provenance"]["mode"], "feedback", "{v:#}");
    assert_eq!(v["provenance"]["sandbox"], "none");
    assert!(text(&o).contains("feedback grade"), "{}", text(&o));
    let o = memgrade(c.path(), &["check", "--sandbox", "bwrap"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
