//! Watching the exercise directories for saves: the system's file events
//! ([`events`]), or polling that compares snapshots ([`poll`]) where events
//! do not arrive. Feeds `memgrade watch` ([`Input`]), which debounces them.

mod events;
mod poll;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use super::Input;
use crate::course::Course;

/// How often the polling watcher compares the files.
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

/// Where both watchers send what they see: the changes that count
/// ([`relevant`]) and errors, to watch's main loop.
#[derive(Clone)]
struct Report {
    tx: Sender<Input>,
}

impl Report {
    fn new(tx: Sender<Input>) -> Report {
        Report { tx }
    }

    /// Sends `path` if it counts as a change; false once the main loop has
    /// gone (the watcher can stop).
    fn change(&self, path: PathBuf) -> bool {
        !relevant(&path) || self.tx.send(Input::Changed(path)).is_ok()
    }

    /// Sends a problem with watching.
    fn error(&self, message: String) {
        let _ = self.tx.send(Input::WatchError(message));
    }
}

/// Keeps whatever watches the files alive: dropping it stops the watching.
pub struct Watcher {
    _events: Option<events::Events>,
    _poller: Option<poll::Poller>,
}

/// Starts watching every exercise directory: file events, or polling every
/// [`POLL_EVERY`] when `MEMGRADE_WATCH_POLL=1` or file events cannot be set
/// up. Returns a description of how.
pub fn start_watching(course: &Course, tx: Sender<Input>) -> (Watcher, String) {
    let dirs: Vec<PathBuf> = course
        .exercises
        .iter()
        .map(|e| course.root.join(&e.dir))
        .collect();
    let forced = std::env::var("MEMGRADE_WATCH_POLL").is_ok_and(|v| v == "1");
    watch_dirs(&dirs, tx, forced, POLL_EVERY)
}

/// [`start_watching`] for `dirs`, polling every `every` when `poll` or when
/// file events fail.
fn watch_dirs(
    dirs: &[PathBuf],
    tx: Sender<Input>,
    poll: bool,
    every: Duration,
) -> (Watcher, String) {
    let report = Report::new(tx);
    let events = (!poll).then(|| events::Events::start(dirs, report.clone()));
    let why = match events {
        Some(Ok(events)) => {
            let watcher = Watcher {
                _events: Some(events),
                _poller: None,
            };
            return (watcher, "watching for saves".to_string());
        }
        Some(Err(e)) => format!("file events unavailable ({e})"),
        None => "MEMGRADE_WATCH_POLL=1".to_string(),
    };
    let every_text = interval_text(every);
    let (poller, how) = match poll::Poller::start(dirs, every, report) {
        Ok(p) if poll => (
            Some(p),
            format!("watching for saves by polling every {every_text} ({why})"),
        ),
        Ok(p) => (
            Some(p),
            format!("{why}; polling every {every_text} instead"),
        ),
        Err(e) => (
            None,
            format!("{why}; polling failed too ({e}): press r to grade again"),
        ),
    };
    let watcher = Watcher {
        _events: None,
        _poller: poller,
    };
    (watcher, how)
}

