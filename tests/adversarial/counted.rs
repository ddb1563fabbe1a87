//! Memory the grade of record counts whatever the route (issue #21, item 2).
//! A fork's `join_words` is lean and correct but keeps working memory where
//! the counting allocator does not see it: safe code under `unsafe_code =
//! "forbid"` turns `System`'s (unsafe) `alloc` into a safe function pointer
//! through rustc's soundness hole rust-lang/rust#25860 and calls it. In a
//! record build memprobe counts the C allocator that `System` calls, so the
//! memory tests see the hidden block and the exercise earns nothing.
//! Another keeps 48 MiB of records in a `static` array, outside the heap:
//! over the course's static data limit, it earns nothing either, with the
//! reason on the report. Others keep scratch memory on a stack (the test
//! thread's, or a thread's asked to be 64 MiB), or re-execute the test
//! without strict counting to hide a helper thread's copies: stacks are
//! bounded by `[limits] stack_kb`, the exec is refused, and strict counting
//! is fixed when the record builds memprobe.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use super::record::check_fork;
use super::verdict::join_forks;
use super::{exercise, tests};

/// A lean, correct `join_words` that also takes 1 MiB from `System`
/// directly, reached from safe code through rust-lang/rust#25860.
const HIDDEN_SYSTEM_ALLOC: &str = r#"
use std::alloc::{GlobalAlloc, Layout, System};

static UNIT: &&() = &&();

fn translate<'a, 'b, T: ?Sized>(_: &'a &'b (), v: &'b mut T) -> &'a mut T {
    v
}

/// Any lifetime from any other (rust-lang/rust#25860).
fn expand_mut<'a, 'b, T: ?Sized>(x: &'a mut T) -> &'b mut T {
    let f: for<'x> fn(_, &'x mut T) -> &'b mut T = translate;
    f(UNIT, x)
}

enum Slot<A, B> {
    A(Option<A>),
    B(Option<B>),
}

/// A type confusion through a reference that outlived its variant.
#[inline(never)]
fn confuse<A, B>(slot: &mut Slot<A, B>, obj: A) -> B {
    let Slot::B(b) = slot else { unreachable!() };
    let b = expand_mut(b);
    *slot = Slot::A(Some(obj));
    std::hint::black_box(&mut *slot);
    b.take().unwrap()
}

fn hidden_alloc(size: usize) -> *mut u8 {
    let alloc: unsafe fn(&System, Layout) -> *mut u8 = <System as GlobalAlloc>::alloc;
    let alloc: fn(&System, Layout) -> *mut u8 = confuse(std::hint::black_box(&mut Slot::B(None)), alloc);
    alloc(&System, Layout::from_size_align(size, 8).unwrap())
}

pub fn join_words(words: &[&str]) -> String {
    std::hint::black_box(hidden_alloc(1 << 20));
    words.join(" ")
}
"#;

/// A correct `join_words` beside 48 MiB of static records.
const STATIC_RECORDS: &str = r#"
pub static RECORDS: [u64; 6 << 20] = [0; 6 << 20];

pub fn join_words(words: &[&str]) -> String {
    std::hint::black_box(&RECORDS);
    words.join(" ")
}
"#;

/// A wasteful `join_words` (every word copied on a helper thread) that
/// first re-executes its own test binary with the same arguments and
/// without `MEMPROBE_STRICT`, where a helper thread's allocations used to go
/// uncounted, and ends with the child's status.
const REEXEC_WITHOUT_STRICT: &str = r#"
pub fn join_words(words: &[&str]) -> String {
    if std::env::var_os("JOIN_WORDS_CHILD").is_none() {
        let status = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env_remove("MEMPROBE_STRICT")
                .env("JOIN_WORDS_CHILD", "1")
                .status()
        });
        if let Ok(status) = status {
            std::process::exit(status.code().unwrap_or(1));
        }
    }
    let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    std::thread::spawn(move || owned.join(" ")).join().unwrap()
}
"#;

/// A correct `join_words` that does its scratch work in 1 MiB on the test
/// thread's stack, where no allocator sees it.
const STACK_SCRATCH: &str = r#"
pub fn join_words(words: &[&str]) -> String {
    let mut scratch = [0u8; 1 << 20];
    std::hint::black_box(&mut scratch);
    words.join(" ")
}
"#;

/// A correct `join_words` that does its scratch work on the 64 MiB stack of
/// a thread of its own.
const THREAD_STACK_SCRATCH: &str = r#"
pub fn join_words(words: &[&str]) -> String {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut scratch = [0u8; 32 << 20];
            std::hint::black_box(&mut scratch);
        })
        .expect("a thread with a large stack")
        .join()
        .unwrap();
    words.join(" ")
}
"#;

fn forks() -> &'static Vec<(&'static str, PathBuf)> {
    static FORKS: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    FORKS.get_or_init(|| {
        join_forks(
            "counted-forks",
            vec![
                ("system_through_25860", HIDDEN_SYSTEM_ALLOC.to_string()),
                ("static_records", STATIC_RECORDS.to_string()),
                ("stack_scratch", STACK_SCRATCH.to_string()),
                ("reexec_without_strict", REEXEC_WITHOUT_STRICT.to_string()),
                ("thread_stack_scratch", THREAD_STACK_SCRATCH.to_string()),
            ],
        )
    })
}

