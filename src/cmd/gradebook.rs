//! `memgrade gradebook`, for instructors: grade a class for the record.
//!
//! The forks come from a roster (each fetched into a private directory,
//! [`crate::class::forkgit`]) or are local checkouts. At or after a
//! student's deadline (`--deadline`, or their extension), the commit of the
//! fork is recorded once in `snapshot.json` ([`crate::class::snapshot`]),
//! with how late that was, and graded on every run. From each fork only the
//! exercise sources are read ([`crate::record::fork`]); each exercise's
//! result is keyed by their content ([`crate::class::cache`]), so only
//! exercises whose key is new are graded, by a separate `memgrade check
//! --ci --course` process (its own private build tree, its own sandbox, a
//! cleaned environment) over a private copy of exactly those sources, under
//! the fork's time limit. The gradebook files ([`crate::class::book`]) are
//! rewritten atomically after every fork.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::class::book::{Book, Column, Cost, Row, RowStatus, Totals};
use crate::class::cache::{self as classcache, ClassCache, Identity, Reference, Stored};
use crate::class::deadline::{Deadline, Extensions, human};
use crate::class::roster::{Entry, Partition, Repo};
use crate::class::snapshot::{SnapEntry, Snapshot, When};
use crate::class::summary::Counts;
use crate::course::seal::{self, Lock};
use crate::course::{Course, Exercise};
use crate::exit::UsageError;
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
    /// The deadline. At or after it, the commit of each fork's default
    /// branch is recorded once in <out>/snapshot.json and graded on every
    /// run; before it, the current commit is graded and marked `before
    /// deadline`.
    pub deadline: Option<Deadline>,
    /// Per-student deadlines: a CSV of `student_id,deadline`.
    pub extensions: Option<PathBuf>,
    /// Minutes after a deadline within which a first snapshot is taken
    /// without --late-ok.
    pub snapshot_grace_min: u64,
    /// Take a snapshot later than the grace anyway (its lateness is
    /// recorded).
    pub late_ok: bool,
    /// Grade only shard K of N (1-based): the students whose id's SHA-256
    /// modulo N is K-1. Combine the shards with `memgrade gradebook-merge`.
    pub partition: Option<Partition>,
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

/// Everything grading one fork needs.
struct Class<'a> {
    args: &'a GradebookArgs,
    official: &'a Course,
    lock: Lock,
    identity: Identity,
    official_hashes: Vec<String>,
    cache: Option<ClassCache>,
    sandbox: &'static str,
    now: Deadline,
    extensions: Extensions,
    snapshot: Snapshot,
}

impl Class<'_> {
    /// The deadline that applies to `student`: their extension, else
    /// `--deadline`.
    fn deadline_of(&self, student: &str) -> Option<Deadline> {
        self.extensions.get(student).copied().or(self.args.deadline)
    }

    /// Which commit of `student`'s fork this run grades.
    fn when(&self, student: &str) -> When {
        When::at(self.deadline_of(student), self.now)
    }
}

/// Grades the class; see the module documentation.
pub fn run(args: &GradebookArgs) -> Result<i32> {
    let entries = read_entries(args)?;
    check_limits(args)?;
    let source = course_source(args, &entries)?;
    let extensions = read_extensions(args, &entries)?;
    let mine: Vec<&Entry> = entries
        .iter()
        .filter(|e| args.partition.is_none_or(|p| p.holds(&e.student)))
        .collect();
    let now = Deadline::now();
    let snapshot_path = args.out.join("snapshot.json");
    let snapshot = open_snapshot(args, &snapshot_path, now)?;
    refuse_late_snapshot(args, &extensions, &snapshot, &mine, now)?;
    // Fail before grading anyone when the sandbox cannot work here.
    let sandbox = crate::record::sandbox::resolve(args.sandbox, true)?;
    let official = source.load()?;
    let course = &official.course;
    crate::process::child::install_interrupt_handler();
    crate::process::child::become_subreaper();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let identity = class_identity(course, sandbox.as_ref())?;
    let mut class = Class {
        args,
        official: course,
        lock: Lock::compute(course)?,
        official_hashes: identity.1,
        identity: identity.0,
        cache: (!args.no_reuse).then(|| ClassCache::new(&args.out)),
        sandbox: crate::record::sandbox::choice(sandbox.as_ref()),
        now,
        extensions,
        snapshot,
    };
    take_snapshot(&mut class, &mine, &snapshot_path)?;
    if let Some(note) = class.snapshot.late_note() {
        eprintln!("{note}");
    }
    let book = grade_all(&class, &mine)?;
    Ok(report(&book, args))
}

