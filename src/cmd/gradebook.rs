//! `memgrade gradebook`, for instructors: grade a class for the record.
//!
//! The forks come from a roster (each fetched into a private directory,
//! [`crate::class::forkgit`]) or are local checkouts. At or after `--deadline`, the
//! commit of each fork is recorded once in `snapshot.json` and graded on
//! every run. From each fork only the exercise sources are read
//! ([`crate::record::fork`]); each exercise's result is keyed by their content
//! ([`crate::class::cache`]), so only exercises whose key is new are graded,
//! by a separate `memgrade check --ci --course` process (its own private
//! build tree, its own sandbox, a cleaned environment) over a private copy
//! of exactly those sources, under the fork's time limit. The gradebook
//! files ([`crate::class::book`]) are rewritten atomically after every fork.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::class::book::{Book, Column, Cost, Row, RowStatus, Totals};
use crate::class::cache::{self as classcache, ClassCache, Identity, Reference, Stored};
use crate::class::roster::{Entry, Partition, Repo};
use crate::course::seal::{self, Lock};
use crate::course::{Course, Exercise};
use crate::exit::{EXIT_FAILED, EXIT_OK, UsageError};
use crate::fsutil::atomic_write;
use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus, Grade, Mode, Provenance};
use crate::process::child::{ProcessEnd, RunLimits};
use crate::process::launch::SandboxChoice;
use crate::record::official::CourseSource;

/// Options of `memgrade gradebook`.
#[derive(Debug, Clone)]
pub struct GradebookArgs {
    /// Local student checkouts (one directory each), read in place; or
    /// give --roster instead.
    pub dirs: Vec<PathBuf>,
    /// The class roster: a CSV file with a header naming `student_id` and
    /// `repo` (a git URL or an absolute path). Each fork is fetched into a
    /// private directory.
    pub roster: Option<PathBuf>,
    /// The deadline (RFC 3339, e.g. 2026-12-01T23:59:00Z). At or after it,
    /// the commit of each fork's default branch is recorded once in
    /// <out>/snapshot.json and graded on every run; before it, the current
    /// commit is graded and marked `before deadline`.
    pub deadline: Option<String>,
    /// Grade only shard K of N (1-based): the students whose id's SHA-256
    /// modulo N is K-1. Combine the shards with `memgrade gradebook-merge`.
    pub partition: Option<String>,
    /// Grade every exercise of every fork again: no class cache, no rows
    /// reused from an earlier run.
    pub no_reuse: bool,
    /// The official course: its root directory (absolute, outside every
    /// checkout). `--tests-from` is an alias.
    pub course: Option<String>,
    /// The official course's git repository (URL, or absolute path), at
    /// --course-commit.
    pub course_git: Option<String>,
    /// The official commit to fetch from --course-git: the full 40-digit id.
    pub course_commit: Option<String>,
    /// The sandbox for builds and tests (auto: bwrap, an error without it).
    pub sandbox: SandboxChoice,
    /// Seconds one fork may take, fetch, build and tests together, before
    /// it is stopped and recorded with 0 points.
    pub fork_timeout: u64,
    /// The largest file a fork's fetch may write, in MiB (its git pack, the
    /// archive of the graded commit): what bounds the disk one fork takes.
    pub fork_max_mb: u64,
    /// Where to write gradebook.csv, gradebook.json, students/, the class
    /// cache (.cache/) and snapshot.json.
    pub out: PathBuf,
    /// Test processes to run at once (default: the number of cores).
    pub jobs: Option<usize>,
}

/// Variables a per-checkout grading process keeps from memgrade's own
/// environment: what finds the caller's toolchain, nothing else. (It clears
/// its environment again for cargo and the tests.) Its `TMPDIR` is a fresh
/// directory of its own, removed when it ends, even when it was stopped.
const CHILD_ENV: &[&str] = &[
    "PATH",
    "HOME",
    "RUSTUP_HOME",
    "RUSTUP_TOOLCHAIN",
    "CARGO_HOME",
];

fn usage(msg: String) -> anyhow::Error {
    UsageError(msg).into()
}

