//! The graded contract of `ConfigCell` when threads race for the first call.
//! Kept apart from `tests/memory.rs`: it spawns threads, and it measures no
//! memory (the count of loads, kept by the test's own loader, is the
//! evidence).
//!
//! The races are forced, not left to luck: a loader that the test holds
//! open puts a second caller into the cell *while* the first one is loading
//! (a cell that checks, then loads, then sets loads twice there, every run),
//! a loader that panics checks that the cell is still usable after it, and a
//! loader held open and then failing checks that a caller waiting for it
//! wakes up and loads (a `loading` flag spun on never lets it go).
//! The many-thread rounds release their threads with a spin barrier, so they
//! enter `get_or_load` within nanoseconds of each other.

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use config_once::{Config, ConfigCell, config};

memprobe::install!();

// The graded signatures these races call (tests/memory.rs pins the rest):
// a cell whose methods return other types does not compile against them.
const _: fn() -> config_once::ConfigCell = config_once::ConfigCell::new;
const _: for<'a> fn(
    &'a config_once::ConfigCell,
    fn() -> config_once::Config,
) -> &'a config_once::Config = config_once::ConfigCell::get_or_load;
const _: fn() -> &'static config_once::Config = config_once::config;

/// The graded fields, as exactly these types (a reference to a type of
/// the crate's own, even one that dereferences to them, does not
/// compile): the tests read them, never through the crate's own `==`.
const _: fn(&config_once::Config) = |c| {
    same(&c.name, PhantomData::<String>);
    same(&c.max_connections, PhantomData::<u32>);
};

/// Compiles only when the value is of type `T` exactly.
fn same<T>(_: &T, _: PhantomData<T>) {}

const THREADS: usize = 8;

/// Rounds of the many-thread race, each on a fresh cell.
const ROUNDS: usize = 1_000;

/// How long a correct cell keeps the second caller waiting before the test
/// lets the first load finish. A cell that loads again does so within
/// microseconds of the call; this only has to outlast a scheduler's delay.
const GRACE: Duration = Duration::from_millis(400);

/// How long a call may take on a cell whose loader has finished (or
/// panicked) before the test calls the cell stuck.
const STUCK: Duration = Duration::from_secs(3);

fn made_by(name: &str) -> Config {
    Config {
        name: name.to_string(),
        max_connections: 8,
        allowed_hosts: Vec::new(),
    }
}

/// A spin barrier with a timed release: every thread of a round spins (no
/// sleeping, no futex) until the whole round has arrived; the last one sets
/// a start time a few microseconds ahead, and all of them spin on the clock
/// until it passes, so the threads running at that moment leave within
/// nanoseconds of each other (a plain barrier wakes them one by one).
struct StartLine {
    base: Instant,
    arrived: AtomicUsize,
    /// Nanoseconds after `base` at which round `r` starts, per round.
    start_at: Vec<AtomicU64>,
}

impl StartLine {
    fn new(rounds: usize) -> StartLine {
        StartLine {
            base: Instant::now(),
            arrived: AtomicUsize::new(0),
            start_at: (0..rounds).map(|_| AtomicU64::new(u64::MAX)).collect(),
        }
    }

