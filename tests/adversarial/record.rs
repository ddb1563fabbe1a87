//! The grade of record against hostile forks (the table at the top of
//! `adversarial.rs` lists the mechanisms). One official course with two
//! exercises: `join_words`, which every fork leaves as the shipped stub (it
//! must score 0 whatever the fork does around it), and `borrow_not_clone`,
//! which every fork solves honestly (it must still pass beside the cheat).
//! Each fork is graded by `check --ci --course ABS` (one run per test) and,
//! all together, by one `gradebook` run.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{assert_passed, exercise, status, work};
use crate::common::{copy_tree, repo};

/// The two exercises of the official course.
const EXERCISES: [&str; 2] = ["01_join_words", "08_borrow_not_clone"];
/// Bounds on a whole grading run (a loaded two-core machine builds memprobe
/// and two exercises from nothing for each fork).
const CHECK_LIMIT: Duration = Duration::from_secs(300);
const GRADEBOOK_LIMIT: Duration = Duration::from_secs(900);

pub(crate) fn root() -> PathBuf {
    work().join("record")
}

/// The official course (the instructor's, with `solutions/`), built once.
pub(crate) fn official() -> &'static Path {
    static OFFICIAL: OnceLock<PathBuf> = OnceLock::new();
    OFFICIAL.get_or_init(|| {
        let course = root().join("course");
        if course.exists() {
            std::fs::remove_dir_all(&course).unwrap();
        }
        std::fs::create_dir_all(&course).unwrap();
        std::fs::write(
            course.join("Cargo.toml"),
            "[workspace]\nmembers = [\"memprobe\", \"exercises/*\"]\nresolver = \"3\"\n",
        )
        .unwrap();
        copy_tree(&repo().join("memprobe"), &course.join("memprobe"));
        // The real registry's header (objectives) and the two exercises'
        // entries, weights included: the stub's behaviour tests weigh 0.
        let toml = std::fs::read_to_string(repo().join("grader.toml")).unwrap();
        let mut parts = toml.split("[[exercises]]");
        let mut text = parts.next().unwrap().to_string();
        for part in parts {
            if EXERCISES
                .iter()
                .any(|d| part.contains(&format!("dir = \"exercises/{d}\"")))
            {
                text.push_str("[[exercises]]");
                text.push_str(part);
            }
        }
        std::fs::write(course.join("grader.toml"), text).unwrap();
        for d in EXERCISES {
            crate::common::copy_exercise_as_shipped(&format!("exercises/{d}"), &course);
            copy_tree(
                &repo().join("solutions").join(d),
                &course.join("solutions").join(d),
            );
        }
        course
    })
}

