//! The graded contract of `find_the_peak`. Sizes are for 64-bit targets.
//!
//! The tests supply the pipelines: stages whose costs are drawn from a
//! seeded generator (`memprobe::inputs`), so no fixed answer and no guess
//! from the size of a stage's result can match. The expected numbers are
//! measured here, by the tests, with memprobe: each stage in its own window,
//! the whole run in an outer window (its peak is the pipeline's peak), and
//! growing prefixes of the run to find the first stage that reaches it.
//! The verdicts compare fields (names, numbers), never through `StageCost`'s
//! or `Profile`'s own `PartialEq`.

use std::hint::black_box;
use std::marker::PhantomData;

use find_the_peak::{Profile, Stage, StageCost, profile};
use memprobe::inputs::{Rng, SIZES};
use memprobe::{Budget, Metric, Stats};

memprobe::install!();

// The graded signatures: a crate whose functions return (or take) other
// types than these, a type whose `==` or methods could say anything, does
// not compile against the tests.
type Profiled = (Vec<u64>, find_the_peak::Profile);
const _: fn(Vec<u64>, &[find_the_peak::Stage]) -> Profiled = find_the_peak::profile;

/// The graded fields, as exactly these types (a reference to a type of
/// the crate's own, even one that dereferences to them, does not
/// compile): the tests read them, never through the crate's own `==`.
const _: fn(&find_the_peak::Profile, &find_the_peak::StageCost) = |p, s| {
    same(&p.stages, PhantomData::<Vec<find_the_peak::StageCost>>);
    same(&p.peak_bytes, PhantomData::<usize>);
    same(&p.peak_stage, PhantomData::<Option<String>>);
    same(&s.name, PhantomData::<String>);
    same(&s.allocations, PhantomData::<usize>);
    same(&s.peak_bytes, PhantomData::<usize>);
    same(&s.live_bytes, PhantomData::<isize>);
};

/// Compiles only when the value is of type `T` exactly.
fn same<T>(_: &T, _: PhantomData<T>) {}

/// A stage's cost as standard types: the verdicts compare these, never
/// through `StageCost`'s own `PartialEq` or `Debug`.
fn costs(profile: &Profile) -> Vec<(String, usize, usize, isize)> {
    profile
        .stages
        .iter()
        .map(|s| (s.name.clone(), s.allocations, s.peak_bytes, s.live_bytes))
        .collect()
}

/// The kinds of stage the tests build, each with seeded parameters.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Works with a temporary buffer of `n` values, freed before it returns.
    Scratch(usize),
    /// Returns a new vector with each value repeated `k` times (the input is
    /// freed).
    Expand(usize),
    /// Pushes `n` more values one at a time (the vector reallocates as it
    /// grows).
    Append(usize),
    /// Collects the values divisible by `m` into a new vector (grown by
    /// doubling), then frees the input.
    Filter(u64),
    /// Sorts a copy and frees the original.
    SortedCopy,
    /// Keeps the first half and gives the spare capacity back.
    Halve,
    /// Changes the values in place.
    InPlace,
}

fn apply(kind: Kind, mut data: Vec<u64>) -> Vec<u64> {
    match kind {
        Kind::Scratch(n) => {
            let scratch: Vec<u64> = (0..n as u64).map(|i| i.wrapping_mul(0x9E37)).collect();
            let salt = black_box(&scratch).iter().fold(0u64, |a, &b| a ^ b);
            drop(scratch);
            for x in &mut data {
                *x = x.wrapping_add(salt);
            }
            data
        }
        Kind::Expand(k) => {
            let mut out = Vec::with_capacity(data.len() * k);
            for &x in &data {
                for j in 0..k as u64 {
                    out.push(x ^ j);
                }
            }
            out
        }
        Kind::Append(n) => {
            for i in 0..n as u64 {
                data.push(i << 33);
            }
            data
        }
        Kind::Filter(m) => data.iter().copied().filter(|x| x % m == 0).collect(),
        Kind::SortedCopy => {
            let mut copy = data.clone();
            copy.sort_unstable();
            copy
        }
        Kind::Halve => {
            data.truncate(data.len() / 2);
            data.shrink_to_fit();
            data
        }
        Kind::InPlace => {
            for x in &mut data {
                *x = x.rotate_left(7);
            }
            data
        }
    }
}

