//! The graded contract of `compact_record`. Sizes are for 64-bit targets.
//!
//! The footprint is checked twice: `size_of::<Record>()` (the inline part)
//! and the heap bytes of tables of every size in `memprobe::inputs::SIZES`
//! plus 10,000 records, so bytes moved off the record onto the heap count
//! too. Every record of every table is read back, with field values across
//! the whole documented ranges, their ends included.

use std::hint::black_box;
use std::mem::size_of;

use compact_record::Record;
use memprobe::inputs::{Rng, SIZES};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(u64, u32, bool, Option<u64>) -> compact_record::Record = compact_record::Record::new;
const _: fn(&compact_record::Record) -> u64 = compact_record::Record::id;
const _: fn(&compact_record::Record) -> u32 = compact_record::Record::age;
const _: fn(&compact_record::Record) -> bool = compact_record::Record::active;
const _: fn(&compact_record::Record) -> Option<u64> = compact_record::Record::visits;

/// The footprint a record must fit in, in bytes (64-bit target).
const RECORD_BYTES: usize = 12;

type Fields = (u64, u32, bool, Option<u64>);

/// `n` records' worth of field values anywhere in the documented ranges,
/// one in four at an end of its range (id 0 or 4,000,000,000, age 0 or 150,
/// 1 or 1,000,000 visits).
fn generated_fields(n: usize, seed: u64) -> Vec<Fields> {
    let mut rng = Rng::new(seed);
    let mut pick = |lo: u64, hi: u64| match rng.below(8) {
        0 => lo,
        1 => hi,
        _ => lo + rng.below(hi - lo + 1),
    };
    (0..n)
        .map(|i| {
            let id = pick(0, 4_000_000_000);
            let age = pick(0, 150) as u32;
            let visits = pick(0, 1_000_000);
            let active = visits % 2 == 1;
            // A visit count of 0 stands for "unknown" here.
            let visits = (visits != 0 && i % 5 != 0).then_some(visits);
            (id, age, active, visits)
        })
        .collect()
}

fn record(f: Fields) -> Record {
    Record::new(f.0, f.1, f.2, f.3)
}

fn read(r: &Record) -> Fields {
    (r.id(), r.age(), r.active(), r.visits())
}

/// A table of records in a `Vec` reserved up front: its one allocation
/// is `fields.len() * size_of::<Record>()` bytes.
fn table_of(fields: &[Fields]) -> Vec<Record> {
    let mut table = Vec::with_capacity(fields.len());
    for &f in fields {
        table.push(record(f));
    }
    table
}

#[test]
fn keeps_every_field() {
    let cases = [
        (0, 0, false, None),
        (4_000_000_000, 150, true, Some(1_000_000)),
        (123_456_789, 42, true, Some(1)),
        (7, 1, false, Some(999)),
        (0, 150, true, Some(1)),
        (4_000_000_000, 0, false, None),
        (u64::from(u32::MAX >> 1) + 1, 128, true, Some(524_288)),
    ];
    for f in cases {
        assert_eq!(read(&black_box(record(f))), f);
    }
    for f in generated_fields(5_000, 1) {
        assert_eq!(read(&black_box(record(f))), f);
    }
    let r = record(cases[1]);
    assert_eq!(r, r.clone());
    assert_ne!(record(cases[0]), record(cases[1]));
}

#[test]
fn record_fits_in_twelve_bytes() {
    // 64-bit target: the starting `Record` is 32 bytes.
    memprobe::assert_size!(
        <= RECORD_BYTES,
        size_of::<Record>(),
        "use the narrowest type for each documented range (u32, u8) and Option<NonZeroU32> for the count"
    );
    // The record lives in those bytes: building one puts nothing on the heap.
    for f in generated_fields(100, 2) {
        let r = memprobe::assert_allocs!(
            == 0,
            record(black_box(f)),
            "keep every field inline: a Box or a leaked reference moves bytes to the heap, it does not save them"
        );
        assert_eq!(read(&r), f);
    }
}

#[test]
fn ten_thousand_records_fit_in_120_kb() {
    let sizes: Vec<usize> = SIZES.into_iter().chain([10_000]).collect();
    let tables: Vec<Vec<Fields>> = sizes
        .iter()
        .map(|&n| generated_fields(n, 3 + n as u64))
        .collect();
    // From this thread's first call on, in one window: whatever is dropped
    // leaves nothing behind (a cache that replaced its entry on every call
    // could even out a window per call, not this one).
    memprobe::assert_live_bytes!(
        == 0,
        {
            for fields in &tables {
                drop(table_of(black_box(fields)));
            }
        },
        "a dropped table frees every record: nothing may stay on the heap"
    );
    for (&n, fields) in sizes.iter().zip(&tables) {
        // The table's one buffer, `n` records of at most 12 bytes each; no
        // record owns anything else (10,000 records: 120,000 bytes).
        let table = memprobe::assert_peak_bytes!(
            <= n * RECORD_BYTES,
            table_of(black_box(fields)),
            "a Vec<Record> costs len * size_of::<Record>(): shrink the record, the table shrinks with it"
        );
        assert_eq!(table.len(), n);
        for (i, (r, &f)) in table.iter().zip(fields).enumerate() {
            assert_eq!(read(r), f, "record {i} of {n}");
        }
    }
}
