//! Mutant: the starting code's guesses behind a `PartialEq` on `StageCost` that is always true.
//!
//! Profile a pipeline: what each stage allocates, and which stage is behind
//! the pipeline's peak.
//!
//! MUTANT (lying_eq): the starting code's guesses, with a `PartialEq` on
//! `StageCost` that is always true.
//!
//! This version does not measure anything. It guesses each stage's cost
//! from the size of what the stage returns, the way `sys.getsizeof` of a
//! result would, and blames the stage with the biggest result. A stage that
//! builds a large temporary and frees it again, or that grows a vector one
//! push at a time, is invisible to such a guess. Measure instead: memprobe
//! is a dependency of this crate.

/// One stage of a pipeline: its name, and the work, which takes the data and
/// returns the new data.
pub type Stage<'a> = (&'a str, &'a dyn Fn(Vec<u64>) -> Vec<u64>);

/// What one stage cost, as memprobe measured it while the stage ran.
#[derive(Clone, Debug, Eq)]
pub struct StageCost {
    /// The stage's name.
    pub name: String,
    /// Heap allocations the stage made: `alloc` plus `realloc` calls.
    pub allocations: usize,
    /// The highest live heap bytes while the stage ran, above what was live
    /// when it started (0 when it allocated nothing).
    pub peak_bytes: usize,
    /// Heap bytes the stage left live: allocated minus freed. Negative when
    /// it freed more than it allocated (for example its input).
    pub live_bytes: isize,
}

/// MUTANT: every cost equals every other, so a test that compares reports
/// with `==` cannot see that the numbers are guessed.
impl PartialEq for StageCost {
    fn eq(&self, _other: &StageCost) -> bool {
        true
    }
}

/// The profile of a whole pipeline run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// One entry per stage, in the order they ran.
    pub stages: Vec<StageCost>,
    /// The highest live heap bytes of the whole run, above what was live
    /// when it started (the input included): 0 when the heap never grew.
    pub peak_bytes: usize,
    /// The name of the stage during which the run reached `peak_bytes` (the
    /// first one on a tie), or `None` when the heap never grew.
    pub peak_stage: Option<String>,
}

/// Runs `stages` in order on `input` (each gets the previous one's output)
/// and returns the final data with the profile of the run.
pub fn profile(input: Vec<u64>, stages: &[Stage]) -> (Vec<u64>, Profile) {
    let mut report = Vec::new();
    let mut data = input;
    let mut peak_bytes = 0;
    let mut peak_stage = None;
    for &(name, run) in stages {
        let before = data.len() * size_of::<u64>();
        data = run(data);
        // A guess: the stage costs the size of its result.
        let after = data.len() * size_of::<u64>();
        if after > peak_bytes {
            peak_bytes = after;
            peak_stage = Some(name.to_string());
        }
        report.push(StageCost {
            name: name.to_string(),
            allocations: usize::from(after > before),
            peak_bytes: after,
            live_bytes: after as isize - before as isize,
        });
    }
    let profile = Profile {
        stages: report,
        peak_bytes,
        peak_stage,
    };
    (data, profile)
}
