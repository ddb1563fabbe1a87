//! The graded contract of `ConfigCell` and `config` on one thread (the race
//! between threads is in `tests/threads.rs`). Sizes are for 64-bit targets.
//!
//! The loaders and their counters belong to these tests: the code under test
//! receives the loader as a closure, so the count of loads is the test's own
//! evidence.

use std::hint::black_box;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};

use config_once::{CONFIG_TEXT, Config, ConfigCell, config};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: &str = config_once::CONFIG_TEXT;
const _: fn(&str) -> config_once::Config = config_once::Config::parse;
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
    same(&c.allowed_hosts, PhantomData::<Vec<String>>);
};

/// Compiles only when the value is of type `T` exactly.
fn same<T>(_: &T, _: PhantomData<T>) {}

/// A configuration's fields as standard types: the verdicts compare these,
/// never through `Config`'s own `PartialEq`.
fn fields(config: &Config) -> (&str, u32, Vec<&str>) {
    (
        config.name.as_str(),
        config.max_connections,
        config.allowed_hosts.iter().map(String::as_str).collect(),
    )
}

/// A configuration only the tests make, so a cell that loads anything but
/// the loader it was given is seen.
fn test_config(name: &str) -> Config {
    Config {
        name: name.to_string(),
        max_connections: 7,
        allowed_hosts: vec!["alpha".to_string(), "béta".to_string()],
    }
}

#[test]
fn loads_the_configured_values() {
    let config = config();
    assert_eq!(config.name, "memgrade");
    assert_eq!(config.max_connections, 64);
    assert_eq!(
        config.allowed_hosts,
        ["localhost", "127.0.0.1", "example.com"]
    );
    assert_eq!(fields(config), fields(&Config::parse(CONFIG_TEXT)));
    // A cell hands back what its loader made.
    let cell = ConfigCell::new();
    assert_eq!(
        fields(cell.get_or_load(|| test_config("from the test"))),
        ("from the test", 7, vec!["alpha", "béta"])
    );
}

#[test]
fn later_calls_allocate_nothing() {
    let loads = AtomicUsize::new(0);
    let cell = memprobe::assert_allocs!(
        == 0,
        ConfigCell::new(),
        "an empty cell is an empty OnceLock: no heap"
    );
    let first = cell.get_or_load(|| {
        loads.fetch_add(1, Ordering::SeqCst);
        test_config("first")
    });
    for _ in 0..3 {
        let later = memprobe::assert_allocs!(
            == 0,
            cell.get_or_load(|| {
                loads.fetch_add(1, Ordering::SeqCst);
                test_config("later")
            }),
            "keep the loaded Config in the cell (a OnceLock) and return a reference to it"
        );
        assert!(
            std::ptr::eq(first, later),
            "two calls returned two different Configs (at {first:p} and {later:p}); every caller must get the same instance"
        );
    }
    assert_eq!(fields(first), ("first", 7, vec!["alpha", "béta"]));
    let loads = loads.load(Ordering::SeqCst);
    assert_eq!(
        loads, 1,
        "four calls on one cell ran the test's loaders {loads} times; only the first call may load"
    );
    // The process-wide one, through a `static` cell.
    let first = config();
    let later = memprobe::assert_allocs!(
        == 0,
        black_box(config()),
        "config() reads a static ConfigCell: after the first call, nothing to allocate"
    );
    assert!(
        std::ptr::eq(first, later),
        "config() returned two different Configs (at {first:p} and {later:p})"
    );
}

#[test]
fn dropping_the_cell_frees_the_config() {
    // What the configuration itself owns on the heap: its name, its list of
    // hosts (2 × 24 bytes) and their text. Measured, not guessed.
    let (config, own) = memprobe::measure(|| test_config("dropped with its cell"));
    let own = own.live_bytes;
    drop(config);
    let loads = AtomicUsize::new(0);
    let (cell, loaded) = memprobe::measure(|| {
        let cell = ConfigCell::new();
        let config = cell.get_or_load(|| {
            loads.fetch_add(1, Ordering::SeqCst);
            test_config("dropped with its cell")
        });
        assert_eq!(config.max_connections, 7);
        cell
    });
    assert_eq!(loads.load(Ordering::SeqCst), 1, "one call, one load");
    // While the cell lives it holds exactly the configuration's own bytes:
    // the Config sits inside the cell, not in another box.
    memprobe::enforce(
        memprobe::Metric::LiveBytes,
        memprobe::Budget::Exactly(own as usize),
        &loaded,
        "a ConfigCell after one get_or_load",
        "store the Config itself in the cell (OnceLock<Config>), not a leaked or boxed copy",
    );
    let (_, dropped) = memprobe::measure(move || {
        let _dropped_here = cell;
    });
    assert_eq!(
        dropped.live_bytes, -own,
        "dropping the cell gave back {} of the {own} bytes its configuration holds\n  idea:     the cell owns its Config: no Box::leak",
        -dropped.live_bytes
    );
}
