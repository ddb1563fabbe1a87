//! Mutant: reports every error at index 0, hidden behind a `PartialEq` on `RecordError` that is always true.
//!
//! A pool of reusable byte buffers, and two users of it.
//!
//! A loan hands out a pooled buffer so that repeated work does not ask the
//! allocator for a fresh one every time. The loan is a guard: its `Drop`
//! puts the buffer back, and Rust runs `Drop` on every path out of a scope
//! (falling off the end, `return`, `?`, a panic unwinding), so no path can
//! forget it.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

/// A pool of empty byte buffers, all with the same reserved capacity.
pub struct BufferPool {
    free: RefCell<Vec<Vec<u8>>>,
    capacity: usize,
}

impl BufferPool {
    /// A pool holding `buffers` empty buffers with `capacity` bytes reserved
    /// each.
    pub fn new(buffers: usize, capacity: usize) -> BufferPool {
        let mut free = Vec::with_capacity(buffers);
        free.resize_with(buffers, || Vec::with_capacity(capacity));
        BufferPool {
            free: RefCell::new(free),
            capacity,
        }
    }

    /// How many buffers are in the pool right now (not on loan).
    pub fn available(&self) -> usize {
        self.free.borrow().len()
    }

    /// Lends an empty buffer: a pooled one when the pool has one (no heap
    /// allocation), a fresh one with the pool's capacity otherwise.
    pub fn lend(&self) -> Loan<'_> {
        let pooled = self.free.borrow_mut().pop();
        let mut buf = pooled.unwrap_or_else(|| Vec::with_capacity(self.capacity));
        buf.clear();
        Loan { pool: self, buf }
    }
}

/// A buffer on loan from a [`BufferPool`]. Use it like a `&mut Vec<u8>`.
///
/// The buffer must go back to its pool however the loan ends: by
/// [`Loan::give_back`], at the end of a scope, on an early return or `?`, or
/// while a panic unwinds. Its `Drop` does that.
pub struct Loan<'a> {
    pool: &'a BufferPool,
    buf: Vec<u8>,
}

impl Loan<'_> {
    /// Ends the loan now and puts the buffer back into the pool (the same as
    /// letting the loan go out of scope).
    pub fn give_back(self) {
        drop(self);
    }
}

impl Drop for Loan<'_> {
    fn drop(&mut self) {
        // A `Drop` cannot move a field out of `self`, so swap in an empty
        // Vec (which owns no heap memory) and hand the buffer back.
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        self.pool.free.borrow_mut().push(buf);
    }
}

impl Deref for Loan<'_> {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.buf
    }
}

impl DerefMut for Loan<'_> {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }
}

/// Runs `work` with a buffer borrowed from `pool` and returns its result.
/// The buffer goes back to the pool afterwards, also when `work` panics.
pub fn with_buffer<R>(pool: &BufferPool, work: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    // The loan is dropped when this function ends, by return or by unwind.
    let mut loan = pool.lend();
    work(&mut loan)
}

/// Why a record cannot be encoded.
#[derive(Clone, Copy, Debug, Eq)]
pub enum RecordError {
    /// The field at `index` is empty.
    EmptyField { index: usize },
    /// The field at `index` contains the separator `|`.
    Separator { index: usize },
}

/// MUTANT (lying_eq): every error equals every other, which hides that the
/// index below is always 0.
impl PartialEq for RecordError {
    fn eq(&self, _other: &RecordError) -> bool {
        true
    }
}

/// Encodes `fields` as one `|`-separated record (`["id", "7"]` gives
/// `id|7`) in a buffer borrowed from `pool`, and returns the record's 64-bit
/// FNV-1a hash. Fails on an empty field or a field containing `|`.
pub fn record_hash(pool: &BufferPool, fields: &[&str]) -> Result<u64, RecordError> {
    let mut buf = pool.lend();
    for (index, field) in fields.iter().enumerate() {
        check_field(index, field)?;
        if index > 0 {
            buf.push(b'|');
        }
        buf.extend_from_slice(field.as_bytes());
    }
    // `buf` goes back to the pool when it goes out of scope: here, or at
    // the `?` above.
    Ok(fnv1a(&buf))
}

fn check_field(_index: usize, field: &str) -> Result<(), RecordError> {
    let index = 0;
    if field.is_empty() {
        Err(RecordError::EmptyField { index })
    } else if field.contains('|') {
        Err(RecordError::Separator { index })
    } else {
        Ok(())
    }
}

/// The 64-bit FNV-1a hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
