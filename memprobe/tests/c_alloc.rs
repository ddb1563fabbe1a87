//! The grade of record counts the C allocator and `System` called directly
//! (memprobe compiled with `MEMPROBE_RECORD` set, Linux with glibc): run
//! with `MEMPROBE_RECORD=1 cargo test -p memprobe --test c_alloc -- --test-threads=1`. Memory
//! the counting allocator hands out is still counted once, at its exact size.
#![cfg(all(memprobe_record, target_os = "linux", target_env = "gnu"))]

use std::alloc::{GlobalAlloc, Layout, System};

memprobe::install!();

#[test]
fn system_called_directly_is_counted() {
    let layout = Layout::from_size_align(1 << 20, 8).unwrap();
    let (p, stats) = memprobe::measure(|| unsafe { System.alloc(layout) } as usize);
    assert_eq!(stats.allocs, 1, "{stats}");
    assert!(stats.peak_bytes >= 1 << 20, "{stats}");
    let ((), freed) = memprobe::measure(|| unsafe { System.dealloc(p as *mut u8, layout) });
    assert_eq!(freed.deallocs, 1, "{freed}");
    assert!(freed.live_bytes <= -(1 << 20), "{freed}");
}

#[test]
fn over_aligned_and_zeroed_blocks_through_system_are_counted() {
    let layout = Layout::from_size_align(4096, 4096).unwrap();
    let (p, stats) = memprobe::measure(|| unsafe { System.alloc_zeroed(layout) } as usize);
    assert_eq!(stats.allocs, 1, "{stats}");
    assert!(stats.peak_bytes >= 4096, "{stats}");
    let (q, grown) =
        memprobe::measure(|| unsafe { System.realloc(p as *mut u8, layout, 1 << 16) } as usize);
    assert!(grown.heap_allocations() >= 1, "{grown}");
    assert!(grown.peak_bytes >= (1 << 16) - 4096, "{grown}");
    unsafe {
        System.dealloc(
            q as *mut u8,
            Layout::from_size_align(1 << 16, 4096).unwrap(),
        )
    };
}

#[test]
fn the_global_allocator_is_counted_once_at_its_exact_size() {
    let (v, stats) = memprobe::measure(|| Vec::<u8>::with_capacity(1000));
    assert_eq!(stats.allocs, 1, "{stats}");
    assert_eq!(stats.peak_bytes, 1000, "{stats}");
    let ((), freed) = memprobe::measure(|| drop(v));
    assert_eq!(freed.live_bytes, -1000, "{freed}");
}
