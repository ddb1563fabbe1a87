//! The graded contract of `config` on one thread (the race between threads is
//! in `tests/threads.rs`). Sizes are for 64-bit targets.

use std::hint::black_box;

use config_once::{config, load_count};

memprobe::install!();

#[test]
fn loads_the_configured_values() {
    let config = config();
    assert_eq!(config.name, "memgrade");
    assert_eq!(config.max_connections, 64);
    assert_eq!(
        config.allowed_hosts,
        ["localhost", "127.0.0.1", "example.com"]
    );
}

#[test]
fn later_calls_allocate_nothing() {
    let first = config();
    let later = memprobe::assert_allocs!(
        == 0,
        black_box(config()),
        "keep the loaded Config in a static OnceLock (or LazyLock) and return a reference to it"
    );
    assert!(
        std::ptr::eq(first, later),
        "two calls returned two different Configs (at {first:p} and {later:p}); every caller must get the same instance"
    );
    assert_eq!(later.name, "memgrade");
    // Every call in this process so far went through `config()`: once loaded,
    // the count stays 1 however many tests share the process.
    assert_eq!(
        load_count(),
        1,
        "the configuration was loaded {} times",
        load_count()
    );
}
