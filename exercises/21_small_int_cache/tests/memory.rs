//! The graded contract of `IntCache`. Sizes are for 64-bit targets: an
//! `Rc<Int>` is one 8-byte pointer, and the block it points to holds two
//! 8-byte counts and the 8-byte value.

use std::hint::black_box;
use std::mem::size_of;
use std::rc::Rc;

use small_int_cache::{Int, IntCache, SMALL_MAX, SMALL_MIN};

memprobe::install!();

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
    ] {
        assert_eq!(cache.get(n).value, n);
    }
}

#[test]
fn large_values_are_separate_objects() {
    let cache = IntCache::new();
    for n in [-6, 257, 1000] {
        let (a, b) = (cache.get(n), cache.get(n));
        assert_eq!(a, b);
        assert!(
            !Rc::ptr_eq(&a, &b),
            "{n} is outside the cache: each get builds its own object"
        );
    }
}

#[test]
fn small_values_come_from_the_cache() {
    let cache = IntCache::new();
    for n in SMALL_MIN..=SMALL_MAX {
        let first = memprobe::assert_allocs!(
            == 0,
            cache.get(black_box(n)),
            "build one Rc<Int> per small value in new(), then get() returns Rc::clone of it"
        );
        assert_eq!(first.value, n);
        assert!(
            Rc::ptr_eq(&first, &cache.get(n)),
            "two gets of {n} returned different objects; a small value must be the same object every time"
        );
    }
}

#[test]
fn many_small_values_share_memory() {
    let cache = IntCache::new();
    // Only the Vec of 10,000 pointers may be allocated: no Int objects.
    let values = memprobe::assert_bytes_allocated!(
        <= 10_000 * size_of::<Rc<Int>>(),
        (0..10_000_i64).map(|i| cache.get(black_box(i % 100))).collect::<Vec<_>>(),
        "10,000 handles to 100 distinct small values should cost 10,000 pointers, not 10,000 objects"
    );
    for (i, value) in values.iter().enumerate() {
        assert_eq!(value.value, i as i64 % 100);
    }
    assert!(Rc::ptr_eq(&values[7], &values[9_907]));
}
