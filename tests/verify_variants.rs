//! `memgrade verify` grades each exercise's mutants and alternatives: a
//! mutant that earns full points, an alternative that does not, or too few of
//! either make it fail, naming them. Run on a temporary course holding only
//! `join_words`, with variants written here (the repository's own are
//! removed from the copy).

use std::path::Path;

mod common;

use common::{course, memgrade, text};

const SOLUTION: &str = include_str!("../solutions/01_join_words/src/lib.rs");
/// join_words's stub as `memgrade.lock` records it (not this checkout's
/// `src/`, which a student may have solved).
fn stub() -> String {
    common::stub_source("exercises/01_join_words/src/lib.rs")
}

/// Efficient but wrong: one exact allocation, but it drops empty words, so
/// `["", "x", ""]` gives `"x"`.
const SKIPS_EMPTY_WORDS: &str = r#"//! Mutant: skips empty words (efficient, but wrong on an edge case)
pub fn join_words(words: &[&str]) -> String {
    let kept = || words.iter().filter(|w| !w.is_empty());
    let len = kept().map(|w| w.len() + 1).sum::<usize>().saturating_sub(1);
    let mut out = String::with_capacity(len);
    for w in kept() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
"#;

/// Right result, but reserves twice the bytes it needs.
const RESERVES_DOUBLE: &str = r#"//! Mutant: reserves twice the final length
pub fn join_words(words: &[&str]) -> String {
    if words.is_empty() {
        return String::new();
    }
    let len = words.iter().map(|w| w.len()).sum::<usize>() + words.len() - 1;
    let mut out = String::with_capacity(2 * len);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
"#;

/// The standard library's join: one exact allocation too.
const JOIN: &str = r#"//! Alternative: the standard library's `join`
pub fn join_words(words: &[&str]) -> String {
    words.join(" ")
}
"#;

/// The line of `text` that starts (after indentation) with `prefix`.
fn line_of<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .map(str::trim_start)
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starts with {prefix:?} in:\n{text}"))
}

fn put(root: &Path, kind: &str, slug: &str, lib: &str) {
    let dir = root
        .join("solutions/01_join_words")
        .join(kind)
        .join(slug)
        .join("src");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("lib.rs"), lib).unwrap();
}

/// `doc` as the first line of `body` (which starts with its own `//!` line).
fn relabel(body: &str, doc: &str) -> String {
    format!("{doc}\n{body}")
}