/// The roster's entries, or the local checkouts'.
fn read_entries(args: &GradebookArgs) -> Result<Vec<Entry>> {
    match (&args.roster, args.dirs.is_empty()) {
        (Some(r), _) => crate::class::roster::read(r),
        (None, false) => Ok(crate::class::roster::from_dirs(&args.dirs)),
        (None, true) => bail!(usage(
            "gradebook needs the forks: --roster roster.csv, or local checkouts as arguments"
                .into()
        )),
    }
}

/// Refuses limits that cannot work.
fn check_limits(args: &GradebookArgs) -> Result<()> {
    if args.fork_timeout == 0 {
        bail!(usage("--fork-timeout must be at least 1 second".into()));
    }
    if args.fork_max_mb == 0 || args.fork_max_mb > 1 << 20 {
        bail!(usage(
            "--fork-max-mb must be from 1 to 1048576 (MiB)".into()
        ));
    }
    Ok(())
}

/// Where the official course comes from (never from inside a fork).
fn course_source(args: &GradebookArgs, entries: &[Entry]) -> Result<CourseSource> {
    let local: Vec<PathBuf> = entries
        .iter()
        .filter_map(|e| match &e.repo {
            Ok(Repo::Dir(d)) => Some(d.clone()),
            Ok(Repo::Git(u)) if u.starts_with('/') => Some(PathBuf::from(u)),
            _ => None,
        })
        .collect();
    let forks: Vec<&Path> = local.iter().map(PathBuf::as_path).collect();
    CourseSource::from_args(
        args.course.as_deref(),
        args.course_git.as_deref(),
        args.course_commit.as_deref(),
        &forks,
    )?
    .ok_or_else(|| {
        usage(
            "gradebook needs the official course: --course DIR (absolute) or --course-git URL --course-commit SHA".into(),
        )
    })
}

/// `--extensions`, checked against the roster.
fn read_extensions(args: &GradebookArgs, entries: &[Entry]) -> Result<Extensions> {
    let Some(path) = &args.extensions else {
        return Ok(Extensions::new());
    };
    if args.deadline.is_none() {
        bail!(usage(
            "--extensions needs --deadline (the class's deadline)".into()
        ));
    }
    let ids: Vec<&str> = entries.iter().map(|e| e.student.as_str()).collect();
    crate::class::deadline::read_extensions(path, &ids)
}

/// The snapshot of this `--out`: the one on disk (which must belong to
/// `--deadline`), or a new, empty one.
fn open_snapshot(args: &GradebookArgs, path: &Path, now: Deadline) -> Result<Snapshot> {
    let previous: Option<Snapshot> = match std::fs::read(path) {
        Ok(b) => Some(
            serde_json::from_slice(&b)
                .with_context(|| format!("{} is not a memgrade snapshot", path.display()))?,
        ),
        Err(_) => None,
    };
    match (args.deadline, previous) {
        (None, Some(p)) => bail!(usage(format!(
            "{} holds the commits taken at the deadline {}: pass --deadline {} (or use another --out)",
            path.display(),
            p.deadline,
            p.deadline
        ))),
        (Some(d), Some(p)) if p.deadline != d => bail!(usage(format!(
            "{} was taken for the deadline {}, not {d}; use another --out for another deadline",
            path.display(),
            p.deadline
        ))),
        (Some(_), Some(p)) => Ok(p),
        (d, None) => {
            if let Some(d) = d
                && now < d
            {
                eprintln!(
                    "the deadline {d} has not passed (now {now}): grading each fork's current commit, marked `before deadline`; no snapshot is taken"
                );
            }
            Ok(Snapshot {
                deadline: d.unwrap_or(now),
                students: BTreeMap::new(),
            })
        }
    }
}

