//! `memgrade gradebook`, for instructors: grade many student checkouts for
//! the record and write one CSV and one JSON. Each checkout is graded by a
//! separate `memgrade check --ci --course` process (its own private build
//! tree, its own sandbox, a cleaned environment) under a time limit, so one
//! checkout can neither stop nor change another's grade; the files are
//! rewritten (atomically) after every checkout.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::bwrap::SandboxChoice;
use crate::course::Course;
use crate::exit::{EXIT_FAILED, EXIT_OK, UsageError};
use crate::fsutil::atomic_write;
use crate::grade::Grade;
use crate::official::CourseSource;
use crate::run::{ProcessEnd, RunLimits};
use crate::seal::{self, Lock};

/// Options of `memgrade gradebook`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  memgrade gradebook forks/* --course /srv/course-v1 --out grades/\n  memgrade gradebook forks/* --course-git https://host/course.git --course-commit <40-digit SHA>"
)]
pub struct GradebookArgs {
    /// Student checkouts (one directory each).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The official course: its root directory (absolute, outside every
    /// checkout). `--tests-from` is an alias.
    #[arg(long, visible_alias = "tests-from", value_name = "DIR")]
    pub course: Option<String>,
    /// The official course's git repository (URL, or absolute path), at
    /// --course-commit.
    #[arg(long, value_name = "URL")]
    pub course_git: Option<String>,
    /// The official commit to fetch from --course-git: the full 40-digit id.
    #[arg(long, value_name = "SHA")]
    pub course_commit: Option<String>,
    /// The sandbox for builds and tests (auto: bwrap, an error without it).
    #[arg(long, value_enum, default_value_t = SandboxChoice::Auto)]
    pub sandbox: SandboxChoice,
    /// Seconds one checkout may take, build and tests together, before it
    /// is stopped and recorded with 0 points.
    #[arg(long, default_value_t = 600, value_name = "SECS")]
    pub fork_timeout: u64,
    /// Where to write gradebook.csv and gradebook.json.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
}

/// One student's line in the gradebook.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The checkout's directory name.
    pub student: String,
    /// Points earned in all.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Graded files (tests, manifests, grader.toml, memprobe) the checkout
    /// changed; they were ignored, since the official ones are graded.
    pub tampered: Vec<String>,
    /// Why the checkout could not be graded, if it could not.
    pub error: Option<String>,
    /// The full grade.
    pub grade: Option<Grade>,
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

