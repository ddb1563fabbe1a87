//! A million small `Box` allocations and frees, with memprobe's counting
//! allocator (feature `probe`) or the system allocator. Prints nanoseconds
//! per allocation + free, best of five rounds.

use std::hint::black_box;
use std::time::Instant;

#[cfg(feature = "probe")]
memprobe::install!();

const N: usize = 1_000_000;

fn round() -> f64 {
    let start = Instant::now();
    for i in 0..N {
        let b = black_box(Box::new(i as u64));
        drop(b);
    }
    // Also with many live blocks at once.
    let v: Vec<Box<u64>> = (0..N as u64).map(Box::new).collect();
    black_box(&v);
    drop(v);
    start.elapsed().as_nanos() as f64 / (2 * N) as f64
}

fn main() {
    #[cfg(feature = "probe")]
    let run = || memprobe::measure(round).0;
    #[cfg(not(feature = "probe"))]
    let run = round;
    let best = (0..5).map(|_| run()).fold(f64::INFINITY, f64::min);
    println!("{best:.2}");
}