fn solution(dir: &str) -> PathBuf {
    official().join("solutions").join(dir).join("src/lib.rs")
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn executable(path: &Path, text: &str) {
    write(path, text);
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

pub(crate) fn join_lib(fork: &Path) -> PathBuf {
    fork.join("exercises/01_join_words/src/lib.rs")
}

/// A join_words stub that first calls `plant()`, defined by `plant_fn`.
fn stub_calling(plant_fn: &str) -> String {
    let stub = crate::common::stub_source("exercises/01_join_words/src/lib.rs");
    stub.replace(
        "pub fn join_words(words: &[&str]) -> String {",
        "pub fn join_words(words: &[&str]) -> String {\n    plant();",
    ) + plant_fn
}

/// A mechanism: how a fork tries to earn points for the untouched stub.
struct Mechanism {
    /// The fork's directory name.
    name: &'static str,
    /// Changes the fork (a copy of the official course without solutions,
    /// with `borrow_not_clone` solved) to apply the mechanism.
    apply: fn(&Path),
}

/// A join_words that is another exercise's file.
const SIBLING_INCLUDE: &str = "include!(\"../../08_borrow_not_clone/src/helper.rs\");\n";

fn mechanisms() -> Vec<Mechanism> {
    vec![
        Mechanism {
            name: "stub",
            apply: |_| {},
        },
        Mechanism {
            name: "cargo_config",
            apply: |fork| {
                // A rustc wrapper that compiles the official solution in
                // place of the stub, and flags on top.
                let wrapper = fork.join("tools/rustc-wrapper.sh");
                executable(
                    &wrapper,
                    &format!(
                        "#!/bin/sh\nrustc=\"$1\"; shift\nfor a do\n  shift\n  case \"$a\" in *01_join_words/src/lib.rs) a=\"{}\";; esac\n  set -- \"$@\" \"$a\"\ndone\nexec \"$rustc\" \"$@\"\n",
                        solution("01_join_words").display()
                    ),
                );
                write(
                    &fork.join(".cargo/config.toml"),
                    &format!(
                        "[build]\nrustc-wrapper = \"{}\"\nrustflags = [\"--cfg\", \"memgrade_cheat\"]\n",
                        wrapper.display()
                    ),
                );
            },
        },
        Mechanism {
            name: "toolchain_file",
            apply: |fork| {
                // Were it read, every exercise would fail to build.
                write(
                    &fork.join("rust-toolchain.toml"),
                    "[toolchain]\nchannel = \"memgrade-no-such-toolchain\"\n",
                );
            },
        },
        Mechanism {
            name: "build_scripts",
            apply: |fork| {
                let script = format!(
                    "fn main() {{\n    let _ = std::fs::copy({:?}, \"src/lib.rs\");\n}}\n",
                    solution("01_join_words")
                );
                write(&fork.join("exercises/01_join_words/build.rs"), &script);
                write(
                    &fork.join("target/memgrade/official/exercises/01_join_words/build.rs"),
                    &script,
                );
                let manifest = fork.join("exercises/01_join_words/Cargo.toml");
                let text = std::fs::read_to_string(&manifest).unwrap();
                write(
                    &manifest,
                    &text.replace("publish = false", "publish = false\nbuild = \"build.rs\""),
                );
            },
        },
        Mechanism {
            name: "graded_file_edits",
            apply: |fork| {
                let memory = fork.join("exercises/01_join_words/tests/memory.rs");
                let text = std::fs::read_to_string(&memory).unwrap();
                write(
                    &memory,
                    &text
                        .replace("<= 1,", "<= 100_000,")
                        .replace("assert_eq!(joined.capacity(), joined.len());", ""),
                );
                let toml = fork.join("grader.toml");
                let text = std::fs::read_to_string(&toml).unwrap();
                write(
                    &toml,
                    &text.replace(
                        "joins_with_single_spaces = 0, allocates_nothing_for_no_words = 0",
                        "joins_with_single_spaces = 5, allocates_nothing_for_no_words = 5",
                    ),
                );
                let manifest = fork.join("exercises/01_join_words/Cargo.toml");
                let text = std::fs::read_to_string(&manifest).unwrap();
                write(
                    &manifest,
                    &text.replace("unsafe_code = \"forbid\"", "unsafe_code = \"allow\""),
                );
                write(
                    &fork.join("memgrade.lock"),
                    "{\"version\":1,\"files\":{},\"stubs\":{}}\n",
                );
            },
        },
        Mechanism {
            name: "symlinked_lib",
            apply: |fork| {
                let lib = join_lib(fork);
                std::fs::remove_file(&lib).unwrap();
                std::os::unix::fs::symlink(solution("01_join_words"), &lib).unwrap();
            },
        },
        Mechanism {
            name: "path_to_solution",
            apply: |fork| {
                write(
                    &join_lib(fork),
                    &format!(
                        "#[path = {:?}]\nmod solution;\npub use solution::join_words;\n",
                        solution("01_join_words")
                    ),
                );
            },
        },
        Mechanism {
            name: "include_solution",
            apply: |fork| {
                // Reading a course file at compile time (this compiles in a
                // feedback check, where the file is there to read).
                let stub = std::fs::read_to_string(join_lib(fork)).unwrap();
                write(
                    &join_lib(fork),
                    &format!(
                        "{stub}\n#[doc(hidden)]\npub const LEAKED: &str = include_str!({:?});\n",
                        solution("01_join_words")
                    ),
                );
            },
        },
        // join_words is one `include!` of a file in borrow_not_clone's
        // src/ (the solution, there); the copy has the same line and no
        // such file. Neither earns anything, in the gradebook whatever the
        // class cache holds.
        Mechanism {
            name: "sibling_include",
            apply: |fork| {
                let sol = std::fs::read_to_string(solution("01_join_words")).unwrap();
                let items: String = sol
                    .lines()
                    .filter(|l| !l.starts_with("//!"))
                    .map(|l| format!("{l}\n"))
                    .collect();
                write(
                    &fork.join("exercises/08_borrow_not_clone/src/helper.rs"),
                    &items,
                );
                write(&join_lib(fork), SIBLING_INCLUDE);
            },
        },
        Mechanism {
            name: "sibling_include_copy",
            apply: |fork| write(&join_lib(fork), SIBLING_INCLUDE),
        },
        // The gradebook cases: alice solves both exercises; mallory's src
        // is a link into alice's checkout; planter's stub writes files into
        // its working directory and tree (and /tmp) while its tests run,
        // hoping the next fork, victim (the untouched stub), is graded with
        // them.
        Mechanism {
            name: "alice",
            apply: |fork| {
                std::fs::copy(solution("01_join_words"), join_lib(fork)).unwrap();
            },
        },
        Mechanism {
            name: "mallory",
            apply: |fork| {
                let src = fork.join("exercises/01_join_words/src");
                std::fs::remove_dir_all(&src).unwrap();
                let alice = root().join("forks/alice/exercises/01_join_words/src");
                std::os::unix::fs::symlink(alice, &src).unwrap();
            },
        },
        Mechanism {
            name: "planter",
            apply: |fork| {
                let sol = std::fs::read_to_string(solution("01_join_words")).unwrap();
                let plant = format!(
                    "\nconst SOLUTION: &str = r####\"{sol}\"####;\n\n\
                     fn plant() {{\n    \
                     let copier = \"fn main() {{ let _ = std::fs::write(\\\"src/lib.rs\\\", SOLUTION); }}\";\n    \
                     let _ = std::fs::write(\"src/lib.rs\", SOLUTION);\n    \
                     let _ = std::fs::write(\"build.rs\", copier);\n    \
                     for up in [\"..\", \"../..\", \"../../..\"] {{\n        \
                     let _ = std::fs::write(format!(\"{{up}}/planted.rs\"), SOLUTION);\n        \
                     let _ = std::fs::write(format!(\"{{up}}/exercises/01_join_words/src/lib.rs\"), SOLUTION);\n    }}\n    \
                     let _ = std::fs::write(std::env::temp_dir().join(\"memgrade-planted-lib.rs\"), SOLUTION);\n}}\n"
                );
                write(&join_lib(fork), &stub_calling(&plant));
            },
        },
        Mechanism {
            name: "victim",
            apply: |_| {},
        },
    ]
}

/// Every fork, built once (in mechanism order, so mallory's link target
/// exists), under `record/forks/`.
fn forks() -> &'static Vec<PathBuf> {
    static FORKS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    FORKS.get_or_init(|| {
        let dir = root().join("forks");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        mechanisms()
            .into_iter()
            .map(|m| {
                let fork = dir.join(m.name);
                copy_tree(official(), &fork);
                std::fs::remove_dir_all(fork.join("solutions")).unwrap();
                std::fs::copy(
                    solution("08_borrow_not_clone"),
                    fork.join("exercises/08_borrow_not_clone/src/lib.rs"),
                )
                .unwrap();
                (m.apply)(&fork);
                fork
            })
            .collect()
    })
}

pub(crate) fn fork(name: &str) -> &'static Path {
    forks()
        .iter()
        .find(|f| f.ends_with(name))
        .unwrap_or_else(|| panic!("no fork {name}"))
}

