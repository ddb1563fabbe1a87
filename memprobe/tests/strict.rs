//! Strict mode: allocations by other threads while a window is open are
//! charged to it. This file sets the variable before its only test runs.

use std::hint::black_box;

memprobe::install!();

#[test]
fn strict_mode_charges_helper_threads_to_the_window() {
    // SAFETY: this test binary has a single test, so no other thread reads
    // the environment concurrently.
    unsafe { std::env::set_var("MEMPROBE_STRICT", "1") };
    let (len, s) = memprobe::measure(|| {
        std::thread::spawn(|| black_box(vec![0u8; 1 << 20]).len())
            .join()
            .unwrap()
    });
    assert_eq!(len, 1 << 20);
    assert!(s.bytes_allocated >= 1 << 20, "{s}");
    assert!(s.peak_bytes >= 1 << 20, "{s}");
}
