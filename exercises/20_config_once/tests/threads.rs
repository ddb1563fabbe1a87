//! The graded contract of `config` when threads race for the first call.
//! Kept apart from `tests/memory.rs`: it spawns threads, and it measures no
//! memory (the count of loads is the evidence).

use std::sync::Barrier;
use std::thread;

use config_once::{Config, config, load_count};

memprobe::install!();

const THREADS: usize = 8;

#[test]
fn eight_racing_threads_load_once() {
    let start = Barrier::new(THREADS);
    let seen: Vec<usize> = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    config() as *const Config as usize
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let loads = load_count();
    assert!(
        loads == 1,
        "`config()` from {THREADS} racing threads: expected exactly 1 load of the configuration, measured {loads} (each load builds another heap copy)\n  idea:     OnceLock::get_or_init lets one thread load while the others wait for its result"
    );
    assert!(
        seen.iter().all(|&address| address == seen[0]),
        "the threads got different Configs: {seen:x?}; every caller must get the same instance"
    );
    assert_eq!(config().max_connections, 64);
}
