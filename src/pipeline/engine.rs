//! The grading pipeline: plan → compile (one cargo invocation) → run (each
//! test in its own limited process, in parallel) → grade. Progress is
//! reported as a stream of [`Event`]s that reporters consume.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;

use crate::course::Limits;
use crate::course::{Course, Exercise};
use crate::pipeline::compile::{self, Crate, ExerciseBuild, TestBinary};
use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus, Grade, TestGrade, TestStatus};
use crate::pipeline::libtest;
use crate::process::child::{Interrupted, Outcome, ProcessEnd, RunLimits, run_limited};
use crate::process::launch::Launcher;
use crate::store::cache::{self, Cache};
use crate::store::listing::TestLists;
use crate::store::timings::Timings;

/// How to grade.
#[derive(Debug, Clone)]
pub struct Options {
    /// Test processes run at once.
    pub jobs: usize,
    /// Reuse and record results in `.memgrade/cache.json`.
    pub use_cache: bool,
    /// Reuse and record the test lists of unchanged test binaries in
    /// `.memgrade/lists.json` (off in CI and for overlays, where nothing
    /// memgrade wrote before is trusted).
    pub remember_lists: bool,
    /// Bytes of each output stream kept per test.
    pub output_cap: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            use_cache: true,
            remember_lists: true,
            output_cap: 16 * 1024,
        }
    }
}

/// Where the exercises are built: the course itself, or an overlay tree with
/// the same layout.
#[derive(Debug, Clone)]
pub struct BuildTree {
    /// The workspace root cargo runs in.
    pub root: PathBuf,
    /// An overlay tree: cargo runs `--offline` (overlays have no registry
    /// dependencies) and builds into the overlay's own `target/`, never a
    /// shared `CARGO_TARGET_DIR`. Cargo judges path crates fresh by
    /// modification time, so two trees with the same layout sharing a target
    /// directory could reuse each other's artifacts.
    pub overlay: bool,
    /// How cargo and the tests are started (privately for the grade of
    /// record).
    pub launcher: Launcher,
}

/// Progress of a grading run.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    /// Results taken from the cache.
    Cached { exercises: usize },
    /// The compile step starts for this many exercises.
    Compiling { exercises: usize },
    /// The compile step finished; this many tests will run.
    Running { tests: usize },
    /// One test finished.
    TestFinished {
        exercise: &'a str,
        test: &'a TestGrade,
    },
}

struct Job {
    exercise: usize,
    suite: String,
    binary: PathBuf,
    test: String,
    cwd: PathBuf,
    launcher: Launcher,
}

