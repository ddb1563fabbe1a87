//! The graded contract of `compact_record`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::mem::size_of;

use compact_record::Record;

memprobe::install!();

/// The values of the `i`-th test record, all inside the documented ranges.
fn fields(i: u64) -> (u64, u32, bool, Option<u64>) {
    let id = 3_999_990_000 + i;
    let age = (i % 151) as u32;
    let active = !i.is_multiple_of(3);
    let visits = if i.is_multiple_of(4) {
        None
    } else {
        Some(1 + i * 97 % 1_000_000)
    };
    (id, age, active, visits)
}

fn record(i: u64) -> Record {
    let (id, age, active, visits) = fields(i);
    Record::new(id, age, active, visits)
}

/// A table of `n` records in a `Vec` reserved up front: its one allocation
/// is `n * size_of::<Record>()` bytes.
fn table_of(n: u64) -> Vec<Record> {
    let mut table = Vec::with_capacity(n as usize);
    for i in 0..n {
        table.push(record(i));
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
    ];
    for (id, age, active, visits) in cases {
        let r = black_box(Record::new(id, age, active, visits));
        assert_eq!(
            (r.id(), r.age(), r.active(), r.visits()),
            (id, age, active, visits)
        );
    }
    for i in 0..1_000 {
        let r = black_box(record(i));
        assert_eq!((r.id(), r.age(), r.active(), r.visits()), fields(i));
    }
}

#[test]
fn record_fits_in_twelve_bytes() {
    // 64-bit target: the starting `Record` is 32 bytes.
    memprobe::assert_size!(
        <= 12,
        size_of::<Record>(),
        "use the narrowest type for each documented range (u32, u8) and Option<NonZeroU32> for the count"
    );
}

#[test]
fn ten_thousand_records_fit_in_120_kb() {
    // 64-bit target: 10,000 records of 12 bytes each.
    let table = memprobe::assert_peak_bytes!(
        <= 120_000,
        table_of(black_box(10_000)),
        "a Vec<Record> costs len * size_of::<Record>(): shrink the record, the table shrinks with it"
    );
    assert_eq!(table.len(), 10_000);
    for i in (0..10_000).step_by(7) {
        let r = &table[i as usize];
        assert_eq!((r.id(), r.age(), r.active(), r.visits()), fields(i));
    }
}
