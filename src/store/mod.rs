//! The storage layer: every file memgrade keeps under `.memgrade/` in a
//! course checkout is one typed JSON [`Store`]: the student's progress
//! ([`crate::store::state`]), the result cache ([`crate::store::cache`]), the remembered
//! test lists ([`crate::store::listing`]) and the test durations
//! ([`crate::store::timings`]). Below the pipeline; uses only [`crate::fsutil`].
//!
//! Saving is atomic (a crash leaves the old or the new file, never a torn
//! one). Loading is never fatal: a missing file is a fresh start, and a file
//! that cannot be read as its type is set aside as `<name>.corrupt` (with a
//! note on stderr naming both paths), so nothing is silently lost and the
//! next run starts fresh.

pub mod cache;
pub mod listing;
pub mod state;
pub mod timings;

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fsutil::atomic_write;

/// Directory, under the course root, where memgrade keeps its files.
pub const STORE_DIR: &str = ".memgrade";

/// What loading a store found.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// No file yet (or none that could be opened).
    Fresh,
    /// Read successfully.
    Read,
    /// The file could not be read as its type; it was moved aside to this
    /// path and loading started fresh.
    Recovered(PathBuf),
}

/// One JSON file of type `T` under `.memgrade/`.
#[derive(Debug, Clone)]
pub struct Store<T> {
    path: PathBuf,
    what: &'static str,
    pretty: bool,
    kind: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned + Default> Store<T> {
    /// The store `file` of the course at `root`; `what` names its content
    /// in messages ("progress", "result cache").
    pub fn new(root: &Path, file: &str, what: &'static str) -> Store<T> {
        Store {
            path: root.join(STORE_DIR).join(file),
            what,
            pretty: false,
            kind: PhantomData,
        }
    }

    /// The same store, written indented (for files people read).
    pub fn pretty(self) -> Store<T> {
        Store {
            pretty: true,
            ..self
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file: a missing one gives `T::default()`; one that does
    /// not parse as `T` is renamed to `<name>.corrupt`, reported on stderr,
    /// and gives `T::default()`.
    pub fn load(&self) -> (T, Loaded) {
        let Ok(bytes) = std::fs::read(&self.path) else {
            return (T::default(), Loaded::Fresh);
        };
        match serde_json::from_slice::<T>(&bytes) {
            Ok(value) => (value, Loaded::Read),
            Err(err) => {
                let mut aside = self.path.clone().into_os_string();
                aside.push(".corrupt");
                let aside = PathBuf::from(aside);
                match std::fs::rename(&self.path, &aside) {
                    Ok(()) => warnln!(
                        "note: the {} file {} was unreadable ({err}); starting fresh (old copy kept at {})",
                        self.what,
                        self.path.display(),
                        aside.display()
                    ),
                    Err(e) => warnln!(
                        "note: the {} file {} was unreadable ({err}) and could not be set aside ({e}); starting fresh",
                        self.what,
                        self.path.display()
                    ),
                }
                (T::default(), Loaded::Recovered(aside))
            }
        }
    }

    /// Writes `value` atomically, creating `.memgrade/` when needed.
    pub fn save(&self, value: &T) -> Result<()> {
        let json = if self.pretty {
            serde_json::to_vec_pretty(value)?
        } else {
            serde_json::to_vec(value)?
        };
        atomic_write(&self.path, &json)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn store(root: &Path) -> Store<BTreeMap<String, u32>> {
        Store::new(root, "things.json", "things")
    }

    #[test]
    fn missing_then_saved_then_read() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        assert_eq!(s.load(), (BTreeMap::new(), Loaded::Fresh));
        let value = BTreeMap::from([("a".to_string(), 1)]);
        s.save(&value).unwrap();
        assert_eq!(s.path(), dir.path().join(".memgrade/things.json"));
        assert_eq!(s.load(), (value, Loaded::Read));
    }

    #[test]
    fn a_corrupt_file_is_set_aside_and_loading_starts_fresh() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        std::fs::create_dir_all(dir.path().join(STORE_DIR)).unwrap();
        std::fs::write(s.path(), b"{\"a\": \"not a number\"}").unwrap();
        let (value, how) = s.load();
        assert!(value.is_empty());
        let aside = dir.path().join(".memgrade/things.json.corrupt");
        assert_eq!(how, Loaded::Recovered(aside.clone()));
        assert_eq!(std::fs::read(&aside).unwrap(), b"{\"a\": \"not a number\"}");
        assert!(!s.path().exists());
        assert_eq!(s.load().1, Loaded::Fresh);
    }
}
