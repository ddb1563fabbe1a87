//! Alternative: the whole run in an outer `memprobe::measure` window (nested windows fold, so its peak is the pipeline's peak), with stats stored in a vector reserved beforehand so nothing else allocates inside it.

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

/// Runs `stages` in order on `input` (each gets the previous one's output)
/// and returns the final data with the profile of the run.
pub fn profile(input: Vec<u64>, stages: &[Stage]) -> (Vec<u64>, Profile) {
    // Reserved before the outer window opens: pushing into it inside the
    // window does not allocate.
    let mut measured: Vec<memprobe::Stats> = Vec::with_capacity(stages.len());
    let (data, whole) = memprobe::measure(|| {
        let mut data = input;
        for &(_, run) in stages {
            let (out, stats) = memprobe::measure(|| run(data));
            measured.push(stats);
            data = out;
        }
        data
    });
    // The outer window knows the peak; walk the stages to find who reached
    // it first.
    let mut live: isize = 0;
    let mut peak_stage = None;
    for (&(name, _), stats) in stages.iter().zip(&measured) {
        if whole.peak_bytes > 0 && live + stats.peak_bytes as isize == whole.peak_bytes as isize {
            peak_stage = Some(name.to_string());
            break;
        }
        live += stats.live_bytes;
    }
    let report = stages
        .iter()
        .zip(&measured)
        .map(|(&(name, _), stats)| StageCost {
            name: name.to_string(),
            allocations: stats.heap_allocations(),
            peak_bytes: stats.peak_bytes,
            live_bytes: stats.live_bytes,
        })
        .collect();
    let profile = Profile {
        stages: report,
        peak_bytes: whole.peak_bytes,
        peak_stage,
    };
    (data, profile)
}
