//! memgrade end to end on temporary copies of the course.

mod common;

use common::{Memgrade, course, memgrade, text};

#[test]
fn list_and_progressive_hints() {
    let c = course();
    let o = memgrade(c.path(), &["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("join_words") && out.contains("footprint") && out.contains("not started"),
        "{out}"
    );
    assert!(out.contains("exercises/01_join_words"), "{out}");

    let first = text(&memgrade(c.path(), &["hint", "join"]));
    assert!(
        first.contains("Hint 1 of 3") && !first.contains("Hint 2 of 3"),
        "{first}"
    );
    assert!(first.contains("2 more hint levels left"), "{first}");
    let second = text(&memgrade(c.path(), &["hint", "01_join_words"]));
    assert!(second.contains("Hint 2 of 3"), "{second}");
    let all = text(&memgrade(c.path(), &["hint", "join_words", "--all"]));
    assert!(
        all.contains("Hint 3 of 3") && all.contains("last hint"),
        "{all}"
    );
}

#[test]
fn typo_gets_a_suggestion_and_exit_code_2() {
    let c = course();
    let o = memgrade(c.path(), &["hint", "jion_words"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("did you mean `join_words`?"),
        "{}",
        text(&o)
    );
    let o = memgrade(c.path(), &["check", "nothing_like_it_at_all"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn broken_course_file_is_exit_code_2_with_location() {
    let c = course();
    let toml = std::fs::read_to_string(c.path().join("grader.toml")).unwrap();
    std::fs::write(
        c.path().join("grader.toml"),
        toml.replace("points = 10", "points = -1"),
    )
    .unwrap();
    let o = memgrade(c.path(), &["list"]);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o);
    assert!(
        out.contains("grader.toml:")
            && out.contains("exercises[0].points: points must be positive"),
        "{out}"
    );
}

#[test]
fn help_has_examples() {
    for cmd in [
        "list",
        "hint",
        "check",
        "verify",
        "seal",
        "watch",
        "reset",
        "diff",
        "solution",
        "gradebook",
        "gradebook-merge",
    ] {
        let o = Memgrade::new().args([cmd, "--help"]).output();
        let help = String::from_utf8_lossy(&o.stdout);
        // The usage line names `memgrade` too: look for an example section
        // with an indented command line of this subcommand.
        let (_, examples) = help
            .split_once("Example")
            .unwrap_or_else(|| panic!("{cmd} --help has no example:\n{help}"));
        assert!(
            examples
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("memgrade {cmd}"))),
            "{cmd} --help has no example of {cmd}:\n{help}"
        );
    }
}

#[test]
fn check_grades_the_stub_then_the_solution_and_json_matches() {
    let c = course();
    let o = memgrade(c.path(), &["check", "--no-cache"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("✗ failed join_words"), "{out}");
    assert!(
        out.contains("expected at most 1 heap allocation, measured"),
        "{out}"
    );
    assert!(out.contains("0/1 exercises passed"), "{out}");

    let json_path = c.path().join("grade.json");
    let o = memgrade(
        c.path(),
        &[
            "check",
            "--no-cache",
            "--format",
            "json",
            "--output",
            json_path.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    let ex = &v["exercises"][0];
    assert_eq!(ex["name"], "join_words");
    assert_eq!(ex["objective"], "footprint");
    assert_eq!(ex["status"], "failed");
    assert_eq!(v["max_score"], 10.0);
    assert_eq!(v["score"], 0.0);
    let tests = ex["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4);
    let failed: Vec<&str> = tests
        .iter()
        .filter(|t| t["status"] == "failed")
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        ["allocates_once_for_many_words", "wastes_no_capacity"]
    );
    for t in tests {
        assert!(t["duration_ms"].is_u64() && t["message"].is_string());
    }

    std::fs::copy(
        c.path().join("solutions/01_join_words/src/lib.rs"),
        c.path().join("exercises/01_join_words/src/lib.rs"),
    )
    .unwrap();
    let o = memgrade(c.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains("✓ passed join_words") && out.contains("1/1 exercises passed, 10/10 points"),
        "{out}"
    );
    // Nothing changed: the cache answers.
    let o = memgrade(c.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("(cached)"), "{}", text(&o));
    // list shows the recorded state.
    assert!(text(&memgrade(c.path(), &["list"])).contains("passed"));
}

#[test]
fn a_compile_error_is_reported_with_file_and_line() {
    let c = course();
    let lib = c.path().join("exercises/01_join_words/src/lib.rs");
    let src = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        src.replace(
            "let mut result = String::new();",
            "let mut result: u32 = String::new();",
        ),
    )
    .unwrap();
    let o = memgrade(c.path(), &["check", "--no-cache", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ex = &v["exercises"][0];
    assert_eq!(ex["status"], "compile_error");
    let d = &ex["diagnostics"][0];
    assert_eq!(d["location"]["file"], "exercises/01_join_words/src/lib.rs");
    assert!(d["location"]["line"].as_u64().unwrap() > 0);
    assert!(d["rendered"].as_str().unwrap().contains("mismatched types"));
}

#[test]
fn explain_prints_one_line_per_term_and_rejects_unknown_terms() {
    let c = course();
    let all = memgrade(c.path(), &["explain"]);
    assert_eq!(all.status.code(), Some(0), "{}", text(&all));
    let out = String::from_utf8_lossy(&all.stdout).into_owned();
    for term in [
        "alloc",
        "realloc",
        "dealloc",
        "bytes allocated",
        "peak",
        "live",
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{term} "))),
            "no line for {term}: {out}"
        );
    }
    let live = memgrade(c.path(), &["explain", "live"]);
    let line = String::from_utf8_lossy(&live.stdout).into_owned();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(
        line.contains("negative when the window freed memory allocated before it"),
        "{line}"
    );
    let typo = memgrade(c.path(), &["explain", "peek"]);
    assert_eq!(typo.status.code(), Some(2), "{}", text(&typo));
    assert!(
        text(&typo).contains("did you mean `peak`?"),
        "{}",
        text(&typo)
    );
}