/// `1s`, or `250ms` for intervals that are not whole seconds.
fn interval_text(every: Duration) -> String {
    if every.subsec_millis() == 0 {
        format!("{}s", every.as_secs())
    } else {
        format!("{}ms", every.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
    use std::time::Instant;

    #[test]
    fn relevant_skips_editor_files_and_target() {
        assert!(relevant(Path::new("/c/exercises/01_a/src/lib.rs")));
        assert!(!relevant(Path::new("/c/exercises/01_a/src/.lib.rs.swp")));
        assert!(!relevant(Path::new("/c/exercises/01_a/src/lib.rs~")));
        assert!(!relevant(Path::new("/c/exercises/01_a/target/debug/x")));
    }

    #[test]
    fn intervals_read_as_seconds_or_milliseconds() {
        assert_eq!(interval_text(POLL_EVERY), "1s");
        assert_eq!(interval_text(Duration::from_millis(250)), "250ms");
    }

    /// An exercise directory (`src/lib.rs`) being watched, by file events
    /// or by polling every 50 ms.
    struct Watched {
        _tmp: tempfile::TempDir,
        dir: PathBuf,
        rx: Receiver<Input>,
        watcher: Option<Watcher>,
        mode: &'static str,
    }

    fn watched(poll: bool) -> Watched {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("01_ex");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "pub fn f() {}\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let (watcher, how) = watch_dirs(
            std::slice::from_ref(&dir),
            tx,
            poll,
            Duration::from_millis(50),
        );
        let mode = if poll { "polling" } else { "file events" };
        if poll {
            assert!(
                how.starts_with("watching for saves by polling every 50ms"),
                "{how}"
            );
        } else {
            assert_eq!(how, "watching for saves", "file events must work here");
        }
        Watched {
            _tmp: tmp,
            dir,
            rx,
            watcher: Some(watcher),
            mode,
        }
    }

    impl Watched {
        /// Waits for a change to `rel` (relative to the exercise); returns
        /// every path reported until then.
        fn expect(&self, rel: &str) -> Vec<PathBuf> {
            let want = self.dir.join(rel);
            let start = Instant::now();
            let mut seen = Vec::new();
            while start.elapsed() < Duration::from_secs(10) {
                match self.rx.recv_timeout(Duration::from_millis(100)) {
                    Ok(Input::Changed(p)) => {
                        let done = p == want;
                        seen.push(p);
                        if done {
                            return seen;
                        }
                    }
                    Ok(other) => panic!("{}: unexpected {other:?}", self.mode),
                    Err(_) => {}
                }
            }
            panic!("{}: {rel} was not reported; seen: {seen:?}", self.mode);
        }

        /// Every path reported within the next half second.
        fn settle(&self) -> Vec<PathBuf> {
            let mut seen = Vec::new();
            let until = Instant::now() + Duration::from_millis(500);
            while let Some(left) = until.checked_duration_since(Instant::now()) {
                if let Ok(Input::Changed(p)) = self.rx.recv_timeout(left) {
                    seen.push(p);
                }
            }
            seen
        }

        fn write(&self, rel: &str, text: &str) {
            std::fs::write(self.dir.join(rel), text).unwrap();
        }
    }

    /// Runs `scenario` with file events, then with polling.
    fn in_both_modes(scenario: fn(&Watched)) {
        for poll in [false, true] {
            scenario(&watched(poll));
        }
    }

    #[test]
    fn a_write_is_seen() {
        in_both_modes(|w| {
            w.write("src/lib.rs", "pub fn f() -> u8 { 1 }\n");
            w.expect("src/lib.rs");
        });
    }

    #[test]
    fn a_new_file_is_seen() {
        in_both_modes(|w| {
            w.write("src/extra.rs", "pub fn g() {}\n");
            w.expect("src/extra.rs");
        });
    }

    #[test]
    fn a_save_by_rename_over_the_file_is_seen() {
        in_both_modes(|w| {
            // How many editors save: a temporary file moved over the old one.
            w.write("src/.lib.rs.tmp", "pub fn f() {}\n");
            std::fs::rename(w.dir.join("src/.lib.rs.tmp"), w.dir.join("src/lib.rs")).unwrap();
            let seen = w.expect("src/lib.rs");
            assert!(
                !seen.iter().any(|p| p.ends_with(".lib.rs.tmp")),
                "{}: {seen:?}",
                w.mode
            );
        });
    }

    #[test]
    fn a_file_in_a_new_subdirectory_is_seen() {
        in_both_modes(|w| {
            std::fs::create_dir(w.dir.join("src/bin")).unwrap();
            w.expect("src/bin");
            w.write("src/bin/main.rs", "fn main() {}\n");
            w.expect("src/bin/main.rs");
            // Created and filled at once (before a watch could exist).
            std::fs::create_dir_all(w.dir.join("src/a/b")).unwrap();
            w.write("src/a/b/deep.rs", "\n");
            w.expect("src/a/b/deep.rs");
            // Later saves in the new directory are seen too.
            w.settle();
            w.write("src/a/b/deep.rs", "pub fn deep() {}\n");
            w.expect("src/a/b/deep.rs");
        });
    }

    #[test]
    fn editor_files_and_build_output_are_not_reported() {
        in_both_modes(|w| {
            w.write("src/.lib.rs.swp", "swap");
            w.write("src/lib.rs~", "backup");
            std::fs::create_dir_all(w.dir.join("target/debug")).unwrap();
            w.write("target/debug/out", "build output");
            w.write("src/lib.rs", "pub fn f() -> u8 { 2 }\n");
            let mut seen = w.expect("src/lib.rs");
            seen.extend(w.settle());
            let names: Vec<String> = seen.iter().map(|p| p.display().to_string()).collect();
            assert!(
                names
                    .iter()
                    .all(|n| !n.contains("swp") && !n.ends_with('~') && !n.contains("target")),
                "{}: {names:?}",
                w.mode
            );
        });
    }

    #[test]
    fn dropping_the_watcher_stops_its_thread() {
        for poll in [false, true] {
            let mut w = watched(poll);
            drop(w.watcher.take());
            let start = Instant::now();
            loop {
                match w.rx.recv_timeout(Duration::from_millis(100)) {
                    Err(RecvTimeoutError::Disconnected) => break,
                    _ => assert!(
                        start.elapsed() < Duration::from_secs(5),
                        "{}: the watching thread outlived its watcher",
                        w.mode
                    ),
                }
            }
        }
    }

    #[test]
    fn a_missing_directory_falls_back_and_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let (tx, _rx) = mpsc::channel();
        let (_w, how) = watch_dirs(&[tmp.path().join("gone")], tx, false, POLL_EVERY);
        assert!(how.starts_with("file events unavailable ("), "{how}");
        assert!(how.contains("polling failed too ("), "{how}");
        assert!(how.ends_with("press r to grade again"), "{how}");
    }
}