/// Runs memgrade in `cwd` (as a CI job does, in the fork) with none of the
/// test environment's CI variables.
fn run_in(cwd: &Path, args: &[&str]) -> (Output, Duration) {
    run_env(cwd, &[], args)
}

/// [`run_in`] with extra environment variables.
fn run_env(cwd: &Path, env: &[(&str, &Path)], args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let out = crate::common::Memgrade::new()
        .into_command()
        .current_dir(cwd)
        .envs(env.iter().copied())
        .args(args)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CARGO_TARGET_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (out, start.elapsed())
}

fn text(o: &Output) -> String {
    crate::common::text(o)
}

/// `check --ci --course OFFICIAL --format json` of one fork.
fn check_record(name: &str) -> Value {
    check_fork(fork(name), name)
}

/// The grade of record of a fork, as JSON, up to the official course's path.
pub(crate) const CHECK_RECORD: [&str; 7] = [
    "check",
    "--ci",
    "--exit-zero",
    "--format",
    "json",
    "--course",
    "",
];

/// `check --ci --course OFFICIAL --format json` of the fork at `fork`.
pub(crate) fn check_fork(fork: &Path, name: &str) -> Value {
    let mut args = CHECK_RECORD.to_vec();
    args[6] = official().to_str().unwrap();
    args.extend(["--sandbox", crate::common::record_sandbox()]);
    let (out, elapsed) = run_in(fork, &args);
    assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
    assert!(elapsed < CHECK_LIMIT, "{name}: check took {elapsed:?}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {}", text(&out)))
}

