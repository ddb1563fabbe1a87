//! Shared fixtures: temporary copies of the course and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a tree (without `target/`), keeping modification times so cargo
/// sees unchanged sources as unchanged between runs.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&src, &dst);
            }
        } else {
            copy_file(&src, &dst);
        }
    }
}

/// Copies one file with its modification time.
pub fn copy_file(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let modified = std::fs::metadata(from).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(to)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

/// A course with only `join_words`, built in a shared target directory.
pub fn course() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"memprobe\", \"exercises/*\"]\nresolver = \"3\"\n",
    )
    .unwrap();
    copy_tree(&repo().join("memprobe"), &root.join("memprobe"));
    copy_tree(
        &repo().join("exercises/01_join_words"),
        &root.join("exercises/01_join_words"),
    );
    copy_tree(
        &repo().join("solutions/01_join_words"),
        &root.join("solutions/01_join_words"),
    );
    let toml = std::fs::read_to_string(repo().join("grader.toml")).unwrap();
    let cut = toml
        .match_indices("[[exercises]]")
        .nth(1)
        .map_or(toml.len(), |(i, _)| i);
    std::fs::write(root.join("grader.toml"), &toml[..cut]).unwrap();
    dir
}

pub fn memgrade(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memgrade"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Processes (other than pgrep itself) whose command line holds `marker`,
/// one `pid command` per line; empty when there are none.
pub fn processes_with(marker: &str) -> String {
    let out = Command::new("pgrep")
        .args(["-a", "-f", marker])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.contains("pgrep"))
        .collect::<Vec<_>>()
        .join("\n")
}