/// `snapshot.json`: the commit each fork's default branch had when the
/// gradebook first ran at or after the deadline. Entries are added for
/// students not seen yet and never changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// The deadline it was taken for (RFC 3339, UTC).
    pub deadline: String,
    /// By student id.
    pub students: BTreeMap<String, SnapEntry>,
}

/// One fork's commit at the deadline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapEntry {
    /// The repository asked.
    pub repo: String,
    /// Its default branch's commit, when it could be read.
    pub commit: Option<String>,
    /// Why it could not (the fork is then not graded; remove the entry to
    /// take it again).
    pub error: Option<String>,
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
}

/// Which commit of a fork is graded in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    /// No deadline given: the current HEAD.
    Now,
    /// Before the deadline: the current HEAD, marked.
    Before,
    /// At or after the deadline: the snapshot's commit.
    Snapshot,
}

impl When {
    fn taken(self) -> &'static str {
        match self {
            When::Now => "current HEAD",
            When::Before => "before deadline",
            When::Snapshot => "deadline snapshot",
        }
    }
}

/// Everything grading one fork needs.
struct Class<'a> {
    args: &'a GradebookArgs,
    official: &'a Course,
    lock: Lock,
    identity: Identity,
    official_hashes: Vec<String>,
    cache: Option<ClassCache>,
    sandbox: &'static str,
    when: When,
    snapshot: Snapshot,
}

