//! File helpers at the bottom layer: atomic writes (every file under
//! `.memgrade/`, the reports, the lock), the one directory walker (on
//! walkdir: sorted, links never followed, skipped directories never
//! entered) and the one file and tree copy built on it (overlays, the
//! student template, the private build tree). Uses no other module.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Directories that hold build output, never a source: what a walk of an
/// exercise or of memprobe leaves out.
pub const BUILD_OUTPUT: &[&str] = &["target"];

/// Directories a copy of a course leaves out: build output and memgrade's
/// own store (`.memgrade/`, `store::STORE_DIR`).
#[cfg(feature = "instructor")]
pub const NOT_SHIPPED: &[&str] = &["target", ".memgrade"];

/// Writes `bytes` to `path` atomically: a temporary file in the same
/// directory is written, flushed to disk and renamed over the target, so a
/// crash leaves either the old or the new content, never a torn file.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// A walk of the tree under a root (see [`walk`]).
pub struct Walk<'a> {
    dir: walkdir::WalkDir,
    skip: &'a [&'a str],
}

/// The one directory walker: every entry under `root` (not `root` itself),
/// parents before their children and siblings sorted by file name, so the
/// order is the paths' sorted order. Symbolic links are never followed: a
/// link is an entry of its own (`file_type().is_symlink()`). Directories
/// named in `skip` (e.g. [`BUILD_OUTPUT`]) are neither listed nor entered.
/// A root that cannot be read is one `Err` (depth 0).
pub fn walk<'a>(root: &Path, skip: &'a [&'a str]) -> Walk<'a> {
    Walk {
        dir: walkdir::WalkDir::new(root)
            .min_depth(1)
            .follow_links(false)
            .sort_by_file_name(),
        skip,
    }
}

impl Walk<'_> {
    /// Lists no entry deeper than `depth` below the root (1: the root's own
    /// entries).
    #[cfg(feature = "instructor")]
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.dir = self.dir.max_depth(depth);
        self
    }
}

impl<'a> IntoIterator for Walk<'a> {
    type Item = walkdir::Result<walkdir::DirEntry>;
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        let skip = self.skip;
        Box::new(self.dir.into_iter().filter_entry(move |e| {
            e.depth() == 0 || !(e.file_type().is_dir() && skip.iter().any(|s| e.file_name() == *s))
        }))
    }
}

/// A walk error as memgrade says it: `cannot read <path>: <cause>`.
pub fn walk_error(e: walkdir::Error) -> anyhow::Error {
    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
    anyhow::Error::new(e).context(format!("cannot read {}", path.display()))
}

/// Whether a walk error is its root's absence.
pub fn root_missing(e: &walkdir::Error) -> bool {
    e.depth() == 0 && e.io_error().map(std::io::Error::kind) == Some(std::io::ErrorKind::NotFound)
}

/// Every regular file under `dir` (links are not followed, directories
/// named in `skip` not entered), in sorted order; none when `dir` does not
/// exist.
pub fn files(dir: &Path, skip: &[&str]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walk(dir, skip) {
        match entry {
            Ok(e) if e.file_type().is_file() => out.push(e.into_path()),
            Ok(_) => {}
            Err(e) if root_missing(&e) => return Ok(Vec::new()),
            Err(e) => return Err(walk_error(e)),
        }
    }
    Ok(out)
}

/// The one file copy: `from` to `to`, creating `to`'s directory.
#[cfg(feature = "instructor")]
pub fn copy_file(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// [`copy_file`] unless `to` already holds the same bytes (then it keeps
/// its modification time, which cargo's fingerprints look at); a directory
/// in `to`'s place is removed first.
#[cfg(feature = "instructor")]
pub fn sync_file(from: &Path, to: &Path) -> Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    if std::fs::read(to).ok().as_deref() == Some(&bytes[..]) {
        return Ok(());
    }
    if to.is_dir() {
        std::fs::remove_dir_all(to).with_context(|| format!("cannot remove {}", to.display()))?;
    }
    copy_file(from, to)
}

/// How [`copy_tree`] copies.
#[cfg(feature = "instructor")]
#[derive(Debug, Clone, Copy)]
pub struct TreeCopy<'a> {
    /// Directory names left out (with everything in them).
    pub skip: &'a [&'a str],
    /// Makes the destination a mirror: files already identical are left
    /// untouched ([`sync_file`]) and whatever the destination holds that
    /// the copy does not is removed.
    pub mirror: bool,
}

/// The one tree copy: the directories and regular files under `from` into
/// `to` (created), through [`walk`]. Symbolic links and special files are
/// skipped, never followed. A missing `from` is an error (callers copying
/// an optional tree check first).
#[cfg(feature = "instructor")]
pub fn copy_tree(from: &Path, to: &Path, how: TreeCopy) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut copied = std::collections::HashSet::new();
    for entry in walk(from, how.skip) {
        let entry = entry.map_err(walk_error)?;
        let rel = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let dst = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            if how.mirror && dst.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(&dst)
                    .with_context(|| format!("cannot remove {}", dst.display()))?;
            }
            std::fs::create_dir_all(&dst)
                .with_context(|| format!("cannot create {}", dst.display()))?;
        } else if kind.is_file() && how.mirror {
            sync_file(entry.path(), &dst)?;
        } else if kind.is_file() {
            copy_file(entry.path(), &dst)?;
        }
        copied.insert(rel.to_path_buf());
    }
    if how.mirror {
        remove_all_but(to, &copied)?;
    }
    Ok(())
}

