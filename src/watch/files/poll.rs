//! Watching by polling, where file events do not arrive (some network and
//! container file systems) or when `MEMGRADE_WATCH_POLL=1`: a thread takes
//! a snapshot of the trees every interval and reports what differs from the
//! last one.

use std::collections::BTreeMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, SystemTime};

use super::{Report, tree};

/// What identifies one version of an entry. A save changes the length or
/// the modification time; a save by rename (write a temporary file, move it
/// over the old one) also changes the inode, so it is seen even when the
/// other two match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stamp {
    /// A directory: only its existence counts (its own modification time
    /// changes with every entry, which is reported by the entry's path).
    Dir,
    /// Anything else.
    File {
        len: u64,
        modified: Option<SystemTime>,
        inode: u64,
    },
}

impl Stamp {
    fn of(meta: &Metadata) -> Stamp {
        if meta.is_dir() {
            Stamp::Dir
        } else {
            Stamp::File {
                len: meta.len(),
                modified: meta.modified().ok(),
                inode: inode(meta),
            }
        }
    }
}

/// The file's inode number (Unix); 0 elsewhere, where a save by rename is
/// seen by its length or modification time.
fn inode(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::ino(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// Every entry under the roots with its stamp.
type Snapshot = BTreeMap<PathBuf, Stamp>;

fn snapshot(roots: &[PathBuf]) -> Snapshot {
    let mut snap = Snapshot::new();
    for root in roots {
        tree::walk(root, &mut |path, meta| {
            snap.insert(path.to_path_buf(), Stamp::of(meta));
        });
    }
    snap
}

/// The paths that appeared, disappeared or changed from `old` to `new`, in
/// path order.
fn changes(old: &Snapshot, new: &Snapshot) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = new
        .iter()
        .filter(|(path, stamp)| old.get(*path) != Some(*stamp))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

/// Polls directory trees until dropped.
pub struct Poller {
    /// Dropping it ends the thread's wait at once.
    _stop: mpsc::Sender<()>,
}

impl Poller {
    /// Compares the trees under `roots` (each must be a directory) every
    /// `every` and reports changes from a thread.
    pub fn start(roots: &[PathBuf], every: Duration, report: Report) -> std::io::Result<Poller> {
        for root in roots {
            check_dir(root)?;
        }
        let roots = roots.to_vec();
        // Taken before returning: a save right after the start is a change.
        let mut last = snapshot(&roots);
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                let now = snapshot(&roots);
                if changes(&last, &now).into_iter().any(|p| !report.change(p)) {
                    return;
                }
                last = now;
            }
        });
        Ok(Poller { _stop: stop })
    }
}

/// An error unless `path` is a directory that can be listed.
fn check_dir(path: &Path) -> std::io::Result<()> {
    std::fs::read_dir(path)
        .map(drop)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(len: u64, inode: u64) -> Stamp {
        Stamp::File {
            len,
            modified: Some(SystemTime::UNIX_EPOCH),
            inode,
        }
    }

    #[test]
    fn changes_are_new_gone_and_different_entries() {
        let old = Snapshot::from([
            (PathBuf::from("a"), file(1, 1)),
            (PathBuf::from("b"), file(1, 2)),
            (PathBuf::from("c"), file(1, 3)),
            (PathBuf::from("d"), Stamp::Dir),
        ]);
        let new = Snapshot::from([
            (PathBuf::from("a"), file(1, 1)),
            (PathBuf::from("b"), file(1, 9)),
            (PathBuf::from("d"), Stamp::Dir),
            (PathBuf::from("e"), Stamp::Dir),
        ]);
        let expected: Vec<PathBuf> = ["b", "c", "e"].iter().map(PathBuf::from).collect();
        assert_eq!(changes(&old, &new), expected);
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let gone = tmp.path().join("gone");
        let (tx, _rx) = mpsc::channel();
        let err = Poller::start(&[gone], Duration::from_millis(10), Report::new(tx))
            .err()
            .expect("a missing directory cannot be polled");
        assert!(err.to_string().contains("gone"), "{err}");
    }
}
