//! The graded contract of `shared_config`. Sizes are for 64-bit targets.
//!
//! The tests try every worker count in `memprobe::inputs::SIZES` (0 to
//! 4,097), and 70,001 (more than a 16-bit id can number), with generated configurations (non-ASCII names, 0 to 5 endpoints,
//! retry counts up to `u32::MAX`), check every worker's id and config, and
//! check that the memory goes back when the last worker goes. Configs are
//! compared field by field, never through `Config`'s own `PartialEq`.

use std::hint::black_box;
use std::marker::PhantomData;
use std::mem::size_of;
use std::rc::Rc;

use memprobe::inputs::{Rng, SIZES};
use shared_config::{Config, Worker, spawn_workers};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(shared_config::Config, usize) -> Vec<shared_config::Worker> =
    shared_config::spawn_workers;

/// The graded fields, as exactly these types (a reference to a type of
/// the crate's own, even one that dereferences to them, does not
/// compile): the tests read them, never through the crate's own `==`.
const _: fn(&shared_config::Config, &shared_config::Worker) = |c, w| {
    same(&c.name, PhantomData::<String>);
    same(&c.endpoints, PhantomData::<Vec<String>>);
    same(&c.retries, PhantomData::<u32>);
    same(&w.id, PhantomData::<usize>);
    same(&w.config, PhantomData::<std::rc::Rc<shared_config::Config>>);
};

/// Compiles only when the value is of type `T` exactly.
fn same<T>(_: &T, _: PhantomData<T>) {}

const WORKERS: usize = 1_000;

/// More workers than a 16-bit id can number.
const MANY: usize = 70_001;

fn config() -> Config {
    Config {
        name: "image-resizer".to_string(),
        endpoints: vec![
            "https://eu-1.example.com/resize".to_string(),
            "https://eu-2.example.com/resize".to_string(),
            "https://us-1.example.com/resize".to_string(),
        ],
        retries: 3,
    }
}

/// A generated configuration: a name that may not be ASCII, 0 to 5
/// endpoints, and a retry count anywhere in the `u32` range.
fn generated_config(rng: &mut Rng) -> Config {
    let endpoints = rng.range(0..=5);
    Config {
        name: rng.word(1..=12, true),
        endpoints: (0..endpoints)
            .map(|_| format!("https://{}.example.com/", rng.word(1..=8, true)))
            .collect(),
        retries: rng.next_u64() as u32,
    }
}

/// Bytes of the one `Rc` allocation: the strong and weak counters, then the
/// `Config` itself (its strings are already on the heap and move in).
fn rc_config_block() -> usize {
    2 * size_of::<usize>() + size_of::<Config>()
}

/// Checks ids and values: worker `i` has id `i` and reads `want`.
#[track_caller]
fn assert_workers(workers: &[Worker], n: usize, want: &Config) {
    assert_eq!(workers.len(), n, "one worker per id");
    for (i, worker) in workers.iter().enumerate() {
        assert_eq!(worker.id, i, "workers are numbered 0..n in order");
        // The fields, never through Config's own PartialEq.
        let c = &*worker.config;
        assert!(
            c.name == want.name && c.endpoints == want.endpoints && c.retries == want.retries,
            "worker {i} reads the config it was given: name {:?}, {} endpoints, retries {} (expected {:?}, {}, {})",
            c.name,
            c.endpoints.len(),
            c.retries,
            want.name,
            want.endpoints.len(),
            want.retries
        );
    }
}

/// Checks that all workers hold one and the same config, owned by them only.
#[track_caller]
fn assert_shared(workers: &[Worker]) {
    let Some(first) = workers.first() else {
        return;
    };
    // Python's `is`: every worker holds the very same object.
    for (i, worker) in workers.iter().enumerate() {
        assert!(
            Rc::ptr_eq(&worker.config, &first.config),
            "worker {i} must hold the same config as worker 0"
        );
    }
    assert_eq!(
        Rc::strong_count(&first.config),
        workers.len(),
        "one owner per worker, and no other"
    );
    assert_eq!(
        Rc::weak_count(&first.config),
        0,
        "nothing else keeps a handle on the config, not even a `Weak` one"
    );
}

