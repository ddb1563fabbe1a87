//! The student's sources of an exercise compared with the pristine stub
//! recorded in `memgrade.lock`: what `diff` shows and what `reset` restores.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::seal::{LOCK_FILE, Lock};
use crate::course::{Course, Exercise};
use crate::exit::UsageError;
use crate::fsutil::{BUILD_OUTPUT, files};

/// One source file of an exercise, as shipped and as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the course root (`exercises/01_join_words/src/lib.rs`).
    pub path: String,
    /// The shipped content; `None` for a file the student added.
    pub stub: Option<String>,
    /// The current content; `None` for a shipped file that is gone.
    pub yours: Option<String>,
}

impl SourceFile {
    /// Whether the student changed, added or removed this file.
    pub fn changed(&self) -> bool {
        self.stub != self.yours
    }
}

/// Puts `files` back as shipped: shipped content written, added files
/// removed.
pub fn restore(course: &Course, files: &[&SourceFile]) -> Result<()> {
    for f in files {
        // Paths come from the lock file, which a checkout can edit: never
        // write outside the course.
        if !inside_course(&f.path) {
            return Err(UsageError(format!(
                "{LOCK_FILE} names `{}`, which is not a path inside the course; run `memgrade seal` again or restore {LOCK_FILE}",
                f.path
            ))
            .into());
        }
        let path = course.root.join(&f.path);
        match &f.stub {
            Some(text) => crate::fsutil::atomic_write(&path, text.as_bytes())?,
            None => std::fs::remove_file(&path)
                .with_context(|| format!("cannot remove {}", path.display()))?,
        }
    }
    Ok(())
}

/// Whether `rel` is a plain relative path (no root, no `..`).
pub fn inside_course(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Resets `exercise` to its stub; returns how many files changed.
pub fn reset_exercise(course: &Course, exercise: &Exercise) -> Result<usize> {
    let lock = load_lock(course)?;
    let files = source_files(course, &lock, exercise)?;
    let changed: Vec<&SourceFile> = files.iter().filter(|f| f.changed()).collect();
    restore(course, &changed)?;
    Ok(changed.len())
}

/// Loads the lock file, or explains that it is missing.
pub fn load_lock(course: &Course) -> Result<Lock> {
    match Lock::load(&course.root)? {
        Some(lock) => Ok(lock),
        None => Err(UsageError(format!(
            "{} has no {LOCK_FILE}, so the original stubs are unknown (course authors: run `memgrade seal` and commit {LOCK_FILE})",
            course.root.display()
        ))
        .into()),
    }
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every source file of `exercise` that the stub has or the student has, in
/// path order.
pub fn source_files(course: &Course, lock: &Lock, exercise: &Exercise) -> Result<Vec<SourceFile>> {
    let stubs = lock.stub_files(&exercise.dir);
    if stubs.is_empty() {
        return Err(UsageError(format!(
            "{LOCK_FILE} holds no stub sources for {}; run `memgrade seal` again",
            exercise.name
        ))
        .into());
    }
    let mut present: Vec<PathBuf> =
        files(&course.root.join(&exercise.dir).join("src"), BUILD_OUTPUT)?;
    // The graded files too (manifest, tests), where the lock holds their
    // shipped text: a changed test is shown and restored like a source.
    let graded = lock.graded_files(&exercise.dir);
    if !graded.is_empty() {
        let dir = course.root.join(&exercise.dir);
        present.push(dir.join("Cargo.toml"));
        present.extend(files(&dir.join("tests"), BUILD_OUTPUT)?);
        present.retain(|p| p.exists());
    }
    let stubs: std::collections::BTreeMap<String, String> =
        stubs.into_iter().chain(graded).collect();
    let mut paths: Vec<String> = stubs.keys().cloned().collect();
    paths.extend(present.iter().map(|p| rel(&course.root, p)));
    paths.sort();
    paths.dedup();
    let mut files = Vec::new();
    for path in paths {
        let yours = match std::fs::read(course.root.join(&path)) {
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(_) => None,
        };
        files.push(SourceFile {
            stub: stubs.get(&path).cloned(),
            yours,
            path,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::inside_course;

    #[test]
    fn only_plain_relative_paths_are_restored() {
        assert!(inside_course("exercises/01_join_words/tests/memory.rs"));
        assert!(!inside_course("exercises/01_join_words/tests/../../../x"));
        assert!(!inside_course("/etc/passwd"));
        assert!(!inside_course("./exercises/x.rs"));
        assert!(!inside_course(""));
    }
}