/// One `gradebook` run over every fork; its JSON rows.
fn gradebook() -> &'static Vec<Value> {
    static ROWS: OnceLock<Vec<Value>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let out_dir = root().join("gradebook");
        let _ = std::fs::remove_dir_all(&out_dir);
        let mut args = vec!["gradebook".to_string()];
        args.extend(graded_forks().map(|f| f.display().to_string()));
        args.extend([
            "--sandbox".into(),
            crate::common::record_sandbox().into(),
            "--course".into(),
            official().display().to_string(),
            "--fork-timeout".into(),
            "300".into(),
            "--out".into(),
            out_dir.display().to_string(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (out, elapsed) = run_in(&root(), &args);
        eprintln!("adversarial: the gradebook of the record forks took {elapsed:?}");
        assert!(elapsed < GRADEBOOK_LIMIT, "gradebook took {elapsed:?}");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let json = std::fs::read(out_dir.join("gradebook.json")).unwrap();
        let book: Value = serde_json::from_slice(&json).unwrap();
        let rows: Vec<Value> = book["students"].as_array().unwrap().clone();
        assert_eq!(rows.len(), graded_forks().count());
        rows
    })
}

/// The forks whose mechanism only the sandbox stops: reading the official
/// course's files by absolute path, and planting files for the next fork.
const SANDBOX_ONLY: [&str; 4] = ["path_to_solution", "include_solution", "planter", "victim"];

/// The forks the gradebook grades: every one with bubblewrap, and without
/// it those the private tree alone must stop.
fn graded_forks() -> impl Iterator<Item = &'static PathBuf> {
    let sandboxed = crate::common::record_sandbox() == "bwrap";
    forks()
        .iter()
        .filter(move |f| sandboxed || !SANDBOX_ONLY.iter().any(|n| f.ends_with(n)))
}

fn gradebook_grade(name: &str) -> &'static Value {
    let row = gradebook()
        .iter()
        .find(|r| r["student"] == name)
        .unwrap_or_else(|| panic!("no gradebook row for {name}"));
    assert!(row["error"].is_null(), "{name}: {row:#}");
    &row["grade"]
}

