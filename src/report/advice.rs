//! Hints that react to the student's code: a cheap scan of the exercise's
//! `src/` (no parsing, comments skipped) to say where the code copies data
//! when a test counts allocations, to answer rustc's "consider cloning"
//! advice with the fix that fits the error, and to replace a test's `idea:`
//! line only when the code already follows it and the measurement shows why
//! that was not enough (the test author's idea stands otherwise). Only the
//! terminal report shows these notes; the machine formats carry the
//! harness's own messages unchanged.

use std::path::Path;

use crate::pipeline::grade::{ExerciseGrade, TestStatus};
use crate::report::plural;
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

/// What a failing test measured, read from memprobe's message: the
/// window's counters and which metric failed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Measured {
    /// The failure counts heap allocations (allocs + reallocs).
    counts_allocations: bool,
    /// Blocks resized in the window (`N reallocs` on the `window:` line).
    reallocs: u64,
}

impl Measured {
    fn of(message: &str) -> Measured {
        let first = message.lines().next().unwrap_or_default();
        let reallocs = message
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("window:"))
            .and_then(|w| {
                w.split(',')
                    .find_map(|part| part.trim().strip_suffix(" reallocs"))
                    .and_then(|n| n.trim().parse().ok())
            })
            .unwrap_or(0);
        Measured {
            counts_allocations: first.contains("heap allocation") || first.contains("allocations"),
            reallocs,
        }
    }
}

/// What a rule looks at: the test's idea, what it measured, and whether the
/// copy scan found copies.
struct Case<'a> {
    idea: &'a str,
    measured: Measured,
    copies: bool,
}

/// An idea a test may give that the code already follows, and what to say
/// instead when the failure shows why following it was not enough.
struct Followed {
    /// The idea recommends this (one of them must occur in it)...
    idea_says: &'static [&'static str],
    /// ...and does not warn against it with one of these.
    idea_not: &'static [&'static str],
    /// Code that follows it.
    code: &'static [&'static str],
    /// Whether the failure proves the idea was followed but not enough, and
    /// what to say then.
    instead: fn(&Case) -> Option<String>,
}

/// The rules, each shown only where its condition holds (a unit test per
/// rule shows code that triggers it and code that must not).
const FOLLOWED: [Followed; 4] = [
    // A reserved buffer that still grew: the length reserved is short.
    Followed {
        idea_says: &["with_capacity"],
        idea_not: &[],
        code: &["with_capacity(", ".reserve(", ".reserve_exact("],
        instead: |c| {
            (c.measured.reallocs > 0).then(|| {
                format!(
                    "you reserve already, yet a block grew {} in the window: check the length you reserve; every byte past it makes the buffer grow again",
                    plural(c.measured.reallocs, "time")
                )
            })
        },
    },
    // A buffer cleared for reuse, yet allocations still too many.
    Followed {
        idea_says: &["clear()"],
        idea_not: &["mem::take", "take it out"],
        code: &[".clear()"],
        instead: |c| {
            c.measured.counts_allocations.then(|| {
                "you clear a buffer already; check that the same buffer is reused for every line rather than a new one made".to_string()
            })
        },
    },
    // Sharing already, yet allocations counted and copies in the code.
    Followed {
        idea_says: &["Rc::clone"],
        idea_not: &[],
        code: &["Rc::clone(", "Arc::clone("],
        instead: |c| {
            (c.measured.counts_allocations && c.copies).then(|| {
                "you share with Rc::clone already; the allocations come from a copy elsewhere (see the note below)".to_string()
            })
        },
    },
    // Borrowing on some path, yet the test's clean input allocated.
    Followed {
        idea_says: &["Cow::Borrowed"],
        idea_not: &[],
        code: &["Cow::Borrowed"],
        instead: |_| {
            Some("you return Cow::Borrowed already, yet this input allocated: check what runs before you decide, and the test that chooses the borrowed path".to_string())
        },
    },
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
    let src = root.join(dir).join("src");
    let files = crate::fsutil::files(&src, crate::fsutil::BUILD_OUTPUT).unwrap_or_default();
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
    let mut answers: Vec<String> = Vec::new();
    for d in &e.diagnostics {
        if let Some(answer) = clone_answer(&d.rendered)
            && !answers.contains(&answer)
        {
            answers.push(answer);
        }
    }
    if failing.is_empty() && answers.is_empty() {
        return;
    }
    for answer in answers {
        notes.add(&e.name, "compile", answer);
    }
    let lines = source_lines(root, &e.dir);
    let found = copies(&lines);
    for t in failing {
        let measured = Measured::of(&t.message);
        if measured.counts_allocations && !found.is_empty() {
            notes.add(&e.name, &t.name, copy_note(&found));
        }
        let Some(idea) = t
            .message
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("idea:"))
        else {
            continue;
        };
        let case = Case {
            idea,
            measured,
            copies: !found.is_empty(),
        };
        if let Some(instead) = followed(&case, &lines) {
            notes
                .ideas
                .insert((e.name.clone(), t.name.clone()), instead);
        }
    }
}

