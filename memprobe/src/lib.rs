//! memprobe: measure heap memory inside tests.
//!
//! A counting global allocator over [`System`] that keeps its counters per
//! thread, so tests running in libtest's parallel threads each see exactly
//! their own allocations. Open a measurement window with [`measure`], then
//! assert on the [`Stats`] it returns, or use the assertion macros
//! ([`assert_allocs!`], [`assert_peak_bytes!`], [`assert_live_bytes!`],
//! [`assert_bytes_allocated!`]) whose failure messages show the budget and the
//! measured numbers side by side.
//!
//! ```ignore
//! memprobe::install!();
//!
//! #[test]
//! fn joins_with_one_allocation() {
//!     let words = ["a", "b"];
//!     let joined = memprobe::assert_allocs!(<= 1, join(&words));
//!     assert_eq!(joined, "a b");
//! }
//! ```
//!
//! Windows nest: an inner window's counts fold into the outer one, and the
//! outer peak becomes `max(outer peak, outer live + inner peak)`. A panic
//! inside a window still restores the outer window. The public surface has no
//! way to pause, reset or overwrite the counters.
//!
//! **Strict mode.** In a build for the grade of record ([`RECORD`]), or when
//! the environment variable `MEMPROBE_STRICT` is set (memgrade sets it when it
//! runs each test in its own process), every
//! allocation made while a window is open, on any thread other than the
//! window's own and the process's main thread (the test harness's, which is
//! the first thread that allocates), is charged to that window too (its bytes
//! count toward the window's peak and live bytes), whenever that thread
//! started: work moved to a helper thread, even one started before the
//! window, cannot hide from a budget. libtest runs each test on a thread of
//! its own, so the harness's main thread is never the test's.
//!
//! **The grade of record.** memgrade compiles memprobe in its private build
//! tree with `MEMPROBE_RECORD` set in the compiler's environment, which fixes
//! [`RECORD`] at build time: strict mode is then on whatever the tested
//! process's environment says, and on Linux every thread but the main one is
//! locked down (seccomp) at its first allocation, before the test body runs
//! (see the `lockdown` module), so nothing the code under test does can reach
//! the harness's verdict.
//! On Linux with glibc, a record build also counts the C allocator
//! (`c_alloc`) and anonymous mappings (`c_map`), and bounds thread stacks
//! (`c_thread`: at most the process's `RUST_MIN_STACK` each, at most 64
//! threads).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

#[cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]
mod c_alloc;
#[cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]
mod c_map;
#[cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]
mod c_thread;
pub mod inputs;
#[cfg(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
pub mod lockdown;

/// Whether this build of memprobe is the grade of record's: fixed when the
/// crate is compiled (memgrade sets `MEMPROBE_RECORD` in the compiler's
/// environment in its private build tree), never read from the tested
/// process's environment.
pub const RECORD: bool = option_env!("MEMPROBE_RECORD").is_some();

/// In record builds, locks the calling thread down on its first call unless
/// it is the main thread (Linux; elsewhere nothing to do).
#[inline]
fn guard_thread() {
    #[cfg(all(
        target_os = "linux",
        any(target_arch = "x86_64", target_arch = "aarch64")
    ))]
    if RECORD {
        lockdown::on_allocator_call();
    }
}

mod sites;

/// Runs the counting allocator's call into `System`. In record builds on
/// Linux with glibc the C allocator is counted too (`c_alloc`); this marks
/// the call so it is not counted twice.
#[inline]
fn system<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]
    return c_alloc::through_probe(f);
    #[cfg(not(all(memprobe_record, target_os = "linux", target_env = "gnu")))]
    f()
}

/// What a measurement window saw. Sizes are in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls to `alloc` / `alloc_zeroed`.
    pub allocs: usize,
    /// Calls to `realloc` (a `Vec` or `String` growing in place or moving).
    pub reallocs: usize,
    /// Calls to `dealloc`.
    pub deallocs: usize,
    /// Bytes requested by every `alloc` plus the new size of every `realloc`.
    pub bytes_allocated: usize,
    /// Highest live heap bytes reached inside the window, counted from the
    /// window's start (0 when nothing was allocated).
    pub peak_bytes: usize,
    /// Heap bytes still live when the window closed, counted from the
    /// window's start: allocated minus freed. Negative when the window freed
    /// memory that was allocated before it opened.
    pub live_bytes: isize,
}

