//! The graded contract of `IntCache`. Sizes are for 64-bit targets: an
//! `Rc<Int>` is one 8-byte pointer, and the block it points to holds two
//! 8-byte counts and the 8-byte value.

use std::hint::black_box;
use std::marker::PhantomData;
use std::mem::size_of;
use std::rc::Rc;

use memprobe::inputs::Rng;
use memprobe::{Budget, Metric};
use small_int_cache::{Int, IntCache, SMALL_MAX, SMALL_MIN};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: i64 = small_int_cache::SMALL_MIN;
const _: i64 = small_int_cache::SMALL_MAX;
const _: fn() -> small_int_cache::IntCache = small_int_cache::IntCache::new;
const _: fn(&small_int_cache::IntCache, i64) -> std::rc::Rc<small_int_cache::Int> =
    small_int_cache::IntCache::get;

/// The graded fields, as exactly these types (a reference to a type of
/// the crate's own, even one that dereferences to them, does not
/// compile): the tests read them, never through the crate's own `==`.
const _: fn(&small_int_cache::Int) = |i| {
    same(&i.value, PhantomData::<i64>);
};

/// Compiles only when the value is of type `T` exactly.
fn same<T>(_: &T, _: PhantomData<T>) {}

/// Values that an index computed in a smaller integer type (or without
/// checking the range first) gets wrong: beyond `i32` and `u32`, equal to a
/// small value modulo 2³² or 2¹⁶, and next to `i64`'s own limits.
const BEYOND_SMALL_TYPES: [i64; 14] = [
    1 << 32,
    (1 << 32) + 7,
    (1 << 32) - 5,
    -(1 << 32) + 256,
    (1 << 16) + 7,
    i32::MAX as i64,
    i32::MAX as i64 + 1,
    i32::MIN as i64,
    i32::MIN as i64 - 1,
    u32::MAX as i64 + 1,
    i64::MIN,
    i64::MIN + 1,
    i64::MAX - 1,
    i64::MAX - 250,
];

#[test]
fn gets_the_right_value() {
    let cache = IntCache::new();
    for n in [
        i64::MIN,
        -1000,
        -6,
        -5,
        -1,
        0,
        1,
        42,
        255,
        256,
        257,
        1000,
        i64::MAX,
    ]
    .into_iter()
    .chain(BEYOND_SMALL_TYPES)
    {
        assert_eq!(cache.get(n).value, n);
    }
    // A default cache is a full cache.
    let default = IntCache::default();
    for n in [SMALL_MIN, 0, 7, SMALL_MAX, SMALL_MAX + 1, i64::MIN] {
        assert_eq!(default.get(n).value, n);
    }
}

#[test]
fn large_values_are_separate_objects() {
    let cache = IntCache::new();
    for n in [-6, 257, 1000].into_iter().chain(BEYOND_SMALL_TYPES) {
        let (a, b) = (cache.get(n), cache.get(n));
        // The values, not `Int`'s own `PartialEq`.
        assert_eq!((a.value, b.value), (n, n));
        assert!(
            !Rc::ptr_eq(&a, &b),
            "{n} is outside the cache: each get builds its own object"
        );
        let small = cache.get(n.rem_euclid(1 << 8));
        assert!(
            !Rc::ptr_eq(&a, &small),
            "{n} is not {}: it must not be the cached object",
            small.value
        );
    }
}

#[test]
fn small_values_come_from_the_cache() {
    // `IntCache::default()` is a cache like `new()`'s, not an empty shell
    // that builds a fresh object per call.
    for (how, cache) in [
        ("new()", IntCache::new()),
        ("default()", IntCache::default()),
    ] {
        for n in SMALL_MIN..=SMALL_MAX {
            let first = memprobe::assert_allocs!(
                == 0,
                cache.get(black_box(n)),
                "build one Rc<Int> per small value in new() (and default()), then get() returns Rc::clone of it"
            );
            assert_eq!(first.value, n);
            assert!(
                Rc::ptr_eq(&first, &cache.get(n)),
                "IntCache::{how}: two gets of {n} returned different objects; a small value must be the same object every time"
            );
        }
    }
}