/// What to say instead of the test's idea, when a rule of [`FOLLOWED`]
/// holds: the idea recommends what the code does already, and the failure
/// shows why that was not enough.
fn followed(case: &Case, lines: &[Line]) -> Option<String> {
    FOLLOWED.iter().find_map(|rule| {
        if !rule.idea_says.iter().any(|k| case.idea.contains(k))
            || rule.idea_not.iter().any(|k| case.idea.contains(k))
        {
            return None;
        }
        let l = lines
            .iter()
            .find(|l| rule.code.iter().any(|n| l.code.contains(n)))?;
        let instead = (rule.instead)(case)?;
        Some(format!("{instead} ({}:{})", l.file, l.number))
    })
}

/// The answer to rustc's "consider cloning" in one compiler error, fitted
/// to the error: a clone is what this course's memory tests count.
fn clone_answer(rendered: &str) -> Option<String> {
    if !rendered.contains("consider cloning") {
        return None;
    }
    let head = "rustc suggests cloning, but a clone is what this course's memory tests count";
    let first = rendered.lines().next().unwrap_or_default();
    let fix = if first.contains("E0509") {
        "this moves a field out of a type that implements Drop: take it with std::mem::take(&mut value.field), which leaves an empty value behind (Option::take for an Option)".to_string()
    } else if first.contains("E0507") {
        "this moves out of something behind a reference: std::mem::take(&mut ...) (or Option::take) moves the value out and leaves an empty one".to_string()
    } else if let Some(name) = moved_by_drop(rendered) {
        format!(
            "`{name}` is used after drop({name}): keep what you need of it first (let len = {name}.len();), then drop it and use that"
        )
    } else {
        "borrow instead (pass a reference, or share with Rc::clone)".to_string()
    };
    Some(format!("{head}: {fix}"))
}

