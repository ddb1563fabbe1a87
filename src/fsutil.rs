//! File helpers at the bottom layer: atomic writes (every file under
//! `.memgrade/`, the reports, the lock) and tree copies (overlays, the
//! student template, the private build tree). Uses no other module.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

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

/// Copies the directory tree `from` into `to`, creating `to`. Files whose
/// content is already identical are left untouched, so cargo's fingerprints
/// (which look at modification times) stay valid between runs. Files in `to`
/// that `from` does not have are removed.
pub fn sync_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut wanted = std::collections::HashSet::new();
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        wanted.insert(name.clone());
        let src = entry.path();
        let dst = to.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if dst.is_file() {
                std::fs::remove_file(&dst)?;
            }
            sync_tree(&src, &dst)?;
        } else if kind.is_file() {
            sync_file(&src, &dst)?;
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !wanted.contains(&entry.file_name()) {
            let p = entry.path();
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(&p)?;
            } else {
                std::fs::remove_file(&p)?;
            }
        }
    }
    Ok(())
}

/// Copies one file unless `to` already holds the same bytes.
pub fn sync_file(from: &Path, to: &Path) -> Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("cannot read {}", from.display()))?;
    if std::fs::read(to).ok().as_deref() == Some(&bytes[..]) {
        return Ok(());
    }
    if to.is_dir() {
        std::fs::remove_dir_all(to)?;
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(to, &bytes).with_context(|| format!("cannot write {}", to.display()))
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

    #[test]
    fn sync_tree_mirrors_and_keeps_identical_files() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(a.join("src")).unwrap();
        std::fs::write(a.join("src/lib.rs"), "x").unwrap();
        std::fs::create_dir_all(b.join("old")).unwrap();
        sync_tree(&a, &b).unwrap();
        let before = std::fs::metadata(b.join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        sync_tree(&a, &b).unwrap();
        let after = std::fs::metadata(b.join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert!(!b.join("old").exists());
        assert_eq!(std::fs::read_to_string(b.join("src/lib.rs")).unwrap(), "x");
    }
}
