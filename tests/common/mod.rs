//! Shared fixtures: temporary copies of the course and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_name() == "target" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
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
    copy_dir(&repo().join("memprobe"), &root.join("memprobe"));
    copy_dir(
        &repo().join("exercises/01_join_words"),
        &root.join("exercises/01_join_words"),
    );
    copy_dir(
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
        .env("CARGO_TARGET_DIR", repo().join("target/memgrade-cli-tests"))
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
