//! Anonymous mappings, counted (grade of record, Linux with glibc).
//!
//! In a record build memprobe defines `mmap`, `mmap64`, `munmap` and
//! `mremap` in the test binary, so a mapping that code in the test binary
//! asks for is charged to the measurement windows like an allocation of its
//! length, and given back when it is unmapped. The C allocator's own
//! mappings (glibc calls its internal entry points, which these symbols do
//! not replace) are already counted as the blocks `malloc` hands out.
//!
//! Safe code under `unsafe_code = "forbid"` and edition 2024 cannot declare
//! these functions; this closes the route for code that reaches them
//! anyway (a soundness hole of rustc plus a function address).
//!
//! One mapping per thread goes uncounted: the signal stack that the
//! standard library maps for each thread it starts, before the thread's
//! closure runs. It is recognised as the thread's first mapping, private,
//! anonymous, readable and writable, and at most [`SIGNAL_STACK_MAX`] long.
//! Everything else a thread maps is counted.

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

unsafe extern "C" {
    fn dlsym(handle: *mut c_void, name: *const c_char) -> *mut c_void;
}

/// glibc's `RTLD_NEXT`: the next definition after the caller's object.
const RTLD_NEXT: *mut c_void = -1isize as *mut c_void;
const MAP_FAILED: *mut c_void = !0usize as *mut c_void;
const PROT_READ: c_int = 1;
const PROT_WRITE: c_int = 2;
const MAP_PRIVATE: c_int = 0x02;
const MAP_ANONYMOUS: c_int = 0x20;

/// The longest mapping taken for the standard library's signal stack.
pub const SIGNAL_STACK_MAX: usize = 64 << 10;

type MmapFn = unsafe extern "C" fn(*mut c_void, usize, c_int, c_int, c_int, i64) -> *mut c_void;
type MunmapFn = unsafe extern "C" fn(*mut c_void, usize) -> c_int;
type MremapFn = unsafe extern "C" fn(*mut c_void, usize, usize, c_int, *mut c_void) -> *mut c_void;

/// Resolves the C library's definition of `name` (NUL-terminated) once.
pub(crate) fn next_symbol(slot: &AtomicPtr<c_void>, name: &[u8]) -> *mut c_void {
    let p = slot.load(Ordering::Acquire);
    if !p.is_null() {
        return p;
    }
    // SAFETY: `name` is NUL-terminated; RTLD_NEXT is valid in an executable.
    let p = unsafe { dlsym(RTLD_NEXT, name.as_ptr().cast()) };
    if p.is_null() {
        // Without the C library's own function nothing can go on.
        std::process::abort();
    }
    slot.store(p, Ordering::Release);
    p
}

static MMAP: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());
static MUNMAP: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());
static MREMAP: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());

fn real_mmap() -> MmapFn {
    // SAFETY: the C library's `mmap` has this signature.
    unsafe { std::mem::transmute::<*mut c_void, MmapFn>(next_symbol(&MMAP, b"mmap\0")) }
}

fn real_munmap() -> MunmapFn {
    // SAFETY: the C library's `munmap` has this signature.
    unsafe { std::mem::transmute::<*mut c_void, MunmapFn>(next_symbol(&MUNMAP, b"munmap\0")) }
}

fn real_mremap() -> MremapFn {
    // SAFETY: the C library's `mremap` has this signature.
    unsafe { std::mem::transmute::<*mut c_void, MremapFn>(next_symbol(&MREMAP, b"mremap\0")) }
}

thread_local! {
    /// Whether this thread has mapped anything yet.
    static MAPPED: Cell<bool> = const { Cell::new(false) };
}

/// The counted mappings still mapped: (start, length); start 0 is free.
/// When it is full a new mapping is still counted, and never given back.
const SLOTS: usize = 256;
static STARTS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static LENGTHS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];

fn remember(start: usize, len: usize) {
    for (s, l) in STARTS.iter().zip(&LENGTHS) {
        if s.compare_exchange(0, start, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            l.store(len, Ordering::Release);
            return;
        }
    }
}

/// The slot of the counted mapping that starts at `start`.
fn slot_of(start: usize) -> Option<usize> {
    STARTS
        .iter()
        .position(|s| start != 0 && s.load(Ordering::Acquire) == start)
}

/// Whether a new mapping is the standard library's signal stack for a
/// thread that is starting (see the module's documentation).
fn signal_stack(len: usize, prot: c_int, flags: c_int, fd: c_int) -> bool {
    let first = MAPPED.try_with(|m| !m.replace(true)).unwrap_or(false);
    first
        && fd == -1
        && prot == PROT_READ | PROT_WRITE
        && flags & (MAP_PRIVATE | MAP_ANONYMOUS) == MAP_PRIVATE | MAP_ANONYMOUS
        && len <= SIGNAL_STACK_MAX
}

/// # Safety
/// The C library's contract of `mmap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: i64,
) -> *mut c_void {
    let p = unsafe { real_mmap()(addr, len, prot, flags, fd, offset) };
    let exempt = signal_stack(len, prot, flags, fd);
    if p != MAP_FAILED && flags & MAP_ANONYMOUS != 0 && !exempt {
        remember(p as usize, len);
        crate::record(1, 0, 0, len, len as isize);
    }
    p
}

/// # Safety
/// The C library's contract of `mmap64` (the same as `mmap` on 64-bit).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mmap64(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: i64,
) -> *mut c_void {
    unsafe { mmap(addr, len, prot, flags, fd, offset) }
}

/// # Safety
/// The C library's contract of `munmap`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn munmap(addr: *mut c_void, len: usize) -> c_int {
    let r = unsafe { real_munmap()(addr, len) };
    if r == 0
        && let Some(i) = slot_of(addr as usize)
    {
        let had = LENGTHS[i].load(Ordering::Acquire);
        let freed = len.min(had);
        if freed == had {
            STARTS[i].store(0, Ordering::Release);
        } else {
            // The front of the mapping went; the rest stays counted.
            STARTS[i].store(addr as usize + freed, Ordering::Release);
            LENGTHS[i].store(had - freed, Ordering::Release);
        }
        crate::record(0, 0, 1, 0, -(freed as isize));
    }
    r
}

/// # Safety
/// The C library's contract of `mremap` (a fifth argument only with
/// `MREMAP_FIXED`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mremap(
    old: *mut c_void,
    old_len: usize,
    new_len: usize,
    flags: c_int,
    new_addr: *mut c_void,
) -> *mut c_void {
    let q = unsafe { real_mremap()(old, old_len, new_len, flags, new_addr) };
    if q == MAP_FAILED {
        return q;
    }
    match slot_of(old as usize) {
        Some(i) => {
            let had = LENGTHS[i].load(Ordering::Acquire);
            STARTS[i].store(q as usize, Ordering::Release);
            LENGTHS[i].store(new_len, Ordering::Release);
            let grew = new_len.saturating_sub(had);
            crate::record(0, 1, 0, grew, new_len as isize - had as isize);
        }
        None => {
            // A mapping that was never counted (the signal stack, or a
            // file): what it grows by is counted from now on.
            let grew = new_len.saturating_sub(old_len);
            if grew > 0 {
                remember(q as usize, grew);
                crate::record(1, 0, 0, grew, grew as isize);
            }
        }
    }
    q
}
