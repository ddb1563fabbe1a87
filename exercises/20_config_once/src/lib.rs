//! A process-wide configuration: loaded once, shared by every caller, like a
//! Python module-level singleton.
//!
//! This version works, but `config()` loads a fresh `Config` on every call
//! and leaks it to hand out a `&'static` reference: every call allocates, and
//! every caller gets a different copy. Load it once per process, even when
//! several threads ask for it at the same moment, and give everyone the same
//! instance.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The settings of the program.
#[derive(Debug, PartialEq, Eq)]
pub struct Config {
    /// The program's name.
    pub name: String,
    /// How many connections may be open at once.
    pub max_connections: u32,
    /// The hosts that may connect.
    pub allowed_hosts: Vec<String>,
}

/// The configuration file, built in so the exercise needs no file system.
const CONFIG_TEXT: &str = "\
name = memgrade
max_connections = 64
allowed_hosts = localhost, 127.0.0.1, example.com
";

/// How many times [`Config::load`] has run in this process.
static LOADS: AtomicUsize = AtomicUsize::new(0);

impl Config {
    /// Parses the configuration file: work that should happen once per
    /// process. Every call is counted by [`load_count`]. (Keep this as it is.)
    fn load() -> Config {
        LOADS.fetch_add(1, Ordering::SeqCst);
        let mut config = Config {
            name: String::new(),
            max_connections: 0,
            allowed_hosts: Vec::new(),
        };
        for line in CONFIG_TEXT.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            match key.trim() {
                "name" => config.name = value.trim().to_string(),
                "max_connections" => config.max_connections = value.trim().parse().unwrap(),
                "allowed_hosts" => {
                    config.allowed_hosts = value.split(',').map(|h| h.trim().to_string()).collect()
                }
                _ => {}
            }
        }
        config
    }
}

/// How many times the configuration has been loaded in this process.
/// (Keep this as it is: the tests read it.)
pub fn load_count() -> usize {
    LOADS.load(Ordering::SeqCst)
}

/// Returns the process-wide configuration, loading it on the first call.
/// Every later call, from any thread, returns the same instance without
/// loading or allocating anything; if several threads make the first call at
/// the same time, the configuration is still loaded only once.
pub fn config() -> &'static Config {
    Box::leak(Box::new(Config::load()))
}
