//! Alternative: `std::iter::repeat_n(Rc::new(config), n)` hands out `n` handles (clones of the first, the original itself last), numbered with `enumerate`.
//!
//! `repeat_n` knows its length, so `collect` sizes the Vec once, and the
//! last worker receives the original `Rc` instead of one more clone.

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
    std::iter::repeat_n(Rc::new(config), n)
        .enumerate()
        .map(|(id, config)| Worker { id, config })
        .collect()
}
