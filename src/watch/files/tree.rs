//! The part of the file system both watchers look at: everything under the
//! watched roots except `target` directories (build output, never a save),
//! without following symbolic links.

use std::fs::Metadata;
use std::path::Path;

/// Whether the walk goes into the directory at `path`: not into `target`.
fn enters(path: &Path) -> bool {
    path.file_name().is_none_or(|n| n != "target")
}

/// Calls `visit` with every entry under `root` (files, directories and
/// links, not `root` itself) and its metadata, parents before their
/// children. Entries that vanish or cannot be read while walking are
/// skipped: a later event or poll sees them.
pub fn walk(root: &Path, visit: &mut dyn FnMut(&Path, &Metadata)) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        visit(&path, &meta);
        if meta.is_dir() && enters(&path) {
            walk(&path, visit);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_walk_skips_target_and_does_not_follow_links() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("src/bin")).unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        std::os::unix::fs::symlink(root.join("src"), root.join("link")).unwrap();
        let mut found = Vec::new();
        walk(root, &mut |p, _| found.push(p.to_path_buf()));
        found.sort();
        let expected = vec![
            root.join("link"),
            root.join("src"),
            root.join("src/bin"),
            root.join("target"),
        ];
        assert_eq!(found, expected);
    }
}
