//! The graded contract of `pool_guard`. Sizes are for 64-bit targets.
//!
//! Records come from a seeded generator (`memprobe::inputs`): non-ASCII
//! fields, and fields long enough to make a loan grow its buffer past the
//! pool's capacity, so a loan must bring back the buffer it actually holds.
//! The verdicts compare hashes and the error's kind and index as standard
//! types, never through `RecordError`'s own `PartialEq`.

use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use memprobe::inputs::Rng;
use memprobe::{Budget, Metric};
use pool_guard::{BufferPool, RecordError, record_hash, with_buffer};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
const _: fn(usize, usize) -> pool_guard::BufferPool = pool_guard::BufferPool::new;
const _: fn(&pool_guard::BufferPool) -> usize = pool_guard::BufferPool::available;
const _: fn(&pool_guard::BufferPool, &[&str]) -> Result<u64, pool_guard::RecordError> =
    pool_guard::record_hash;

/// A result as standard types (the error's kind and index): the verdicts
/// compare these, never through `RecordError`'s own `PartialEq`.
fn plain(result: Result<u64, RecordError>) -> Result<u64, (&'static str, usize)> {
    result.map_err(|e| match e {
        RecordError::EmptyField { index } => ("EmptyField", index),
        RecordError::Separator { index } => ("Separator", index),
    })
}

/// The 64-bit FNV-1a hash, computed independently of the crate.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// What `record_hash` must return, computed independently of the crate.
fn expected_hash(fields: &[&str]) -> Result<u64, (&'static str, usize)> {
    for (index, field) in fields.iter().enumerate() {
        if field.is_empty() {
            return Err(("EmptyField", index));
        }
        if field.contains('|') {
            return Err(("Separator", index));
        }
    }
    Ok(fnv1a(fields.join("|").as_bytes()))
}

/// `count` records of 1 to 6 fields of 1 to 120 bytes (some non-ASCII); one
/// in three gets an empty field or a field with `|` at a random place.
fn records(count: usize, seed: u64) -> Vec<Vec<String>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let n = rng.range(1..=6);
            let mut fields = rng.words(n, 1..=120, true);
            if rng.chance(1, 3) {
                let at = rng.range(0..=n - 1);
                fields[at] = if rng.chance(1, 2) {
                    String::new()
                } else {
                    format!("{}|{}", fields[at], rng.ascii_word(0..=3))
                };
            }
            fields
        })
        .collect()
}

/// One record through `record_hash`, one scratch write through `with_buffer`.
fn hash_then_scratch(pool: &BufferPool) -> (Result<u64, RecordError>, usize) {
    let hash = record_hash(pool, black_box(&["user", "42", "active"]));
    let written = with_buffer(pool, |buf| {
        buf.extend_from_slice(black_box(b"scratch"));
        buf.len()
    });
    (hash, written)
}

/// Records that each fail on their last field after writing the others;
/// their results go into `out` (reserved by the caller, so pushing does not
/// allocate).
fn failing_records(
    pool: &BufferPool,
    records: &[Vec<&str>],
    out: &mut Vec<Result<u64, RecordError>>,
) {
    for fields in records {
        out.push(record_hash(pool, black_box(fields)));
    }
}

/// Writes 5 bytes into a borrowed buffer; returns its length and capacity.
fn write_retry(pool: &BufferPool) -> (usize, usize) {
    with_buffer(pool, |buf| {
        buf.extend_from_slice(black_box(b"retry"));
        (buf.len(), buf.capacity())
    })
}

/// Two loans at once, each filled with 64 bytes; returns the lengths they
/// had when lent and their smaller capacity.
fn lend_two_and_fill(pool: &BufferPool) -> (usize, usize) {
    let mut first = pool.lend();
    let mut second = pool.lend();
    let lent_len = first.len() + second.len();
    first.extend_from_slice(black_box(&[1u8; 64]));
    second.extend_from_slice(black_box(&[2u8; 64]));
    (lent_len, first.capacity().min(second.capacity()))
}

#[test]
fn hashes_records_and_rejects_bad_fields() {
    let pool = BufferPool::new(1, 64);
    assert_eq!(
        plain(record_hash(&pool, &["id", "7", "alice"])),
        Ok(fnv1a(b"id|7|alice"))
    );
    assert_eq!(plain(record_hash(&pool, &["solo"])), Ok(fnv1a(b"solo")));
    assert_eq!(plain(record_hash(&pool, &[])), Ok(fnv1a(b"")));
    assert_eq!(
        plain(record_hash(&pool, &["a", ""])),
        Err(("EmptyField", 1))
    );
    assert_eq!(plain(record_hash(&pool, &["a|b"])), Err(("Separator", 0)));
    assert_eq!(
        plain(record_hash(&pool, &["ok", "a|b", ""])),
        Err(("Separator", 1)),
        "the first bad field is the one reported"
    );
    // Whitespace is text like any other: only an empty field is empty.
    assert_eq!(
        plain(record_hash(&pool, &[" ", "\t", "a b"])),
        Ok(fnv1a(b" |\t|a b"))
    );
    assert_eq!(
        plain(record_hash(&pool, &["größe", "日本語"])),
        Ok(fnv1a("größe|日本語".as_bytes()))
    );
    for (i, record) in records(200, 3).iter().enumerate() {
        let fields: Vec<&str> = record.iter().map(String::as_str).collect();
        assert_eq!(
            plain(record_hash(&pool, &fields)),
            expected_hash(&fields),
            "record {i}: {fields:?}"
        );
    }
    assert!(with_buffer(&pool, |buf| buf.is_empty()));
    let mut loan = pool.lend();
    loan.extend_from_slice(b"xyz");
    assert_eq!(loan.as_slice(), b"xyz");
    assert_eq!(pool.available(), 0);
    loan.give_back();
    assert_eq!(
        pool.available(),
        1,
        "give_back returns the buffer exactly once"
    );
    let loan = pool.lend();
    assert!(loan.is_empty(), "a lent buffer must start empty");
    assert!(loan.capacity() >= 64);
    loan.give_back();
    assert_eq!(
        pool.available(),
        1,
        "give_back returns the buffer exactly once"
    );
}