/// Grades the class; see the module documentation.
pub fn run(args: &GradebookArgs) -> Result<i32> {
    let entries = match (&args.roster, args.dirs.is_empty()) {
        (Some(r), _) => crate::class::roster::read(r)?,
        (None, false) => crate::class::roster::from_dirs(&args.dirs),
        (None, true) => {
            bail!(usage(
                "gradebook needs the forks: --roster roster.csv, or local checkouts as arguments"
                    .into()
            ))
        }
    };
    let local: Vec<PathBuf> = entries
        .iter()
        .filter_map(|e| match &e.repo {
            Ok(Repo::Dir(d)) => Some(d.clone()),
            Ok(Repo::Git(u)) if u.starts_with('/') => Some(PathBuf::from(u)),
            _ => None,
        })
        .collect();
    let forks: Vec<&Path> = local.iter().map(PathBuf::as_path).collect();
    let Some(source) = CourseSource::from_args(
        args.course.as_deref(),
        args.course_git.as_deref(),
        args.course_commit.as_deref(),
        &forks,
    )?
    else {
        bail!(usage(
            "gradebook needs the official course: --course DIR (absolute) or --course-git URL --course-commit SHA".into(),
        ));
    };
    if args.fork_timeout == 0 {
        bail!(usage("--fork-timeout must be at least 1 second".into()));
    }
    if args.fork_max_mb == 0 || args.fork_max_mb > 1 << 20 {
        bail!(usage(
            "--fork-max-mb must be from 1 to 1048576 (MiB)".into()
        ));
    }
    let partition: Option<Partition> = match &args.partition {
        Some(p) => Some(p.parse().map_err(usage)?),
        None => None,
    };
    let deadline = match &args.deadline {
        Some(d) => {
            Some(crate::class::timestamp::parse(d).map_err(|e| usage(format!("--deadline {e}")))?)
        }
        None => None,
    };
    let out_dir = &args.out;
    let snapshot_path = out_dir.join("snapshot.json");
    let previous: Option<Snapshot> =
        match std::fs::read(&snapshot_path) {
            Ok(b) => Some(serde_json::from_slice(&b).with_context(|| {
                format!("{} is not a memgrade snapshot", snapshot_path.display())
            })?),
            Err(_) => None,
        };
    let now = crate::class::timestamp::now();
    let when = match (deadline, &previous) {
        (None, Some(p)) => bail!(usage(format!(
            "{} holds the commits taken at the deadline {}: pass --deadline {} (or use another --out)",
            snapshot_path.display(),
            p.deadline,
            p.deadline
        ))),
        (None, None) => When::Now,
        (Some(d), Some(p)) if crate::class::timestamp::parse(&p.deadline) != Ok(d) => {
            bail!(usage(format!(
                "{} was taken for the deadline {}, not {}; use another --out for another deadline",
                snapshot_path.display(),
                p.deadline,
                crate::class::timestamp::format(d)
            )))
        }
        (Some(d), _) if now >= d => When::Snapshot,
        (Some(d), _) => {
            eprintln!(
                "the deadline {} has not passed (now {}): grading each fork's current commit, marked `before deadline`; no snapshot is taken",
                crate::class::timestamp::format(d),
                crate::class::timestamp::format(now)
            );
            When::Before
        }
    };
    // Fail before grading anyone when the sandbox cannot work here.
    let sandbox = crate::record::bwrap::resolve(args.sandbox, true)?;
    let official = source.load()?;
    let course = &official.course;
    let lock = Lock::compute(course)?;
    crate::process::child::install_interrupt_handler();
    crate::process::child::become_subreaper();
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;

    let neutral = tempfile::Builder::new()
        .prefix("memgrade-toolchain-")
        .tempdir()
        .context("cannot create a private directory")?;
    let toolchain = crate::record::toolchain::Toolchain::resolve(neutral.path())?;
    let official_hashes = course
        .exercises
        .iter()
        .map(|e| classcache::official_hash(course, e))
        .collect::<Result<Vec<_>>>()?;
    let mut all = Sha256::new();
    for h in &official_hashes {
        all.update(h.as_bytes());
    }
    let identity = Identity {
        memgrade: classcache::memgrade_id()?,
        toolchain: toolchain.version.clone(),
        sandbox: crate::record::bwrap::describe(sandbox.as_ref()),
        course: format!("{:x}", all.finalize()),
    };
    let roster_hash = match &args.roster {
        Some(r) => Some(format!("{:x}", Sha256::digest(std::fs::read(r)?))),
        None => None,
    };
    let mine: Vec<&Entry> = entries
        .iter()
        .filter(|e| partition.is_none_or(|p| p.holds(&e.student)))
        .collect();
    let mut class = Class {
        args,
        official: course,
        lock,
        identity: identity.clone(),
        official_hashes,
        cache: (!args.no_reuse).then(|| ClassCache::new(out_dir)),
        sandbox: if sandbox.is_some() { "bwrap" } else { "none" },
        when,
        snapshot: previous.unwrap_or_else(|| Snapshot {
            deadline: deadline
                .map(crate::class::timestamp::format)
                .unwrap_or_default(),
            students: BTreeMap::new(),
        }),
    };
    if when == When::Snapshot {
        take_snapshot(&mut class, &mine, &snapshot_path)?;
    }
    let mut book = Book {
        format: 1,
        course: course.title.clone(),
        identity,
        exercises: course
            .exercises
            .iter()
            .map(|e| Column {
                name: e.name.clone(),
                max_points: e.points,
            })
            .collect(),
        reference: Reference::of(course),
        roster: roster_hash,
        deadline: deadline.map(crate::class::timestamp::format),
        partition: partition.map(|p| p.to_string()),
        cost: Totals::default(),
        students: Vec::new(),
    };
    for (i, entry) in mine.iter().enumerate() {
        eprintln!("grading {} ({}/{}) ...", shown(entry), i + 1, mine.len());
        let row = match grade_entry(&class, entry) {
            Ok(row) => row,
            Err(e) => {
                crate::process::child::kill_orphans(None);
                return Err(e);
            }
        };
        // The new row's report now, the tables after every fork, and every
        // report once more at the end (`identical_to` grows as rows come).
        crate::class::book::write_student(out_dir, &row)?;
        book.students.push(row);
        book.settle();
        book.write_tables(out_dir)?;
    }
    book.settle();
    book.write(out_dir)?;
    let t = &book.cost;
    outln!(
        "graded {} fork(s){}: {} exercise grading(s) built and run, {} reused from the class cache, {} row(s) reused from an earlier run; {} and {}",
        book.students.len(),
        partition
            .map(|p| format!(" (shard {p})"))
            .unwrap_or_default(),
        t.graded,
        t.reused,
        t.resumed,
        out_dir.join("gradebook.csv").display(),
        out_dir.join("gradebook.json").display()
    );
    Ok(
        if book.students.iter().all(|r| r.status == RowStatus::Graded) {
            EXIT_OK
        } else {
            EXIT_FAILED
        },
    )
}

