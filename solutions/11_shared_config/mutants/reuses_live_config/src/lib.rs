//! Mutant: The config is built once at start-up, so `spawn_workers` reuses the one still alive from an earlier call (kept in a thread-local `Weak`): a second call while workers live gets the old config, and the last block stays allocated.
// Family: wrong output on a second call; leak (a block kept after the last worker).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

thread_local! {
    /// The config the live workers share, if any.
    static CURRENT: RefCell<Weak<Config>> = const { RefCell::new(Weak::new()) };
}

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
    let shared = CURRENT.with(|current| {
        let live = current.borrow().upgrade();
        live.unwrap_or_else(|| {
            let fresh = Rc::new(config);
            *current.borrow_mut() = Rc::downgrade(&fresh);
            fresh
        })
    });
    (0..n)
        .map(|id| Worker {
            id,
            config: Rc::clone(&shared),
        })
        .collect()
}
