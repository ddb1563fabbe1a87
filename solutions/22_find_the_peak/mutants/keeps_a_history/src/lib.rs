//! Mutant: keeps every profile it made in a thread-local history ("to compare runs later") that is never freed.
//! Family: leak or kept capacity (a cache that never frees).

/// One stage of a pipeline: its name, and the work, which takes the data and
/// returns the new data.
pub type Stage<'a> = (&'a str, &'a dyn Fn(Vec<u64>) -> Vec<u64>);

/// What one stage cost, as memprobe measured it while the stage ran.
#[derive(Clone, Debug, PartialEq, Eq)]
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

thread_local! {
    /// Every profile made so far, for comparing runs.
    static HISTORY: std::cell::RefCell<Vec<Profile>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `stages` in order on `input` (each gets the previous one's output)
/// and returns the final data with the profile of the run.
pub fn profile(input: Vec<u64>, stages: &[Stage]) -> (Vec<u64>, Profile) {
    let mut report = Vec::with_capacity(stages.len());
    let mut data = input;
    // Heap left live by the stages so far, relative to the run's start.
    let mut live: isize = 0;
    let mut peak: isize = 0;
    let mut peak_stage = None;
    for &(name, run) in stages {
        // Only the stage runs inside the window: no bookkeeping in there.
        let (out, stats) = memprobe::measure(|| run(data));
        data = out;
        let reached = live + stats.peak_bytes as isize;
        // Strictly higher: the first stage keeps a tie.
        if reached > peak {
            peak = reached;
            peak_stage = Some(name);
        }
        live += stats.live_bytes;
        report.push(StageCost {
            name: name.to_string(),
            allocations: stats.heap_allocations(),
            peak_bytes: stats.peak_bytes,
            live_bytes: stats.live_bytes,
        });
    }
    let profile = Profile {
        stages: report,
        peak_bytes: peak as usize,
        peak_stage: peak_stage.map(str::to_string),
    };
    HISTORY.with(|history| history.borrow_mut().push(profile.clone()));
    (data, profile)
}