    fn wait(&self, round: usize) {
        let target = (round + 1) * THREADS;
        if self.arrived.fetch_add(1, Ordering::SeqCst) + 1 == target {
            let at = self.base.elapsed().as_nanos() as u64 + 20_000;
            self.start_at[round].store(at, Ordering::SeqCst);
        }
        let mut spins = 0u32;
        loop {
            let at = self.start_at[round].load(Ordering::SeqCst);
            if at != u64::MAX && self.base.elapsed().as_nanos() as u64 >= at {
                return;
            }
            spins += 1;
            if at == u64::MAX && spins.is_multiple_of(32) {
                // Only 2 cores may run 8 threads: let the late ones arrive.
                thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
    }
}

#[test]
fn a_caller_arriving_during_the_load_waits_for_it() {
    let cell = ConfigCell::new();
    let cell = &cell;
    let loads = &AtomicUsize::new(0);
    let (inside_tx, inside_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (second_tx, second_rx) = mpsc::channel::<()>();
    let (calling_tx, calling_rx) = mpsc::channel::<()>();
    let (first, second, second_loaded) = thread::scope(|scope| {
        let first = scope.spawn(move || {
            let config = cell.get_or_load(|| {
                loads.fetch_add(1, Ordering::SeqCst);
                inside_tx.send(()).unwrap();
                // The test holds this load open until the second caller
                // has had every chance to load too.
                release_rx.recv().unwrap();
                made_by("the first caller")
            });
            (config as *const Config as usize, config.name.clone())
        });
        // Deterministic: the first caller is inside its loader now.
        inside_rx.recv().unwrap();
        let second = scope.spawn(move || {
            calling_tx.send(()).unwrap();
            let config = cell.get_or_load(|| {
                loads.fetch_add(1, Ordering::SeqCst);
                second_tx.send(()).unwrap();
                made_by("the second caller")
            });
            (config as *const Config as usize, config.name.clone())
        });
        calling_rx.recv().unwrap();
        // The second caller is about to call. A cell that loads again runs
        // the second loader right away; a correct one makes it wait.
        let second_loaded = second_rx.recv_timeout(GRACE).is_ok();
        release_tx.send(()).unwrap();
        (first.join().unwrap(), second.join().unwrap(), second_loaded)
    });
    let loads = loads.load(Ordering::SeqCst);
    assert!(
        !second_loaded && loads == 1,
        "a second caller arrived while the first one's loader was still running, and the cell ran the second loader too ({loads} loads)\n  idea:     a caller that finds the cell empty must wait for the load in progress (OnceLock::get_or_init does); checking get(), then loading, then set() lets both load"
    );
    assert_eq!(
        (first.1.as_str(), second.1.as_str()),
        ("the first caller", "the first caller"),
        "both callers must get the first caller's Config"
    );
    assert_eq!(
        first.0, second.0,
        "the two callers got two different Configs (at {:#x} and {:#x}); every caller must get the same instance",
        first.0, second.0
    );
}

/// Runs `f` on a helper thread and returns its result, or `None` when it
/// has not finished after [`STUCK`] (the thread is left behind: a cell that
/// waits forever cannot be stopped from outside).
fn within_time<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(STUCK).ok()
}

#[test]
fn a_panicking_loader_leaves_the_cell_usable() {
    // A 'static cell, so a call stuck in it can be left behind on its thread.
    let cell: &'static ConfigCell = Box::leak(Box::new(ConfigCell::new()));
    let panicked = within_time(move || {
        std::panic::catch_unwind(|| {
            cell.get_or_load(|| panic!("the test's loader fails on purpose"));
        })
        .is_err()
    });
    assert_eq!(
        panicked,
        Some(true),
        "`get_or_load` with a loader that panics must let the panic reach the caller (and return)"
    );
    let loads: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let after = within_time(move || {
        let config = cell.get_or_load(|| {
            loads.fetch_add(1, Ordering::SeqCst);
            made_by("after the panic")
        });
        config.name.clone()
    });
    let Some(name) = after else {
        panic!(
            "after a loader panicked, the next `get_or_load` did not return a Config (it panicked, or was still waiting {STUCK:?} later): the cell is stuck (a `loading` flag left set, a poisoned lock)\n  idea:     a failed load must leave the cell empty, so the next caller loads (OnceLock::get_or_init does; a flag needs a guard that clears it on unwind)"
        );
    };
    assert_eq!(
        (name.as_str(), loads.load(Ordering::SeqCst)),
        ("after the panic", 1),
        "after a loader panicked, the next call must run its own loader once and return its Config"
    );
}

#[test]
fn a_waiting_caller_loads_after_a_failed_load() {
    // Forced, like the test above: the first caller's loader is held open
    // while a second caller arrives and waits, then it panics. The waiting
    // caller must not hang: the cell is still empty, so it runs its own
    // loader (once, and only after the first one failed) and returns that
    // Config. A `loading` flag that the waiting caller spins on never lets
    // it go, whether or not the flag is cleared on unwind.
    // 'static, so a caller stuck in the cell can be left behind on its thread.
    let cell: &'static ConfigCell = Box::leak(Box::new(ConfigCell::new()));
    let first_failed: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let second_loads: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let early: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    let (inside_tx, inside_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let first = thread::spawn(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cell.get_or_load(|| {
                inside_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                first_failed.store(1, Ordering::SeqCst);
                panic!("the test's first loader fails on purpose");
            });
        }))
        .is_err()
    });
    inside_rx.recv().unwrap();
    let (calling_tx, calling_rx) = mpsc::channel::<()>();
    let (second_tx, second_rx) = mpsc::channel::<(usize, String)>();
    thread::spawn(move || {
        calling_tx.send(()).unwrap();
        let config = cell.get_or_load(|| {
            second_loads.fetch_add(1, Ordering::SeqCst);
            if first_failed.load(Ordering::SeqCst) == 0 {
                early.store(1, Ordering::SeqCst);
            }
            made_by("the second caller")
        });
        let _ = second_tx.send((config as *const Config as usize, config.name.clone()));
    });
    calling_rx.recv().unwrap();
    // Let the second caller get into the cell and wait there.
    thread::sleep(GRACE);
    release_tx.send(()).unwrap();
    assert!(
        first.join().unwrap(),
        "the first caller's loader panicked: `get_or_load` must let that panic reach it"
    );
    let Ok((address, name)) = second_rx.recv_timeout(STUCK) else {
        panic!(
            "a caller that waited while another thread's load failed did not return a Config (it panicked, or was still waiting {STUCK:?} later): the cell is stuck\n  idea:     a waiting caller must wake up when the load in progress fails and load itself (OnceLock::get_or_init does); a caller spinning until a `loading` flag's value appears waits forever"
        );
    };
    assert_eq!(
        (
            early.load(Ordering::SeqCst),
            second_loads.load(Ordering::SeqCst)
        ),
        (0, 1),
        "the waiting caller must load once, and only after the first load failed (not while it was running)"
    );
    assert_eq!(
        name, "the second caller",
        "the waiting caller gets the Config its own loader made"
    );
    let later = cell.get_or_load(|| unreachable!("the cell holds the second caller's Config"));
    assert_eq!(
        later as *const Config as usize, address,
        "a later call gets the same instance"
    );
}

