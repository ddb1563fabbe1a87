//! The graded contract of `compact_set`. Sizes are for 64-bit targets.

use std::collections::HashSet;
use std::hint::black_box;
use std::mem::size_of;

use compact_set::{CompactSet, UNIVERSE};
use memprobe::inputs::{Rng, SIZES};
use memprobe::{Budget, Metric};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: u32 = compact_set::UNIVERSE;
const _: fn(&[u32]) -> compact_set::CompactSet = compact_set::CompactSet::from_values;
const _: fn(&compact_set::CompactSet, u32) -> bool = compact_set::CompactSet::contains;
const _: fn(&compact_set::CompactSet) -> usize = compact_set::CompactSet::len;
const _: fn(&compact_set::CompactSet) -> bool = compact_set::CompactSet::is_empty;

/// `n` values below `UNIVERSE` in a scrambled order, from a small
/// deterministic generator; they repeat when `n` is large.
fn scrambled(n: usize, seed: u64) -> Vec<u32> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u32 % UNIVERSE
        })
        .collect()
}

/// 10,000 distinct values below `UNIVERSE` in a scrambled order (multiplying
/// by an odd number permutes `0..65_536`).
fn distinct_values() -> Vec<u32> {
    (0..10_000u32)
        .map(|i| i.wrapping_mul(40_503) % UNIVERSE)
        .collect()
}

/// Checks every possible value, and some beyond the universe, against a
/// `HashSet` built from the same values.
fn check_against_reference(set: &CompactSet, values: &[u32]) {
    let reference: HashSet<u32> = values.iter().copied().collect();
    assert_eq!(set.len(), reference.len(), "len()");
    assert_eq!(set.is_empty(), reference.is_empty(), "is_empty()");
    // Every value put in, then a sweep of the universe (every third value,
    // so that absent neighbours are asked too), then values beyond it.
    let sweep = (0..UNIVERSE + 100).step_by(3);
    let beyond = [u32::MAX, UNIVERSE * 2, UNIVERSE + 63, UNIVERSE];
    for v in values.iter().copied().chain(sweep).chain(beyond) {
        assert_eq!(set.contains(v), reference.contains(&v), "contains({v})");
    }
}

#[test]
fn answers_like_a_hash_set() {
    for (n, seed) in [(1, 7), (100, 1), (20_000, 2), (60_000, 3)] {
        let values = scrambled(n, seed);
        check_against_reference(&CompactSet::from_values(&values), &values);
    }
    let values = distinct_values();
    check_against_reference(&CompactSet::from_values(&values), &values);
}

#[test]
fn handles_empty_and_edge_values() {
    let empty = CompactSet::from_values(&[]);
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
    assert!(!empty.contains(0));
    let edges = CompactSet::from_values(&[UNIVERSE - 1, 0, 63, 64, 0, UNIVERSE - 1]);
    assert_eq!(edges.len(), 4);
    assert!(!edges.is_empty());
    for v in [0, 63, 64, UNIVERSE - 1] {
        assert!(edges.contains(v), "contains({v})");
    }
    for v in [1, 62, 65, 127, 128, UNIVERSE - 2, UNIVERSE, u32::MAX] {
        assert!(!edges.contains(v), "contains({v})");
    }
}

#[test]
fn ten_thousand_values_fit_in_24_kb() {
    // A HashSet<u32> of these values peaks above 120 KB while it grows.
    let values = distinct_values();
    let set = memprobe::assert_peak_bytes!(
        <= 24_000,
        CompactSet::from_values(black_box(&values)),
        "values below 65,536: one bit each (a bitset of u64 words), or a sorted slice of u16"
    );
    check_against_reference(&set, &values);
}

#[test]
fn freezes_storage_at_its_exact_size() {
    let values = distinct_values();
    let (set, stats) = memprobe::measure(|| CompactSet::from_values(black_box(&values)));
    // Everything the build allocated is still held by the set at the end:
    // no temporary buffer, no growth, no spare capacity.
    let kept = stats.live_bytes.max(0) as usize;
    if let Err(msg) = memprobe::check(
        memprobe::Metric::PeakBytes,
        memprobe::Budget::AtMost(kept),
        &stats,
        "CompactSet::from_values(black_box(&values))",
        "allocate the final storage once at its exact size (vec![0; n], a collect from a slice) and freeze it with into_boxed_slice",
    ) {
        panic!("{msg}\n  (the budget is the {kept} bytes the set still holds)");
    }
    check_against_reference(&set, &values);
}

/// The heap bytes of a bitset over the universe: 65,536 bits.
const BITSET_BYTES: usize = UNIVERSE as usize / 8;

/// `n` values with many repeats: half drawn from the whole universe, half
/// from a small range, so removing the duplicates leaves a build that
/// collected every value with spare room.
fn repeating_values(n: usize, rng: &mut Rng) -> Vec<u32> {
    let small = n as u64 / 3 + 1;
    (0..n)
        .map(|_| {
            if rng.chance(1, 2) {
                rng.below(u64::from(UNIVERSE)) as u32
            } else {
                rng.below(small) as u32
            }
        })
        .collect()
}

#[test]
fn holds_no_spare_capacity_for_repeated_values() {
    // Inline storage (an array in the struct) is not a smaller footprint,
    // only a hidden one: the struct itself is a handle, at most a boxed
    // slice (16 bytes) and a count (8 bytes), rounded to 32.
    memprobe::assert_size!(
        <= 32,
        size_of::<CompactSet>(),
        "keep the values on the heap behind a Box<[T]>, not in an array inside the struct"
    );
    let mut rng = Rng::new(15);
    for n in SIZES.into_iter().chain([10_007, 40_009]) {
        let values = repeating_values(n, &mut rng);
        let distinct = values.iter().collect::<HashSet<_>>().len();
        let (set, stats) = memprobe::measure(|| CompactSet::from_values(black_box(&values)));
        check_against_reference(&set, &values);
        let what = format!("CompactSet::from_values(&values) for {n} values, {distinct} distinct");
        // What an honest set holds once frozen: a bitset's 8 KiB, or a
        // sorted slice of `u16`s with one entry per distinct value (2 bytes
        // each) and no room to spare. Either fits the larger of the two.
        let kept = BITSET_BYTES.max(2 * distinct);
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::AtMost(kept),
            &stats,
            &what,
            "after removing duplicates, shrink the storage to its length (into_boxed_slice) or use a bitset",
        );
        // While building, a sorted slice may first hold every value given
        // (2 bytes each) before removing the duplicates; a bitset needs only
        // its 8 KiB.
        memprobe::enforce(
            Metric::PeakBytes,
            Budget::AtMost(BITSET_BYTES.max(2 * n)),
            &stats,
            &what,
            "collect the values at their exact count and sort them in place (sort_unstable), or set bits in a bitset",
        );
        // Dropping the set gives back everything it held.
        let (_, dropped) = memprobe::measure(move || {
            let _dropped_here = set;
        });
        assert_eq!(
            dropped.live_bytes, -stats.live_bytes,
            "dropping the set of {n} values did not free the {} bytes it held",
            stats.live_bytes
        );
    }
}
