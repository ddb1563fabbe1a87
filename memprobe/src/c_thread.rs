//! Thread stacks, bounded (grade of record, Linux with glibc).
//!
//! What a thread keeps on its stack is memory no allocator sees. In a
//! record build memprobe defines `pthread_create` in the test binary and
//! refuses (with `EAGAIN`, so `std::thread::Builder::spawn` returns an
//! error and `std::thread::spawn` panics) a thread whose stack is larger
//! than the test process's `RUST_MIN_STACK` (memgrade sets it from the
//! course's `[limits] stack_kb`, and the standard library gives every thread
//! that size unless asked otherwise), and any thread past the
//! [`MAX_THREADS`]th of the process. So stacks hold at most
//! `MAX_THREADS × stack_kb` in all.

use std::ffi::{c_char, c_int, c_void};
use std::io::Write;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

unsafe extern "C" {
    fn pthread_attr_getstacksize(attr: *const c_void, size: *mut usize) -> c_int;
    fn getenv(name: *const c_char) -> *const c_char;
}

/// Threads one test process may start (the test harness's own included).
pub const MAX_THREADS: usize = 64;

/// What the refusal says first on standard error, for the grader's report.
pub const REFUSED: &str = "memprobe: refused to start a thread:";

const EAGAIN: c_int = 11;

type Start = extern "C" fn(*mut c_void) -> *mut c_void;
type CreateFn = unsafe extern "C" fn(*mut c_void, *const c_void, Start, *mut c_void) -> c_int;

static CREATE: AtomicPtr<c_void> = AtomicPtr::new(std::ptr::null_mut());
static STARTED: AtomicUsize = AtomicUsize::new(0);

/// The stack size every thread may have: `RUST_MIN_STACK` in bytes, if set.
fn stack_limit() -> Option<usize> {
    // SAFETY: a NUL-terminated name; the result is read before any call
    // that could change the environment (none runs on this path).
    let v = unsafe { getenv(c"RUST_MIN_STACK".as_ptr()) };
    if v.is_null() {
        return None;
    }
    // SAFETY: getenv returns a NUL-terminated string.
    let digits = unsafe { std::ffi::CStr::from_ptr(v) }.to_bytes();
    let mut n: usize = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(usize::from(d - b'0'))?;
    }
    Some(n)
}

/// Why a thread with attributes `attr` may not start, if it may not.
fn refusal(attr: *const c_void) -> Option<String> {
    let n = STARTED.fetch_add(1, Ordering::Relaxed) + 1;
    if n > MAX_THREADS {
        return Some(format!(
            "this would be thread {n}, and a test process may start at most {MAX_THREADS} (what threads keep on their stacks is memory no measurement sees)"
        ));
    }
    let limit = stack_limit()?;
    let mut size = 0usize;
    // SAFETY: `attr` is the caller's initialised attribute object.
    if attr.is_null() || unsafe { pthread_attr_getstacksize(attr, &mut size) } != 0 {
        return Some("a thread without a stack size".into());
    }
    (size > limit).then(|| {
        format!(
            "it asked for a stack of {} KiB, and the grade of record gives each thread at most {} KiB (grader.toml `[limits] stack_kb`): what a stack holds is memory no measurement sees",
            size >> 10,
            limit >> 10
        )
    })
}

/// # Safety
/// The C library's contract of `pthread_create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_create(
    thread: *mut c_void,
    attr: *const c_void,
    start: Start,
    arg: *mut c_void,
) -> c_int {
    if let Some(why) = refusal(attr) {
        let _ = writeln!(std::io::stderr(), "{REFUSED} {why}");
        return EAGAIN;
    }
    let real = crate::c_map::next_symbol(&CREATE, b"pthread_create\0");
    // SAFETY: the C library's `pthread_create` has this signature.
    let real = unsafe { std::mem::transmute::<*mut c_void, CreateFn>(real) };
    unsafe { real(thread, attr, start, arg) }
}