#[test]
fn verify_grades_mutants_and_alternatives() {
    let dir = course();
    let root = dir.path();
    for kind in ["mutants", "alternatives"] {
        let _ = std::fs::remove_dir_all(root.join("solutions/01_join_words").join(kind));
    }
    let sealed = memgrade(root, &["seal"]);
    assert!(sealed.status.success(), "{}", text(&sealed));

    // Three caught mutants and an honest alternative: verify passes and says
    // which tests caught each mutant.
    put(
        root,
        "mutants",
        "grows_by_push",
        &relabel(&stub(), "//! Mutant: grows the string"),
    );
    put(root, "mutants", "reserves_double", RESERVES_DOUBLE);
    put(root, "mutants", "skips_empty_words", SKIPS_EMPTY_WORDS);
    put(root, "alternatives", "std_join", JOIN);
    let out = memgrade(root, &["verify"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let grows = line_of(&t, "✓ mutant grows_by_push: 0/10, caught by ");
    assert!(grows.contains("allocates_once_for_many_words"), "{t}");
    let double = line_of(&t, "✓ mutant reserves_double: ");
    assert!(
        double.contains("caught by") && double.contains("wastes_no_capacity"),
        "{t}"
    );
    // The gate: efficient but wrong earns nothing.
    let skips = line_of(&t, "✓ mutant skips_empty_words: 0/10, caught by ");
    assert!(skips.contains("joins_with_single_spaces"), "{t}");
    assert!(t.contains("✓ alternative std_join: 10/10"), "{t}");
    assert!(t.contains("verified: 1 exercises"), "{t}");
    // Variants are neither graded files nor stubs of the lock.
    let sealed = memgrade(root, &["seal"]);
    assert!(sealed.status.success(), "{}", text(&sealed));
    let lock = std::fs::read_to_string(root.join("memgrade.lock")).unwrap();
    assert!(
        !lock.contains("mutants") && !lock.contains("alternatives"),
        "{lock}"
    );
    // Quiet: nothing but the summary when all is well.
    let quiet = text(&memgrade(root, &["verify", "--quiet"]));
    assert!(
        !quiet.contains("✓ mutant") && !quiet.contains("✓ join_words"),
        "{quiet}"
    );
    assert!(quiet.contains("verified:"), "{quiet}");

    // A mutant no test catches, an alternative that fails, and too few
    // mutants: each is named.
    std::fs::remove_dir_all(root.join("solutions/01_join_words/mutants/reserves_double")).unwrap();
    std::fs::remove_dir_all(root.join("solutions/01_join_words/mutants/skips_empty_words"))
        .unwrap();
    put(
        root,
        "mutants",
        "same_as_solution",
        &relabel(SOLUTION, "//! Mutant: none at all"),
    );
    put(
        root,
        "alternatives",
        "stub_again",
        &relabel(&stub(), "//! Alternative: the stub"),
    );
    let out = memgrade(root, &["verify", "--quiet"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("join_words: mutant same_as_solution earns full points (10/10): no test catches \"none at all\""),
        "{t}"
    );
    assert!(
        t.contains("join_words: alternative stub_again (\"the stub\") earns 0/10, not full points: it fails ")
            && t.contains("allocates_once_for_many_words (`join_words of ")
            && t.contains("expected at most 1 heap allocation"),
        "{t}"
    );
    assert!(
        t.contains("join_words: needs at least 3 mutants and 1 alternative in solutions/01_join_words/{mutants,alternatives}/ (has 2 and 2)"),
        "{t}"
    );
    assert!(!t.contains("grows_by_push"), "quiet hides what holds: {t}");
}

/// Memory tests that check only what they measure (not the joined text), so
/// an efficient but wrong solution passes them: the gate alone must take
/// their points away. (The course's own tests also compare the text.)
const MEASURE_ONLY_TESTS: &str = r#"use join_words::join_words;

memprobe::install!();

#[test]
fn joins_with_single_spaces() {
    assert_eq!(join_words(&["", "x", ""]), " x ");
    assert_eq!(join_words(&["a", "b"]), "a b");
}

#[test]
fn allocates_nothing_for_no_words() {
    let (s, stats) = memprobe::measure(|| join_words(&[]));
    assert_eq!(stats.heap_allocations(), 0);
    assert!(s.is_empty());
}

#[test]
fn allocates_once_for_many_words() {
    let words = vec!["hello"; 100];
    let (s, stats) = memprobe::measure(|| join_words(std::hint::black_box(&words)));
    assert!(stats.heap_allocations() <= 1, "measured {}", stats.heap_allocations());
    drop(s);
}

#[test]
fn wastes_no_capacity() {
    let words = ["tuple", "list", "set", "dict"];
    let (s, stats) = memprobe::measure(|| join_words(std::hint::black_box(&words)));
    assert!(stats.peak_bytes <= 19, "measured {}", stats.peak_bytes);
    drop(s);
}
"#;

#[test]
fn an_efficient_but_wrong_solution_earns_nothing_in_every_format() {
    let dir = course();
    let root = dir.path();
    std::fs::write(
        root.join("exercises/01_join_words/tests/memory.rs"),
        MEASURE_ONLY_TESTS,
    )
    .unwrap();
    std::fs::write(
        root.join("exercises/01_join_words/src/lib.rs"),
        SKIPS_EMPTY_WORDS,
    )
    .unwrap();
    let json = root.join("grade.json");
    let junit = root.join("junit.xml");
    let out = memgrade(
        root,
        &[
            "check",
            "--ci",
            "--format",
            "json",
            "--output",
            &format!("json={}", json.display()),
            "--format",
            "junit",
            "--output",
            &format!("junit={}", junit.display()),
            "--format",
            "terminal",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("✗ joins_with_single_spaces (failed)"), "{t}");
    let why = "not counted: behaviour test `joins_with_single_spaces` failed";
    assert!(t.contains(&format!("(passed, {why})")), "{t}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let e = &v["exercises"][0];
    assert_eq!(
        (e["status"].as_str(), e["points"].as_f64()),
        (Some("failed"), Some(0.0))
    );
    // Every memory test (outside the gate) earns nothing and says why; the
    // efficient mutant passes at least one of them.
    let memory: Vec<&serde_json::Value> = e["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["gate"] == false)
        .collect();
    assert!(memory.iter().any(|t| t["status"] == "passed"), "{e}");
    for t in memory {
        assert_eq!(t["points"].as_f64(), Some(0.0), "{t}");
        assert_eq!(
            t["not_counted"], "behaviour test `joins_with_single_spaces` failed",
            "{t}"
        );
    }
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("<property name=\"points\" value=\"0\"/>"),
        "{xml}"
    );
    assert!(xml.contains(&format!("value=\"{why}\"")), "{xml}");
}
