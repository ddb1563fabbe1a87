//! Hints that react to the student's code: a cheap scan of the exercise's
//! `src/` (no parsing, comments skipped) to say where the code copies data
//! when a test counts allocations, to answer rustc's "consider cloning"
//! advice, and to replace a test's `idea:` line when the code already
//! follows it. Only the terminal report shows these notes; the machine
//! formats carry the harness's own messages unchanged.

use std::path::Path;

use crate::pipeline::grade::{ExerciseGrade, TestStatus};
use crate::report::terminal::Notes;

/// Calls that make a heap copy of their receiver (or a new collection).
const COPIES: [&str; 6] = [
    ".clone()",
    ".to_vec()",
    ".to_string()",
    ".to_owned()",
    ".collect()",
    ".collect::<",
];

/// Copy calls shown per note.
const SHOWN_COPIES: usize = 4;

/// Ideas a test may give, how to see the code already follows them, and
/// what to say instead.
const FOLLOWED: [(&str, &[&str], &str); 5] = [
    (
        "with_capacity",
        &["with_capacity(", ".reserve(", ".reserve_exact("],
        "you reserve already; check the length you reserve: every byte past it makes the buffer grow again",
    ),
    (
        "Rc::clone",
        &["Rc::clone(", "Arc::clone("],
        "you share with Rc::clone already; look for a copy made elsewhere (a .clone() of the data itself, to_vec, collect)",
    ),
    (
        "OnceLock",
        &["OnceLock", "LazyLock"],
        "you use a OnceLock already; check that one static holds the value and every call returns a reference to it",
    ),
    (
        "Cow::Borrowed",
        &["Cow::Borrowed"],
        "you return Cow::Borrowed already; check which input still takes the allocating path",
    ),
    (
        "clear()",
        &[".clear()"],
        "you clear a buffer already; check that the same buffer is reused for every line rather than a new one made",
    ),
];

/// One line of the student's source: its path (relative to the course
/// root), number and code without a `//` comment.
struct Line {
    file: String,
    number: usize,
    code: String,
}

/// The exercise's source lines (`<root>/<dir>/src/**/*.rs`).
fn source_lines(root: &Path, dir: &str) -> Vec<Line> {
    let mut files = Vec::new();
    let _ = crate::store::cache::collect_files(&root.join(dir).join("src"), &mut files);
    files.sort();
    let mut lines = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "rs"))
    {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let file = f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        for (i, l) in text.lines().enumerate() {
            let code = l.split("//").next().unwrap_or("").to_string();
            lines.push(Line {
                file: file.clone(),
                number: i + 1,
                code,
            });
        }
    }
    lines
}

/// Where the code copies: `file:line .call()`, in source order.
fn copies(lines: &[Line]) -> Vec<String> {
    let mut found = Vec::new();
    for l in lines {
        for call in COPIES {
            if l.code.contains(call) {
                let shown = call.trim_end_matches("::<");
                let shown = if shown == ".collect" {
                    ".collect()"
                } else {
                    shown
                };
                found.push(format!("{}:{} {shown}", l.file, l.number));
            }
        }
    }
    found
}

