//! The part of the file system both watchers look at: everything under the
//! watched roots except `target` directories (build output, never a save),
//! without following symbolic links.

use std::fs::Metadata;
use std::path::Path;

use crate::fsutil::{BUILD_OUTPUT, walk as walk_tree};

/// Calls `visit` with every entry under `root` (files, directories and
/// links, not `root` itself, nor `target` directories and what they hold)
/// and its metadata, parents before their children. Entries that vanish or
/// cannot be read while walking are skipped: a later event or poll sees
/// them.
pub fn walk(root: &Path, visit: &mut dyn FnMut(&Path, &Metadata)) {
    for entry in walk_tree(root, BUILD_OUTPUT).into_iter().flatten() {
        if let Ok(meta) = entry.metadata() {
            visit(entry.path(), &meta);
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
        let expected = vec![root.join("link"), root.join("src"), root.join("src/bin")];
        assert_eq!(found, expected);
    }
}