/// Removes every entry under `dir` whose path relative to it is not in
/// `keep` (a directory with everything in it).
#[cfg(feature = "instructor")]
fn remove_all_but(dir: &Path, keep: &std::collections::HashSet<PathBuf>) -> Result<()> {
    let mut extra: Vec<walkdir::DirEntry> = Vec::new();
    for entry in walk(dir, &[]) {
        let entry = entry.map_err(walk_error)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let inside_removed = extra
            .last()
            .is_some_and(|d| entry.path().starts_with(d.path()));
        if !keep.contains(rel) && !inside_removed {
            extra.push(entry);
        }
    }
    for entry in extra {
        let p = entry.path();
        if entry.file_type().is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
        .with_context(|| format!("cannot remove {}", p.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/state.json");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }

    /// `b/`, `b/z.rs`, `a.rs`, `a/y.rs`, `target/x`, `src/target/x` and a
    /// link `link -> b`.
    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for dir in ["b", "a", "target", "src/target"] {
            std::fs::create_dir_all(r.join(dir)).unwrap();
        }
        for file in ["b/z.rs", "a.rs", "a/y.rs", "target/x", "src/target/x"] {
            std::fs::write(r.join(file), file).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(r.join("b"), r.join("link")).unwrap();
        d
    }

    fn rel(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Vec<String> {
        paths
            .into_iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn the_walk_is_sorted_skips_target_and_does_not_follow_links() {
        let d = tree();
        let r = d.path();
        let all: Vec<_> = walk(r, BUILD_OUTPUT)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        let mut expected = vec!["a", "a/y.rs", "a.rs", "b", "b/z.rs", "link", "src"];
        if !cfg!(unix) {
            expected.retain(|p| *p != "link");
        }
        assert_eq!(rel(r, all.clone()), expected);
        // The walk's order is the paths' order.
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(all, sorted);
        // The link is listed as a link, and nothing is walked through it.
        #[cfg(unix)]
        assert!(
            walk(r, &[])
                .into_iter()
                .map(Result::unwrap)
                .any(|e| e.file_name() == "link" && e.file_type().is_symlink())
        );
        assert_eq!(
            rel(r, files(r, BUILD_OUTPUT).unwrap()),
            ["a/y.rs", "a.rs", "b/z.rs"]
        );
        assert_eq!(
            rel(r, files(r, &[]).unwrap()),
            ["a/y.rs", "a.rs", "b/z.rs", "src/target/x", "target/x"]
        );
        #[cfg(feature = "instructor")]
        {
            let top: Vec<_> = walk(r, BUILD_OUTPUT)
                .max_depth(1)
                .into_iter()
                .filter_map(|e| e.ok().map(|e| e.into_path()))
                .filter(|p| !p.ends_with("link"))
                .collect();
            assert_eq!(rel(r, top), ["a", "a.rs", "b", "src"]);
        }
    }

    #[test]
    fn a_missing_root_has_no_files_but_is_an_error_to_walk_or_copy() {
        let d = tempfile::tempdir().unwrap();
        let gone = d.path().join("gone");
        assert!(files(&gone, &[]).unwrap().is_empty());
        assert!(walk(&gone, &[]).into_iter().next().unwrap().is_err());
        #[cfg(feature = "instructor")]
        {
            let how = TreeCopy {
                skip: &[],
                mirror: false,
            };
            let e = copy_tree(&gone, &d.path().join("to"), how).unwrap_err();
            assert!(format!("{e:#}").contains("cannot read"), "{e:#}");
        }
    }

    #[cfg(feature = "instructor")]
    #[test]
    fn a_copy_leaves_out_skipped_dirs_and_links() {
        let d = tree();
        let out = tempfile::tempdir().unwrap();
        copy_tree(
            d.path(),
            out.path(),
            TreeCopy {
                skip: NOT_SHIPPED,
                mirror: false,
            },
        )
        .unwrap();
        assert_eq!(
            rel(out.path(), files(out.path(), &[]).unwrap()),
            ["a/y.rs", "a.rs", "b/z.rs"]
        );
        assert!(out.path().join("src").is_dir());
        assert!(out.path().join("link").symlink_metadata().is_err());
        assert_eq!(
            std::fs::read_to_string(out.path().join("b/z.rs")).unwrap(),
            "b/z.rs"
        );
    }

    #[cfg(feature = "instructor")]
    #[test]
    fn a_mirror_keeps_identical_files_and_removes_the_rest() {
        let d = tree();
        let out = tempfile::tempdir().unwrap();
        let to = out.path();
        std::fs::create_dir_all(to.join("old/deep")).unwrap();
        std::fs::write(to.join("old/deep/f"), "").unwrap();
        std::fs::create_dir_all(to.join("target")).unwrap();
        std::fs::create_dir_all(to.join("a.rs")).unwrap();
        std::fs::write(to.join("b"), "a file where a directory goes").unwrap();
        let mirror = TreeCopy {
            skip: BUILD_OUTPUT,
            mirror: true,
        };
        copy_tree(d.path(), to, mirror).unwrap();
        let before = std::fs::metadata(to.join("b/z.rs"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        copy_tree(d.path(), to, mirror).unwrap();
        let after = std::fs::metadata(to.join("b/z.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(
            rel(to, files(to, &[]).unwrap()),
            ["a/y.rs", "a.rs", "b/z.rs"]
        );
        assert!(!to.join("old").exists() && !to.join("target").exists());
    }
}