/// Refuses to take snapshots more than `--snapshot-grace` after their
/// deadline unless `--late-ok`: the commits taken would include whatever
/// was pushed since.
fn refuse_late_snapshot(
    args: &GradebookArgs,
    extensions: &Extensions,
    snapshot: &Snapshot,
    mine: &[&Entry],
    now: Deadline,
) -> Result<()> {
    if args.late_ok {
        return Ok(());
    }
    let grace = args.snapshot_grace_min * 60;
    let late: Vec<(String, u64)> = mine
        .iter()
        .filter(|e| matches!(e.repo, Ok(Repo::Git(_))))
        .filter(|e| !snapshot.students.contains_key(&e.student))
        .filter_map(|e| {
            let d = extensions.get(&e.student).copied().or(args.deadline)?;
            let late = d.late_by(now)?;
            (late > grace).then(|| (e.student.clone(), late))
        })
        .collect();
    let Some(worst) = late.iter().map(|(_, s)| *s).max() else {
        return Ok(());
    };
    bail!(usage(format!(
        "the deadline passed {} ago and {} fork(s) have no snapshot yet ({}): taken now, they would include every commit pushed since. Take the snapshot at the deadline (a run scheduled at that minute), or pass --late-ok to take it now (its lateness is recorded); --snapshot-grace {} minutes",
        human(worst),
        late.len(),
        late.iter()
            .take(3)
            .map(|(s, _)| s.escape_debug().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        args.snapshot_grace_min
    )))
}

/// What every grade of this run depends on besides the sources, and the
/// official files' hash per exercise.
fn class_identity(
    course: &Course,
    sandbox: Option<&crate::record::sandbox::Sandbox>,
) -> Result<(Identity, Vec<String>)> {
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
        sandbox: crate::record::sandbox::describe(sandbox),
        course: format!("{:x}", all.finalize()),
    };
    Ok((identity, official_hashes))
}

/// Grades every entry of this shard, writing the gradebook after each.
fn grade_all(class: &Class, mine: &[&Entry]) -> Result<Book> {
    let args = class.args;
    let course = class.official;
    let roster_hash = match &args.roster {
        Some(r) => Some(format!("{:x}", Sha256::digest(fs_err::read(r)?))),
        None => None,
    };
    let mut book = Book {
        format: 1,
        course: course.title.clone(),
        identity: class.identity.clone(),
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
        deadline: args.deadline,
        partition: args.partition,
        cost: Totals::default(),
        students: Vec::new(),
    };
    for (i, entry) in mine.iter().enumerate() {
        eprintln!("grading {} ({}/{}) ...", shown(entry), i + 1, mine.len());
        let row = match grade_entry(class, entry) {
            Ok(row) => row,
            Err(e) => {
                crate::process::child::kill_orphans(None);
                return Err(e);
            }
        };
        // The new row's report now, the tables after every fork, and every
        // report once more at the end (`identical_to` grows as rows come).
        crate::class::book::write_student(&args.out, &book, &row)?;
        book.students.push(row);
        book.settle();
        book.write_tables(&args.out)?;
    }
    book.settle();
    book.write(&args.out)?;
    Ok(book)
}

/// Prints what was done; the exit code ([`Counts::exit_code`]).
fn report(book: &Book, args: &GradebookArgs) -> i32 {
    let t = &book.cost;
    let counts = Counts::of(book);
    outln!(
        "{} roster row(s){}: {counts}; {} exercise grading(s) built and run, {} reused from the class cache, {} row(s) reused from an earlier run; {} and {}",
        book.students.len(),
        args.partition
            .map(|p| format!(" (shard {p})"))
            .unwrap_or_default(),
        t.graded,
        t.reused,
        t.resumed,
        args.out.join("gradebook.csv").display(),
        args.out.join("gradebook.json").display()
    );
    if counts.rejected > 0 {
        warnln!("some roster rows were rejected: fix them (their error says why) and run again");
    }
    counts.exit_code()
}

/// The student id as it may be shown: escaped unless it passed the checks.
fn shown(entry: &Entry) -> String {
    if crate::class::roster::check_id(&entry.student).is_ok() {
        entry.student.clone()
    } else {
        entry.student.escape_debug().to_string()
    }
}

/// Records the commit of every fork of this shard whose deadline has
/// passed and that the snapshot does not hold yet, writing the file after
/// each, with how late it was taken.
fn take_snapshot(class: &mut Class, mine: &[&Entry], path: &Path) -> Result<()> {
    let limit = Duration::from_secs(class.args.fork_timeout);
    let mut due = 0;
    for entry in mine {
        let Ok(Repo::Git(url)) = &entry.repo else {
            continue;
        };
        if class.when(&entry.student) != When::Snapshot {
            continue;
        }
        due += 1;
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
        let taken = Deadline::now();
        let deadline = class.deadline_of(&entry.student).unwrap_or(taken);
        class.snapshot.students.insert(
            entry.student.clone(),
            SnapEntry {
                repo: url.clone(),
                commit,
                error,
                taken_at: taken.to_string(),
                extension: class.extensions.get(&entry.student).copied(),
                late_s: deadline.late_by(taken).unwrap_or(0),
            },
        );
        atomic_write(path, &serde_json::to_vec_pretty(&class.snapshot)?)?;
    }
    if due > 0 {
        eprintln!(
            "deadline passed for {due} fork(s): grading the commits recorded in {}",
            path.display()
        );
    }
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
        deadline: None,
        late: None,
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

/// One fork being graded: what the row needs besides the grade.
struct Attempt<'a> {
    entry: &'a Entry,
    file: String,
    started: Instant,
    /// When the fork's time is up.
    stop_at: Instant,
    taken: &'static str,
    deadline: Option<Deadline>,
}

