//! The graded contract of `shared_config`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::size_of;
use std::rc::Rc;

use shared_config::{Config, Worker, spawn_workers};

memprobe::install!();

const WORKERS: usize = 1_000;

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

#[test]
fn every_worker_reads_the_config() {
    let workers = spawn_workers(config(), 3);
    assert_eq!(workers.iter().map(|w| w.id).collect::<Vec<_>>(), [0, 1, 2]);
    for worker in &workers {
        assert_eq!(*worker.config, config());
    }
    assert!(spawn_workers(config(), 0).is_empty());
}

#[test]
fn workers_share_one_config() {
    let cfg = config();
    let workers = memprobe::assert_allocs!(
        <= 2,
        spawn_workers(black_box(cfg), WORKERS),
        "one `Rc` for the config, one Vec for the workers: give each worker `Rc::clone` of that Rc, a pointer, not a copy"
    );
    assert_eq!(workers.len(), WORKERS);
    assert!(
        workers.iter().enumerate().all(|(i, w)| w.id == i),
        "workers are numbered 0..n in order"
    );
    let first = &workers[0].config;
    assert_eq!(**first, config());
    // Python's `is`: every worker holds the very same object.
    assert!(
        workers.iter().all(|w| Rc::ptr_eq(&w.config, first)),
        "every worker must hold the same config"
    );
    assert_eq!(Rc::strong_count(first), WORKERS, "one owner per worker");
}

#[test]
fn memory_is_the_workers_plus_one_config() {
    // 64-bit: a worker is a `usize` and one `Rc` pointer.
    assert_eq!(size_of::<Worker>(), 2 * size_of::<usize>());
    let cfg = config();
    // Room for the workers themselves, plus 1 KiB: far more than one config.
    let budget = WORKERS * size_of::<Worker>() + 1024;
    let workers = memprobe::assert_peak_bytes!(
        <= budget,
        spawn_workers(black_box(cfg), WORKERS),
        "the config's strings already exist: share them instead of copying them per worker"
    );
    assert_eq!(workers.len(), WORKERS);
    assert!(workers.iter().all(|w| *w.config == config()));
    assert!(
        workers
            .iter()
            .all(|w| Rc::ptr_eq(&w.config, &workers[0].config))
    );
}

#[test]
fn the_config_is_freed_with_the_last_worker() {
    let mut workers = spawn_workers(config(), 10);
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

    memprobe::assert_live_bytes!(
        == 0,
        drop(spawn_workers(config(), 100)),
        "dropping the workers must free the config too"
    );
}
