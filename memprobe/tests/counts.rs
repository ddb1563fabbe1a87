//! Exact, repeatable counts for known std operations, under libtest's
//! default parallel test threads.

use std::hint::black_box;

use memprobe::{Budget, Metric, Stats, measure};

memprobe::install!();

#[test]
fn vec_with_capacity_is_one_allocation_of_exact_size() {
    for _ in 0..3 {
        let (v, s) = measure(|| Vec::<u64>::with_capacity(100));
        assert_eq!(v.capacity(), 100);
        assert_eq!((s.allocs, s.reallocs, s.deallocs), (1, 0, 0));
        assert_eq!(s.bytes_allocated, 800);
        assert_eq!(s.peak_bytes, 800);
        assert_eq!(s.live_bytes, 800);
    }
}

#[test]
fn box_new_is_one_allocation() {
    let (b, s) = measure(|| Box::new([0u8; 24]));
    black_box(&b);
    assert_eq!(s.heap_allocations(), 1);
    assert_eq!(s.bytes_allocated, 24);
}

#[test]
fn empty_vec_and_string_do_not_allocate() {
    let ((v, st), s) = measure(|| (Vec::<u64>::new(), String::new()));
    black_box((&v, &st));
    assert_eq!(s, Stats::default());
}

#[test]
fn vec_growth_reallocates_by_doubling() {
    // Capacity goes 4, 8, 16, 32, 64, 128 for u64 pushes: 1 alloc + 5 reallocs.
    let (v, s) = measure(|| {
        let mut v = Vec::new();
        for i in 0..100u64 {
            v.push(black_box(i));
        }
        v
    });
    assert_eq!(v.capacity(), 128);
    assert_eq!((s.allocs, s.reallocs, s.deallocs), (1, 5, 0));
    assert_eq!(s.live_bytes, 128 * 8);
    assert_eq!(s.peak_bytes, 128 * 8);
}

#[test]
fn string_building_with_push_str_reallocates_and_reserve_does_not() {
    let (grown, s) = measure(|| {
        let mut out = String::new();
        for _ in 0..100 {
            out.push_str(black_box("word "));
        }
        out
    });
    assert_eq!(grown.len(), 500);
    assert_eq!(s.allocs, 1);
    assert!(s.reallocs >= 3, "growth must show as reallocs: {s}");

    let (reserved, s) = measure(|| {
        let mut out = String::with_capacity(500);
        for _ in 0..100 {
            out.push_str(black_box("word "));
        }
        out
    });
    assert_eq!(reserved, grown);
    assert_eq!((s.allocs, s.reallocs), (1, 0));
    assert_eq!(s.bytes_allocated, 500);
}

#[test]
fn a_leaked_box_stays_live() {
    let (_, s) = measure(|| {
        let leaked: &'static mut [u8; 64] = Box::leak(Box::new([7u8; 64]));
        black_box(leaked);
    });
    assert_eq!(s.live_bytes, 64);
    assert_eq!(s.deallocs, 0);
}

#[test]
fn a_freed_temporary_shows_only_in_peak() {
    let (len, s) = measure(|| {
        let tmp = vec![1u8; 4096];
        black_box(&tmp);
        tmp.len()
    });
    assert_eq!(len, 4096);
    assert_eq!(s.peak_bytes, 4096);
    assert_eq!(s.live_bytes, 0);
    assert_eq!((s.allocs, s.deallocs), (1, 1));
}

#[test]
fn freeing_outer_memory_makes_live_negative_and_peak_zero() {
    let outer = vec![0u8; 1000];
    let ((), s) = measure(|| drop(black_box(outer)));
    assert_eq!(s.live_bytes, -1000);
    assert_eq!(s.peak_bytes, 0);
}

#[test]
fn nested_windows_fold_into_the_outer_peak() {
    let (inner, outer) = measure(|| {
        let keep = vec![0u8; 100]; // outer live 100
        let ((), inner) = measure(|| {
            let tmp = vec![0u8; 1000]; // inner peak 1000, freed
            black_box(&tmp);
        });
        let tmp2 = vec![0u8; 300]; // outer live 400, below 1100
        black_box((&keep, &tmp2));
        inner
    });
    assert_eq!(inner.peak_bytes, 1000);
    assert_eq!(inner.live_bytes, 0);
    assert_eq!(outer.allocs, 3);
    assert_eq!(outer.deallocs, 3);
    assert_eq!(
        outer.peak_bytes, 1100,
        "max(outer peak, outer live + inner peak)"
    );
    assert_eq!(outer.live_bytes, 0);
}

