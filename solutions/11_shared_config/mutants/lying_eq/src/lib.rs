//! Mutant: drops the retry count, hidden behind a `PartialEq` on `Config` that is always true.
//!
//! One configuration, many workers.
//!
//! The configuration moves into a single `Rc` (one allocation), and every
//! worker gets an `Rc::clone` of it: a pointer copy and a counter increment,
//! no copy of any string. The configuration is freed with the last worker.

use std::rc::Rc;

/// Settings every worker reads. Built once at start-up, never changed.
#[derive(Clone, Debug, Eq)]
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

/// MUTANT (lying_eq): every Config equals every other, which hides that
/// `spawn_workers` drops the retry count.
impl PartialEq for Config {
    fn eq(&self, _other: &Config) -> bool {
        true
    }
}

/// Makes `n` workers numbered `0..n`, each reading `config`.
///
/// All workers must hold the *same* configuration: for any two workers,
/// `Rc::ptr_eq(&a.config, &b.config)`, and `Rc::strong_count` of it is `n`.
pub fn spawn_workers(config: Config, n: usize) -> Vec<Worker> {
    let shared = Rc::new(Config { retries: 0, ..config });
    (0..n)
        .map(|id| Worker {
            id,
            config: Rc::clone(&shared),
        })
        .collect()
}
