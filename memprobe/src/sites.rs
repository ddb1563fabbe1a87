//! Allocation sites, like Python's `tracemalloc`: which lines of code
//! allocated inside a measurement window, how often and how much.
//!
//! Off unless the environment variable `MEMPROBE_SITES` names a file
//! (memgrade sets it when it runs a test once more to show where its memory
//! went; a grading run never does, so it pays nothing but one relaxed atomic
//! load per allocation). When on, every allocation, reallocation and free
//! made on a window's own thread while a window is open is recorded with the
//! live heap bytes after it (the window's curve), and the first
//! [`STACKS_KEPT`] allocations and reallocations with a backtrace
//! (`std::backtrace::Backtrace::force_capture`, unresolved). What memprobe
//! allocates for itself is neither recorded nor counted: a thread-local flag
//! marks the calls made from here (the backtraces' own buffers).
//!
//! When an outermost window closes it becomes the thread's last window; when
//! the thread ends (libtest runs each test on a thread of its own and joins
//! it), the last window's backtraces are resolved and written to the file
//! as lines of text:
//!
//! ```text
//! memprobe-sites 1
//! window <allocs> <reallocs> <deallocs> <events> <stacks kept>
//! series <live bytes after each event, from 0> ...
//! site <alloc|realloc> <count> <bytes>
//! at <file>:<line>
//! ...
//! end
//! ```
//!
//! A site's `at` lines are its frames outside the standard library and
//! memprobe, innermost first (the reader folds them to its own files).
//! Allocations on other threads are not recorded.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};

/// Backtraces kept per window (the rest are counted in the window's
/// numbers and curve, not attributed to a line).
pub const STACKS_KEPT: usize = 1_000;
/// Points of the live-bytes curve kept per window.
const SERIES_KEPT: usize = 100_000;
/// The environment variable naming the file to write.
pub const SITES_VAR: &str = "MEMPROBE_SITES";

/// 0: not read yet, 1: off, 2: on.
static ENABLED: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// Set while memprobe itself allocates for the records: those calls
    /// are neither recorded nor counted.
    static BUSY: Cell<bool> = const { Cell::new(false) };
    static RECORDER: RefCell<Recorder> = const { RefCell::new(Recorder { open: None, last: None }) };
}

/// Whether sites are being recorded (the environment is read once, when
/// the first window opens, never inside the allocator): all a grading run
/// pays per allocator call.
#[inline]
pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed) == 2
}

/// What one allocator call was.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Alloc,
    Realloc,
    Dealloc,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Alloc => "alloc",
            Kind::Realloc => "realloc",
            Kind::Dealloc => "dealloc",
        }
    }
}

/// One window's records.
struct Record {
    allocs: usize,
    reallocs: usize,
    deallocs: usize,
    live: isize,
    series: Vec<isize>,
    stacks: Vec<(Kind, usize, Backtrace)>,
}

struct Recorder {
    /// The outermost window open on this thread.
    open: Option<Record>,
    /// The last outermost window closed on this thread.
    last: Option<Record>,
}

/// Runs `f` with [`BUSY`] set (memprobe's own allocations inside it are not
/// recorded or counted).
fn busy<R>(f: impl FnOnce() -> R) -> R {
    let was = BUSY.with(|b| b.replace(true));
    let r = f();
    BUSY.with(|b| b.set(was));
    r
}

/// Called by the allocator, when [`enabled`], for every call before it is
/// counted (`allocs`/`reallocs`: which call it was, none for a free;
/// `depth`: the thread's open windows, an error when its thread-locals are
/// gone). Returns false for memprobe's own allocations (not to be counted);
/// records the call when a window is open on this thread.
pub(crate) fn note<E>(
    allocs: usize,
    reallocs: usize,
    size: usize,
    delta: isize,
    depth: Result<usize, E>,
) -> bool {
    let kind = match (allocs, reallocs) {
        (0, 0) => Kind::Dealloc,
        (0, _) => Kind::Realloc,
        _ => Kind::Alloc,
    };
    let window_open = depth.is_ok_and(|d| d > 0);
    if BUSY.try_with(Cell::get).unwrap_or(true) {
        return false;
    }
    if !window_open {
        return true;
    }
    busy(|| {
        let _ = RECORDER.try_with(|r| {
            let Ok(mut r) = r.try_borrow_mut() else {
                return;
            };
            if let Some(w) = r.open.as_mut() {
                w.event(kind, size, delta);
            }
        });
    });
    true
}