/// The student id as it may be shown: escaped unless it passed the checks.
fn shown(entry: &Entry) -> String {
    if crate::class::roster::check_id(&entry.student).is_ok() {
        entry.student.clone()
    } else {
        entry.student.escape_debug().to_string()
    }
}

/// Records the commit of every fork of this shard the snapshot does not
/// hold yet, writing the file after each.
fn take_snapshot(class: &mut Class, mine: &[&Entry], path: &Path) -> Result<()> {
    let limit = Duration::from_secs(class.args.fork_timeout);
    for entry in mine {
        let Ok(Repo::Git(url)) = &entry.repo else {
            continue;
        };
        if class.snapshot.students.contains_key(&entry.student) {
            continue;
        }
        let (commit, error) = match crate::class::forkgit::head_commit(url, limit) {
            Ok(c) => (Some(c), None),
            Err(e)
                if e.downcast_ref::<crate::process::child::Interrupted>()
                    .is_some() =>
            {
                return Err(e);
            }
            Err(e) => (None, Some(format!("{e:#}"))),
        };
        class.snapshot.students.insert(
            entry.student.clone(),
            SnapEntry {
                repo: url.clone(),
                commit,
                error,
                taken_at: crate::class::timestamp::format(crate::class::timestamp::now()),
            },
        );
        atomic_write(path, &serde_json::to_vec_pretty(&class.snapshot)?)?;
    }
    eprintln!(
        "deadline {} passed: grading the commits recorded in {}",
        class.snapshot.deadline,
        path.display()
    );
    Ok(())
}

/// A row with nothing graded.
fn empty_row(class: &Class, entry: &Entry, status: RowStatus, error: String) -> Row {
    Row {
        line: entry.line,
        student: shown(entry),
        file: None,
        repo: entry.repo_text.escape_debug().to_string(),
        status,
        commit: None,
        commit_date: None,
        taken: String::new(),
        score: 0.0,
        max_score: class.official.exercises.iter().map(|e| e.points).sum(),
        tampered: Vec::new(),
        identical_to: Vec::new(),
        error: Some(error),
        sources: BTreeMap::new(),
        identity: None,
        cost: Cost::default(),
        grade: None,
    }
}

