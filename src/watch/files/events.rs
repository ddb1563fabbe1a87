//! File events from the system, through `notify` (inotify on Linux,
//! FSEvents on macOS, `ReadDirectoryChangesW` on Windows): each root is
//! watched recursively, and every changed path goes to [`Report`].
//!
//! A directory that appears is reported with everything already inside it,
//! and looked at once more [`SETTLE`] later: files made in it before the
//! system watched it (`mkdir -p a/b` then a save in `b`; notify adds the
//! watch for a new directory only after it has handed on the event) raise
//! no event of their own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{Event, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::{Report, tree};

/// How long after a directory appears its contents are reported again.
const SETTLE: Duration = Duration::from_millis(250);

/// Watches directory trees until dropped (dropping the watcher stops its
/// thread, which drops the [`Report`] it holds).
pub struct Events {
    _watcher: RecommendedWatcher,
}

impl Events {
    /// Watches `roots` (each must be a directory) and reports changes under
    /// them from notify's thread; fails when the system's file events are
    /// unavailable or out of watches.
    pub fn start(roots: &[PathBuf], report: Report) -> notify::Result<Events> {
        let all = roots.to_vec();
        let mut watcher = notify::recommended_watcher(move |event| match event {
            Ok(event) => {
                let (paths, new_dirs) = changed_paths(&event, &all);
                if paths.into_iter().all(|p| report.change(p)) && !new_dirs.is_empty() {
                    look_again(new_dirs, report.clone());
                }
            }
            Err(e) => report.error(format!("reading file events: {e}")),
        })?;
        for root in roots {
            watcher.watch(root, RecursiveMode::Recursive)?;
        }
        Ok(Events { _watcher: watcher })
    }
}

/// The paths one event changed, and the directories among them that are
/// new: no paths for reads (opening, reading and closing a file are not
/// changes), every root when the system lost events, and a new directory's
/// contents with it.
fn changed_paths(event: &Event, roots: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    if event.need_rescan() {
        return (roots.to_vec(), Vec::new());
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return (Vec::new(), Vec::new());
    }
    let mut paths = Vec::new();
    let mut new_dirs = Vec::new();
    for path in &event.paths {
        paths.push(path.clone());
        let arrived = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        if arrived && is_new_dir(path) {
            tree::walk(path, &mut |p, _| paths.push(p.to_path_buf()));
            new_dirs.push(path.clone());
        }
    }
    (paths, new_dirs)
}

/// Reports what is inside `dirs` once more, [`SETTLE`] from now, from a
/// thread of its own.
fn look_again(dirs: Vec<PathBuf>, report: Report) {
    std::thread::spawn(move || {
        std::thread::sleep(SETTLE);
        for dir in dirs {
            let mut inside = Vec::new();
            tree::walk(&dir, &mut |p, _| inside.push(p.to_path_buf()));
            if !inside.into_iter().all(|p| report.change(p)) {
                return;
            }
        }
    });
}

/// Whether `path` is a directory whose contents count (not `target`).
fn is_new_dir(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n != "target")
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, Flag};

    #[test]
    fn reads_are_not_changes_and_a_lost_event_means_everything() {
        let roots = vec![PathBuf::from("/c/01"), PathBuf::from("/c/02")];
        let read =
            Event::new(EventKind::Access(AccessKind::Any)).add_path("/c/01/src/lib.rs".into());
        assert_eq!(changed_paths(&read, &roots), (vec![], vec![]));
        let lost = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert_eq!(changed_paths(&lost, &roots), (roots, vec![]));
    }

    #[test]
    fn a_new_directory_comes_with_what_is_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a");
        std::fs::create_dir_all(dir.join("b")).unwrap();
        std::fs::write(dir.join("b/deep.rs"), "\n").unwrap();
        let made = Event::new(EventKind::Create(CreateKind::Folder)).add_path(dir.clone());
        let (mut paths, new_dirs) = changed_paths(&made, &[]);
        paths.sort();
        assert_eq!(
            paths,
            vec![dir.clone(), dir.join("b"), dir.join("b/deep.rs")]
        );
        assert_eq!(new_dirs, vec![dir]);
    }
}