/// Grades `exercises` of `course`, built in `tree`. Results come back in
/// course order.
pub fn grade(
    course: &Course,
    exercises: &[&Exercise],
    tree: &BuildTree,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Grade> {
    // `rustc -vV` runs beside the hashing and the build; it is waited for
    // only when a content hash matches (to confirm the toolchain) or when
    // results are stored.
    let mut toolchain = cache::Toolchain::start(opts.use_cache);
    let mut cache = if opts.use_cache {
        Cache::load(&course.root)
    } else {
        Cache::default()
    };
    let (mut graded, keys) = from_cache(&cache, &mut toolchain, exercises, tree, opts, on_event);
    let todo: Vec<usize> = (0..exercises.len())
        .filter(|&i| graded[i].is_none())
        .collect();
    let (mut fresh, built) = build(&todo, exercises, tree, opts, on_event)?;
    let jobs = plan_jobs(course, &built, exercises, tree, opts)?;
    on_event(Event::Running { tests: jobs.len() });
    let mut timings = Timings::load(&course.root);
    let last_ms: Vec<u64> = jobs
        .iter()
        .map(|j| timings.get(&exercises[j.exercise].name, &j.suite, &j.test))
        .collect();
    let results = run_jobs(jobs, &last_ms, exercises, opts, &mut |i, t| {
        on_event(Event::TestFinished {
            exercise: &exercises[i].name,
            test: t,
        })
    })?;
    for (i, t) in results {
        if let Some(g) = fresh.get_mut(&i) {
            g.tests.push(t);
        }
    }
    for (i, mut g) in fresh {
        g.settle();
        timings.record(&g);
        if opts.use_cache
            && g.status != ExerciseStatus::TimedOut
            && let Some(key) = keys[i].clone()
        {
            let entry = cache::Entry {
                key,
                toolchain: toolchain.get().to_string(),
                grade: g.clone(),
            };
            cache.entries.insert(g.name.clone(), entry);
        }
        graded[i] = Some(g);
    }
    // Timings only order the next run; failing to write them costs nothing.
    let _ = timings.save(&course.root);
    if opts.use_cache {
        // A cache that cannot be written only costs speed next time.
        let _ = cache.save(&course.root);
    }
    Ok(Grade::new(course, graded.into_iter().flatten().collect()))
}

/// Per exercise, its cached result (when the cache has one for its content
/// and this toolchain) and its content key (when the cache is used).
fn from_cache(
    cache: &Cache,
    toolchain: &mut cache::Toolchain,
    exercises: &[&Exercise],
    tree: &BuildTree,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> (Vec<Option<ExerciseGrade>>, Vec<Option<String>>) {
    let mut graded: Vec<Option<ExerciseGrade>> = vec![None; exercises.len()];
    let mut keys: Vec<Option<String>> = vec![None; exercises.len()];
    if !opts.use_cache {
        return (graded, keys);
    }
    for (i, e) in exercises.iter().enumerate() {
        if let Ok(key) = cache::key(&tree.root, e) {
            if cache.has_key(&e.name, &key) {
                graded[i] = cache.get(&e.name, &key, toolchain.get());
            }
            keys[i] = Some(key);
        }
    }
    let hits = graded.iter().filter(|g| g.is_some()).count();
    if hits > 0 {
        on_event(Event::Cached { exercises: hits });
    }
    (graded, keys)
}

/// An exercise that compiled: its index, its build and where its tests run.
type Built = (usize, ExerciseBuild, PathBuf);

/// Compiles the exercises at `todo` in one cargo build: a grade per
/// exercise (holding the compiler's diagnostics), and the ones that built.
fn build(
    todo: &[usize],
    exercises: &[&Exercise],
    tree: &BuildTree,
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<(BTreeMap<usize, ExerciseGrade>, Vec<Built>)> {
    let crates: Vec<Crate> = todo
        .iter()
        .map(|&i| Crate {
            name: exercises[i].name.clone(),
            dir: tree.root.join(&exercises[i].dir),
            rel_dir: exercises[i].dir.clone(),
            limits: exercises[i].limits,
        })
        .collect();
    if !crates.is_empty() {
        on_event(Event::Compiling {
            exercises: crates.len(),
        });
    }
    let builds = compile::compile(&tree.root, &crates, opts.jobs, tree.overlay, &tree.launcher)?;
    let mut fresh = BTreeMap::new();
    let mut built = Vec::new();
    for &i in todo {
        let e = exercises[i];
        let build = builds.get(&e.name).cloned().unwrap_or_default();
        let mut g = empty_grade(e);
        g.diagnostics = build.errors.clone();
        g.warnings = build.warnings.clone();
        if g.diagnostics.is_empty() {
            built.push((i, build, tree.root.join(&e.dir)));
        }
        fresh.insert(i, g);
    }
    Ok((fresh, built))
}

/// One job per test of every built exercise. Listing runs one short
/// process per test binary (in parallel too), unless the same build was
/// listed before.
fn plan_jobs(
    course: &Course,
    built: &[Built],
    exercises: &[&Exercise],
    tree: &BuildTree,
    opts: &Options,
) -> Result<Vec<Job>> {
    let mut lists = if opts.remember_lists {
        TestLists::load(&course.root)
    } else {
        TestLists::default()
    };
    let binaries: Vec<(usize, &TestBinary, &PathBuf)> = built
        .iter()
        .flat_map(|(i, build, cwd)| build.binaries.iter().map(move |b| (*i, b, cwd)))
        .collect();
    let listed = parallel_map(&binaries, opts.jobs, |(i, b, cwd)| {
        match lists.get(&b.path) {
            Some(tests) => Ok(tests),
            None => list_tests(b, cwd, &tree.launcher, &exercises[*i].limits),
        }
    });
    let mut jobs = Vec::new();
    for ((exercise, b, cwd), tests) in binaries.iter().zip(listed) {
        let tests = tests?;
        if opts.remember_lists {
            lists.insert(&b.path, tests.clone());
        }
        jobs.extend(tests.into_iter().map(|test| Job {
            exercise: *exercise,
            suite: b.suite.clone(),
            binary: b.path.clone(),
            test,
            cwd: (*cwd).clone(),
            launcher: tree.launcher.clone(),
        }));
    }
    if opts.remember_lists {
        // Lists only save a process next time; failing to write them costs nothing.
        let _ = lists.save(&course.root);
    }
    Ok(jobs)
}

/// A not-yet-graded result for an exercise.
pub fn empty_grade(e: &Exercise) -> ExerciseGrade {
    ExerciseGrade {
        name: e.name.clone(),
        dir: e.dir.to_string_lossy().into_owned(),
        objective: e.objective.clone(),
        status: ExerciseStatus::Failed,
        points: 0.0,
        max_points: e.points,
        tests: Vec::new(),
        diagnostics: Vec::new(),
        warnings: Vec::new(),
        tampered_files: Vec::new(),
        cached: false,
        review: Vec::new(),
    }
}

/// Applies `f` to every item on up to `threads` threads; results keep the
/// items' order.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads.max(1).min(items.len()) {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(k) else { break };
                    let r = f(item);
                    if let Ok(mut slot) = slots[k].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// The tests of one test binary (`--list --format terse`), listed under the
/// same launcher, environment allow-list and process limits as a test.
fn list_tests(
    binary: &TestBinary,
    cwd: &Path,
    launcher: &Launcher,
    limits: &Limits,
) -> Result<Vec<String>> {
    let private = tempfile::tempdir()?;
    let mut cmd = launcher.test(
        &binary.path,
        cwd,
        &[],
        private.path(),
        Some(limits.memory_mb << 20),
    );
    cmd.args(["--list", "--format", "terse"]);
    let limits = RunLimits {
        time: Duration::from_secs(30),
        memory_bytes: Some(limits.memory_mb << 20),
        output_cap: 1 << 20,
        file_bytes: Some(limits.file_mb << 20),
        // Under bubblewrap the filter is bwrap's to install (it must
        // itself start the sandboxed process).
        no_child_processes: !launcher.sandboxed(),
    };
    let out = run_limited(cmd, limits)?;
    Ok(libtest::parse_list(&out.stdout.text()))
}

/// Runs every job on `opts.jobs` threads, the slowest (by `last_ms`, the
/// last run's milliseconds per job) first; returns (exercise index, result) in
/// job order.
fn run_jobs(
    jobs: Vec<Job>,
    last_ms: &[u64],
    exercises: &[&Exercise],
    opts: &Options,
    on_done: &mut dyn FnMut(usize, &TestGrade),
) -> Result<Vec<(usize, TestGrade)>> {
    crate::process::child::become_subreaper();
    let logs = tempfile::tempdir()?;
    let total = jobs.len();
    // Slowest first (by last run's durations); results keep the job order.
    let mut order: Vec<(usize, Job)> = jobs.into_iter().enumerate().collect();
    order.sort_by_key(|(n, _)| std::cmp::Reverse(last_ms.get(*n).copied().unwrap_or(0)));
    let queue = Mutex::new(order.into_iter().collect::<VecDeque<_>>());
    let (tx, rx) = mpsc::channel::<(usize, Result<(usize, TestGrade)>)>();
    let mut results: Vec<Option<(usize, TestGrade)>> = (0..total).map(|_| None).collect();
    let mut failure = None;
    std::thread::scope(|s| {
        for _ in 0..opts.jobs.max(1).min(total.max(1)) {
            let tx = tx.clone();
            let queue = &queue;
            let logs = logs.path();
            s.spawn(move || {
                // The queue's lock is taken and released inside `next_job`,
                // never held while a test runs.
                while let Some((n, job)) = next_job(queue) {
                    let r = run_one(
                        &job,
                        exercises[job.exercise],
                        &logs.join(format!("{n}.log")),
                        &logs.join(format!("{n}.tmp")),
                        opts,
                    );
                    if tx.send((n, r.map(|t| (job.exercise, t)))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (n, r) in rx {
            match r {
                Ok((i, t)) => {
                    on_done(i, &t);
                    results[n] = Some((i, t));
                }
                Err(e) => {
                    if let Ok(mut q) = queue.lock() {
                        q.clear();
                    }
                    failure.get_or_insert(e);
                }
            }
        }
    });
    if let Some(e) = failure {
        return Err(if e.downcast_ref::<Interrupted>().is_some() {
            Interrupted.into()
        } else {
            e
        });
    }
    Ok(results.into_iter().flatten().collect())
}

/// Takes the next job off the shared queue.
fn next_job(queue: &Mutex<VecDeque<(usize, Job)>>) -> Option<(usize, Job)> {
    queue.lock().ok().and_then(|mut q| q.pop_front())
}

/// Turns what the process limits saw into the verdict: a file past the size
/// limit is named as such, and a test that left processes behind (they were
/// killed) does not pass.
fn apply_process_limits(verdict: &mut libtest::Verdict, outcome: &Outcome, limits: &Limits) {
    if outcome.exit == ProcessEnd::Signal(crate::process::child::sig::SIGXFSZ) {
        verdict.message = format!(
            "wrote more than {} MiB to a file (the file size limit); it was stopped",
            limits.file_mb
        );
    }
    if outcome.left_processes {
        let reason = "started a child process, which memgrade killed: tests may not start processes (work done outside the test process is not measured)";
        verdict.message = if verdict.message.is_empty() {
            reason.to_string()
        } else {
            format!("{reason}\n{}", verdict.message)
        };
        if verdict.status == TestStatus::Passed {
            verdict.status = TestStatus::Failed;
        }
    }
}

/// Runs one test in its own process: the environment allow-list (a private
/// home and temp directory under `scratch`, removed afterwards), the
/// exercise's time, memory and file-size limits, and no child processes.
fn run_one(
    job: &Job,
    exercise: &Exercise,
    log: &Path,
    scratch: &Path,
    opts: &Options,
) -> Result<TestGrade> {
    fs_err::create_dir_all(scratch)?;
    // The log file exists before the test starts, so a sandbox can make
    // exactly that one file writable.
    fs_err::File::create(log)?;
    let memory = Some(exercise.limits.memory_mb << 20);
    let mut cmd = job
        .launcher
        .test(&job.binary, &job.cwd, &[log], scratch, memory);
    cmd.arg("--exact")
        .arg(&job.test)
        .args(["--test-threads=1", "--color=never", "--logfile"])
        .arg(log);
    cmd.env(crate::process::child::TEST_TAG_VAR, scratch);
    crate::process::limits::stack_env(&mut cmd, exercise.limits.stack_kb);
    let limits = RunLimits {
        time: exercise.limits.time,
        memory_bytes: Some(exercise.limits.memory_mb << 20),
        output_cap: opts.output_cap,
        file_bytes: Some(exercise.limits.file_mb << 20),
        no_child_processes: !job.launcher.sandboxed(),
    };
    let outcome = run_limited(cmd, limits);
    // What the test left in its private directory goes with it.
    let _ = std::fs::remove_dir_all(scratch);
    let mut outcome = outcome?;
    if job.launcher.sandboxed() && crate::process::no_child_filters_exist() {
        // bubblewrap's own processes (its pid namespace's init, in a session
        // of their own) are what the sweep finds after a sandboxed test: the
        // test itself could start none (bwrap installed the no-child
        // filters; where there is no filter for this architecture, the
        // sweep's finding stands), and the namespace ends with bwrap.
        outcome.left_processes = false;
    }
    let log_text = std::fs::read_to_string(log).unwrap_or_default();
    let mut verdict = libtest::judge(
        &job.test,
        &outcome,
        &log_text,
        exercise.limits.time.as_secs_f64(),
        exercise.limits.memory_mb,
    );
    apply_process_limits(&mut verdict, &outcome, &exercise.limits);
    let output = if verdict.status == TestStatus::Passed {
        String::new()
    } else {
        let mut o = outcome.stdout.text();
        let err = libtest::clean_stderr(&outcome.stderr.text());
        if !err.trim().is_empty() {
            o.push_str("\n--- stderr ---\n");
            o.push_str(&err);
        }
        o
    };
    Ok(TestGrade {
        name: job.test.clone(),
        suite: job.suite.clone(),
        status: verdict.status,
        message: verdict.message,
        duration_ms: outcome.duration.as_millis() as u64,
        weight: exercise.weight(&job.test),
        gate: exercise.in_gate(&job.test),
        not_counted: None,
        points: 0.0,
        max_points: 0.0,
        location: verdict.location,
        comparison: verdict.comparison,
        output,
        sites: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::child::Captured;

    const PASS: &str = "\nrunning 1 test\ntest t ... ok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out; finished in 0.00s\n\n";

    fn judged(exit: ProcessEnd, left_processes: bool) -> libtest::Verdict {
        let mut stdout = Captured::new(1 << 16);
        stdout.push(PASS.as_bytes());
        let outcome = Outcome {
            exit,
            stdout,
            stderr: Captured::new(1 << 16),
            duration: Duration::from_millis(1),
            left_processes,
        };
        let limits = Limits::default();
        let mut v = libtest::judge("t", &outcome, "ok t\n", 10.0, limits.memory_mb);
        apply_process_limits(&mut v, &outcome, &limits);
        v
    }

    #[test]
    fn a_test_that_left_processes_behind_does_not_pass() {
        assert_eq!(
            judged(ProcessEnd::Code(0), false).status,
            TestStatus::Passed
        );
        let v = judged(ProcessEnd::Code(0), true);
        assert_eq!(v.status, TestStatus::Failed);
        assert!(
            v.message.starts_with("started a child process"),
            "{}",
            v.message
        );
    }

    #[test]
    fn a_file_past_the_limit_is_named() {
        let v = judged(
            ProcessEnd::Signal(crate::process::child::sig::SIGXFSZ),
            false,
        );
        assert_eq!(v.status, TestStatus::Crashed);
        assert_eq!(
            v.message,
            "wrote more than 16 MiB to a file (the file size limit); it was stopped"
        );
    }
}