/// The work of one stage, owned by the test.
type Work = Box<dyn Fn(Vec<u64>) -> Vec<u64>>;

/// A pipeline the tests own: named, boxed stages.
struct Pipeline {
    input: Vec<u64>,
    stages: Vec<(String, Work)>,
}

impl Pipeline {
    fn new(input_len: usize, kinds: &[Kind], seed: u64) -> Pipeline {
        let mut rng = Rng::new(seed);
        let input: Vec<u64> = (0..input_len).map(|_| rng.next_u64()).collect();
        let stages = kinds
            .iter()
            .enumerate()
            .map(|(i, &kind)| {
                let name = format!("{i}:{kind:?}");
                let run: Work = Box::new(move |d| apply(kind, d));
                (name, run)
            })
            .collect();
        Pipeline { input, stages }
    }

    /// A seeded pipeline: 1 to 6 stages of random kinds and costs.
    fn random(input_len: usize, seed: u64) -> Pipeline {
        let mut rng = Rng::new(seed ^ 0xABCD);
        let count = rng.range(1..=6);
        let kinds: Vec<Kind> = (0..count)
            .map(|_| match rng.below(7) {
                0 => Kind::Scratch(rng.range(0..=5_000)),
                1 => Kind::Expand(rng.range(1..=4)),
                2 => Kind::Append(rng.range(0..=3_000)),
                3 => Kind::Filter(rng.range(1..=5) as u64),
                4 => Kind::SortedCopy,
                5 => Kind::Halve,
                _ => Kind::InPlace,
            })
            .collect();
        Pipeline::new(input_len, &kinds, seed)
    }

    fn stages(&self) -> Vec<Stage<'_>> {
        self.stages
            .iter()
            .map(|(name, run)| (name.as_str(), &**run))
            .collect()
    }

    /// Runs every stage on a copy of the input, each in its own window, all
    /// of them inside an outer window; returns the output, each stage's
    /// stats and the outer window's stats.
    fn measured_run(&self, upto: usize) -> (Vec<u64>, Vec<Stats>, Stats) {
        let mut per_stage = Vec::with_capacity(self.stages.len());
        let data = self.input.clone();
        let (out, outer) = memprobe::measure(|| {
            let mut data = data;
            for (_, run) in &self.stages[..upto] {
                let (next, stats) = memprobe::measure(|| run(data));
                per_stage.push(stats);
                data = next;
            }
            data
        });
        (out, per_stage, outer)
    }

    /// The profile `profile` must return, measured by the test.
    fn expected(&self) -> (Vec<u64>, Profile) {
        let (out, per_stage, outer) = self.measured_run(self.stages.len());
        let stages = self
            .stages
            .iter()
            .zip(&per_stage)
            .map(|((name, _), stats)| StageCost {
                name: name.clone(),
                allocations: stats.heap_allocations(),
                peak_bytes: stats.peak_bytes,
                live_bytes: stats.live_bytes,
            })
            .collect();
        // The first stage whose prefix of the run reaches the whole run's peak.
        let peak_stage = (outer.peak_bytes > 0)
            .then(|| {
                (1..=self.stages.len())
                    .find(|&upto| self.measured_run(upto).2.peak_bytes == outer.peak_bytes)
                    .map(|upto| self.stages[upto - 1].0.clone())
            })
            .flatten();
        let profile = Profile {
            stages,
            peak_bytes: outer.peak_bytes,
            peak_stage,
        };
        (out, profile)
    }

    /// What the student's `profile` returns for a copy of the input.
    fn profiled(&self) -> (Vec<u64>, Profile) {
        profile(black_box(self.input.clone()), &self.stages())
    }

    fn describe(&self) -> String {
        let names: Vec<&str> = self.stages.iter().map(|(n, _)| n.as_str()).collect();
        format!("{} input values, stages {names:?}", self.input.len())
    }
}