impl Record {
    fn event(&mut self, kind: Kind, size: usize, delta: isize) {
        match kind {
            Kind::Alloc => self.allocs += 1,
            Kind::Realloc => self.reallocs += 1,
            Kind::Dealloc => self.deallocs += 1,
        }
        self.live += delta;
        if self.series.len() < SERIES_KEPT {
            self.series.push(self.live);
        }
        if kind != Kind::Dealloc && self.stacks.len() < STACKS_KEPT {
            self.stacks.push((kind, size, Backtrace::force_capture()));
        }
    }
}

/// Called when a window opens, with the thread's depth before it.
pub(crate) fn window_opened(depth_before: usize) {
    if ENABLED.load(Ordering::Relaxed) == 0 {
        let on = std::env::var_os(SITES_VAR).is_some_and(|v| !v.is_empty());
        ENABLED.store(if on { 2 } else { 1 }, Ordering::Relaxed);
    }
    if depth_before != 0 || !enabled() {
        return;
    }
    busy(|| {
        RECORDER.with(|r| {
            r.borrow_mut().open = Some(Record {
                allocs: 0,
                reallocs: 0,
                deallocs: 0,
                live: 0,
                series: vec![0],
                stacks: Vec::new(),
            });
        });
    });
}

/// Called when a window closes, with the thread's depth after it.
pub(crate) fn window_closed(depth_after: usize) {
    if depth_after != 0 || !enabled() {
        return;
    }
    busy(|| {
        let _ = RECORDER.try_with(|r| {
            let mut r = r.borrow_mut();
            if let Some(w) = r.open.take() {
                r.last = Some(w);
            }
        });
    });
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(w) = self.last.take().or_else(|| self.open.take()) {
            busy(|| {
                if let Some(path) = std::env::var_os(SITES_VAR) {
                    let _ = std::fs::write(path, w.render());
                }
            });
        }
    }
}

impl Record {
    /// The text block described in the module's documentation.
    fn render(&self) -> String {
        let mut out = String::from("memprobe-sites 1\n");
        let events = self.allocs + self.reallocs + self.deallocs;
        let _ = writeln!(
            out,
            "window {} {} {} {events} {}",
            self.allocs,
            self.reallocs,
            self.deallocs,
            self.stacks.len()
        );
        out.push_str("series");
        for v in &self.series {
            let _ = write!(out, " {v}");
        }
        out.push('\n');
        // (kind, frames) -> (count, bytes)
        let mut sites: BTreeMap<(Kind, Vec<String>), (usize, usize)> = BTreeMap::new();
        for (kind, size, bt) in &self.stacks {
            let site = sites.entry((*kind, frames(bt))).or_default();
            site.0 += 1;
            site.1 += size;
        }
        for ((kind, frames), (count, bytes)) in sites {
            let _ = writeln!(out, "site {} {count} {bytes}", kind.word());
            for f in frames {
                let _ = writeln!(out, "at {f}");
            }
            out.push_str("end\n");
        }
        out
    }
}

/// The `file:line` of each frame of `bt` outside the standard library and
/// memprobe, innermost first, read from the backtrace's text (std gives no
/// other access to resolved frames): `N: symbol` lines, each followed by an
/// `at file:line:column` line when its location is known.
fn frames(bt: &Backtrace) -> Vec<String> {
    let own = concat!(env!("CARGO_MANIFEST_DIR"), "/src/");
    let mut symbol = "";
    let mut out: Vec<String> = Vec::new();
    let text = bt.to_string();
    for l in text.lines().map(str::trim_start) {
        let Some(at) = l.strip_prefix("at ") else {
            symbol = l.split_once(": ").map_or("", |(_, s)| s);
            continue;
        };
        let theirs = [
            "memprobe::",
            "<memprobe::",
            "std::",
            "<std::",
            "core::",
            "<core::",
        ]
        .iter()
        .chain(&["alloc::", "<alloc::", "test::", "__rust"])
        .any(|p| symbol.starts_with(p));
        let outside = at.starts_with("/rustc/") || at.contains(own) || !at.contains(".rs:");
        if theirs || outside {
            continue;
        }
        // Without the column: sites are lines.
        let loc = match at.rsplit_once(':') {
            Some((file_line, col)) if col.bytes().all(|b| b.is_ascii_digit()) => file_line,
            _ => at,
        };
        if out.last().is_none_or(|last| last != loc) {
            out.push(loc.to_string());
        }
    }
    out
}