impl Attempt<'_> {
    /// The row of a fork that could not be graded; `Err` when the whole
    /// run must stop (an interruption).
    fn failed(&self, class: &Class, e: anyhow::Error) -> Result<Row> {
        if e.downcast_ref::<crate::process::child::Interrupted>()
            .is_some()
        {
            return Err(e);
        }
        let mut row = empty_row(class, self.entry, RowStatus::Error, format!("{e:#}"));
        row.file = Some(self.file.clone());
        row.taken = self.taken.into();
        row.deadline = self.deadline;
        row.cost.duration_ms = self.started.elapsed().as_millis() as u64;
        Ok(row)
    }

    /// The last report of this student, when it can stand for this run:
    /// the same student, repository, commit and identity, and no time-out
    /// (which may have been the machine's load).
    fn resume(&self, class: &Class, commit: &str) -> Option<Row> {
        // --no-reuse reads no earlier report.
        class.cache.as_ref()?;
        let p = class
            .args
            .out
            .join("students")
            .join(format!("{}.json", self.file));
        let previous: Row = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
        let mut row = Some(previous).filter(|r| {
            r.status == RowStatus::Graded
                && r.student == self.entry.student
                && r.repo == self.entry.repo_text
                && r.commit.as_deref() == Some(commit)
                && r.identity.as_ref() == Some(&class.identity)
                && r.grade.as_ref().is_some_and(|g| {
                    g.exercises
                        .iter()
                        .all(|e| e.status != ExerciseStatus::TimedOut)
                })
        })?;
        row.line = self.entry.line;
        row.taken = self.taken.into();
        row.deadline = self.deadline;
        row.late = lateness(
            class,
            &self.entry.student,
            self.deadline,
            row.commit_date.as_deref(),
        );
        row.cost = Cost {
            resumed: true,
            duration_ms: self.started.elapsed().as_millis() as u64,
            ..Cost::default()
        };
        Some(row)
    }
}