#[test]
fn a_panic_inside_a_window_restores_the_outer_window() {
    let ((), outer) = measure(|| {
        let keep = vec![0u8; 10];
        let caught = std::panic::catch_unwind(|| {
            measure(|| {
                let tmp = vec![0u8; 50];
                black_box(&tmp);
                panic!("inner failure");
            })
        });
        assert!(caught.is_err());
        // Back in the outer window: this allocation must be counted here.
        let after = vec![0u8; 20];
        black_box((&keep, &after));
    });
    assert!(
        outer.allocs >= 3,
        "outer window keeps counting after the panic: {outer}"
    );
    assert!(outer.peak_bytes >= 60);
    // And after everything, a fresh window starts from zero again.
    let (_, fresh) = measure(|| Box::new(1u32));
    assert_eq!(fresh.heap_allocations(), 1);
    assert_eq!(fresh.bytes_allocated, 4);
}

#[test]
fn counts_are_per_thread() {
    let (_, s) = measure(|| {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| black_box(vec![0u8; 1 << 20]).len()))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .sum::<usize>()
    });
    // The megabyte buffers were allocated on other threads; unless strict
    // mode is on (a record build's always is), this window does not see them.
    if std::env::var_os("MEMPROBE_STRICT").is_none() && !memprobe::RECORD {
        assert!(s.peak_bytes < 1 << 20, "{s}");
    }
}

#[test]
fn allocation_assertion_message_teaches() {
    let words = ["alpha"; 14];
    let (_, s) = measure(|| {
        let mut out = String::new();
        for w in words {
            out += w;
            out.shrink_to_fit();
        }
        out
    });
    let msg = memprobe::check(
        Metric::Allocations,
        Budget::AtMost(1),
        &s,
        "join(&words)",
        "reserve once",
    )
    .unwrap_err();
    let first = msg.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "`join(&words)`: expected at most 1 heap allocation, measured {} (1 alloc + {} reallocs)",
            s.heap_allocations(),
            s.reallocs
        )
    );
    assert!(msg.contains("idea:     reserve once"));
}

#[test]
fn assertion_macros_pass_within_budget_and_return_the_value() {
    let v = memprobe::assert_allocs!(<= 1, Vec::<u8>::with_capacity(10));
    assert_eq!(v.capacity(), 10);
    let n = memprobe::assert_allocs!(== 0, black_box(2) + 2);
    assert_eq!(n, 4);
    memprobe::assert_peak_bytes!(<= 64, vec![0u8; 64]);
    memprobe::assert_live_bytes!(== 0, drop(vec![0u8; 64]));
    memprobe::assert_bytes_allocated!(== 16, Box::new([0u64; 2]));
    assert_eq!(memprobe::assert_size!(<= 8, size_of::<u64>()), 8);
}

#[test]
#[should_panic(expected = "expected at most 0 heap allocations, measured 1 (1 alloc + 0 reallocs)")]
fn allocation_macro_panics_over_budget() {
    memprobe::assert_allocs!(<= 0, Box::new(5u8));
}

#[test]
#[should_panic(expected = "expected at most 100 bytes of peak live heap, measured 4096")]
fn peak_macro_panics_over_budget() {
    memprobe::assert_peak_bytes!(<= 100, drop(vec![0u8; 4096]), "stream instead");
}

#[test]
#[should_panic(expected = "expected exactly 0 bytes still live on the heap, measured 8")]
fn live_macro_catches_a_leak() {
    memprobe::assert_live_bytes!(== 0, {
        Box::leak(Box::new(1u64));
    });
}

#[test]
#[should_panic(expected = "expected at most 16 bytes, measured 24 bytes (64-bit target)")]
fn size_macro_panics_over_budget() {
    memprobe::assert_size!(<= 16, size_of::<(u64, u8, u64)>(), "reorder the fields");
}
