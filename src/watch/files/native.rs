//! File events from Linux's inotify, through rustix's safe API: one watch
//! per directory under the roots (inotify is not recursive), and a watch for
//! every directory that appears later. A thread reads the events and hands
//! each changed path to [`Report`].

use std::collections::HashMap;
use std::ffi::OsStr;
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rustix::fs::inotify::{self, CreateFlags, ReadFlags, WatchFlags};
use rustix::io::Errno;

use super::{Report, tree};

/// What a watch reports: content and metadata changes, entries appearing,
/// disappearing or moving. Opening, reading and closing are not changes.
const MASK: WatchFlags = WatchFlags::MODIFY
    .union(WatchFlags::ATTRIB)
    .union(WatchFlags::CREATE)
    .union(WatchFlags::DELETE)
    .union(WatchFlags::MOVED_FROM)
    .union(WatchFlags::MOVED_TO);

/// Bytes read at once: many events, and always room for one with the
/// longest file name (16 + 256 bytes).
const BUFFER: usize = 8192;

/// The inotify instance and its watches, shared by the reading thread
/// (which adds watches for new directories) and [`Native`] (which removes
/// them all to stop the thread).
struct Watches {
    fd: OwnedFd,
    /// Watched directory by watch descriptor.
    dirs: Mutex<HashMap<i32, PathBuf>>,
    /// Set when the [`Native`] is dropped.
    stop: AtomicBool,
}

impl Watches {
    fn dirs(&self) -> MutexGuard<'_, HashMap<i32, PathBuf>> {
        self.dirs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Watches `root` and every directory under it (watching a directory
    /// again only renews its watch).
    fn add_tree(&self, root: &Path) -> Result<(), Errno> {
        for dir in tree::dirs(root) {
            let wd = inotify::add_watch(&self.fd, &dir, MASK)?;
            self.dirs().insert(wd, dir);
        }
        Ok(())
    }

    /// Stops watching `dir` and every directory under it (it moved away).
    fn forget_tree(&self, dir: &Path) {
        let mut dirs = self.dirs();
        let gone: Vec<i32> = dirs
            .iter()
            .filter(|(_, p)| p.starts_with(dir))
            .map(|(wd, _)| *wd)
            .collect();
        for wd in gone {
            dirs.remove(&wd);
            let _ = inotify::remove_watch(&self.fd, wd);
        }
    }
}

/// Watches directory trees with inotify until dropped.
pub struct Native {
    watches: Arc<Watches>,
}

impl Native {
    /// Watches `roots` (each must be a directory) and reports changes under
    /// them from a thread; fails when inotify is unavailable or out of
    /// watches.
    pub fn start(roots: &[PathBuf], report: Report) -> Result<Native, Errno> {
        let watches = Arc::new(Watches {
            fd: inotify::init(CreateFlags::CLOEXEC)?,
            dirs: Mutex::new(HashMap::new()),
            stop: AtomicBool::new(false),
        });
        for root in roots {
            watches.add_tree(root)?;
        }
        let reader = Arc::clone(&watches);
        let roots = roots.to_vec();
        std::thread::spawn(move || read_events(&reader, &roots, &report));
        Ok(Native { watches })
    }
}

impl Drop for Native {
    /// Stops the thread: removing every watch queues an `IN_IGNORED` event
    /// for each, which wakes the thread's read.
    fn drop(&mut self) {
        self.watches.stop.store(true, Ordering::SeqCst);
        let wds: Vec<i32> = self.watches.dirs().drain().map(|(wd, _)| wd).collect();
        for wd in wds {
            let _ = inotify::remove_watch(&self.watches.fd, wd);
        }
    }
}

/// One event, copied out of the read buffer.
struct Event {
    wd: i32,
    flags: ReadFlags,
    name: Option<PathBuf>,
}

/// The reading thread: reports every change until the watcher is dropped,
/// the watch loop has gone or no watch is left.
fn read_events(watches: &Watches, roots: &[PathBuf], report: &Report) {
    let mut buf = vec![MaybeUninit::<u8>::uninit(); BUFFER];
    let mut reader = inotify::Reader::new(watches.fd.as_fd(), &mut buf);
    loop {
        let event = match reader.next() {
            Ok(e) => Event {
                wd: e.wd(),
                flags: e.events(),
                name: e
                    .file_name()
                    .map(|n| PathBuf::from(OsStr::from_bytes(n.to_bytes()))),
            },
            Err(Errno::INTR) => continue,
            Err(e) => {
                if !watches.stop.load(Ordering::SeqCst) {
                    report.error(format!("reading file events: {e}"));
                }
                return;
            }
        };
        if watches.stop.load(Ordering::SeqCst) {
            return;
        }
        let paths = match handle(watches, roots, event) {
            Ok(paths) => paths,
            Err(e) => {
                report.error(e);
                return;
            }
        };
        if paths.into_iter().any(|p| !report.change(p)) || watches.dirs().is_empty() {
            return;
        }
    }
}

/// What one event means: the changed paths, after keeping the watches in
/// step with directories that appeared, moved or were removed.
fn handle(watches: &Watches, roots: &[PathBuf], event: Event) -> Result<Vec<PathBuf>, String> {
    if event.flags.contains(ReadFlags::QUEUE_OVERFLOW) {
        // Events were lost: watch whatever directories exist now and report
        // every root as changed.
        for root in roots {
            watches
                .add_tree(root)
                .map_err(|e| format!("watching {} again: {e}", root.display()))?;
        }
        return Ok(roots.to_vec());
    }
    if event.flags.contains(ReadFlags::IGNORED) {
        watches.dirs().remove(&event.wd);
        return Ok(Vec::new());
    }
    let Some(dir) = watches.dirs().get(&event.wd).cloned() else {
        return Ok(Vec::new());
    };
    let path = match event.name {
        Some(name) => dir.join(name),
        None => dir,
    };
    let mut paths = vec![path.clone()];
    if event.flags.contains(ReadFlags::ISDIR) {
        if event.flags.intersects(ReadFlags::MOVED_FROM) {
            watches.forget_tree(&path);
        } else if event
            .flags
            .intersects(ReadFlags::CREATE | ReadFlags::MOVED_TO)
            && path.file_name().is_some_and(|n| n != "target")
        {
            match watches.add_tree(&path) {
                // Whatever is inside is new too, and may have been made
                // before the watch existed.
                Ok(()) => tree::walk(&path, &mut |p, _| paths.push(p.to_path_buf())),
                // Gone again before it could be watched: nothing to watch.
                Err(Errno::NOENT | Errno::NOTDIR) => {}
                Err(e) => return Err(format!("watching {}: {e}", path.display())),
            }
        }
    }
    Ok(paths)
}
