//! Deterministic test inputs: a tiny seeded generator (SplitMix64), so
//! graded tests can try several sizes and contents without a dependency and
//! get the same inputs on every run and every machine.
//!
//! Use it *outside* measurement windows: building inputs allocates.
//!
//! ```
//! let mut rng = memprobe::inputs::Rng::new(7);
//! let words = rng.words(13, 1..=9, true);
//! assert_eq!(words.len(), 13);
//! for n in memprobe::inputs::SIZES { let _ = n; }
//! ```

use std::ops::RangeInclusive;

/// Sizes worth trying beside a test's main one: empty, one, small primes, and
/// sizes just past and just short of powers of two, so a buffer sized to one
/// test constant cannot fit them all.
pub const SIZES: [usize; 8] = [0, 1, 3, 17, 100, 255, 1_000, 4_097];

/// A few non-ASCII words (2-, 3- and 4-byte UTF-8) mixed into generated text.
const NON_ASCII: [&str; 6] = ["größe", "naïve", "日本語", "ключ", "🦀", "résumé"];

/// A seeded pseudo-random generator (SplitMix64): same seed, same sequence.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        self.next_u64() % n
    }

    /// A number in the inclusive range.
    pub fn range(&mut self, r: RangeInclusive<usize>) -> usize {
        let (lo, hi) = (*r.start(), *r.end());
        assert!(lo <= hi, "empty range");
        lo + self.below((hi - lo) as u64 + 1) as usize
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    /// A lowercase ASCII word with a length in `len`.
    pub fn ascii_word(&mut self, len: RangeInclusive<usize>) -> String {
        let n = self.range(len);
        (0..n)
            .map(|_| (b'a' + self.below(26) as u8) as char)
            .collect()
    }

    /// A word: ASCII with a length in `len`, or (when `unicode` is true, one
    /// time in four) a non-ASCII word.
    pub fn word(&mut self, len: RangeInclusive<usize>, unicode: bool) -> String {
        if unicode && self.chance(1, 4) {
            NON_ASCII[self.below(NON_ASCII.len() as u64) as usize].to_string()
        } else {
            self.ascii_word(len)
        }
    }

    /// `count` words as by [`Rng::word`].
    pub fn words(
        &mut self,
        count: usize,
        len: RangeInclusive<usize>,
        unicode: bool,
    ) -> Vec<String> {
        (0..count)
            .map(|_| self.word(len.clone(), unicode))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(1);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(1);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::new(2);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn words_respect_lengths_and_mix_in_unicode() {
        let mut r = Rng::new(3);
        let w = r.words(200, 2..=5, false);
        assert!(w.iter().all(|w| (2..=5).contains(&w.len()) && w.is_ascii()));
        let u = r.words(200, 1..=3, true);
        assert!(u.iter().any(|w| !w.is_ascii()));
        assert!(u.iter().any(|w| w.is_ascii()));
    }

    #[test]
    fn range_and_below_stay_in_bounds() {
        let mut r = Rng::new(9);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            assert!((3..=5).contains(&r.range(3..=5)));
        }
        assert_eq!(r.range(4..=4), 4);
    }
}
