//! A local (feedback) check tells the truth too: a changed test or manifest
//! is named and its exercise earns nothing until restored; `solution` stays
//! locked meanwhile; `diff` shows and `reset` restores the changed graded
//! files; and results cached on another machine (or committed in a fork's
//! `.memgrade/`) are never reused.

mod common;

use common::{course_builder, text};

/// Loosens join_words' allocation budget in the copy's tests.
fn loosen_tests(root: &std::path::Path) -> std::path::PathBuf {
    let memory = root.join("exercises/01_join_words/tests/memory.rs");
    let original = std::fs::read_to_string(&memory).unwrap();
    let loosened = original.replace(
        "Budget::AtMost(usize::from(!want.is_empty()))",
        "Budget::AtMost(100_000)",
    );
    assert_ne!(original, loosened, "the test's budget was found");
    std::fs::write(&memory, loosened).unwrap();
    memory
}

#[test]
fn a_changed_test_is_named_locked_shown_and_restored() {
    let c = course_builder().exercises(&["join_words"]).sealed().build();
    let memory = loosen_tests(c.root());
    let pristine_lock = std::fs::read_to_string(c.root().join("memgrade.lock")).unwrap();

    // check: a warning naming the file, and the exercise earns nothing.
    let out = c.run(&["check", "join_words", "--format", "json", "--no-cache"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("warning: join_words: graded files differ from memgrade.lock")
            && t.contains("exercises/01_join_words/tests/memory.rs (changed)"),
        "{t}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the JSON report on stdout");
    assert_eq!(json["exercises"][0]["status"], "tampered", "{json:#}");
    assert_eq!(json["exercises"][0]["points"], 0.0, "{json:#}");

    // solution: locked while the tests differ.
    let out = c.run(&["solution", "join_words"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("graded files differ"), "{}", text(&out));

    // diff shows the test change; reset puts the shipped test back.
    let out = c.run(&["diff", "join_words"]);
    let t = text(&out);
    assert!(
        t.contains("exercises/01_join_words/tests/memory.rs")
            && t.contains("+")
            && t.contains("100_000"),
        "{t}"
    );
    let out = c.run(&["reset", "join_words", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let restored = std::fs::read_to_string(&memory).unwrap();
    assert!(!restored.contains("100_000"), "{restored}");
    let out = c.run(&["check", "join_words", "--format", "json", "--no-cache"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["exercises"][0]["status"], "failed", "{json:#}");
    assert!(
        !text(&out).contains("graded files differ"),
        "{}",
        text(&out)
    );
    // The lock itself was not touched by any of this.
    assert_eq!(
        std::fs::read_to_string(c.root().join("memgrade.lock")).unwrap(),
        pristine_lock
    );
}

#[test]
fn results_cached_for_another_machine_are_not_reused() {
    let c = course_builder().exercises(&["join_words"]).sealed().build();
    let here = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let check = |cache_home: &std::path::Path| {
        let out = c
            .memgrade()
            .env("XDG_CACHE_HOME", cache_home)
            .args(["check", "join_words", "--format", "json"])
            .output();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["exercises"][0]["cached"].as_bool().unwrap_or(false)
    };
    assert!(!check(here.path()), "the first check grades");
    assert!(check(here.path()), "the same machine reuses its cache");
    // Another machine key (a cache committed in a fork, or copied from
    // elsewhere): the cached result is not trusted.
    assert!(
        !check(elsewhere.path()),
        "a cache from elsewhere is regraded"
    );
}

/// A checkout's lock file is the checkout's own: a path in it that leaves
/// the course (`tests/../../..`) is refused by `reset`, and nothing outside
/// the course is written.
#[test]
fn reset_never_writes_outside_the_course() {
    let c = course_builder().exercises(&["join_words"]).sealed().build();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("planted.txt");
    let lock_path = c.root().join("memgrade.lock");
    let mut lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&lock_path).unwrap()).unwrap();
    let depth = c.root().components().count() + 3;
    let key = format!(
        "exercises/01_join_words/tests/{}{}",
        "../".repeat(depth),
        victim.strip_prefix("/").unwrap().display()
    );
    lock["graded"][&key] = serde_json::Value::from("planted\n");
    std::fs::write(&lock_path, serde_json::to_string(&lock).unwrap()).unwrap();
    let out = c.run(&["reset", "join_words", "--yes"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("not a path inside the course"), "{t}");
    assert!(!victim.exists(), "reset wrote outside the course");
}
