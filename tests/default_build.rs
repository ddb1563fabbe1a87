//! The student's build: memgrade compiled with its default features exactly
//! as the README's first command compiles it (`cargo run --profile grader`;
//! here `cargo build --profile grader` into `target/default-build`, so the
//! test binary's own build is left alone). It grades a student's course,
//! parses every instructor command and option like the instructor build,
//! and refuses them with exit 2 and the command that builds one with them.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Memgrade, course_builder, repo, text};

/// Builds the default features with the `grader` profile; returns the
/// binary.
fn default_build() -> PathBuf {
    let target = repo().join("target").join("default-build");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--profile", "grader", "--target-dir"])
        .arg(&target)
        .current_dir(repo())
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo build --profile grader failed:\n{}",
        text(&out)
    );
    target.join("grader").join("memgrade")
}

fn run(binary: &Path, root: &Path, args: &[&str]) -> Output {
    Memgrade::binary(binary).root(root).args(args).output()
}

#[test]
fn the_default_build_grades_and_refuses_instructor_commands() {
    let binary = default_build();
    let course = course_builder().exercises(&["join_words"]).sealed().build();

    // A student's commands work.
    let out = run(&binary, course.root(), &["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("join_words"), "{}", text(&out));
    let out = run(&binary, course.root(), &["check", "join_words"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "the stub fails:\n{t}");
    assert!(t.contains("0/1 exercises passed"), "{t}");
    assert!(t.contains("join_words"), "{t}");

    // Instructor commands and options: parsed, then refused with the
    // command that builds memgrade with them.
    let official = tempfile::tempdir().unwrap();
    let official_dir = official.path().to_str().unwrap();
    for (args, what) in [
        (&["gradebook", "forks/a"][..], "gradebook"),
        (&["gradebook-merge", "shard-1"], "gradebook-merge"),
        (&["verify"], "verify"),
        (&["seal"], "seal"),
        (&["template", "student-copy"], "template"),
        (&["gradescope-package"], "gradescope-package"),
        (&["check", "--format", "json"], "check --format json"),
        (
            &["check", "--output", "junit=r.xml"],
            "check --format junit",
        ),
        (&["check", "--course", official_dir], "check --course"),
        (&["check", "--tests-from", official_dir], "check --course"),
        (&["check", "--sandbox", "none"], "check --sandbox"),
    ] {
        let out = run(&binary, course.root(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!(
                "error: memgrade {what} needs a build with the instructor feature: cargo run --release --features instructor -- {what} ...\n"
            ),
            "{args:?}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out));
    }
    // Nothing was written: no lock rewritten, no copy, no report.
    for left_out in ["student-copy", "autograder.zip", "r.xml", "gradebook.csv"] {
        assert!(!course.root().join(left_out).exists(), "{left_out}");
    }

    // A usage mistake is still clap's: the parser is the same.
    let out = run(&binary, course.root(), &["check", "--format", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("invalid value 'nope' for '--format <FORMATS>'"));

    // The same help as the test binary's build, which says which commands
    // are for instructors and course authors.
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["gradebook", "--help"],
    ] {
        let student = run(&binary, course.root(), args);
        let this = Memgrade::new().root(course.root()).args(args).output();
        assert_eq!(student.status.code(), Some(0));
        assert_eq!(text(&student), text(&this), "{args:?}");
    }
    let help = text(&run(&binary, course.root(), &["--help"]));
    for line in [
        "  gradebook           For instructors: ",
        "  verify              For course authors: ",
        "  seal                For course authors: ",
        "  template            For instructors: ",
    ] {
        assert!(help.contains(line), "{line}\n{help}");
    }
}
