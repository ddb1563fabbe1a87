//! The grade of record inside a container that refuses namespaces (Docker's
//! default profile, Gradescope): bubblewrap cannot start there, so memgrade
//! isolates with Landlock plus seccomp, names that sandbox on the result and
//! still grades honestly: the untouched stub earns nothing, the honest
//! exercise passes, and a forged harness log does not pass.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::record::{CHECK_RECORD, fork, official};
use super::{assert_passed, exercise};

/// `../shared/tools/like-a-container` beside the repository (CI runs with a
/// copy of shared/ there).
fn like_a_container() -> Option<std::path::PathBuf> {
    let tool = crate::common::repo().join("../shared/tools/like-a-container");
    let usable = tool.is_file()
        && Command::new("/usr/bin/python3")
            .args(["-c", "import seccomp"])
            .output()
            .is_ok_and(|o| o.status.success());
    if usable {
        return Some(tool);
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!(
            "like-a-container (../shared/tools) or python3-seccomp is missing, and CI is set: .ci/run installs python3-seccomp"
        );
    }
    eprintln!("skipped: like-a-container or python3-seccomp missing");
    None
}

/// `check --ci --course OFFICIAL --format json` of `fork`, run as in a
/// container without namespaces.
fn check_in_a_container(tool: &Path, fork: &Path) -> Value {
    let mut args = CHECK_RECORD;
    args[6] = official().to_str().unwrap();
    let out = memgrade_under(Command::new(tool), fork, &args);
    assert_eq!(out.status.code(), Some(0), "{}", crate::common::text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn without_namespaces_the_record_is_graded_under_landlock() {
    let Some(tool) = like_a_container() else {
        return;
    };
    let grade = check_in_a_container(&tool, fork("stub"));
    let sandbox = grade["provenance"]["sandbox"].as_str().unwrap();
    assert!(sandbox.starts_with("landlock"), "{sandbox}");
    let stub = exercise(&grade, "join_words");
    assert_eq!(stub["status"], "failed", "{stub:#}");
    assert_eq!(stub["points"].as_f64(), Some(0.0), "{stub:#}");
    assert_passed(exercise(&grade, "borrow_not_clone"));
    let forged = check_in_a_container(&tool, super::verdict::fork("forged_log"));
    assert_eq!(
        exercise(&forged, "join_words")["points"].as_f64(),
        Some(0.0),
        "{forged:#}"
    );
}

/// `memgrade ARGS` in `fork`, inside a user namespace whose `/proc` has a
/// directory covered by another mount (as container runtimes cover parts of
/// it): a nested bubblewrap can create its namespaces there but cannot
/// mount a `/proc` of its own.
fn in_a_covered_proc(fork: &Path, args: &[&str]) -> std::process::Output {
    memgrade_under(covered_proc(), fork, args)
}

/// bubblewrap making a user namespace whose `/proc` has a directory covered
/// by a tmpfs; arguments added name the program to run there.
fn covered_proc() -> Command {
    let mut bwrap = Command::new("/usr/bin/bwrap");
    bwrap
        .args(["--unshare-user", "--unshare-pid", "--dev-bind", "/", "/"])
        .args(["--proc", "/proc", "--tmpfs", "/proc/tty", "--"]);
    bwrap
}

/// `wrapper memgrade ARGS` in `fork`, without the CI variables of the
/// test's own environment.
fn memgrade_under(mut wrapper: Command, fork: &Path, args: &[&str]) -> std::process::Output {
    wrapper
        .arg(env!("CARGO_BIN_EXE_memgrade"))
        .args(args)
        .current_dir(fork)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CARGO_TARGET_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn where_bubblewrap_cannot_mount_proc_auto_takes_landlock_and_bwrap_says_why() {
    if !crate::common::require_bwrap() {
        return;
    }
    // The situation itself: bubblewrap starts, its /proc mount is refused.
    let nested = covered_proc()
        .args(["/usr/bin/bwrap", "--unshare-user", "--unshare-pid"])
        .args(["--dev-bind", "/", "/", "--proc", "/proc", "/usr/bin/true"])
        .output()
        .unwrap();
    let why = String::from_utf8_lossy(&nested.stderr);
    if nested.status.success() || !why.contains("proc") {
        // Without nested user namespaces there is nothing to probe here.
        assert!(
            std::env::var_os("CI").is_none() || !nested.status.success(),
            "a nested bubblewrap mounted /proc under a covered /proc: {why}"
        );
        eprintln!("skipped: no nested user namespaces here ({})", why.trim());
        return;
    }
    let mut args = CHECK_RECORD.to_vec();
    args[6] = official().to_str().unwrap();
    // `auto` probes with the real sandbox's mounts, so it never picks a
    // bubblewrap that then fails every test.
    let out = in_a_covered_proc(fork("stub"), &args);
    assert_eq!(out.status.code(), Some(0), "{}", crate::common::text(&out));
    let grade: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sandbox = grade["provenance"]["sandbox"].as_str().unwrap();
    assert!(sandbox.starts_with("landlock"), "{sandbox}");
    assert_eq!(exercise(&grade, "join_words")["points"].as_f64(), Some(0.0));
    assert_passed(exercise(&grade, "borrow_not_clone"));
    // Asked for by name, bubblewrap is refused up front with its reason.
    args.extend(["--sandbox", "bwrap"]);
    let out = in_a_covered_proc(fork("stub"), &args);
    let text = crate::common::text(&out);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(
        text.contains("no sandbox for the grade of record") && text.contains("proc"),
        "{text}"
    );
}
