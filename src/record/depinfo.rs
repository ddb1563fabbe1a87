//! Each student crate is graded on its own sources only: after the build,
//! the dep-info rustc wrote for the crate (every file it read: modules,
//! `#[path]`, `include!`, `include_str!`, `include_bytes!`) must name only
//! files of the exercise's own directory in the private tree (its `src/`,
//! and its official tests and manifest). A crate that read another
//! exercise's sources, memprobe's or anything else is refused, so no grade
//! (and no class cache entry, whose key covers the exercise's own sources
//! and official files) depends on a file outside the exercise.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::Exercise;

/// The files the dep-info at `d` lists as read, resolved against `root`
/// (the workspace, where cargo runs rustc) and normalised (`..` removed).
pub fn files_read(d: &Path, root: &Path) -> Result<Vec<PathBuf>> {
    let text =
        std::fs::read_to_string(d).with_context(|| format!("cannot read {}", d.display()))?;
    let mut files = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // `target: dep dep ...`, or `dep:` for each dependency; a space in a
        // path is written `\ `.
        let Some((_, deps)) = split_rule(line) else {
            continue;
        };
        for dep in split_paths(deps) {
            let p = normalise(&root.join(dep));
            if !files.contains(&p) {
                files.push(p);
            }
        }
    }
    Ok(files)
}

/// A rule's target and its dependency list (the `:` that ends the target
/// is the first one not escaped and followed by a space or the line's end).
fn split_rule(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .find(|&i| {
            bytes[i] == b':'
                && (i == 0 || bytes[i - 1] != b'\\')
                && bytes.get(i + 1).is_none_or(|&c| c == b' ')
        })
        .map(|i| (&line[..i], &line[i + 1..]))
}

fn split_paths(deps: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&' ') => {
                cur.push(' ');
                chars.next();
            }
            ' ' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `p` without `.` and with each `..` taking away the component before it.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Why the crate of exercise `e` (built in the private tree at `root`)
/// read a file outside the exercise's own directory, or `None`.
pub fn check(root: &Path, e: &Exercise, package: &str) -> Result<Option<String>> {
    let rlib = crate::record::statics::rlib(root, package)?;
    let stem = rlib
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_prefix("lib"))
        .context("an rlib without a lib prefix")?;
    let d = rlib.with_file_name(format!("{stem}.d"));
    let own = normalise(&root.join(&e.dir));
    let outside: Vec<String> = files_read(&d, root)?
        .into_iter()
        .filter(|f| !f.starts_with(&own))
        .map(|f| f.strip_prefix(root).unwrap_or(&f).display().to_string())
        .collect();
    Ok((!outside.is_empty()).then(|| {
        format!(
            "the crate read files outside its own exercise when it was compiled ({}); each exercise is graded on its own sources only",
            outside.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dep_info_paths_are_read_unescaped_resolved_and_normalised() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("x.d");
        std::fs::write(
            &d,
            "/w/target/debug/deps/join_words-1.d: exercises/01/src/lib.rs exercises/01/src/../../02/src/a\\ b.rs\n\n\
             exercises/01/src/lib.rs:\nexercises/01/src/../../02/src/a\\ b.rs:\n\n# env-dep:X=1\n",
        )
        .unwrap();
        let files = files_read(&d, Path::new("/w")).unwrap();
        assert_eq!(
            files,
            [
                PathBuf::from("/w/exercises/01/src/lib.rs"),
                PathBuf::from("/w/exercises/02/src/a b.rs")
            ]
        );
        let e = files_read(&dir.path().join("missing.d"), Path::new("/w")).unwrap_err();
        assert!(e.to_string().contains("missing.d"), "{e}");
    }
}