/// The stub earns nothing with `expected` status, the honest exercise
/// beside it passes, and the grade says it is the record, made in bwrap
/// (or with no sandbox, where there is no bubblewrap).
fn assert_cheat_fails(grade: &Value, expected: &str, reason: Option<&str>) {
    let e = exercise(grade, "join_words");
    assert_eq!(status(e), expected, "{e:#}");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{e:#}");
    if let Some(reason) = reason {
        assert!(e["diagnostics"].to_string().contains(reason), "{e:#}");
    }
    assert_passed(exercise(grade, "borrow_not_clone"));
    assert_eq!(grade["provenance"]["mode"], "record", "{grade:#}");
    assert!(
        grade["provenance"]["sandbox"]
            .as_str()
            .unwrap()
            .starts_with(crate::common::record_sandbox()),
        "{grade:#}"
    );
}

/// Both grade-of-record modes.
fn assert_both(name: &str, expected: &str, reason: Option<&str>) {
    assert_cheat_fails(&check_record(name), expected, reason);
    assert_cheat_fails(gradebook_grade(name), expected, reason);
}

#[test]
fn an_untouched_stub_scores_nothing_beside_an_honest_exercise() {
    assert_both("stub", "failed", None);
    // The grade of record writes nothing into the fork.
    assert!(!fork("stub").join(".memgrade").exists());
    assert!(!fork("stub").join("target").exists());
}

#[test]
fn a_fork_cargo_config_with_a_rustc_wrapper_is_not_read() {
    assert_both("cargo_config", "failed", None);
}

#[test]
fn a_fork_rust_toolchain_file_is_not_read() {
    assert_both("toolchain_file", "failed", None);
}

#[test]
fn build_scripts_committed_in_the_fork_do_not_run() {
    assert_both("build_scripts", "failed", None);
}

#[test]
fn fork_edits_to_tests_manifest_grader_toml_and_lock_are_ignored() {
    assert_both("graded_file_edits", "failed", None);
    let t = exercise(&check_record("graded_file_edits"), "join_words")["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "allocates_once_for_many_words")
        .cloned()
        .unwrap();
    assert_eq!(t["status"], "failed", "the official budget holds: {t:#}");
}

#[test]
fn a_symlinked_lib_rs_is_rejected() {
    assert_both(
        "symlinked_lib",
        "compile_error",
        Some("exercises/01_join_words/src/lib.rs is a symbolic link"),
    );
}

#[test]
fn a_path_attribute_to_the_course_solution_does_not_compile() {
    if !crate::common::require_bwrap() {
        return;
    }
    assert_both("path_to_solution", "compile_error", Some("couldn't read"));
}

#[test]
fn including_a_course_solution_file_does_not_compile() {
    if !crate::common::require_bwrap() {
        return;
    }
    assert_both("include_solution", "compile_error", Some("couldn't read"));
}

/// The review flags of `join_words` in a gradebook row: `(file, line,
/// construct)`.
fn review_flags(name: &str) -> Vec<(String, u64, String)> {
    let e = exercise(gradebook_grade(name), "join_words");
    e["review"]
        .as_array()
        .map(|flags| {
            flags
                .iter()
                .map(|f| {
                    (
                        f["file"].as_str().unwrap().to_string(),
                        f["line"].as_u64().unwrap(),
                        f["construct"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_crate_that_includes_another_exercises_file_earns_nothing() {
    let e = exercise(&check_record("sibling_include"), "join_words").clone();
    assert_eq!(status(&e), "compile_error", "{e:#}");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{e:#}");
    let why = e["diagnostics"][0]["message"].as_str().unwrap();
    assert!(why.contains("08_borrow_not_clone/src/helper.rs"), "{why}");
    // Where Landlock works, rustc compiled the crate with a view of its own
    // exercise and could not read the file; elsewhere the dep-info check
    // after the build refused the crate.
    let landlock = memgrade::private_launch::Landlock::probe().is_ok();
    let expected = if landlock {
        "Permission denied"
    } else {
        "outside its own exercise"
    };
    assert!(why.contains(expected), "{why}");
    assert_eq!(e["review"][0]["construct"], "include!", "{e:#}");
    // In the gradebook (one run, with the class cache) neither the fork
    // with the file nor the copy without it earns anything.
    for name in ["sibling_include", "sibling_include_copy"] {
        let g = gradebook_grade(name);
        let e = exercise(g, "join_words");
        assert_eq!(e["points"].as_f64(), Some(0.0), "{name}: {e:#}");
        assert_passed(exercise(g, "borrow_not_clone"));
    }
}

#[test]
fn the_gradebook_flags_constructs_for_review_with_file_and_line() {
    // Honest sources raise nothing, and a flag never changes the points.
    assert_eq!(review_flags("alice"), []);
    assert_passed(exercise(gradebook_grade("alice"), "join_words"));
    // The forks holding the flagged constructs are graded only where
    // bubblewrap runs (graded_forks).
    if crate::common::record_sandbox() != "bwrap" {
        return;
    }
    let lib = "exercises/01_join_words/src/lib.rs".to_string();
    assert_eq!(
        review_flags("path_to_solution"),
        [(lib.clone(), 1, "#[path]".to_string())]
    );
    let included = review_flags("include_solution");
    assert_eq!(included.len(), 1, "{included:?}");
    assert_eq!(included[0].2, "include_str!");
    let planted = review_flags("planter");
    assert!(
        planted.iter().any(|(f, _, c)| *f == lib && c == "std::fs"),
        "{planted:?}"
    );
    assert_eq!(review_flags("victim"), []);
    // The spreadsheet has them too, in its `review` column.
    let csv = std::fs::read_to_string(root().join("gradebook/gradebook.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let column = rows
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "review")
        .unwrap_or_else(|| panic!("no review column: {csv}"));
    let review = |student: &str| -> String {
        csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(Result::unwrap)
            .find(|r| &r[0] == student)
            .unwrap_or_else(|| panic!("no row for {student}: {csv}"))[column]
            .to_string()
    };
    assert_eq!(review("alice"), "");
    assert_eq!(
        review("path_to_solution"),
        format!("join_words: {lib}:1: #[path]")
    );
    assert!(review("planter").contains(&format!("{lib}:")), "{csv}");
    assert!(review("planter").contains("std::fs"), "{csv}");
}

#[test]
fn a_src_linked_into_another_students_checkout_is_rejected() {
    assert_passed(exercise(gradebook_grade("alice"), "join_words"));
    assert_cheat_fails(
        gradebook_grade("mallory"),
        "compile_error",
        Some("exercises/01_join_words/src is a symbolic link"),
    );
}

#[test]
fn files_a_test_plants_do_not_reach_the_next_fork() {
    if !crate::common::require_bwrap() {
        return;
    }
    let names: Vec<&str> = gradebook()
        .iter()
        .map(|r| r["student"].as_str().unwrap())
        .collect();
    let planter = names.iter().position(|n| *n == "planter").unwrap();
    assert_eq!(names[planter + 1], "victim", "victim is graded right after");
    assert_cheat_fails(gradebook_grade("planter"), "failed", None);
    assert_cheat_fails(gradebook_grade("victim"), "failed", None);
    // Nothing was planted in the forks themselves either.
    assert!(
        !fork("planter")
            .join("exercises/01_join_words/build.rs")
            .exists()
    );
    assert!(
        !std::env::temp_dir()
            .join("memgrade-planted-lib.rs")
            .exists()
    );
}

#[test]
fn a_directory_named_like_the_old_revision_is_never_the_course() {
    // The fork commits a loosened "course" under the name an old workflow
    // passed to --tests-from; names are not looked up anymore.
    let fork = root().join("revision-fork");
    let _ = std::fs::remove_dir_all(&fork);
    copy_tree(official(), &fork);
    copy_tree(official(), &fork.join("course-v1"));
    for args in [
        vec!["check", "--ci", "--tests-from", "course-v1"],
        vec!["check", "--ci", "--course", "./course-v1"],
        vec!["gradebook", ".", "--tests-from", "course-v1"],
    ] {
        let (out, elapsed) = run_in(&fork, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            text(&out).contains("--course-git URL --course-commit SHA"),
            "{args:?}: {}",
            text(&out)
        );
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    }
    // An absolute directory inside the fork is refused too.
    let inside = fork.join("course-v1");
    let (out, _) = run_in(
        &fork,
        &["check", "--ci", "--course", inside.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("inside the checkout being graded"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_fork_over_its_time_limit_is_stopped_in_bounded_time() {
    let out_dir = root().join("gradebook-timeout");
    let _ = std::fs::remove_dir_all(&out_dir);
    // The private directories go to a TMPDIR of the test's own, outside
    // the repository: the checkout's `.cargo/config.toml` (the `cargo
    // memgrade` alias) sits above target/, and the grade of record refuses
    // to build under a cargo configuration it did not write.
    let holder = tempfile::tempdir().unwrap();
    let tmp = holder.path().join("tmp-timeout");
    std::fs::create_dir_all(&tmp).unwrap();
    let (out, elapsed) = run_env(
        &root(),
        &[("TMPDIR", tmp.as_path())],
        &[
            "gradebook",
            fork("stub").to_str().unwrap(),
            "--course",
            official().to_str().unwrap(),
            "--sandbox",
            crate::common::record_sandbox(),
            "--fork-timeout",
            "1",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    // The stopped grading process left no private directory behind.
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
    let csv = std::fs::read_to_string(out_dir.join("gradebook.csv")).unwrap();
    assert!(
        csv.contains(
            "stub,0,0,0,20,error,,working tree,,,,,,grading took longer than --fork-timeout 1 s"
        ),
        "{csv}"
    );
}

#[test]
fn a_cargo_config_above_the_private_tree_stops_the_grade_of_record() {
    // A temporary directory under a .cargo/config.toml: cargo would read it,
    // so memgrade refuses to build there (exit 3) instead of grading.
    let tmp = root().join("tmp-with-cargo-config");
    let _ = std::fs::remove_dir_all(&tmp);
    write(
        &tmp.join(".cargo/config.toml"),
        "[build]\nrustc-wrapper = \"/bin/false\"\n",
    );
    let inner = tmp.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    let course = official().to_str().unwrap();
    let (out, _) = run_env(
        fork("stub"),
        &[("TMPDIR", inner.as_path())],
        &[
            "check",
            "--ci",
            "--course",
            course,
            "--sandbox",
            crate::common::record_sandbox(),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(
        text(&out).contains("tmp-with-cargo-config/.cargo/config.toml"),
        "{}",
        text(&out)
    );
}