#[test]
fn eight_racing_threads_load_once() {
    let cells: Vec<ConfigCell> = (0..ROUNDS).map(|_| ConfigCell::new()).collect();
    let loads: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
    let start = StartLine::new(ROUNDS);
    // The first round that loaded twice (ROUNDS: none yet). Every thread
    // finishes round r before any passes the barrier of round r + 1, so
    // all of them see the same value there and stop together.
    let failed = AtomicUsize::new(ROUNDS);
    let seen: Vec<Vec<usize>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    let mut seen = Vec::with_capacity(ROUNDS);
                    for round in 0..ROUNDS {
                        start.wait(round);
                        if failed.load(Ordering::SeqCst) < round {
                            break;
                        }
                        let config = cells[round].get_or_load(|| {
                            loads[round].fetch_add(1, Ordering::SeqCst);
                            made_by("raced")
                        });
                        if loads[round].load(Ordering::SeqCst) > 1 {
                            failed.fetch_min(round, Ordering::SeqCst);
                        }
                        seen.push(config as *const Config as usize);
                    }
                    seen
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (round, loads) in loads.iter().enumerate() {
        let loads = loads.load(Ordering::SeqCst);
        assert!(
            loads <= 1,
            "race {} of {ROUNDS}: `get_or_load` from {THREADS} threads released together: expected exactly 1 call of the loader, measured {loads} (each load builds another heap copy)\n  idea:     OnceLock::get_or_init lets one thread load while the others wait for its result; a flag read and then written lets two threads both read `false`",
            round + 1
        );
    }
    for (round, cell) in cells.iter().enumerate() {
        let addresses: Vec<usize> = seen.iter().map(|s| s[round]).collect();
        assert!(
            addresses.iter().all(|&a| a == addresses[0]),
            "race {}: the threads got different Configs: {addresses:x?}; every caller must get the same instance",
            round + 1
        );
        assert_eq!(
            loads[round].load(Ordering::SeqCst),
            1,
            "race {}: one load",
            round + 1
        );
        assert_eq!(cell.get_or_load(|| unreachable!()).name, "raced");
    }
    // The process-wide one: every thread gets the same instance.
    let start = StartLine::new(1);
    let seen: Vec<usize> = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    start.wait(0);
                    config() as *const Config as usize
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        seen.iter().all(|&address| address == seen[0]),
        "config() from {THREADS} threads: different Configs: {seen:x?}"
    );
    assert_eq!(config().max_connections, 64);
}
