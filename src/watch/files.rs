//! Watching the exercise directories for saves: file-system events through
//! `notify`, or `notify`'s polling watcher (which compares modification
//! times) where events do not arrive. Feeds `memgrade watch` ([`Input`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{Config, EventKind, RecursiveMode, Watcher as _};

use super::Input;
use crate::course::Course;

/// How often the polling watcher compares modification times.
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

/// Keeps whatever watches the files alive: dropping it stops the watching.
pub struct Watcher {
    _inner: Box<dyn notify::Watcher>,
}

/// Starts watching every exercise directory: file events, or polling with
/// `notify`'s [`PollWatcher`](notify::PollWatcher) when
/// `MEMGRADE_WATCH_POLL=1` or file events cannot be set up. Returns a
/// description of how.
pub fn start_watching(course: &Course, tx: Sender<Input>) -> (Watcher, String) {
    let dirs: Vec<PathBuf> = course
        .exercises
        .iter()
        .map(|e| course.root.join(&e.dir))
        .collect();
    let forced = std::env::var("MEMGRADE_WATCH_POLL").is_ok_and(|v| v == "1");
    let events = (!forced).then(|| {
        watch(
            &dirs,
            notify::RecommendedWatcher::new(forward(tx.clone()), Config::default()),
        )
    });
    let why = match events {
        Some(Ok(w)) => return (w, "watching for saves".to_string()),
        Some(Err(e)) => format!("file events unavailable ({e})"),
        None => "MEMGRADE_WATCH_POLL=1".to_string(),
    };
    let polling = watch(
        &dirs,
        notify::PollWatcher::new(
            forward(tx.clone()),
            Config::default().with_poll_interval(POLL_EVERY),
        ),
    );
    let every = POLL_EVERY.as_secs();
    match polling {
        Ok(w) => (
            w,
            if forced {
                format!("watching for saves by polling every {every}s ({why})")
            } else {
                format!("{why}; polling every {every}s instead")
            },
        ),
        Err(e) => (
            Watcher {
                _inner: Box::new(notify::NullWatcher),
            },
            format!("{why}; polling failed too ({e}): press r to grade again"),
        ),
    }
}

/// Sends every relevant changed path (and every watch error) to `tx`.
fn forward(tx: Sender<Input>) -> impl notify::EventHandler {
    move |res: notify::Result<notify::Event>| match res {
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
    }
}

/// Points `watcher` (just made) at every directory, recursively.
fn watch<W: notify::Watcher + 'static>(
    dirs: &[PathBuf],
    watcher: notify::Result<W>,
) -> notify::Result<Watcher> {
    let mut watcher = watcher?;
    for d in dirs {
        watcher.watch(d, RecursiveMode::Recursive)?;
    }
    Ok(Watcher {
        _inner: Box::new(watcher),
    })
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
