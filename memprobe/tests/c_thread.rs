//! The grade of record bounds thread stacks (memprobe compiled with
//! `MEMPROBE_RECORD` set, Linux with glibc): run with
//! `MEMPROBE_RECORD=1 cargo test -p memprobe --test c_thread -- --test-threads=1` (memgrade's
//! `tests/adversarial/counted.rs` does). One test only: the thread count is
//! the process's.
#![cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]

use std::thread;

memprobe::install!();

#[test]
fn stacks_over_the_limit_and_threads_past_the_sixty_fourth_are_refused() {
    // memgrade sets RUST_MIN_STACK for the whole test process; here the
    // harness's threads already started with the standard library's 2 MiB.
    unsafe { std::env::set_var("RUST_MIN_STACK", (4usize << 20).to_string()) };
    thread::spawn(|| ())
        .join()
        .expect("a default stack is within the limit");
    let big = thread::Builder::new().stack_size(64 << 20).spawn(|| ());
    assert!(big.is_err(), "a 64 MiB stack was allowed");
    let within = thread::Builder::new().stack_size(1 << 20).spawn(|| ());
    within
        .expect("a 1 MiB stack is within the limit")
        .join()
        .unwrap();

    // Every thread started counts, whether it still runs or not.
    let mut started = Vec::new();
    let refused = loop {
        match thread::Builder::new().spawn(|| ()) {
            Ok(h) => started.push(h),
            Err(e) => break e,
        }
        assert!(started.len() <= 64, "more than 64 threads started");
    };
    // The harness's thread and the four above came first.
    assert!(
        started.len() >= 50 && started.len() < 64,
        "{} started",
        started.len()
    );
    assert_eq!(refused.raw_os_error(), Some(11), "{refused}");
    for h in started {
        h.join().unwrap();
    }
}