/// How late a row's commit is: its snapshot taken after the deadline, its
/// date after the deadline (as the student's git set it), or both.
fn lateness(
    class: &Class,
    student: &str,
    deadline: Option<Deadline>,
    commit_date: Option<&str>,
) -> Option<String> {
    let deadline = deadline?;
    let mut parts = Vec::new();
    if let Some(e) = class.snapshot.students.get(student)
        && e.late_s > 0
    {
        parts.push(format!(
            "snapshot taken {} after the deadline",
            human(e.late_s)
        ));
    }
    let dated = commit_date.and_then(|d| d.parse::<Deadline>().ok());
    if let Some(late) = dated.and_then(|d| deadline.late_by(d)) {
        parts.push(format!("commit dated {} after the deadline", human(late)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Grades one roster entry; `Err` only when the whole run must stop (an
/// interruption).
fn grade_entry(class: &Class, entry: &Entry) -> Result<Row> {
    let repo = match &entry.repo {
        Err(why) => return Ok(empty_row(class, entry, RowStatus::Rejected, why.clone())),
        Ok(r) => r,
    };
    let started = Instant::now();
    let when = class.when(&entry.student);
    let attempt = Attempt {
        entry,
        file: crate::class::roster::file_stem(&entry.student),
        started,
        stop_at: started + Duration::from_secs(class.args.fork_timeout),
        taken: match repo {
            Repo::Dir(_) => "working tree",
            Repo::Git(_) => when.taken(),
        },
        deadline: class.deadline_of(&entry.student),
    };
    let (fetched, checkout) = match repo {
        Repo::Dir(d) if !d.is_dir() => {
            return attempt.failed(class, anyhow::anyhow!("{} is not a directory", d.display()));
        }
        Repo::Dir(d) => (None, std::path::absolute(d)?),
        Repo::Git(url) => {
            let wanted = match wanted_commit(class, entry, when) {
                Ok(w) => w,
                Err(e) => return attempt.failed(class, e),
            };
            if let Some(row) = wanted.as_deref().and_then(|c| attempt.resume(class, c)) {
                return Ok(row);
            }
            let limit = class.args.fork_max_mb << 20;
            let f = match crate::class::forkgit::fetch(
                url,
                wanted.as_deref(),
                attempt.stop_at,
                limit,
            ) {
                Ok(f) => f,
                Err(e) => return attempt.failed(class, e),
            };
            if let Some(row) = attempt.resume(class, &f.commit) {
                return Ok(row);
            }
            let checkout = f.checkout.clone();
            (Some(f), checkout)
        }
    };
    let mut cost = Cost::default();
    let graded = grade_checkout(class, &entry.student, &checkout, attempt.stop_at, &mut cost);
    cost.duration_ms = started.elapsed().as_millis() as u64;
    let commit = fetched.as_ref().map(|f| f.commit.clone());
    let (grade, sources) = match graded {
        Ok(g) => g,
        Err(e) => {
            let mut row = attempt.failed(class, e)?;
            row.commit = commit;
            row.cost = cost;
            return Ok(row);
        }
    };
    let commit_date = fetched.as_ref().map(|f| f.commit_date.clone());
    Ok(graded_row(
        class,
        &attempt,
        &checkout,
        (commit, commit_date),
        grade,
        sources,
        cost,
    ))
}

/// The row of a graded fork.
fn graded_row(
    class: &Class,
    attempt: &Attempt,
    checkout: &Path,
    (commit, commit_date): (Option<String>, Option<String>),
    grade: Grade,
    sources: BTreeMap<String, String>,
    cost: Cost,
) -> Row {
    let entry = attempt.entry;
    Row {
        line: entry.line,
        student: entry.student.clone(),
        file: Some(attempt.file.clone()),
        repo: entry.repo_text.clone(),
        status: RowStatus::Graded,
        commit,
        late: lateness(
            class,
            &entry.student,
            attempt.deadline,
            commit_date.as_deref(),
        ),
        commit_date,
        taken: attempt.taken.into(),
        deadline: attempt.deadline,
        score: grade.score,
        max_score: grade.max_score,
        tampered: tampered(class, checkout),
        identical_to: Vec::new(),
        error: None,
        sources,
        identity: Some(class.identity.clone()),
        cost,
        grade: Some(grade),
    }
}

/// The commit to grade from the fork: the snapshot's after the deadline
/// (an error when none was recorded), else whatever HEAD is.
fn wanted_commit(class: &Class, entry: &Entry, when: When) -> Result<Option<String>> {
    if when != When::Snapshot {
        return Ok(None);
    }
    match class.snapshot.students.get(&entry.student) {
        Some(SnapEntry {
            commit: Some(c), ..
        }) => Ok(Some(c.clone())),
        Some(SnapEntry { error, .. }) => bail!(
            "no commit was recorded at the deadline: {}",
            error.as_deref().unwrap_or("unknown")
        ),
        None => bail!("not in the snapshot"),
    }
}

/// The graded files the fork changed (ignored: the official ones are
/// graded).
fn tampered(class: &Class, checkout: &Path) -> Vec<String> {
    let mut as_student = class.official.clone();
    as_student.root = checkout.to_path_buf();
    seal::compare(&as_student, &class.lock)
        .map(|t| {
            t.into_values()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .collect()
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
    let mut todo: Todo = Vec::new();
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
        grade_new(class, student, todo, deadline, &mut parts, cost)?;
    }
    let mut grade = Grade::new(class.official, parts.into_iter().flatten().collect());
    grade.provenance = Provenance {
        mode: Mode::Record,
        sandbox: class.identity.sandbox.clone(),
        toolchain: class.identity.toolchain.clone(),
    };
    Ok((grade, sources))
}

/// Exercise sources waiting to be graded: (position in the course, class
/// cache key, the files).
type Todo = Vec<(usize, String, Vec<crate::record::fork::SourceFile>)>;

/// Grades the exercises of `todo` (no cached result) in one child process
/// over a private copy of exactly their sources; fills their `parts` and
/// stores each result in the class cache (time-outs excepted).
fn grade_new(
    class: &Class,
    student: &str,
    todo: Todo,
    deadline: Instant,
    parts: &mut [Option<ExerciseGrade>],
    cost: &mut Cost,
) -> Result<()> {
    let exercises = &class.official.exercises;
    let stage = tempfile::Builder::new()
        .prefix("memgrade-stage-")
        .tempdir()
        .context("cannot create a private directory")?;
    for (i, _, files) in &todo {
        let src = stage.path().join(&exercises[*i].dir).join("src");
        for f in files {
            let dest = src.join(&f.rel);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&dest, &f.bytes)
                .with_context(|| format!("cannot write {}", dest.display()))?;
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
    Ok(())
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
