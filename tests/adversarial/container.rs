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
    let out = Command::new(tool)
        .arg(env!("CARGO_BIN_EXE_memgrade"))
        .args(args)
        .current_dir(fork)
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CARGO_TARGET_DIR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
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
