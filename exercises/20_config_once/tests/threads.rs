//! The graded contract of `ConfigCell` when threads race for the first call.
//! Kept apart from `tests/memory.rs`: it spawns threads, and it measures no
//! memory (the count of loads, kept by the test's own loader, is the
//! evidence).

use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use config_once::{Config, ConfigCell, config};

memprobe::install!();

const THREADS: usize = 8;

/// Races run on fresh cells; one is enough to catch a cell that checks,
/// then loads, then sets, but 50 make it certain on a loaded machine.
const ROUNDS: usize = 50;

/// The test's loader: it counts its calls and takes its time, so threads
/// released together are all inside `get_or_load` before the first load
/// ends.
fn slow_load(loads: &AtomicUsize) -> Config {
    loads.fetch_add(1, Ordering::SeqCst);
    thread::sleep(Duration::from_millis(5));
    Config {
        name: "raced".to_string(),
        max_connections: 8,
        allowed_hosts: Vec::new(),
    }
}

/// Releases `THREADS` threads at once (a barrier right before the call)
/// and returns the address each one got from `get`.
fn race<'a>(get: &(dyn Fn() -> &'a Config + Sync)) -> Vec<usize> {
    let start = Barrier::new(THREADS);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait();
                    get() as *const Config as usize
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn eight_racing_threads_load_once() {
    for round in 1..=ROUNDS {
        let cell = ConfigCell::new();
        let loads = AtomicUsize::new(0);
        let seen = race(&|| cell.get_or_load(|| slow_load(&loads)));
        let loads = loads.load(Ordering::SeqCst);
        assert!(
            loads == 1,
            "race {round} of {ROUNDS}: `get_or_load` from {THREADS} threads released together: expected exactly 1 call of the loader, measured {loads} (each load builds another heap copy)\n  idea:     OnceLock::get_or_init lets one thread load while the others wait for its result; checking, then loading, then setting lets them all load"
        );
        assert!(
            seen.iter().all(|&address| address == seen[0]),
            "race {round}: the threads got different Configs: {seen:x?}; every caller must get the same instance"
        );
        assert_eq!(cell.get_or_load(|| unreachable!()).name, "raced");
    }
    // The process-wide one: every thread gets the same instance.
    let seen = race(&config);
    assert!(
        seen.iter().all(|&address| address == seen[0]),
        "config() from {THREADS} threads: different Configs: {seen:x?}"
    );
    assert_eq!(config().max_connections, 64);
}