impl Stats {
    /// Heap allocations in the sense of "times the allocator handed out a
    /// block": `allocs + reallocs`.
    pub fn heap_allocations(&self) -> usize {
        self.allocs + self.reallocs
    }

    /// A short breakdown such as `1 alloc + 13 reallocs`.
    pub fn breakdown(&self) -> String {
        format!(
            "{} + {}",
            plural(self.allocs, "alloc", "allocs"),
            plural(self.reallocs, "realloc", "reallocs")
        )
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} allocs, {} reallocs, {} deallocs, {} allocated, peak {}, live {}",
            self.allocs,
            self.reallocs,
            self.deallocs,
            fmt_bytes(self.bytes_allocated as i128),
            fmt_bytes(self.peak_bytes as i128),
            fmt_bytes(self.live_bytes as i128)
        )
    }
}

/// Byte counts from this size on are also shown in KiB or MiB.
pub const UNITS_FROM: i128 = 10 * 1024;

/// A byte count as failure messages print it: `83 bytes` below 10 KiB,
/// `114680 bytes (112.0 KiB)` from 10 KiB, `3145728 bytes (3.0 MiB)` from
/// 1 MiB (one decimal, binary units; negative counts keep their sign).
pub fn fmt_bytes(n: i128) -> String {
    const KIB: f64 = 1024.0;
    let size = n.unsigned_abs() as f64;
    if n.unsigned_abs() == 1 {
        format!("{n} byte")
    } else if n.unsigned_abs() < UNITS_FROM as u128 {
        format!("{n} bytes")
    } else if size < KIB * KIB {
        format!("{n} bytes ({:.1} KiB)", n as f64 / KIB)
    } else if size < KIB * KIB * KIB {
        format!("{n} bytes ({:.1} MiB)", n as f64 / (KIB * KIB))
    } else {
        format!("{n} bytes ({:.1} GiB)", n as f64 / (KIB * KIB * KIB))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The running counters of the innermost open window of one thread.
#[derive(Clone, Copy)]
struct Window {
    allocs: usize,
    reallocs: usize,
    deallocs: usize,
    bytes: usize,
    live: isize,
    peak: isize,
}

impl Window {
    const ZERO: Window = Window {
        allocs: 0,
        reallocs: 0,
        deallocs: 0,
        bytes: 0,
        live: 0,
        peak: 0,
    };

    fn grow(&mut self, by: isize) {
        self.live += by;
        if self.live > self.peak {
            self.peak = self.live;
        }
    }

    /// Folds a closed inner window into this (outer) one.
    fn absorb(&mut self, inner: Window) {
        self.allocs += inner.allocs;
        self.reallocs += inner.reallocs;
        self.deallocs += inner.deallocs;
        self.bytes += inner.bytes;
        self.peak = self.peak.max(self.live + inner.peak);
        self.live += inner.live;
    }

    fn stats(&self) -> Stats {
        Stats {
            allocs: self.allocs,
            reallocs: self.reallocs,
            deallocs: self.deallocs,
            bytes_allocated: self.bytes,
            peak_bytes: self.peak.max(0) as usize,
            live_bytes: self.live,
        }
    }
}

thread_local! {
    static CURRENT: Cell<Window> = const { Cell::new(Window::ZERO) };
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// What this thread added to the foreign counters: a window subtracts
    /// its own thread's share, so only other threads' work is charged.
    static OWN_FOREIGN: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// Threads that have at least one window open right now.
static OPEN_WINDOWS: AtomicUsize = AtomicUsize::new(0);
/// Allocations and bytes made by threads other than the main thread while
/// some thread had a window open (only counted in strict mode).
static FOREIGN_ALLOCS: AtomicUsize = AtomicUsize::new(0);
static FOREIGN_BYTES: AtomicUsize = AtomicUsize::new(0);
/// 0: not read yet, 1: off, 2: on.
static STRICT: AtomicU8 = AtomicU8::new(0);
/// The identity of the process's main thread (the first thread that
/// allocated): the address of its `DEPTH` thread-local, which is unique
/// among live threads. 0 until the first allocation.
static MAIN_THREAD: AtomicUsize = AtomicUsize::new(0);

fn strict() -> bool {
    if RECORD {
        STRICT.store(2, Ordering::Relaxed);
        return true;
    }
    match STRICT.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("MEMPROBE_STRICT").is_some_and(|v| !v.is_empty() && v != "0");
            STRICT.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        v => v == 2,
    }
}

/// Whether the calling thread is the process's main thread (recording it
/// on the first call). Neither allocates nor takes a lock. A thread whose
/// thread-locals are already gone is not the main thread.
fn on_main_thread() -> bool {
    let Ok(me) = DEPTH.try_with(|d| d as *const Cell<usize> as usize) else {
        return false;
    };
    match MAIN_THREAD.compare_exchange(0, me, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(_) => true,
        Err(main) => main == me,
    }
}

fn record(allocs: usize, reallocs: usize, deallocs: usize, bytes: usize, delta: isize) {
    // Allocation sites (off unless a re-run asks for them): memprobe's own
    // allocations for the records are not counted.
    if sites::enabled() && !sites::note(allocs, reallocs, bytes, delta, DEPTH.try_with(Cell::get)) {
        return;
    }
    let main = on_main_thread();
    if allocs + reallocs > 0
        && OPEN_WINDOWS.load(Ordering::Relaxed) > 0
        && (RECORD || STRICT.load(Ordering::Relaxed) == 2)
        && !main
    {
        FOREIGN_ALLOCS.fetch_add(allocs + reallocs, Ordering::Relaxed);
        FOREIGN_BYTES.fetch_add(bytes, Ordering::Relaxed);
        let _ = OWN_FOREIGN.try_with(|o| {
            let (a, b) = o.get();
            o.set((a + allocs + reallocs, b + bytes));
        });
    }
    let _ = CURRENT.try_with(|c| {
        let mut w = c.get();
        w.allocs += allocs;
        w.reallocs += reallocs;
        w.deallocs += deallocs;
        w.bytes += bytes;
        w.grow(delta);
        c.set(w);
    });
}

/// The counting allocator. Install it with [`install!`]; it forwards every
/// call to [`System`] and only adds counting.
pub struct Probe;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged; the counting touches only thread-local `Cell`s (const-initialised,
// without destructors, so they never allocate) and atomics.
unsafe impl GlobalAlloc for Probe {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        guard_thread();
        let p = system(|| unsafe { System.alloc(layout) });
        if !p.is_null() {
            record(1, 0, 0, layout.size(), layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        guard_thread();
        let p = system(|| unsafe { System.alloc_zeroed(layout) });
        if !p.is_null() {
            record(1, 0, 0, layout.size(), layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        guard_thread();
        system(|| unsafe { System.dealloc(ptr, layout) });
        record(0, 0, 1, 0, -(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        guard_thread();
        let p = system(|| unsafe { System.realloc(ptr, layout, new_size) });
        if !p.is_null() {
            record(
                0,
                1,
                0,
                new_size,
                new_size as isize - layout.size() as isize,
            );
        }
        p
    }
}

/// Installs [`Probe`] as the global allocator of the crate that calls it.
/// Call it once at the top of each test file.
#[macro_export]
macro_rules! install {
    () => {
        #[global_allocator]
        static MEMPROBE_GLOBAL_ALLOCATOR: $crate::Probe = $crate::Probe;
    };
}

/// Restores the outer window when a window closes, on return or on panic.
struct WindowGuard {
    outer: Window,
    foreign_allocs: usize,
    foreign_bytes: usize,
    own_foreign: (usize, usize),
    strict: bool,
}

impl WindowGuard {
    fn open() -> WindowGuard {
        let strict = strict();
        sites::window_opened(DEPTH.with(Cell::get));
        let outer = CURRENT.with(|c| c.replace(Window::ZERO));
        let first = DEPTH.with(|d| {
            let depth = d.get();
            d.set(depth + 1);
            depth == 0
        });
        if first {
            OPEN_WINDOWS.fetch_add(1, Ordering::Relaxed);
        }
        WindowGuard {
            outer,
            foreign_allocs: FOREIGN_ALLOCS.load(Ordering::Relaxed),
            foreign_bytes: FOREIGN_BYTES.load(Ordering::Relaxed),
            own_foreign: OWN_FOREIGN.with(|o| o.get()),
            strict,
        }
    }

    /// The inner window as it stands, with other threads' work charged to it
    /// in strict mode.
    fn inner(&self) -> Window {
        let mut w = CURRENT.with(|c| c.get());
        if self.strict {
            // Other threads' share: everything foreign since the window
            // opened, less what this thread itself added.
            let (own_allocs, own_bytes) = OWN_FOREIGN.with(|o| o.get());
            let allocs = (FOREIGN_ALLOCS.load(Ordering::Relaxed) - self.foreign_allocs)
                - (own_allocs - self.own_foreign.0);
            let bytes = (FOREIGN_BYTES.load(Ordering::Relaxed) - self.foreign_bytes)
                - (own_bytes - self.own_foreign.1);
            w.allocs += allocs;
            w.bytes += bytes;
            w.live += bytes as isize;
            w.peak += bytes as isize;
        }
        w
    }
}

impl Drop for WindowGuard {
    fn drop(&mut self) {
        // Other threads' work is charged by each window over its own span, so
        // the outer window sees it without help from the inner one.
        let inner = CURRENT.with(|c| c.get());
        let mut outer = self.outer;
        outer.absorb(inner);
        CURRENT.with(|c| c.set(outer));
        let last = DEPTH.with(|d| {
            let depth = d.get() - 1;
            d.set(depth);
            depth == 0
        });
        if last {
            OPEN_WINDOWS.fetch_sub(1, Ordering::Relaxed);
            sites::window_closed(0);
        }
    }
}

/// Runs `f` inside a measurement window and returns its result with what the
/// window saw. The result is passed through [`std::hint::black_box`] so the
/// optimizer cannot drop the work that produced it.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, Stats) {
    let guard = WindowGuard::open();
    let value = std::hint::black_box(f());
    let stats = guard.inner().stats();
    drop(guard);
    (value, stats)
}

/// How a budget compares with the measured number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// The measurement must not exceed the number.
    AtMost(usize),
    /// The measurement must equal the number.
    Exactly(usize),
}

impl Budget {
    fn allows(self, measured: usize) -> bool {
        match self {
            Budget::AtMost(n) => measured <= n,
            Budget::Exactly(n) => measured == n,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Budget::AtMost(_) => "at most",
            Budget::Exactly(_) => "exactly",
        }
    }
}

/// Which number of [`Stats`] a budget applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// `allocs + reallocs`.
    Allocations,
    /// `peak_bytes`.
    PeakBytes,
    /// `live_bytes` at the end of the window (a negative value counts as 0).
    LiveBytes,
    /// `bytes_allocated`.
    BytesAllocated,
}

impl Metric {
    fn measured(self, stats: &Stats) -> usize {
        match self {
            Metric::Allocations => stats.heap_allocations(),
            Metric::PeakBytes => stats.peak_bytes,
            Metric::LiveBytes => stats.live_bytes.max(0) as usize,
            Metric::BytesAllocated => stats.bytes_allocated,
        }
    }

    /// A budget's number with its unit (`1 heap allocation`, `19 bytes of
    /// peak live heap`).
    fn amount(self, n: usize) -> String {
        match (self, n) {
            (Metric::Allocations, 1) => "1 heap allocation".to_string(),
            (Metric::Allocations, _) => format!("{n} heap allocations"),
            (Metric::PeakBytes, _) => format!("{} of peak live heap", fmt_bytes(n as i128)),
            (Metric::LiveBytes, _) => {
                format!("{} still live on the heap", fmt_bytes(n as i128))
            }
            (Metric::BytesAllocated, _) => {
                format!("{} allocated in total", fmt_bytes(n as i128))
            }
        }
    }

    /// A measurement as the message states it (`14`, `83 bytes`).
    fn measurement(self, n: usize) -> String {
        match self {
            Metric::Allocations => n.to_string(),
            _ => fmt_bytes(n as i128),
        }
    }

    fn detail(self, stats: &Stats) -> String {
        match self {
            Metric::Allocations => format!(" ({})", stats.breakdown()),
            Metric::PeakBytes => format!(
                "; {} allocated in total",
                fmt_bytes(stats.bytes_allocated as i128)
            ),
            Metric::LiveBytes => format!(
                " ({} not freed)",
                plural(
                    stats.allocs.saturating_sub(stats.deallocs),
                    "block",
                    "blocks"
                )
            ),
            Metric::BytesAllocated => format!(
                " (over {})",
                plural(stats.heap_allocations(), "allocation", "allocations")
            ),
        }
    }
}

/// Checks `stats` against a budget; on failure returns the teaching message.
///
/// `what` names the measured expression, `idea` (may be empty) is a one-line
/// pointer to the technique that meets the budget.
pub fn check(
    metric: Metric,
    budget: Budget,
    stats: &Stats,
    what: &str,
    idea: &str,
) -> Result<(), String> {
    let measured = metric.measured(stats);
    if budget.allows(measured) {
        return Ok(());
    }
    let limit = match budget {
        Budget::AtMost(n) | Budget::Exactly(n) => n,
    };
    let mut msg = format!(
        "`{what}`: expected {} {}, measured {}{}",
        budget.describe(),
        metric.amount(limit),
        metric.measurement(measured),
        metric.detail(stats)
    );
    msg.push_str(&format!("\n  window:   {stats}"));
    if !idea.is_empty() {
        msg.push_str(&format!("\n  idea:     {idea}"));
    }
    Err(msg)
}

/// Like [`check`], but panics with the teaching message when the budget is
/// exceeded: for windows opened with [`measure`] whose [`Stats`] are checked
/// against several budgets.
#[track_caller]
pub fn enforce(metric: Metric, budget: Budget, stats: &Stats, what: &str, idea: &str) {
    if let Err(msg) = check(metric, budget, stats, what, idea) {
        panic!("{msg}");
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! __budget {
    (<=, $n:expr) => {
        $crate::Budget::AtMost($n)
    };
    (==, $n:expr) => {
        $crate::Budget::Exactly($n)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __assert_metric {
    ($metric:ident, $op:tt, $n:expr, $e:expr, $idea:expr) => {{
        let (value, stats) = $crate::measure(|| $e);
        $crate::enforce(
            $crate::Metric::$metric,
            $crate::__budget!($op, $n),
            &stats,
            stringify!($e),
            $idea,
        );
        value
    }};
}

/// Measures an expression and asserts its heap allocations
/// (`allocs + reallocs`) against a budget; evaluates to the expression's value.
///
/// `assert_allocs!(<= 1, join(&words))`, `assert_allocs!(== 0, f(), "idea")`.
#[macro_export]
macro_rules! assert_allocs {
    (<= $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(Allocations, <=, $n, $e, "") };
    (<= $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(Allocations, <=, $n, $e, $idea) };
    (== $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(Allocations, ==, $n, $e, "") };
    (== $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(Allocations, ==, $n, $e, $idea) };
}

/// Measures an expression and asserts its peak live heap bytes against a
/// budget; evaluates to the expression's value.
#[macro_export]
macro_rules! assert_peak_bytes {
    (<= $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(PeakBytes, <=, $n, $e, "") };
    (<= $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(PeakBytes, <=, $n, $e, $idea) };
    (== $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(PeakBytes, ==, $n, $e, "") };
    (== $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(PeakBytes, ==, $n, $e, $idea) };
}

/// Measures an expression and asserts the heap bytes still live when it
/// finishes (a leak check: `assert_live_bytes!(== 0, { drop(build()) })`);
/// evaluates to the expression's value.
#[macro_export]
macro_rules! assert_live_bytes {
    (<= $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(LiveBytes, <=, $n, $e, "") };
    (<= $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(LiveBytes, <=, $n, $e, $idea) };
    (== $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(LiveBytes, ==, $n, $e, "") };
    (== $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(LiveBytes, ==, $n, $e, $idea) };
}

/// Measures an expression and asserts the total bytes it allocated;
/// evaluates to the expression's value.
#[macro_export]
macro_rules! assert_bytes_allocated {
    (<= $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(BytesAllocated, <=, $n, $e, "") };
    (<= $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(BytesAllocated, <=, $n, $e, $idea) };
    (== $n:expr, $e:expr $(,)?) => { $crate::__assert_metric!(BytesAllocated, ==, $n, $e, "") };
    (== $n:expr, $e:expr, $idea:expr $(,)?) => { $crate::__assert_metric!(BytesAllocated, ==, $n, $e, $idea) };
}

/// Asserts a `size_of`-style number against a budget with a teaching message
/// (`assert_size!(<= 16, size_of::<Record>(), "reorder the fields")`).
/// Sizes in the course are stated for 64-bit targets.
#[macro_export]
macro_rules! assert_size {
    (<= $n:expr, $e:expr $(, $idea:expr)? $(,)?) => {{
        let measured: usize = $e;
        let budget: usize = $n;
        if measured > budget {
            let idea: &str = "" $(; let idea: &str = $idea)?;
            let mut msg = format!(
                "`{}`: expected at most {}, measured {} (64-bit target)",
                stringify!($e),
                $crate::fmt_bytes(budget as i128),
                $crate::fmt_bytes(measured as i128)
            );
            if !idea.is_empty() {
                msg.push_str("\n  idea:     ");
                msg.push_str(idea);
            }
            panic!("{msg}");
        }
        measured
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_get_units_from_ten_kib() {
        assert_eq!(fmt_bytes(0), "0 bytes");
        assert_eq!(fmt_bytes(1), "1 byte");
        assert_eq!(fmt_bytes(-1), "-1 byte");
        assert_eq!(fmt_bytes(10_239), "10239 bytes");
        assert_eq!(fmt_bytes(10_240), "10240 bytes (10.0 KiB)");
        assert_eq!(fmt_bytes(114_680), "114680 bytes (112.0 KiB)");
        assert_eq!(fmt_bytes(1_048_575), "1048575 bytes (1024.0 KiB)");
        assert_eq!(fmt_bytes(1_048_576), "1048576 bytes (1.0 MiB)");
        assert_eq!(
            fmt_bytes(3 * 1_048_576 + 524_288),
            "3670016 bytes (3.5 MiB)"
        );
        assert_eq!(fmt_bytes(1 << 30), "1073741824 bytes (1.0 GiB)");
        assert_eq!(fmt_bytes(-10_239), "-10239 bytes");
        assert_eq!(fmt_bytes(-20_480), "-20480 bytes (-20.0 KiB)");
    }

    fn stats(peak: usize, allocated: usize, live: isize) -> Stats {
        Stats {
            allocs: 2,
            reallocs: 12,
            deallocs: 1,
            bytes_allocated: allocated,
            peak_bytes: peak,
            live_bytes: live,
        }
    }

    #[test]
    fn messages_print_large_byte_counts_with_units() {
        let s = stats(322_143, 584_223, -16);
        let msg = check(
            Metric::PeakBytes,
            Budget::AtMost(16_384),
            &s,
            "f()",
            "stream it",
        )
        .unwrap_err();
        assert_eq!(
            msg,
            "`f()`: expected at most 16384 bytes (16.0 KiB) of peak live heap, measured 322143 bytes (314.6 KiB); 584223 bytes (570.5 KiB) allocated in total\n  window:   2 allocs, 12 reallocs, 1 deallocs, 584223 bytes (570.5 KiB) allocated, peak 322143 bytes (314.6 KiB), live -16 bytes\n  idea:     stream it"
        );
        let small = stats(83, 83, 19);
        let msg = check(Metric::PeakBytes, Budget::AtMost(19), &small, "g()", "").unwrap_err();
        assert_eq!(
            msg.lines().next().unwrap(),
            "`g()`: expected at most 19 bytes of peak live heap, measured 83 bytes; 83 bytes allocated in total"
        );
        let msg = check(Metric::Allocations, Budget::AtMost(1), &small, "h()", "").unwrap_err();
        assert!(
            msg.starts_with(
                "`h()`: expected at most 1 heap allocation, measured 14 (2 allocs + 12 reallocs)"
            ),
            "{msg}"
        );
        let msg = check(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats(0, 0, 40_000),
            "k()",
            "",
        )
        .unwrap_err();
        assert!(
            msg.starts_with("`k()`: expected exactly 0 bytes still live on the heap, measured 40000 bytes (39.1 KiB)"),
            "{msg}"
        );
    }
}
