//! The C allocator, counted (grade of record, Linux with glibc).
//!
//! In a record build memprobe defines `malloc`, `calloc`, `realloc`,
//! `free`, `posix_memalign`, `aligned_alloc` and `memalign` in the test
//! binary. They forward to glibc's own entry points (`__libc_malloc` & co.)
//! and charge what they hand out to the measurement windows like any other
//! allocation, so memory reached through [`std::alloc::System`] directly
//! (which calls `malloc`; safe code gets there only through a soundness hole
//! of rustc, e.g. rust-lang/rust#25860) or through the C library is
//! counted. The counting allocator's own calls into `System` are marked
//! ([`through_probe`]) and are not counted twice.
//!
//! Blocks are counted by their usable size (`malloc_usable_size`), both when
//! handed out and when freed, so the two sides match; that is at least the
//! size asked for.

use std::cell::Cell;
use std::ffi::c_void;

unsafe extern "C" {
    fn __libc_malloc(size: usize) -> *mut c_void;
    fn __libc_calloc(n: usize, size: usize) -> *mut c_void;
    fn __libc_realloc(p: *mut c_void, size: usize) -> *mut c_void;
    fn __libc_free(p: *mut c_void);
    fn __libc_memalign(align: usize, size: usize) -> *mut c_void;
    fn malloc_usable_size(p: *mut c_void) -> usize;
}

thread_local! {
    /// Set while the counting allocator calls `System` on this thread.
    static IN_PROBE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` (a call into `System` by the counting allocator, which counts
/// it itself) with this thread's C allocator calls left uncounted.
#[inline]
pub(crate) fn through_probe<R>(f: impl FnOnce() -> R) -> R {
    let was = IN_PROBE.with(|c| c.replace(true));
    let r = f();
    IN_PROBE.with(|c| c.set(was));
    r
}

fn counted() -> bool {
    !IN_PROBE.with(|c| c.get())
}

fn usable(p: *mut c_void) -> usize {
    // SAFETY: `p` is a live block of glibc's allocator.
    unsafe { malloc_usable_size(p) }
}

/// Charges a new block `p` (null: nothing was handed out).
fn handed_out(p: *mut c_void) -> *mut c_void {
    if !p.is_null() && counted() {
        let n = usable(p);
        crate::record(1, 0, 0, n, n as isize);
    }
    p
}

/// # Safety
/// The C library's contract of `malloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    handed_out(unsafe { __libc_malloc(size) })
}

/// # Safety
/// The C library's contract of `calloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn calloc(n: usize, size: usize) -> *mut c_void {
    handed_out(unsafe { __libc_calloc(n, size) })
}

/// # Safety
/// The C library's contract of `free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free(p: *mut c_void) {
    if !p.is_null() && counted() {
        crate::record(0, 0, 1, 0, -(usable(p) as isize));
    }
    unsafe { __libc_free(p) }
}

/// # Safety
/// The C library's contract of `realloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn realloc(p: *mut c_void, size: usize) -> *mut c_void {
    if p.is_null() {
        return unsafe { malloc(size) };
    }
    let old = usable(p);
    let q = unsafe { __libc_realloc(p, size) };
    if counted() {
        if !q.is_null() {
            let new = usable(q);
            crate::record(0, 1, 0, new, new as isize - old as isize);
        } else if size == 0 {
            // `realloc(p, 0)` freed the block.
            crate::record(0, 0, 1, 0, -(old as isize));
        }
    }
    q
}

/// # Safety
/// The C library's contract of `memalign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memalign(align: usize, size: usize) -> *mut c_void {
    handed_out(unsafe { __libc_memalign(align, size) })
}

/// # Safety
/// The C library's contract of `aligned_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn aligned_alloc(align: usize, size: usize) -> *mut c_void {
    unsafe { memalign(align, size) }
}

/// # Safety
/// The C library's contract of `posix_memalign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> i32 {
    const EINVAL: i32 = 22;
    const ENOMEM: i32 = 12;
    if !align.is_power_of_two() || !align.is_multiple_of(size_of::<*mut c_void>()) {
        return EINVAL;
    }
    let p = unsafe { memalign(align, size) };
    if p.is_null() {
        return ENOMEM;
    }
    // SAFETY: the caller's `out` is valid for a write (the contract).
    unsafe { *out = p };
    0
}
