//! The grade of record counts anonymous mappings (memprobe compiled with
//! `MEMPROBE_RECORD` set, Linux with glibc): run with
//! `MEMPROBE_RECORD=1 cargo test -p memprobe --test c_map -- --test-threads=1` (memgrade's
//! `tests/adversarial/counted.rs` does). A mapping is charged like an
//! allocation of its length and given back when it is unmapped; the
//! standard library's signal stack for a new thread is not charged.
#![cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]

use std::ffi::{c_int, c_void};

memprobe::install!();

unsafe extern "C" {
    fn mmap(
        addr: *mut c_void,
        len: usize,
        prot: c_int,
        flags: c_int,
        fd: c_int,
        off: i64,
    ) -> *mut c_void;
    fn munmap(addr: *mut c_void, len: usize) -> c_int;
    fn mremap(old: *mut c_void, old_len: usize, new_len: usize, flags: c_int, ...) -> *mut c_void;
}

const RW: c_int = 3;
const PRIVATE_ANON: c_int = 0x02 | 0x20;
const MREMAP_MAYMOVE: c_int = 1;
const MIB: usize = 1 << 20;

fn map(len: usize) -> usize {
    let p = unsafe { mmap(std::ptr::null_mut(), len, RW, PRIVATE_ANON, -1, 0) };
    assert_ne!(p as usize, usize::MAX, "mmap failed");
    p as usize
}

#[test]
fn an_anonymous_mapping_is_counted_and_given_back() {
    let (p, stats) = memprobe::measure(|| map(MIB));
    assert_eq!(stats.allocs, 1, "{stats}");
    assert_eq!(stats.peak_bytes, MIB, "{stats}");
    assert_eq!(stats.live_bytes, MIB as isize, "{stats}");
    let ((), freed) = memprobe::measure(|| assert_eq!(unsafe { munmap(p as *mut c_void, MIB) }, 0));
    assert_eq!(freed.deallocs, 1, "{freed}");
    assert_eq!(freed.live_bytes, -(MIB as isize), "{freed}");
}

#[test]
fn a_mapping_grown_in_place_or_moved_counts_what_it_grew() {
    let p = map(MIB);
    let (q, grown) = memprobe::measure(|| unsafe {
        mremap(p as *mut c_void, MIB, 4 * MIB, MREMAP_MAYMOVE) as usize
    });
    assert_ne!(q, usize::MAX, "mremap failed");
    assert_eq!(grown.reallocs, 1, "{grown}");
    assert_eq!(grown.live_bytes, 3 * MIB as isize, "{grown}");
    let ((), freed) =
        memprobe::measure(|| assert_eq!(unsafe { munmap(q as *mut c_void, 4 * MIB) }, 0));
    assert_eq!(freed.live_bytes, -4 * MIB as isize, "{freed}");
}

#[test]
fn a_helper_threads_mapping_is_charged_but_not_its_signal_stack() {
    // The thread starts inside the window: the standard library's signal
    // stack for it is not charged, the mapping its closure makes is.
    let (p, stats) = memprobe::measure(|| std::thread::spawn(|| map(2 * MIB)).join().unwrap());
    assert!(stats.peak_bytes >= 2 * MIB, "{stats}");
    assert!(stats.peak_bytes < 2 * MIB + 64 * 1024, "{stats}");
    unsafe { munmap(p as *mut c_void, 2 * MIB) };
}