/// The note listing the copies a test that counts allocations should know.
fn copy_note(found: &[String]) -> String {
    let mut note = format!(
        "your code copies here (each copy is a heap allocation, and this test counts them): {}",
        found
            .iter()
            .take(SHOWN_COPIES)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if found.len() > SHOWN_COPIES {
        note.push_str(&format!(" and {} more", found.len() - SHOWN_COPIES));
    }
    note
}

/// The notes for every exercise of `exercises` that did not pass, reading
/// the sources under `root` (a [`Grade`](crate::pipeline::grade::Grade)'s exercises).
pub fn notes(root: &Path, exercises: &[ExerciseGrade]) -> Notes {
    let mut notes = Notes::default();
    for e in exercises {
        exercise_notes(root, e, &mut notes);
    }
    notes
}

fn exercise_notes(root: &Path, e: &ExerciseGrade, notes: &mut Notes) {
    let failing: Vec<_> = e
        .tests
        .iter()
        .filter(|t| t.status != TestStatus::Passed)
        .collect();
    let cloning = e
        .diagnostics
        .iter()
        .any(|d| d.rendered.contains("consider cloning"));
    if failing.is_empty() && !cloning {
        return;
    }
    let lines = source_lines(root, &e.dir);
    if cloning {
        notes.add(
            &e.name,
            "compile",
            "rustc suggests cloning, but a clone is exactly what this course's memory tests count: borrow instead (pass a reference, or share with Rc::clone)".into(),
        );
    }
    let found = copies(&lines);
    for t in failing {
        let counts_allocations = t
            .message
            .lines()
            .next()
            .is_some_and(|l| l.contains("heap allocation") || l.contains("allocations"));
        if counts_allocations && !found.is_empty() {
            notes.add(&e.name, &t.name, copy_note(&found));
        }
        let Some(idea) = t
            .message
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("idea:"))
        else {
            continue;
        };
        for (keyword, needles, instead) in FOLLOWED {
            if !idea.contains(keyword) {
                continue;
            }
            if let Some(l) = lines
                .iter()
                .find(|l| needles.iter().any(|n| l.code.contains(n)))
            {
                notes.ideas.insert(
                    (e.name.clone(), t.name.clone()),
                    format!("{instead} ({}:{})", l.file, l.number),
                );
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;
    use crate::pipeline::grade::TestGrade;

    fn failing(message: &str) -> TestGrade {
        let mut t = fixture::grade().exercises[0].tests[0].clone();
        t.name = "allocates_once".into();
        t.status = TestStatus::Failed;
        t.message = message.into();
        t
    }

    fn course_with(src: &str) -> (tempfile::TempDir, ExerciseGrade) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises/01_a/src")).unwrap();
        std::fs::write(dir.path().join("exercises/01_a/src/lib.rs"), src).unwrap();
        let mut e = fixture::grade().exercises[0].clone();
        e.name = "a".into();
        e.dir = "exercises/01_a".into();
        e.diagnostics.clear();
        (dir, e)
    }

    #[test]
    fn copies_are_named_when_a_test_counts_allocations() {
        let src = "/// doc: x.clone()\npub fn f(w: &[&str]) -> String {\n    let v: Vec<String> = w.iter().map(|s| s.to_string()).collect();\n    v.concat() // not .to_vec()\n}\n";
        let (dir, mut e) = course_with(src);
        e.tests = vec![failing(
            "`f(&w)`: expected at most 1 heap allocation, measured 14\n  idea:     add up the final length first, then String::with_capacity(len)",
        )];
        let n = notes(dir.path(), &[e]);
        let got = n.for_test("a", "allocates_once");
        assert_eq!(
            got,
            [
                "your code copies here (each copy is a heap allocation, and this test counts them): exercises/01_a/src/lib.rs:3 .to_string(), exercises/01_a/src/lib.rs:3 .collect()"
            ]
        );
        assert!(n.ideas.is_empty(), "the code does not reserve");
    }

    #[test]
    fn an_idea_already_followed_is_replaced() {
        let src = "pub fn f(w: &[&str]) -> String {\n    let mut s = String::with_capacity(w.len());\n    for x in w { s.push_str(x); }\n    s\n}\n";
        let (dir, mut e) = course_with(src);
        e.tests = vec![failing(
            "`f(&w)`: expected at most 1 heap allocation, measured 3\n  idea:     add up the final length first, then String::with_capacity(len)",
        )];
        let n = notes(dir.path(), &[e]);
        assert!(n.for_test("a", "allocates_once").is_empty());
        assert_eq!(
            n.ideas[&("a".to_string(), "allocates_once".to_string())],
            "you reserve already; check the length you reserve: every byte past it makes the buffer grow again (exercises/01_a/src/lib.rs:2)"
        );
    }

    #[test]
    fn rustc_advice_to_clone_is_answered() {
        let (dir, mut e) = course_with("pub fn f() {}\n");
        e.tests.clear();
        e.diagnostics = vec![crate::pipeline::grade::Diagnostic {
            message: "borrow of moved value".into(),
            rendered: "error[E0382]: borrow of moved value\nhelp: consider cloning the value if the performance cost is acceptable\n".into(),
            location: None,
        }];
        let n = notes(dir.path(), &[e]);
        assert!(n.for_test("a", "compile")[0].starts_with("rustc suggests cloning"));
    }
}