/// Grades each checkout in `args.dirs` against the official course.
pub fn run(args: &GradebookArgs) -> Result<i32> {
    let forks: Vec<&Path> = args.dirs.iter().map(PathBuf::as_path).collect();
    let Some(source) = CourseSource::from_args(
        args.course.as_deref(),
        args.course_git.as_deref(),
        args.course_commit.as_deref(),
        &forks,
    )?
    else {
        return Err(UsageError(
            "gradebook needs the official course: --course DIR (absolute) or --course-git URL --course-commit SHA".into(),
        )
        .into());
    };
    if args.fork_timeout == 0 {
        return Err(UsageError("--fork-timeout must be at least 1 second".into()).into());
    }
    // Fail before grading anyone when the sandbox cannot work here.
    let sandbox = crate::bwrap::resolve(args.sandbox, true)?;
    let official = source.load()?;
    let lock = Lock::compute(&official.course)?;
    crate::run::install_interrupt_handler();
    crate::run::become_subreaper();
    let out_dir = &args.out;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let csv_path = out_dir.join("gradebook.csv");
    let json_path = out_dir.join("gradebook.json");
    let mut rows = Vec::new();
    for dir in &args.dirs {
        let student = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        eprintln!("grading {student} ...");
        let graded = grade_one(
            dir,
            &official.course.root,
            if sandbox.is_some() { "bwrap" } else { "none" },
            args,
        );
        let row = match graded {
            Ok(grade) => {
                let mut as_student = official.course.clone();
                as_student.root = dir.clone();
                let tampered = seal::compare(&as_student, &lock)
                    .map(|t| {
                        t.into_values()
                            .flatten()
                            .collect::<std::collections::BTreeSet<_>>()
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .collect();
                Row {
                    student,
                    score: grade.score,
                    max_score: grade.max_score,
                    tampered,
                    error: None,
                    grade: Some(grade),
                }
            }
            Err(e) => {
                if e.downcast_ref::<crate::run::Interrupted>().is_some() {
                    crate::run::kill_orphans(None);
                    return Err(e);
                }
                Row {
                    student,
                    score: 0.0,
                    max_score: official.course.exercises.iter().map(|e| e.points).sum(),
                    tampered: vec![],
                    error: Some(format!("{e:#}")),
                    grade: None,
                }
            }
        };
        rows.push(row);
        atomic_write(&csv_path, csv(&official.course, &rows).as_bytes())?;
        atomic_write(&json_path, &serde_json::to_vec_pretty(&rows)?)
            .context("writing the gradebook JSON")?;
    }
    outln!(
        "graded {} checkout(s): {} and {}",
        rows.len(),
        csv_path.display(),
        json_path.display()
    );
    Ok(if rows.iter().all(|r| r.error.is_none()) {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

/// Grades one checkout in a separate `memgrade check --ci --course`
/// process, stopped after `--fork-timeout`.
fn grade_one(dir: &Path, official: &Path, sandbox: &str, args: &GradebookArgs) -> Result<Grade> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a directory", dir.display());
    }
    let dir = std::path::absolute(dir)?;
    let exe = std::env::current_exe().context("cannot find the memgrade executable")?;
    let base = std::env::temp_dir();
    let tmp = tempfile::Builder::new()
        .prefix("memgrade-fork-")
        .tempdir_in(&base)
        .with_context(|| format!("cannot create a private directory in {}", base.display()))?;
    let mut cmd = Command::new(exe);
    cmd.arg("--color=never")
        .arg("--root")
        .arg(&dir)
        .args([
            "check",
            "--ci",
            "--exit-zero",
            "--format",
            "json",
            "--course",
        ])
        .arg(official)
        .arg("--sandbox")
        .arg(sandbox)
        .current_dir(tmp.path())
        .env_clear()
        .env("TMPDIR", tmp.path())
        .env("NO_COLOR", "1");
    if let Some(j) = args.jobs {
        cmd.arg(format!("--jobs={j}"));
    }
    for var in CHILD_ENV {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    let limits = RunLimits {
        time: Duration::from_secs(args.fork_timeout),
        memory_bytes: None,
        output_cap: 64 << 20,
        // The grading process builds and runs tests: it starts processes
        // and writes files; its own limits apply to those.
        file_bytes: None,
        no_child_processes: false,
    };
    let outcome = crate::run::run_limited(cmd, limits)?;
    let stderr = outcome.stderr.text();
    let why = || {
        let last: Vec<&str> = stderr.trim().lines().rev().take(5).collect();
        last.into_iter().rev().collect::<Vec<_>>().join("\n")
    };
    match outcome.exit {
        ProcessEnd::TimedOut => anyhow::bail!(
            "grading took longer than --fork-timeout {} s and was stopped",
            args.fork_timeout
        ),
        ProcessEnd::Code(0) => serde_json::from_str(&outcome.stdout.text())
            .with_context(|| format!("the grading process gave no readable grade: {}", why())),
        ProcessEnd::Code(code) => anyhow::bail!("grading failed (exit {code}): {}", why()),
        ProcessEnd::Signal(sig) => anyhow::bail!(
            "the grading process was killed by {}",
            crate::run::signal_name(sig)
        ),
    }
}

/// Quotes a CSV field when it needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The gradebook as CSV: one row per student, one column per exercise.
pub fn csv(course: &Course, rows: &[Row]) -> String {
    let mut out = String::from("student");
    for e in &course.exercises {
        let _ = write!(out, ",{}", field(&e.name));
    }
    out.push_str(",total,max_total,tampered,error\n");
    for r in rows {
        out.push_str(&field(&r.student));
        for e in &course.exercises {
            let points = r
                .grade
                .as_ref()
                .and_then(|g| g.exercises.iter().find(|x| x.name == e.name))
                .map_or(0.0, |x| x.points);
            let _ = write!(out, ",{points}");
        }
        let _ = writeln!(
            out,
            ",{},{},{},{}",
            r.score,
            r.max_score,
            field(&r.tampered.join(" ")),
            field(r.error.as_deref().unwrap_or(""))
        );
    }
    out
}
