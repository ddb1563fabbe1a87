//! `memgrade template`: the repository students fork. No solutions (so no
//! mutants or alternatives), sealed, memgrade's own source, a README whose
//! two commands work there, `verify` and `solution` that make sense without
//! solutions.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Memgrade, course_builder, repo, text};

/// Every file under `root`, relative, sorted.
fn files(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &entry.path(), out);
            } else {
                let rel = entry.path().strip_prefix(root).unwrap().to_path_buf();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// `memgrade template DEST` in `course_root`.
fn template(course_root: &Path, dest: &Path) -> std::process::Output {
    Memgrade::new()
        .root(course_root)
        .args(["template".as_ref(), dest.as_os_str()])
        .output()
}

fn export(course_root: &Path, dest: &Path) {
    let out = template(course_root, dest);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn the_template_of_this_course_ships_memgrade_without_solutions() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("student");
    let shipped = common::checkout_as_shipped();
    export(shipped.path(), &dest);
    let all = files(&dest);
    assert!(
        all.iter().all(|f| !f.contains("solutions/")
            && !f.starts_with("target/")
            && !f.starts_with("bench/")
            && !f.starts_with(".ci/")),
        "{all:#?}"
    );
    let tests: Vec<&String> = all.iter().filter(|f| f.starts_with("tests/")).collect();
    assert_eq!(
        tests,
        ["tests/course.rs"],
        "only the student copy's own test"
    );
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "src/author/template.rs",
        "templates/README.student.md",
        "memprobe/Cargo.toml",
        "grader.toml",
        "memgrade.lock",
        "README.md",
        "exercises/01_join_words/src/lib.rs",
        "exercises/01_join_words/tests/memory.rs",
        "exercises/01_join_words/README.md",
        ".cargo/config.toml",
    ] {
        assert!(
            all.iter().any(|f| f == needed),
            "{needed} missing: {all:#?}"
        );
    }
    let readme = std::fs::read_to_string(dest.join("README.md")).unwrap();
    assert!(!readme.contains("{{"), "{readme}");
    assert!(!readme.contains("solutions/"), "{readme}");
    // The lock is the copy's: the same graded files and stubs as the course.
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dest.join("memgrade.lock")).unwrap())
            .unwrap();
    let ours: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("memgrade.lock")).unwrap())
            .unwrap();
    assert_eq!(lock["files"], ours["files"]);
    assert_eq!(lock["stubs"], ours["stubs"]);
}

#[test]
fn a_template_made_from_a_solved_checkout_ships_the_stubs() {
    let course = course_builder()
        .exercises(&["join_words", "release_early"])
        .sealed()
        .build();
    // The instructor solved join_words in this checkout (and left a helper
    // file beside it) after sealing.
    let src = course.root().join("exercises/01_join_words/src");
    common::copy_tree(&repo().join("solutions/01_join_words/src"), &src);
    std::fs::write(src.join("notes.rs"), "// my notes\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("student");
    let out = template(course.root(), &dest);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("the working src/ of join_words differs from the stub in memgrade.lock; the copy has the stub"),
        "{t}"
    );
    assert!(t.contains("starting code from memgrade.lock"), "{t}");
    for exercise in ["01_join_words", "02_release_early"] {
        let rel = format!("exercises/{exercise}/src/lib.rs");
        assert_eq!(
            std::fs::read_to_string(dest.join(&rel)).unwrap(),
            common::stub_source(&rel),
            "{rel}"
        );
    }
    assert!(!dest.join("exercises/01_join_words/src/notes.rs").exists());
    // So `reset` in the copy restores the stub, not the instructor's work.
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dest.join("memgrade.lock")).unwrap())
            .unwrap();
    assert_eq!(
        lock["stubs"]["exercises/01_join_words/src/lib.rs"].as_str(),
        Some(common::stub_source("exercises/01_join_words/src/lib.rs").as_str())
    );
    assert_eq!(lock["stubs"].as_object().unwrap().len(), 2);
}

