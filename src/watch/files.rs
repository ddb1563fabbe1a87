//! Watching the exercise directories for saves: file-system events through
//! `notify`, or polling modification times where events do not arrive.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, SystemTime};

use super::Input;
use crate::cache::collect_files;
use crate::course::Course;

/// How often the polling fallback compares modification times.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// Whether a changed path should trigger grading: not editor droppings
/// (hidden files, backups) and nothing under a `target` directory.
pub fn relevant(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !name.starts_with('.')
        && !name.ends_with('~')
        && !path.components().any(|c| c.as_os_str() == "target")
}

/// Keeps whatever watches the files alive.
pub enum Watcher {
    /// File-system events.
    Events {
        /// Dropping it stops the events.
        _watcher: notify::RecommendedWatcher,
    },
    /// A polling thread (it ends when the receiver is gone).
    Polling,
}

/// Starts watching every exercise directory: file events, or polling when
/// `MEMGRADE_WATCH_POLL=1` or the watcher cannot be set up. Returns a
/// description of how.
pub fn start_watching(course: &Course, tx: Sender<Input>) -> (Watcher, String) {
    let dirs: Vec<PathBuf> = course
        .exercises
        .iter()
        .map(|e| course.root.join(&e.dir))
        .collect();
    if std::env::var("MEMGRADE_WATCH_POLL").is_ok_and(|v| v == "1") {
        spawn_poller(dirs, tx);
        return (
            Watcher::Polling,
            format!(
                "watching for saves by polling every {}s (MEMGRADE_WATCH_POLL=1)",
                POLL_EVERY.as_secs()
            ),
        );
    }
    match events_watcher(&dirs, tx.clone()) {
        Ok(w) => (
            Watcher::Events { _watcher: w },
            "watching for saves".to_string(),
        ),
        Err(e) => {
            spawn_poller(dirs, tx);
            (
                Watcher::Polling,
                format!(
                    "file events unavailable ({e}); polling every {}s instead",
                    POLL_EVERY.as_secs()
                ),
            )
        }
    }
}

fn events_watcher(
    dirs: &[PathBuf],
    tx: Sender<Input>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher as _};
    let mut watcher =
        notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
            Ok(ev) => {
                if matches!(ev.kind, EventKind::Access(_)) {
                    return;
                }
                for p in ev.paths.into_iter().filter(|p| relevant(p)) {
                    let _ = tx.send(Input::Changed(p));
                }
            }
            Err(e) => {
                let _ = tx.send(Input::WatchError(e.to_string()));
            }
        })?;
    for d in dirs {
        watcher.watch(d, RecursiveMode::Recursive)?;
    }
    Ok(watcher)
}

type Snapshot = HashMap<PathBuf, (Option<SystemTime>, u64)>;

fn snapshot(dirs: &[PathBuf]) -> Snapshot {
    let mut files = Vec::new();
    for d in dirs {
        let _ = collect_files(d, &mut files);
    }
    files
        .into_iter()
        .filter(|p| relevant(p))
        .filter_map(|p| {
            let m = std::fs::metadata(&p).ok()?;
            Some((p, (m.modified().ok(), m.len())))
        })
        .collect()
}

fn spawn_poller(dirs: Vec<PathBuf>, tx: Sender<Input>) {
    std::thread::spawn(move || {
        let mut before = snapshot(&dirs);
        loop {
            std::thread::sleep(POLL_EVERY);
            let now = snapshot(&dirs);
            let changed = now
                .iter()
                .filter(|(p, meta)| before.get(*p) != Some(meta))
                .map(|(p, _)| p.clone())
                .chain(before.keys().filter(|p| !now.contains_key(*p)).cloned());
            for p in changed.collect::<Vec<_>>() {
                if tx.send(Input::Changed(p)).is_err() {
                    return;
                }
            }
            before = now;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_skips_editor_files_and_target() {
        assert!(relevant(Path::new("/c/exercises/01_a/src/lib.rs")));
        assert!(!relevant(Path::new("/c/exercises/01_a/src/.lib.rs.swp")));
        assert!(!relevant(Path::new("/c/exercises/01_a/src/lib.rs~")));
        assert!(!relevant(Path::new("/c/exercises/01_a/target/debug/x")));
    }
}
