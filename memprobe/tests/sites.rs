//! Allocation sites: with `MEMPROBE_SITES` naming a file, the last window
//! of a thread is written there when the thread ends, each allocation at
//! the lines that made it, memprobe's own allocations neither recorded nor
//! counted. One test: the variable is read once per process.

use std::hint::black_box;

memprobe::install!();

#[test]
fn the_last_window_of_a_thread_is_written_with_its_lines() {
    let file = std::env::temp_dir().join(format!("memprobe-sites-{}.txt", std::process::id()));
    // SAFETY: the only test of this binary sets it before any window opens.
    unsafe { std::env::set_var("MEMPROBE_SITES", &file) };
    let (stats, first_line) = std::thread::spawn(|| {
        // An earlier window: not the last one, so not written.
        let _ = memprobe::measure(|| black_box(vec![1u8; 3]));
        let line = line!() + 2;
        let (v, stats) = memprobe::measure(|| {
            let mut v: Vec<u64> = black_box(Vec::with_capacity(1));
            v.push(1);
            v.push(2);
            v
        });
        drop(v);
        (stats, line)
    })
    .join()
    .unwrap();
    // Counting is as it is without sites: the backtraces cost nothing.
    assert_eq!(
        (stats.allocs, stats.reallocs, stats.deallocs),
        (1, 1, 0),
        "{stats}"
    );
    let block = std::fs::read_to_string(&file).expect("the sites file");
    let _ = std::fs::remove_file(&file);
    let mut lines = block.lines();
    assert_eq!(lines.next(), Some("memprobe-sites 1"));
    assert_eq!(lines.next(), Some("window 1 1 0 2 2"), "{block}");
    // A Vec<u64> of capacity 1 grows to 4: 8 bytes, then 32.
    assert_eq!(lines.next(), Some("series 0 8 32"), "{block}");
    let sites: Vec<(&str, Option<&str>)> = block
        .split("site ")
        .skip(1)
        .map(|s| {
            let mut l = s.lines();
            (
                l.next().unwrap(),
                l.next().and_then(|a| a.strip_prefix("at ")),
            )
        })
        .collect();
    let here = |n: u32| format!("tests/sites.rs:{n}");
    assert_eq!(sites.len(), 2, "{block}");
    assert_eq!(sites[0].0, "alloc 1 8", "{block}");
    assert!(
        sites[0].1.is_some_and(|at| at.ends_with(&here(first_line))),
        "{block}"
    );
    assert_eq!(sites[1].0, "realloc 1 32", "{block}");
    assert!(
        sites[1]
            .1
            .is_some_and(|at| at.ends_with(&here(first_line + 2))),
        "{block}"
    );
}