/// Every pipeline the tests profile: seeded ones over every input size,
/// and a few built to be tricky.
fn pipelines() -> Vec<Pipeline> {
    let mut all: Vec<Pipeline> = SIZES
        .iter()
        .enumerate()
        .flat_map(|(i, &n)| {
            [
                Pipeline::random(n, 2 * i as u64),
                Pipeline::random(n, 2 * i as u64 + 1),
            ]
        })
        .collect();
    // The biggest stage of its own is not the one behind the pipeline's
    // peak: the expansion leaves 24,000 bytes live, and the scratch buffer
    // of 28,000 bytes comes on top of them.
    all.push(Pipeline::new(
        1_000,
        &[Kind::Expand(4), Kind::Scratch(3_500), Kind::Halve],
        90,
    ));
    // A tie: the first stage to reach the peak is the one to name.
    all.push(Pipeline::new(
        17,
        &[Kind::InPlace, Kind::Scratch(500), Kind::Scratch(500)],
        91,
    ));
    // Nothing ever grows: the heap only shrinks.
    all.push(Pipeline::new(
        255,
        &[Kind::Halve, Kind::InPlace, Kind::Halve],
        92,
    ));
    // No stages at all.
    all.push(Pipeline::new(100, &[], 93));
    all
}

#[test]
fn runs_every_stage_in_order() {
    for pipeline in pipelines() {
        let (want, _) = pipeline.expected();
        let (out, report) = pipeline.profiled();
        assert_eq!(out, want, "{}: the output", pipeline.describe());
        let names: Vec<&str> = report.stages.iter().map(|s| s.name.as_str()).collect();
        let want_names: Vec<&str> = pipeline.stages.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            want_names,
            "{}: one entry per stage, in order",
            pipeline.describe()
        );
    }
}

#[test]
fn reports_each_stage_allocations() {
    for pipeline in pipelines() {
        let (_, want) = pipeline.expected();
        let (_, got) = pipeline.profiled();
        let counts = |p: &Profile| -> Vec<(String, usize)> {
            p.stages
                .iter()
                .map(|s| (s.name.clone(), s.allocations))
                .collect()
        };
        assert_eq!(
            counts(&got),
            counts(&want),
            "{}: allocations per stage (memprobe's heap_allocations(): alloc + realloc calls while the stage ran)",
            pipeline.describe()
        );
        // Profiling keeps nothing: once the output and the report are
        // dropped, the heap is back where it started.
        let ((), stats) = memprobe::measure(|| drop(pipeline.profiled()));
        memprobe::enforce(
            Metric::LiveBytes,
            Budget::Exactly(0),
            &stats,
            &format!("drop(profile(..)) for {}", pipeline.describe()),
            "a profiler must not keep anything once its report is dropped",
        );
    }
}

#[test]
fn reports_each_stage_peak_and_live_bytes() {
    for pipeline in pipelines() {
        let (_, want) = pipeline.expected();
        let (_, got) = pipeline.profiled();
        assert_eq!(
            costs(&got),
            costs(&want),
            "{}: each stage's allocations, peak_bytes and live_bytes, measured with memprobe::measure around the stage alone \
             (build the report outside the window)",
            pipeline.describe()
        );
    }
}

#[test]
fn names_the_stage_behind_the_pipeline_peak() {
    for pipeline in pipelines() {
        let (_, want) = pipeline.expected();
        let (_, got) = pipeline.profiled();
        assert_eq!(
            (got.peak_bytes, got.peak_stage.as_deref()),
            (want.peak_bytes, want.peak_stage.as_deref()),
            "{}: (peak_bytes, peak_stage) of the whole run: during stage i the heap holds what the earlier stages left live \
             plus stage i's own peak; name the first stage that reaches the highest point, None if the heap never grew",
            pipeline.describe()
        );
    }
}
