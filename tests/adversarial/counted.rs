//! Memory the grade of record counts whatever the route (issue #21, item 2).
//! A fork's `join_words` is lean and correct but keeps working memory where
//! the counting allocator does not see it: safe code under `unsafe_code =
//! "forbid"` turns `System`'s (unsafe) `alloc` into a safe function pointer
//! through rustc's soundness hole rust-lang/rust#25860 and calls it. In a
//! record build memprobe counts the C allocator that `System` calls, so the
//! memory tests see the hidden block and the exercise earns nothing.
//! Another keeps 48 MiB of records in a `static` array, outside the heap:
//! over the course's static data limit, it earns nothing either, with the
//! reason on the report.

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

fn forks() -> &'static Vec<(&'static str, PathBuf)> {
    static FORKS: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    FORKS.get_or_init(|| {
        join_forks(
            "counted-forks",
            vec![
                ("system_through_25860", HIDDEN_SYSTEM_ALLOC.to_string()),
                ("static_records", STATIC_RECORDS.to_string()),
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
