//! The graded contract of `pool_guard`. Sizes are for 64-bit targets.

use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pool_guard::{BufferPool, RecordError, record_hash, with_buffer};

memprobe::install!();

/// The 64-bit FNV-1a hash, computed independently of the crate.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
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

/// 100 records that each fail on their second field; returns how many failed
/// with the expected error.
fn hundred_failing_records(pool: &BufferPool) -> usize {
    (0..100)
        .filter(|_| {
            record_hash(pool, black_box(&["ok", "bad|field"]))
                == Err(RecordError::Separator { index: 1 })
        })
        .count()
}

/// Writes 5 bytes into a borrowed buffer; returns its length and capacity.
fn write_retry(pool: &BufferPool) -> (usize, usize) {
    with_buffer(pool, |buf| {
        buf.extend_from_slice(black_box(b"retry"));
        (buf.len(), buf.capacity())
    })
}

/// Two loans at once; returns their total length and smaller capacity.
fn lend_two(pool: &BufferPool) -> (usize, usize) {
    let first = pool.lend();
    let second = pool.lend();
    (
        first.len() + second.len(),
        first.capacity().min(second.capacity()),
    )
}

#[test]
fn hashes_records_and_rejects_bad_fields() {
    let pool = BufferPool::new(1, 64);
    assert_eq!(
        record_hash(&pool, &["id", "7", "alice"]),
        Ok(fnv1a(b"id|7|alice"))
    );
    assert_eq!(record_hash(&pool, &["solo"]), Ok(fnv1a(b"solo")));
    assert_eq!(record_hash(&pool, &[]), Ok(fnv1a(b"")));
    assert_eq!(
        record_hash(&pool, &["a", ""]),
        Err(RecordError::EmptyField { index: 1 })
    );
    assert_eq!(
        record_hash(&pool, &["a|b"]),
        Err(RecordError::Separator { index: 0 })
    );
    assert!(with_buffer(&pool, |buf| buf.is_empty()));
    let mut loan = pool.lend();
    loan.extend_from_slice(b"xyz");
    assert_eq!(loan.as_slice(), b"xyz");
    loan.give_back();
    assert_eq!(pool.available(), 1);
}

#[test]
fn lends_pooled_buffers_without_allocating() {
    let pool = BufferPool::new(2, 256);
    let (hash, written) = memprobe::assert_allocs!(
        == 0,
        hash_then_scratch(&pool),
        "a loan takes a buffer out of the pool; only an empty pool allocates"
    );
    assert_eq!(hash, Ok(fnv1a(b"user|42|active")));
    assert_eq!(written, 7);
    assert_eq!(pool.available(), 2);
}

#[test]
fn returns_the_buffer_on_early_return() {
    // One pooled buffer and 100 calls that each leave through `?`. If the
    // buffer goes back every time, no call needs a fresh one.
    let pool = BufferPool::new(1, 256);
    let failures = memprobe::assert_allocs!(
        == 0,
        hundred_failing_records(&pool),
        "a `?` or early return skips `give_back`: implement Drop for Loan so the buffer goes back on every path"
    );
    assert_eq!(failures, 100);
    assert_eq!(pool.available(), 1, "the pool lost its buffer");
}

#[test]
fn returns_the_buffer_when_the_work_panics() {
    let pool = BufferPool::new(1, 256);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        with_buffer(&pool, |buf| {
            buf.extend_from_slice(b"half");
            panic!("deliberate panic (the test expects it): the work failed halfway");
        })
    }));
    assert!(outcome.is_err(), "the work was meant to panic");
    // After the panic the pool must still hold its buffer, emptied.
    let (len, capacity) = memprobe::assert_allocs!(
        == 0,
        write_retry(&pool),
        "a panic unwinds past `give_back`, but unwinding runs Drop: give Loan a Drop that returns the buffer"
    );
    assert_eq!(len, 5, "a lent buffer must start empty");
    assert!(capacity >= 256);
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
        // Both loans end here, at the end of their scope, without give_back.
    }
    let (len, capacity) = memprobe::assert_allocs!(
        == 0,
        lend_two(&pool),
        "the end of a scope is where Rust runs Drop: put the buffer back in Loan's Drop, not only in give_back"
    );
    assert_eq!(len, 0, "a lent buffer must start empty");
    assert!(capacity >= 64);
    assert_eq!(pool.available(), 2, "the pool lost its buffers");
}
