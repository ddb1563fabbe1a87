//! Mutant: a `loading` flag read, then written (two threads can both load), left set forever when the loader panics.
//!
//! A process-wide configuration: loaded once, shared by every caller, like a
//! Python module-level singleton.
//!
//! A `ConfigCell` wraps a `OnceLock<Config>`. The first caller runs the
//! loader; callers arriving at the same moment wait for it instead of loading
//! their own copy; every later caller gets a reference to the same value,
//! with no allocation. The value lives inside the cell, so it goes when the
//! cell does; `config()` keeps one cell in a `static`, for the whole process.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

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
pub const CONFIG_TEXT: &str = "\
name = memgrade
max_connections = 64
allowed_hosts = localhost, 127.0.0.1, example.com
";

impl Config {
    /// Parses a configuration file of `key = value` lines: work that should
    /// happen once per process. (Keep this as it is.)
    pub fn parse(text: &str) -> Config {
        let mut config = Config {
            name: String::new(),
            max_connections: 0,
            allowed_hosts: Vec::new(),
        };
        for line in text.lines() {
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

/// A slot for one [`Config`], loaded on first use: the singleton behind
/// [`config`], and usable on its own (the tests make fresh ones).
#[derive(Debug, Default)]
pub struct ConfigCell {
    config: OnceLock<Config>,
    /// Set by the thread that loads; the others wait for the value.
    loading: AtomicBool,
}

impl ConfigCell {
    /// An empty cell. It does not allocate, and it can initialise a
    /// `static`.
    pub const fn new() -> ConfigCell {
        ConfigCell {
            config: OnceLock::new(),
            loading: AtomicBool::new(false),
        }
    }

    /// Returns the configuration in this cell, calling `load` to make it if
    /// the cell is empty.
    ///
    /// MUTANT: the flag is read, then written (two steps, not one
    /// compare-exchange): two threads can both read `false` and both load.
    /// And a loader that panics leaves the flag set forever, so every later
    /// caller waits for a value that never comes.
    pub fn get_or_load(&self, load: impl FnOnce() -> Config) -> &Config {
        if let Some(config) = self.config.get() {
            return config;
        }
        if !self.loading.load(Ordering::Acquire) {
            self.loading.store(true, Ordering::Release);
            let _ = self.config.set(load());
        }
        loop {
            if let Some(config) = self.config.get() {
                return config;
            }
            std::thread::yield_now();
        }
    }
}

/// Returns the process-wide configuration, parsed from [`CONFIG_TEXT`] on the
/// first call. Every later call, from any thread, returns the same instance
/// without parsing or allocating anything. (Keep this as it is: it is
/// [`ConfigCell`] that does the work.)
pub fn config() -> &'static Config {
    static CONFIG: ConfigCell = ConfigCell::new();
    CONFIG.get_or_load(|| Config::parse(CONFIG_TEXT))
}