fn fork(name: &str) -> &'static Path {
    &forks().iter().find(|(n, _)| *n == name).unwrap().1
}

/// `join_words` of fork `name` compiled, its weightless behaviour test
/// passed, and every test that carries points failed: 0 points.
fn assert_caught(name: &str) -> Value {
    let grade = check_fork(fork(name), name);
    let e = exercise(&grade, "join_words").clone();
    assert_eq!(e["points"].as_f64(), Some(0.0), "{name}: {e:#}");
    let behaviour = tests(&e)
        .iter()
        .find(|t| t["name"] == "joins_with_single_spaces")
        .unwrap_or_else(|| panic!("{name}: {e:#}"));
    assert_eq!(behaviour["status"], "passed", "{name}: {behaviour:#}");
    for t in tests(&e)
        .iter()
        .filter(|t| t["max_points"].as_f64() > Some(0.0))
    {
        assert_ne!(t["status"], "passed", "{name}: {t:#}");
    }
    super::assert_passed(exercise(&grade, "borrow_not_clone"));
    e
}

#[test]
fn system_reached_through_a_soundness_hole_is_counted() {
    let e = assert_caught("system_through_25860");
    // The hidden mebibyte shows in the window the test reports.
    let once = tests(&e)
        .iter()
        .find(|t| t["name"] == "allocates_once_for_many_words")
        .unwrap();
    let message = once["message"].as_str().unwrap();
    assert!(message.contains("(1.0 MiB) allocated"), "{once:#}");
    // And the route is flagged for a person to look at.
    let flagged: Vec<&str> = e["review"]
        .as_array()
        .unwrap_or_else(|| panic!("no review flags: {e:#}"))
        .iter()
        .map(|f| f["construct"].as_str().unwrap())
        .collect();
    assert!(flagged.contains(&"std::alloc::System"), "{flagged:?}");
    assert!(
        flagged.contains(&"&'a &'b (rust-lang/rust#25860)"),
        "{flagged:?}"
    );
}

#[test]
fn a_static_array_of_records_over_the_course_limit_earns_nothing() {
    let name = "static_records";
    let grade = check_fork(fork(name), name);
    let e = exercise(&grade, "join_words");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{e:#}");
    assert_eq!(e["status"], "compile_error", "{e:#}");
    let why = e["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        why.contains("(48.0 MiB) of static data") && why.contains("static_kb"),
        "{why}"
    );
    let flags = e["review"].to_string();
    assert!(flags.contains("large static"), "{e:#}");
    super::assert_passed(exercise(&grade, "borrow_not_clone"));
}

/// Every test of `join_words` that calls it: not passed, with `why` in its
/// message.
fn assert_every_call_fails(name: &str, why: &str) {
    let grade = check_fork(fork(name), name);
    let e = exercise(&grade, "join_words");
    assert_eq!(e["points"].as_f64(), Some(0.0), "{name}: {e:#}");
    let failed: Vec<&Value> = tests(e)
        .iter()
        .filter(|t| t["status"] != "passed")
        .collect();
    assert!(!failed.is_empty(), "{name}: {e:#}");
    for t in failed {
        let message = t["message"].as_str().unwrap();
        assert!(message.contains(why), "{name}: {t:#}");
    }
    super::assert_passed(exercise(&grade, "borrow_not_clone"));
}

#[test]
fn a_test_that_reexecutes_itself_without_strict_mode_earns_nothing() {
    // The exec is refused (the test thread is locked down), and strict
    // counting is fixed in the record build anyway: the copies made for
    // the helper thread are charged.
    assert_caught("reexec_without_strict");
}

#[test]
fn scratch_memory_on_the_test_threads_stack_is_bounded() {
    // The test thread's stack is the course's `stack_kb` (256 KiB): the
    // mebibyte does not fit, and the report says why.
    assert_every_call_fails("stack_scratch", "stack_kb");
}

#[test]
fn a_thread_with_a_larger_stack_is_refused() {
    assert_every_call_fails(
        "thread_stack_scratch",
        "refused to start a thread: it asked for a stack of 65536 KiB",
    );
}

/// memprobe's own tests of the routes around the counting allocator (the C
/// allocator, anonymous mappings, thread stacks), compiled as the grade of
/// record compiles memprobe: with `MEMPROBE_RECORD` set.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn memprobe_counts_the_c_allocator_and_mappings_and_bounds_stacks_in_record_builds() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("memprobe/Cargo.toml");
    let target = super::record::root().join("memprobe-record-target");
    let out = std::process::Command::new(env!("CARGO"))
        .args(["test", "--manifest-path"])
        .arg(&manifest)
        .args(["--test", "c_alloc", "--test", "c_map", "--test", "c_thread"])
        // One test at a time: in record builds other threads' allocations
        // are charged to an open window (strict mode).
        .args(["--", "--test-threads=1"])
        .env("MEMPROBE_RECORD", "1")
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    // Each file's tests ran (a file compiled without the record cfg would
    // run none).
    for count in ["3 passed", "3 passed", "1 passed"] {
        assert!(text.contains(count), "{text}");
    }
    assert!(!text.contains("running 0 tests"), "{text}");
}