#[test]
fn every_worker_reads_the_config() {
    let workers = spawn_workers(config(), 3);
    assert_workers(&workers, 3, &config());
    assert!(spawn_workers(config(), 0).is_empty());

    // A second call, while the first workers are still alive, gets its own
    // config: each set of workers reads the config it was made with.
    let mut rng = Rng::new(11);
    let other = generated_config(&mut rng);
    let others = spawn_workers(other.clone(), 5);
    assert_workers(&others, 5, &other);
    assert_workers(&workers, 3, &config());
    for n in SIZES.into_iter().chain([MANY]) {
        let cfg = generated_config(&mut rng);
        assert_workers(&spawn_workers(cfg.clone(), n), n, &cfg);
    }
}

#[test]
fn workers_share_one_config() {
    let cfg = config();
    let workers = memprobe::assert_allocs!(
        <= 2,
        spawn_workers(black_box(cfg), WORKERS),
        "one `Rc` for the config, one Vec for the workers: give each worker `Rc::clone` of that Rc, a pointer, not a copy"
    );
    assert_workers(&workers, WORKERS, &config());
    assert_shared(&workers);

    let mut rng = Rng::new(12);
    for n in SIZES {
        let cfg = generated_config(&mut rng);
        let want = cfg.clone();
        let more = memprobe::assert_allocs!(
            <= 2,
            spawn_workers(black_box(cfg), n),
            "one `Rc` for the config, one Vec for the workers"
        );
        assert_workers(&more, n, &want);
        assert_shared(&more);
        if let Some(worker) = more.first() {
            assert!(
                !Rc::ptr_eq(&worker.config, &workers[0].config),
                "a new call shares a new config, not an older one"
            );
        }
    }
}

#[test]
fn memory_is_the_workers_plus_one_config() {
    // 64-bit: a worker is a `usize` and one `Rc` pointer.
    assert_eq!(size_of::<Worker>(), 2 * size_of::<usize>());
    let mut rng = Rng::new(13);
    for n in SIZES.into_iter().chain([WORKERS, MANY]) {
        let cfg = generated_config(&mut rng);
        let want = cfg.clone();
        // The Vec of exactly `n` workers and the one `Rc` block: the config's
        // strings already exist and move into it.
        let budget = n * size_of::<Worker>() + rc_config_block();
        let workers = memprobe::assert_peak_bytes!(
            <= budget,
            spawn_workers(black_box(cfg), n),
            "the config's strings already exist: share them instead of copying them per worker, and size the Vec to n"
        );
        assert_workers(&workers, n, &want);
        assert_shared(&workers);
        assert_eq!(workers.capacity(), workers.len(), "no spare slots");
    }
}

#[test]
fn the_config_is_freed_with_the_last_worker() {
    // Everything this test makes on this thread, from its first call on, is
    // made inside one window: when every worker is gone, nothing may remain
    // (no config, no counter block, no cache).
    memprobe::assert_live_bytes!(
        == 0,
        {
            let mut rng = Rng::new(14);
            for n in SIZES {
                let cfg = generated_config(&mut rng);
                let mut workers = spawn_workers(cfg, n);
                if n > 0 {
                    let weak = Rc::downgrade(&workers[0].config);
                    workers.truncate(1);
                    assert!(
                        weak.upgrade().is_some(),
                        "one worker left: the config is still there"
                    );
                    drop(workers);
                    assert!(
                        weak.upgrade().is_none(),
                        "no worker left: the config is gone"
                    );
                }
            }
        },
        "dropping the last worker must free the config; keep nothing else (no cache, no forgotten handle)"
    );
}
