//! One configuration, many workers.
//!
//! Every worker needs to read the same configuration, and nobody changes it
//! after start-up. Giving each worker its own copy works, but it costs a full
//! copy of every string per worker. `Rc<T>` ("reference counted") lets many
//! owners share one value on the heap: `Rc::clone` copies a pointer and bumps
//! a counter, and the value is freed when the last owner goes away.
//!
//! This version clones the whole `Config` for every worker. Make all workers
//! share one.

use std::rc::Rc;

/// Settings every worker reads. Built once at start-up, never changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The service's name.
    pub name: String,
    /// The addresses to send requests to.
    pub endpoints: Vec<String>,
    /// How many times a failed request is retried.
    pub retries: u32,
}

/// One worker: its number and its handle on the configuration.
#[derive(Debug)]
pub struct Worker {
    /// `0..n`, in the order the workers were made.
    pub id: usize,
    /// The configuration this worker reads.
    pub config: Rc<Config>,
}

/// Makes `n` workers numbered `0..n`, each reading `config`.
///
/// All workers must hold the *same* configuration: for any two workers,
/// `Rc::ptr_eq(&a.config, &b.config)`, and `Rc::strong_count` of it is `n`.
pub fn spawn_workers(config: Config, n: usize) -> Vec<Worker> {
    (0..n)
        .map(|id| Worker {
            id,
            config: Rc::new(config.clone()),
        })
        .collect()
}