#[test]
fn lends_pooled_buffers_without_allocating() {
    let pool = BufferPool::new(2, 256);
    let (hash, written) = memprobe::assert_allocs!(
        == 0,
        hash_then_scratch(&pool),
        "a loan takes a buffer out of the pool; only an empty pool allocates"
    );
    assert_eq!(plain(hash), Ok(fnv1a(b"user|42|active")));
    assert_eq!(written, 7);
    assert_eq!(pool.available(), 2);
}

#[test]
fn returns_the_buffer_on_early_return() {
    // A pool of one 16-byte buffer. The first record writes 300+ bytes of
    // fields before it fails, so its loan grows the buffer; 99 more records
    // that write less and also fail through `?` must find that grown buffer
    // in the pool: 0 allocations, 0 bytes left live.
    let pool = BufferPool::new(1, 16);
    let mut rng = Rng::new(11);
    let long = [
        rng.ascii_word(150..=150),
        "日本語🦀".repeat(12),
        String::new(),
    ];
    let first: Vec<&str> = long.iter().map(String::as_str).collect();
    let written = long[0].len() + 1 + long[1].len();
    let first_result = record_hash(&pool, black_box(&first));
    assert_eq!(plain(first_result), Err(("EmptyField", 2)));
    let rest: Vec<Vec<String>> = (0..99)
        .map(|_| {
            let n = rng.range(0..=4);
            let mut fields = rng.words(n, 1..=40, true);
            fields.push(if rng.chance(1, 2) {
                String::new()
            } else {
                "a|b".to_string()
            });
            fields
        })
        .collect();
    let rest: Vec<Vec<&str>> = rest
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let want: Vec<_> = rest.iter().map(|fields| expected_hash(fields)).collect();
    let mut results = Vec::with_capacity(rest.len());
    let ((), stats) = memprobe::measure(|| failing_records(&pool, &rest, &mut results));
    let idea = "a `?` or early return skips `give_back`: implement Drop for Loan so the buffer (grown or not) goes back on every path";
    let what = "99 records failing through `?` after the pool's buffer grew";
    memprobe::enforce(Metric::Allocations, Budget::Exactly(0), &stats, what, idea);
    memprobe::enforce(Metric::LiveBytes, Budget::Exactly(0), &stats, what, idea);
    let results: Vec<_> = results.into_iter().map(plain).collect();
    assert_eq!(results, want);
    assert_eq!(pool.available(), 1, "the pool lost its buffer");
    let loan = pool.lend();
    assert!(loan.is_empty(), "a lent buffer must start empty");
    assert!(
        loan.capacity() >= written,
        "the buffer the first loan grew to {written} bytes must be the one back in the pool"
    );
}

#[test]
fn returns_the_buffer_when_the_work_panics() {
    let pool = BufferPool::new(1, 256);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        with_buffer(&pool, |buf| {
            // Grows the buffer past the pool's 256 bytes before failing.
            buf.extend_from_slice(&[b'h'; 1_000]);
            panic!("deliberate panic (the test expects it): the work failed halfway");
        })
    }));
    assert!(outcome.is_err(), "the work was meant to panic");
    // After the panic the pool must still hold its buffer, emptied.
    let (len, capacity) = memprobe::assert_allocs!(
        == 0,
        write_retry(&pool),
        "a panic unwinds past `give_back`, but unwinding runs Drop: give Loan a Drop that returns the buffer, also while panicking"
    );
    assert_eq!(len, 5, "a lent buffer must start empty");
    assert!(
        capacity >= 1_000,
        "the buffer the panicking work grew to 1,000 bytes must be the one back in the pool"
    );
    assert_eq!(pool.available(), 1, "the pool lost its buffer");
}

#[test]
fn dropped_loans_go_back_to_the_pool() {
    let pool = BufferPool::new(2, 64);
    {
        let mut first = pool.lend();
        let mut second = pool.lend();
        first.push(1);
        second.push(2);
        first.give_back();
        // `second` ends here, at the end of its scope, without give_back.
    }
    let (len, capacity) = memprobe::assert_allocs!(
        == 0,
        lend_two_and_fill(&pool),
        "the end of a scope is where Rust runs Drop: put the buffer back in Loan's Drop, once (give_back is just an early drop)"
    );
    assert_eq!(len, 0, "a lent buffer must start empty");
    assert!(capacity >= 64);
    assert_eq!(pool.available(), 2, "each loan must come back exactly once");

    // A pool with everything it lent back frees all of it when dropped.
    let ((), stats) = memprobe::measure(|| {
        let pool = BufferPool::new(3, 100);
        let _ = record_hash(&pool, black_box(&["a", ""]));
        with_buffer(&pool, |buf| buf.extend_from_slice(black_box(&[0u8; 300])));
        pool.lend().give_back();
        drop(pool);
    });
    memprobe::enforce(
        Metric::LiveBytes,
        Budget::Exactly(0),
        &stats,
        "a pool dropped after its loans came back",
        "nothing may stay on the heap once the pool is gone",
    );
}