#[test]
fn a_template_needs_the_lock_that_records_the_stubs() {
    let course = course_builder().exercises(&["join_words"]).build();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("student");
    let out = template(course.root(), &dest);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("has no memgrade.lock"), "{t}");
    assert!(!dest.exists(), "nothing written");
}

#[test]
fn verify_and_solution_in_a_copy_without_solutions() {
    let course = course_builder()
        .exercises(&["join_words", "release_early"])
        .sealed()
        .build();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("student");
    export(course.root(), &dest);
    assert!(!dest.join("solutions").exists());

    let verify = || Memgrade::new().root(&dest).args(["verify"]).output();
    let out = verify();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("verified: 2 exercises"), "{t}");
    assert!(t.contains("solutions were not checked"), "{t}");

    // A student who solved an exercise still has an intact course: verify
    // checks the stubs as the lock recorded them, not the working files.
    common::copy_tree(
        &repo().join("solutions/01_join_words/src"),
        &dest.join("exercises/01_join_words/src"),
    );
    let out = verify();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // A changed test is not intact, and the advice is to restore it.
    let test = dest.join("exercises/01_join_words/tests/memory.rs");
    let mut body = std::fs::read_to_string(&test).unwrap();
    body.push_str("\n// changed\n");
    std::fs::write(&test, body).unwrap();
    let out = verify();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("graded files differ from memgrade.lock (exercises/01_join_words/tests/memory.rs): restore them"),
        "{t}"
    );

    let out = Memgrade::new()
        .root(&dest)
        .args(["solution", "join_words"])
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("this copy of the course has no solutions"),
        "{}",
        text(&out)
    );
    // Where solutions exist, `solution` still works (once passed).
    let out = course.run(&["solution", "join_words"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("join_words is not passed yet"),
        "{}",
        text(&out)
    );
}

#[test]
fn template_refuses_a_directory_with_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = Memgrade::new()
        .root(&repo())
        .args(["template".as_ref(), dir.path().as_os_str()])
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("is not empty"), "{}", text(&out));
    assert_eq!(files(dir.path()), ["notes.txt"]);

    let course = course_builder().exercises(&["join_words"]).build();
    let inside = course.root().join("exercises/student");
    let out = course
        .memgrade()
        .args(["template".as_ref(), inside.as_os_str()])
        .output();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("inside the course's own sources"),
        "{}",
        text(&out)
    );
    assert!(!inside.exists());
}

/// The commands of the first `sh` block of the student README.
fn readme_commands(readme: &str) -> Vec<String> {
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the README has an sh block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Slow (builds memgrade twice and every exercise): the student README's two
/// commands, run in an exported template as a student would. The builds share
/// `target/template-e2e` so later runs are warm.
#[test]
fn the_student_readme_commands_work_in_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("student");
    let shipped = common::checkout_as_shipped();
    export(shipped.path(), &dest);
    let readme = std::fs::read_to_string(dest.join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    assert_eq!(
        commands,
        [
            "cargo run --profile grader -- check",
            "cargo test --features instructor"
        ]
    );
    let target = repo().join("target").join("template-e2e");
    let run = |line: &str| {
        let words: Vec<&str> = line.split_whitespace().collect();
        Command::new(words[0])
            .args(&words[1..])
            .current_dir(&dest)
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .unwrap()
    };
    let out = run(&commands[1]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "cargo test failed:\n{}",
        text(&out)
    );
    assert!(
        text(&out).contains("the_course_is_intact ... ok"),
        "{}",
        text(&out)
    );

    let out = run(&commands[0]);
    let t = text(&out);
    // Every exercise is graded and fails as shipped: exit 1, not a crash.
    assert_eq!(out.status.code(), Some(1), "{t}");
    let exercises = std::fs::read_to_string(dest.join("grader.toml"))
        .unwrap()
        .matches("[[exercises]]")
        .count();
    assert!(
        t.contains(&format!(" 0/{exercises} exercises passed, 0/")),
        "{t}"
    );
}
