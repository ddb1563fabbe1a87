//! The tests of each built test binary, remembered in
//! `.memgrade/lists.json` by the binary's path, size and modification time,
//! so that an unchanged binary is not run again just to list its tests.
//! Used only together with the result cache (never in CI, for overlays or
//! with `--no-cache`); a missing or corrupt file only means listing again
//! (a corrupt one is set aside, see [`crate::store`]).

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Result;

use crate::store::Store;

/// What identifies one build of a binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    modified_ns: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            len: meta.len(),
            modified_ns: modified.as_nanos() as u64,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Listed {
    stamp: Stamp,
    tests: Vec<String>,
}

/// Remembered test lists by binary path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TestLists(BTreeMap<PathBuf, Listed>);

impl TestLists {
    /// The lists store of a course.
    fn store(root: &Path) -> Store<TestLists> {
        Store::new(root, "lists.json", "test list")
    }

    /// Loads the lists; missing or corrupt means none.
    pub fn load(root: &Path) -> TestLists {
        TestLists::store(root).load().0
    }

    /// Writes the lists atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        TestLists::store(root).save(self)
    }

    /// The remembered tests of `binary`, if it is still the same build.
    pub fn get(&self, binary: &Path) -> Option<Vec<String>> {
        let listed = self.0.get(binary)?;
        (Some(&listed.stamp) == Stamp::of(binary).as_ref()).then(|| listed.tests.clone())
    }

    /// Remembers the tests of the current build of `binary`.
    pub fn insert(&mut self, binary: &Path, tests: Vec<String>) {
        if let Some(stamp) = Stamp::of(binary) {
            self.0.insert(binary.to_path_buf(), Listed { stamp, tests });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuilt_binary_is_listed_again() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("memory-1");
        std::fs::write(&bin, b"build one").unwrap();
        let mut lists = TestLists::default();
        lists.insert(&bin, vec!["a".into(), "b".into()]);
        lists.save(dir.path()).unwrap();
        let lists = TestLists::load(dir.path());
        assert_eq!(
            lists.get(&bin),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        std::fs::write(&bin, b"build two, longer").unwrap();
        assert_eq!(lists.get(&bin), None);
        std::fs::write(TestLists::store(dir.path()).path(), b"{ broken").unwrap();
        assert_eq!(TestLists::load(dir.path()), TestLists::default());
    }
}