/// The value a "moved value" error (E0382) names, when the move was a
/// `drop(name)` call.
fn moved_by_drop(rendered: &str) -> Option<&str> {
    let first = rendered.lines().next()?;
    if !first.contains("E0382") {
        return None;
    }
    let name = first.rsplit_once("moved value: `")?.1.strip_suffix('`')?;
    rendered
        .lines()
        .any(|l| l.contains(&format!("drop({name})")))
        .then_some(name)
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
        // A test that counts bytes, not allocations: no copy note.
        let (dir, mut e) = course_with(src);
        e.tests = vec![failing(
            "`f(&w)`: expected at most 8 bytes of peak live heap, measured 14 bytes\n  window:   2 allocs, 0 reallocs, 0 deallocs, 14 bytes allocated, peak 14 bytes, live 14 bytes",
        )];
        assert!(
            notes(dir.path(), &[e])
                .for_test("a", "allocates_once")
                .is_empty()
        );
    }

    /// The idea shown instead of `message`'s for the code `src`, if any.
    fn idea_for(src: &str, message: &str) -> Option<String> {
        let (dir, mut e) = course_with(src);
        e.tests = vec![failing(message)];
        let n = notes(dir.path(), &[e]);
        n.ideas
            .get(&("a".to_string(), "allocates_once".to_string()))
            .cloned()
    }

    const JOIN_IDEA: &str =
        "\n  idea:     add up the final length first, then String::with_capacity(len)";

    fn join_failure(allocs: u32, reallocs: u32) -> String {
        format!(
            "`f(&w)`: expected at most 1 heap allocation, measured {}\n  window:   {allocs} allocs, {reallocs} reallocs, 0 deallocs, 9 bytes allocated, peak 9 bytes, live 9 bytes{JOIN_IDEA}",
            allocs + reallocs
        )
    }

    #[test]
    fn a_reserve_that_still_grew_is_named() {
        let src = "pub fn f(w: &[&str]) -> String {\n    let mut s = String::with_capacity(w.len());\n    for x in w { s.push_str(x); }\n    s\n}\n";
        assert_eq!(
            idea_for(src, &join_failure(1, 2)).unwrap(),
            "you reserve already, yet a block grew 2 times in the window: check the length you reserve; every byte past it makes the buffer grow again (exercises/01_a/src/lib.rs:2)"
        );
        assert!(
            idea_for(src, &join_failure(1, 1))
                .unwrap()
                .contains("grew 1 time in")
        );
        // No reserve in the code: the test's idea stands.
        let unreserved = "pub fn f(w: &[&str]) -> String {\n    let mut s = String::new();\n    for x in w { s += x; }\n    s\n}\n";
        assert_eq!(idea_for(unreserved, &join_failure(1, 2)), None);
    }

    #[test]
    fn an_extra_allocation_beside_a_right_reserve_keeps_the_idea() {
        // A `.to_string()` per word, or a println!, allocates without any
        // block growing: the reserve is not what is wrong.
        let to_string = "pub fn f(w: &[&str]) -> String {\n    let len = w.iter().map(|x| x.len()).sum();\n    let mut s = String::with_capacity(len);\n    for x in w { s.push_str(&x.to_string()); }\n    s\n}\n";
        assert_eq!(idea_for(to_string, &join_failure(5, 0)), None);
        let printing = "pub fn f(w: &[&str]) -> String {\n    let mut s = String::with_capacity(w.iter().map(|x| x.len()).sum());\n    for x in w { s.push_str(x); }\n    println!(\"{s}\");\n    s\n}\n";
        assert_eq!(idea_for(printing, &join_failure(2, 0)), None);
    }

    #[test]
    fn the_release_early_stub_keeps_the_tests_idea() {
        // The stub reserves the result while the input is still alive: the
        // peak is too high, nothing grew, and dropping the input first is
        // the fix the test names.
        let src = "pub fn sorted_letters(text: String) -> String {\n    let mut sorted = String::with_capacity(text.len());\n    sorted.push_str(&text);\n    sorted\n}\n";
        let message = "`sorted_letters of 100003 bytes`: expected at most 108195 bytes (105.7 KiB) of peak live heap, measured 200006 bytes (195.3 KiB)\n  window:   2 allocs, 0 reallocs, 1 deallocs, 200006 bytes (195.3 KiB) allocated, peak 200006 bytes (195.3 KiB), live 100003 bytes (97.7 KiB)\n  idea:     once the counts are taken the input is dead: save its len, drop(text), then String::with_capacity(len) (or reuse the input's buffer)";
        assert_eq!(idea_for(src, message), None);
    }

    #[test]
    fn clearing_is_named_only_where_the_idea_recommends_it() {
        let src = "pub fn count(r: impl std::io::BufRead) -> usize {\n    let mut line = String::new();\n    line.clear();\n    0\n}\n";
        let recommends = "`count(..)`: expected at most 14 heap allocations, measured 300\n  window:   300 allocs, 0 reallocs, 300 deallocs, 9 bytes allocated, peak 9 bytes, live 0 bytes\n  idea:     read every line into one String with read_line, and clear() it before the next line";
        assert!(
            idea_for(src, recommends)
                .unwrap()
                .starts_with("you clear a buffer already; check that the same buffer is reused")
        );
        // release_early's Dataset: clear() is what the idea warns against.
        let warns = "`Dataset::load(3 lines) then parse() twice`: expected at most 16 bytes still live on the heap, measured 35 bytes\n  window:   2 allocs, 0 reallocs, 0 deallocs, 35 bytes allocated, peak 35 bytes, live 35 bytes\n  idea:     nothing reads the raw text after parse: take it out of the struct (std::mem::take(&mut self.raw)) so it is freed; clear() keeps the buffer";
        assert_eq!(
            idea_for("fn p(&mut self) { self.raw.clear(); }\n", warns),
            None
        );
        // The idea recommends clear() but the code has none.
        assert_eq!(
            idea_for("pub fn count() -> usize { 0 }\n", recommends),
            None
        );
    }

    #[test]
    fn sharing_already_points_at_the_copy_only_when_there_is_one() {
        let message = "`build()`: expected at most 2 heap allocations, measured 9\n  window:   9 allocs, 0 reallocs, 0 deallocs, 9 bytes allocated, peak 9 bytes, live 9 bytes\n  idea:     give each worker `Rc::clone` of that Rc, a pointer, not a copy";
        let with_copy = "pub fn build(c: &Rc<C>) -> Vec<W> {\n    let shared = Rc::clone(c);\n    (0..8).map(|_| W { c: Rc::new((*shared).clone()) }).collect()\n}\n";
        assert!(idea_for(with_copy, message).unwrap().starts_with(
            "you share with Rc::clone already; the allocations come from a copy elsewhere"
        ));
        let no_copy = "pub fn build(c: &Rc<C>) -> W {\n    W { c: Rc::clone(c) }\n}\n";
        assert_eq!(idea_for(no_copy, message), None);
    }

    #[test]
    fn borrowing_already_is_named_only_with_cow_borrowed_in_the_code() {
        let message = "`escape(\"plain\")`: expected exactly 0 heap allocations, measured 1\n  window:   1 allocs, 0 reallocs, 0 deallocs, 5 bytes allocated, peak 5 bytes, live 5 bytes\n  idea:     look for a special character first; when there is none, return `Cow::Borrowed(input)`";
        let borrows = "pub fn escape(s: &str) -> Cow<'_, str> {\n    let owned = s.to_string();\n    if !owned.contains('<') { return Cow::Borrowed(s); }\n    Cow::Owned(owned)\n}\n";
        assert!(
            idea_for(borrows, message)
                .unwrap()
                .starts_with("you return Cow::Borrowed already")
        );
        let owns = "pub fn escape(s: &str) -> Cow<'_, str> {\n    Cow::Owned(s.replace('<', \"&lt;\"))\n}\n";
        assert_eq!(idea_for(owns, message), None);
    }

    /// The note answering one compiler error's rendered text.
    fn compile_notes(rendered: &str) -> Vec<String> {
        let (dir, mut e) = course_with("pub fn f() {}\n");
        e.tests.clear();
        e.diagnostics = vec![crate::pipeline::grade::Diagnostic {
            message: rendered.lines().next().unwrap().into(),
            rendered: rendered.into(),
            location: None,
        }];
        notes(dir.path(), &[e]).for_test("a", "compile").to_vec()
    }

    const CLONE_HELP: &str =
        "help: consider cloning the value if the performance cost is acceptable\n";

    #[test]
    fn rustc_advice_to_clone_is_answered_with_the_fix_for_the_error() {
        let drop_type = format!(
            "error[E0509]: cannot move out of type `D`, which implements the `Drop` trait\n --> src/lib.rs:3:28\n{CLONE_HELP}"
        );
        let got = compile_notes(&drop_type);
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("std::mem::take"), "{got:?}");
        assert!(!got[0].contains("Rc::clone"), "{got:?}");

        let after_drop = format!(
            "error[E0382]: borrow of moved value: `text`\n  |\n4 | pub fn g(text: String) -> usize {{ drop(text); text.len() }}\n  |                                       ---- value moved here\n{CLONE_HELP}4 | drop(text.clone()); text.len()\n"
        );
        let got = compile_notes(&after_drop);
        assert!(
            got[0].contains("`text` is used after drop(text): keep what you need of it first"),
            "{got:?}"
        );

        let behind_ref = format!(
            "error[E0507]: cannot move out of `d.raw` which is behind a mutable reference\n{CLONE_HELP}"
        );
        assert!(compile_notes(&behind_ref)[0].contains("std::mem::take"));

        // A move into another binding: borrowing is the fix.
        let moved = format!(
            "error[E0382]: borrow of moved value: `s`\n6 | let t = s; s.len() + t.len()\n{CLONE_HELP}"
        );
        let got = compile_notes(&moved);
        assert!(
            got[0].ends_with("borrow instead (pass a reference, or share with Rc::clone)"),
            "{got:?}"
        );
        assert!(
            !got[0].contains("mem::take") && !got[0].contains("drop("),
            "{got:?}"
        );

        // No clone suggested: nothing to answer.
        assert!(compile_notes("error[E0308]: mismatched types\n").is_empty());
    }
}