/// Grades one roster entry; `Err` only when the whole run must stop (an
/// interruption).
fn grade_entry(class: &Class, entry: &Entry) -> Result<Row> {
    let repo = match &entry.repo {
        Err(why) => return Ok(empty_row(class, entry, RowStatus::Rejected, why.clone())),
        Ok(r) => r,
    };
    let file = crate::class::roster::file_stem(&entry.student);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(class.args.fork_timeout);
    let previous: Option<Row> = class.cache.as_ref().and_then(|_| {
        let p = class.args.out.join("students").join(format!("{file}.json"));
        serde_json::from_slice(&std::fs::read(p).ok()?).ok()
    });
    let resume = |commit: &str| -> Option<Row> {
        let mut row = previous.clone().filter(|r| {
            r.status == RowStatus::Graded
                // Only this student's row of this repository.
                && r.student == entry.student
                && r.repo == entry.repo_text
                && r.commit.as_deref() == Some(commit)
                && r.identity.as_ref() == Some(&class.identity)
                // A time-out may have been the machine's load: grade again.
                && r.grade.as_ref().is_some_and(|g| {
                    g.exercises
                        .iter()
                        .all(|e| e.status != ExerciseStatus::TimedOut)
                })
        })?;
        row.line = entry.line;
        row.taken = class.when.taken().into();
        row.cost = Cost {
            resumed: true,
            duration_ms: started.elapsed().as_millis() as u64,
            ..Cost::default()
        };
        Some(row)
    };
    let taken = match repo {
        Repo::Dir(_) => "working tree",
        Repo::Git(_) => class.when.taken(),
    };
    let failed = |e: anyhow::Error| -> Result<Row> {
        if e.downcast_ref::<crate::process::child::Interrupted>()
            .is_some()
        {
            return Err(e);
        }
        let mut row = empty_row(class, entry, RowStatus::Error, format!("{e:#}"));
        row.file = Some(file.clone());
        row.taken = taken.into();
        row.cost.duration_ms = started.elapsed().as_millis() as u64;
        Ok(row)
    };
    let (fetched, checkout) = match repo {
        Repo::Dir(d) => {
            if !d.is_dir() {
                return failed(anyhow::anyhow!("{} is not a directory", d.display()));
            }
            (None, std::path::absolute(d)?)
        }
        Repo::Git(url) => {
            let wanted = match class.when {
                When::Snapshot => match class.snapshot.students.get(&entry.student) {
                    Some(SnapEntry {
                        commit: Some(c), ..
                    }) => Some(c.clone()),
                    Some(SnapEntry { error, .. }) => {
                        return failed(anyhow::anyhow!(
                            "no commit was recorded at the deadline: {}",
                            error.as_deref().unwrap_or("unknown")
                        ));
                    }
                    None => return failed(anyhow::anyhow!("not in the snapshot")),
                },
                _ => None,
            };
            if let Some(row) = wanted.as_deref().and_then(resume) {
                return Ok(row);
            }
            let f = match crate::class::forkgit::fetch(
                url,
                wanted.as_deref(),
                deadline,
                class.args.fork_max_mb << 20,
            ) {
                Ok(f) => f,
                Err(e) => return failed(e),
            };
            if let Some(row) = resume(&f.commit) {
                return Ok(row);
            }
            let checkout = f.checkout.clone();
            (Some(f), checkout)
        }
    };
    let mut cost = Cost::default();
    let graded = grade_checkout(class, &entry.student, &checkout, deadline, &mut cost);
    cost.duration_ms = started.elapsed().as_millis() as u64;
    let (grade, sources) = match graded {
        Ok(g) => g,
        Err(e) => {
            let mut row = failed(e)?;
            row.commit = fetched.as_ref().map(|f| f.commit.clone());
            row.cost = cost;
            return Ok(row);
        }
    };
    let mut as_student = class.official.clone();
    as_student.root = checkout.clone();
    let tampered = seal::compare(&as_student, &class.lock)
        .map(|t| {
            t.into_values()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .collect();
    Ok(Row {
        line: entry.line,
        student: entry.student.clone(),
        file: Some(file),
        repo: entry.repo_text.clone(),
        status: RowStatus::Graded,
        commit: fetched.as_ref().map(|f| f.commit.clone()),
        commit_date: fetched.as_ref().map(|f| f.commit_date.clone()),
        taken: taken.into(),
        score: grade.score,
        max_score: grade.max_score,
        tampered,
        identical_to: Vec::new(),
        error: None,
        sources,
        identity: Some(class.identity.clone()),
        cost,
        grade: Some(grade),
    })
}

/// Grades the checkout at `checkout`: each exercise's accepted sources are
/// hashed; results of known keys come from the class cache, the others are
/// graded together by one child process over a private copy of exactly
/// those sources. Returns the grade and the source hashes.
fn grade_checkout(
    class: &Class,
    student: &str,
    checkout: &Path,
    deadline: Instant,
    cost: &mut Cost,
) -> Result<(Grade, BTreeMap<String, String>)> {
    let exercises = &class.official.exercises;
    let mut parts: Vec<Option<ExerciseGrade>> = vec![None; exercises.len()];
    let mut sources = BTreeMap::new();
    let mut todo: Vec<(usize, String, Vec<crate::record::fork::SourceFile>)> = Vec::new();
    for (i, e) in exercises.iter().enumerate() {
        match crate::record::fork::read_sources(checkout, &e.dir) {
            Err(why) => {
                parts[i] = Some(crate::record::refused_grade(e, &why));
                cost.refused.push(e.name.clone());
            }
            Ok(files) => {
                let h = classcache::sources_hash(&files);
                let key = classcache::key(&class.identity, &e.name, &class.official_hashes[i], &h);
                sources.insert(e.name.clone(), h);
                match class.cache.as_ref().and_then(|c| c.get(&key)) {
                    Some(stored) => {
                        parts[i] = Some(stored.grade);
                        cost.reused.push(e.name.clone());
                    }
                    None => todo.push((i, key, files)),
                }
            }
        }
    }
    if !todo.is_empty() {
        let stage = tempfile::Builder::new()
            .prefix("memgrade-stage-")
            .tempdir()
            .context("cannot create a private directory")?;
        for (i, _, files) in &todo {
            let src = stage.path().join(&exercises[*i].dir).join("src");
            for f in files {
                let dest = src.join(&f.rel);
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&dest, &f.bytes)?;
            }
        }
        let names: Vec<&str> = todo
            .iter()
            .map(|(i, _, _)| exercises[*i].name.as_str())
            .collect();
        let grade = grade_child(class, stage.path(), &names, deadline)?;
        if grade.provenance.toolchain != class.identity.toolchain {
            bail!(
                "the grading process used the toolchain {:?}, not {:?}",
                grade.provenance.toolchain,
                class.identity.toolchain
            );
        }
        for (i, key, _) in todo {
            let e: &Exercise = &exercises[i];
            let g = grade
                .exercises
                .iter()
                .find(|g| g.name == e.name)
                .with_context(|| format!("the grading process did not grade {}", e.name))?
                .clone();
            // A time-out may be the machine's load: graded again next time.
            if let Some(cache) = &class.cache
                && g.status != ExerciseStatus::TimedOut
            {
                cache.put(&Stored {
                    key,
                    first_graded_for: student.to_string(),
                    grade: g.clone(),
                })?;
            }
            cost.graded.push(e.name.clone());
            parts[i] = Some(g);
        }
    }
    let mut grade = Grade::new(class.official, parts.into_iter().flatten().collect());
    grade.provenance = Provenance {
        mode: Mode::Record,
        sandbox: class.identity.sandbox.clone(),
        toolchain: class.identity.toolchain.clone(),
    };
    Ok((grade, sources))
}

/// Grades `names` of the private copy `stage` in a separate `memgrade
/// check --ci --course` process, stopped at `deadline`.
fn grade_child(class: &Class, stage: &Path, names: &[&str], deadline: Instant) -> Result<Grade> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        bail!(
            "grading took longer than --fork-timeout {} s and was stopped",
            class.args.fork_timeout
        );
    }
    let exe = std::env::current_exe().context("cannot find the memgrade executable")?;
    let tmp = tempfile::Builder::new()
        .prefix("memgrade-fork-")
        .tempdir()
        .context("cannot create a private directory")?;
    let mut cmd = Command::new(exe);
    cmd.arg("--color=never")
        .arg("--root")
        .arg(stage)
        .args([
            "check",
            "--ci",
            "--exit-zero",
            "--format",
            "json",
            "--course",
        ])
        .arg(&class.official.root)
        .arg("--sandbox")
        .arg(class.sandbox)
        .current_dir(tmp.path())
        .env_clear()
        .env("TMPDIR", tmp.path())
        .env("NO_COLOR", "1");
    if let Some(j) = class.args.jobs {
        cmd.arg(format!("--jobs={j}"));
    }
    cmd.arg("--").args(names);
    for var in CHILD_ENV {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    let limits = RunLimits {
        time: left,
        memory_bytes: None,
        output_cap: 64 << 20,
        // The grading process builds and runs tests: it starts processes
        // and writes files; its own limits apply to those.
        file_bytes: None,
        no_child_processes: false,
    };
    let outcome = crate::process::child::run_limited(cmd, limits)
        .context("cannot start the grading process")?;
    let stderr = outcome.stderr.text();
    let why = || {
        let last: Vec<&str> = stderr.trim().lines().rev().take(5).collect();
        last.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    match outcome.exit {
        ProcessEnd::TimedOut => bail!(
            "grading took longer than --fork-timeout {} s and was stopped",
            class.args.fork_timeout
        ),
        ProcessEnd::Code(0) => serde_json::from_str(&outcome.stdout.text())
            .with_context(|| format!("the grading process gave no readable grade: {}", why())),
        ProcessEnd::Code(code) => bail!("grading failed (exit {code}): {}", why()),
        ProcessEnd::Signal(sig) => bail!(
            "the grading process was killed by {}",
            crate::process::child::signal_name(sig)
        ),
    }
}
