//! Strict mode: allocations by other threads while a window is open are
//! charged to it, whenever those threads started. The tests of this file
//! set the variable themselves and run one at a time (strict mode charges
//! a window with every other thread's work, another test's included).

use std::hint::black_box;
use std::sync::{Mutex, MutexGuard, mpsc};

memprobe::install!();

/// Strict mode on, and this file's tests one at a time.
fn strict() -> MutexGuard<'static, ()> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: every test of this binary sets the same value under the lock
    // before it opens a window, and nothing else reads the environment.
    unsafe { std::env::set_var("MEMPROBE_STRICT", "1") };
    guard
}

#[test]
fn strict_mode_charges_helper_threads_to_the_window() {
    let _one = strict();
    let (len, s) = memprobe::measure(|| {
        std::thread::spawn(|| black_box(vec![0u8; 1 << 20]).len())
            .join()
            .unwrap()
    });
    assert_eq!(len, 1 << 20);
    assert!(s.bytes_allocated >= 1 << 20, "{s}");
    assert!(s.peak_bytes >= 1 << 20, "{s}");
}

#[test]
fn strict_mode_charges_a_thread_started_before_the_window() {
    let _one = strict();
    let (go, started) = mpsc::channel::<()>();
    let (done, finished) = mpsc::channel::<usize>();
    // The worker starts (and allocates its channel ends and stack) before
    // the window, then waits for the window to ask for the work.
    let worker = std::thread::spawn(move || {
        while started.recv().is_ok() {
            let v = black_box(vec![7u8; 1 << 20]);
            let _ = done.send(v.len());
        }
    });
    // Warm both channels up outside the window.
    go.send(()).unwrap();
    assert_eq!(finished.recv().unwrap(), 1 << 20);

    let (len, s) = memprobe::measure(|| {
        go.send(()).unwrap();
        finished.recv().unwrap()
    });
    assert_eq!(len, 1 << 20);
    assert!(s.bytes_allocated >= 1 << 20, "{s}");
    assert!(s.peak_bytes >= 1 << 20, "{s}");
    assert!(s.heap_allocations() >= 1, "{s}");
    drop(go);
    worker.join().unwrap();

    // The window's own allocations are not counted twice: one vector on
    // the measuring thread is exactly one allocation of its size.
    let (v, s) = memprobe::measure(|| black_box(vec![1u8; 4096]));
    assert_eq!(v.len(), 4096);
    assert_eq!(s.allocs, 1, "{s}");
    assert_eq!(s.bytes_allocated, 4096, "{s}");
}