#[test]
fn many_small_values_share_memory() {
    let cache = IntCache::new();
    // Only the Vec of 10,000 pointers may be allocated: no Int objects.
    let mut rng = Rng::new(21);
    let wanted: Vec<i64> = (0..10_007)
        .map(|_| SMALL_MIN + rng.below((SMALL_MAX - SMALL_MIN + 1) as u64) as i64)
        .collect();
    // The collect knows its length (10,007), so its one allocation is
    // exactly the handles: 8 bytes each, and not one Int.
    let values = memprobe::assert_bytes_allocated!(
        == 10_007 * size_of::<Rc<Int>>(),
        wanted.iter().map(|&n| cache.get(black_box(n))).collect::<Vec<_>>(),
        "10,007 handles to 262 distinct small values should cost 10,007 pointers, not 10,007 objects"
    );
    for (value, &n) in values.iter().zip(&wanted) {
        assert_eq!(value.value, n);
        assert!(Rc::ptr_eq(value, &cache.get(n)));
    }
}

/// One `Int` object on the heap: an `Rc` block of two 8-byte counts and the
/// 8-byte value.
const OBJECT: usize = 24;

/// The cached values, -5 to 256.
const CACHED: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

#[test]
fn cache_holds_exactly_its_objects_and_frees_them() {
    // Building a cache, handing out its small values and dropping
    // everything gives every byte back: the objects belong to the cache, not
    // to the process or the thread. (Measured on a new thread, so that no
    // earlier cache of this test can have built a shared table already.)
    let lifetime = std::thread::spawn(|| {
        memprobe::measure(|| {
            let cache = IntCache::new();
            let handles: Vec<Rc<Int>> = (SMALL_MIN..=SMALL_MAX).map(|n| cache.get(n)).collect();
            assert_eq!(handles[5].value, 0);
            drop(handles);
            let _dropped_here = cache;
        })
        .1
    })
    .join()
    .expect("the measuring thread");
    memprobe::enforce(
        Metric::LiveBytes,
        Budget::Exactly(0),
        &lifetime,
        "IntCache::new(), 262 gets, then dropping them and the cache",
        "own the objects in the cache (no static or thread_local table): dropping the cache frees them",
    );
    let (cache, built) = memprobe::measure(IntCache::new);
    // What an honest cache holds: the 262 objects (6,288 bytes), and a
    // table of 262 handles (8 bytes each, 2,096 bytes), on the heap (a
    // `Vec` or boxed slice collected at its exact length) or inline in the
    // struct (an array). Counting the struct's own size too, the total is
    // at most those plus a `Vec`'s 24-byte header.
    let objects = CACHED * OBJECT;
    let table = CACHED * size_of::<Rc<Int>>();
    let held = built.live_bytes.max(0) as usize;
    assert!(
        held >= objects,
        "IntCache::new() holds {held} heap bytes, fewer than its {CACHED} objects of {OBJECT} bytes"
    );
    let footprint = held + size_of::<IntCache>();
    assert!(
        footprint <= objects + table + 24,
        "IntCache::new(): {held} heap bytes + {} bytes of struct = {footprint}, expected at most {} ({CACHED} objects of {OBJECT} bytes, {CACHED} handles of 8 bytes, a Vec's 24-byte header)\n  window:   {built}\n  idea:     collect the {CACHED} handles at their exact count (a collect from the range), not by pushing into Vec::new()",
        size_of::<IntCache>(),
        objects + table + 24
    );
    // A value outside the cache costs exactly one object, given back when
    // it is dropped.
    for n in [SMALL_MIN - 1, SMALL_MAX + 1]
        .into_iter()
        .chain(BEYOND_SMALL_TYPES)
    {
        let (int, made) = memprobe::measure(|| cache.get(black_box(n)));
        assert_eq!(int.value, n);
        memprobe::enforce(
            Metric::BytesAllocated,
            Budget::Exactly(OBJECT),
            &made,
            &format!("cache.get({n})"),
            "a value outside the cache is one new Rc<Int>, and nothing is remembered about it",
        );
        let (_, dropped) = memprobe::measure(move || {
            let _dropped_here = int;
        });
        assert_eq!(dropped.live_bytes, -(OBJECT as isize), "dropping get({n})");
    }
}
