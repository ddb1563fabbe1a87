//! Mutant: ignores the loader it is given (parses CONFIG_TEXT itself), hidden behind a `PartialEq` on `Config` that is always true.
// Family: counter or loader in student code (the caller's loader, and its count, never run).

//! A process-wide configuration: loaded once, shared by every caller, like a
//! Python module-level singleton.
//!
//! A `ConfigCell` wraps a `OnceLock<Config>`. The first caller runs the
//! loader; callers arriving at the same moment wait for it instead of loading
//! their own copy; every later caller gets a reference to the same value,
//! with no allocation. The value lives inside the cell, so it goes when the
//! cell does; `config()` keeps one cell in a `static`, for the whole process.

use std::sync::OnceLock;

/// The settings of the program.
#[derive(Debug)]
pub struct Config {
    /// The program's name.
    pub name: String,
    /// How many connections may be open at once.
    pub max_connections: u32,
    /// The hosts that may connect.
    pub allowed_hosts: Vec<String>,
}

/// MUTANT: every Config equals every other, so a check through `==`
/// cannot see that the cell ignores its loader.
impl PartialEq for Config {
    fn eq(&self, _other: &Config) -> bool {
        true
    }
}

impl Eq for Config {}

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
}

impl ConfigCell {
    /// An empty cell. It does not allocate, and it can initialise a
    /// `static`.
    pub const fn new() -> ConfigCell {
        ConfigCell {
            config: OnceLock::new(),
        }
    }

    /// Returns the configuration in this cell, calling `load` to make it if
    /// the cell is empty. Every later call, from any thread, returns the
    /// same instance without calling its `load` or allocating anything; if
    /// several threads make the first call at the same time, exactly one
    /// `load` runs and all of them get its result.
    pub fn get_or_load(&self, _load: impl FnOnce() -> Config) -> &Config {
        self.config.get_or_init(|| Config::parse(CONFIG_TEXT))
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
