//! The grade of record's verdict against student code that forges it from
//! inside the test process: writing `ok NAME` to the harness's `--logfile`
//! (read from its own argv) and printing libtest's pass lines before
//! `exit(0)`, from the test thread, from a thread it starts, from a panic hook
//! that runs only when an assertion fails, or by exec'ing a shell that writes
//! them. memprobe locks the test thread down before the test body runs, so
//! none of them reaches the log; every fork's `join_words` earns nothing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use super::record::{check_fork, join_lib, official, root, write};
use super::{exercise, tests};
use crate::common::{copy_tree, repo};

/// Writes `ok NAME` where the harness's log is, prints libtest's report of a
/// pass and ends the process with status 0.
const FORGE: &str = r#"
fn test_name() -> String {
    std::thread::current().name().unwrap_or_default().to_string()
}

fn forge(name: &str) {
    use std::io::Write;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--logfile") {
        let _ = std::fs::write(&args[i + 1], format!("ok {name}\n"));
    }
    let mut out = std::io::stdout();
    let _ = write!(out, "ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n");
    let _ = out.flush();
    std::process::exit(0);
}
"#;

/// `join_words` sources, one per way of forging.
fn cheats() -> Vec<(&'static str, String)> {
    let stub = std::fs::read_to_string(repo().join("exercises/01_join_words/src/lib.rs")).unwrap();
    let first = |line: &str| {
        stub.replace(
            "pub fn join_words(words: &[&str]) -> String {",
            &format!("pub fn join_words(words: &[&str]) -> String {{\n    {line}"),
        ) + FORGE
    };
    vec![
        ("forged_log", first("forge(&test_name());")),
        (
            "forged_on_a_thread",
            first(
                "let name = test_name(); let _ = std::thread::spawn(move || forge(&name)).join();",
            ),
        ),
        (
            "forged_by_exec",
            first(
                r#"{
        use std::os::unix::process::CommandExt;
        let args: Vec<String> = std::env::args().collect();
        if let Some(i) = args.iter().position(|a| a == "--logfile") {
            let script = "printf 'ok %s\n' \"$0\" > \"$1\"; printf 'ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\n'";
            let _ = std::process::Command::new("/bin/sh").args(["-c", script, &test_name(), &args[i + 1]]).exec();
        }
    }"#,
            ),
        ),
        (
            // Wrong (no spaces) but lean: every memory test's result check
            // fails, and the hook turns that failure into a forged pass.
            "forged_by_a_panic_hook",
            format!(
                "pub fn join_words(words: &[&str]) -> String {{\n    \
                 static HOOK: std::sync::Once = std::sync::Once::new();\n    \
                 HOOK.call_once(|| std::panic::set_hook(Box::new(|_| forge(&test_name()))));\n    \
                 words.concat()\n}}\n{FORGE}"
            ),
        ),
    ]
}

/// Each cheat's fork, built once.
fn forks() -> &'static Vec<(&'static str, PathBuf)> {
    static FORKS: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    FORKS.get_or_init(|| join_forks("verdict-forks", cheats()))
}

/// Forks of the official course (without solutions, `borrow_not_clone`
/// solved), one per `(name, join_words source)`, under `record/<dir>/`.
pub(crate) fn join_forks(
    dir: &str,
    cheats: Vec<(&'static str, String)>,
) -> Vec<(&'static str, PathBuf)> {
    let dir = root().join(dir);
    let _ = std::fs::remove_dir_all(&dir);
    cheats
        .into_iter()
        .map(|(name, lib)| {
            let fork = dir.join(name);
            copy_tree(official(), &fork);
            std::fs::remove_dir_all(fork.join("solutions")).unwrap();
            std::fs::copy(
                official().join("solutions/08_borrow_not_clone/src/lib.rs"),
                fork.join("exercises/08_borrow_not_clone/src/lib.rs"),
            )
            .unwrap();
            write(&join_lib(&fork), &lib);
            (name, fork)
        })
        .collect()
}

/// The grade of record of one cheat's fork: `join_words` earns nothing (no
/// test that carries points passed; the stub's weightless behaviour tests
/// may pass honestly once the forgery failed); the honest exercise beside it
/// still passes.
/// The fork of the cheat `name`.
pub(crate) fn fork(name: &str) -> &'static Path {
    &forks().iter().find(|(n, _)| *n == name).unwrap().1
}

fn assert_forgery_fails(name: &str) -> Value {
    let grade = check_fork(fork(name), name);
    let e = exercise(&grade, "join_words");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{name}: {e:#}");
    let weighted: Vec<&Value> = tests(e)
        .iter()
        .filter(|t| t["max_points"].as_f64() > Some(0.0))
        .collect();
    assert!(!weighted.is_empty(), "{name}: {e:#}");
    for t in weighted {
        assert_ne!(t["status"], "passed", "{name}: {t:#}");
    }
    super::assert_passed(exercise(&grade, "borrow_not_clone"));
    e.clone()
}

#[test]
fn a_log_entry_forged_from_the_test_thread_does_not_pass() {
    let e = assert_forgery_fails("forged_log");
    super::assert_ended_before_the_harness(&e);
}

#[test]
fn a_log_entry_forged_from_a_helper_thread_does_not_pass() {
    assert_forgery_fails("forged_on_a_thread");
}

#[test]
fn a_shell_exec_writing_the_log_does_not_pass() {
    assert_forgery_fails("forged_by_exec");
}

#[test]
fn a_panic_hook_forging_a_pass_on_a_failed_assertion_does_not_pass() {
    assert_forgery_fails("forged_by_a_panic_hook");
}
