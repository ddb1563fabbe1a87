//! `memgrade check`: grade every exercise (or the named ones) and report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::bwrap::SandboxChoice;
use crate::color::{ColorChoice, ci_mode, setup_color};
use crate::course::Course;
use crate::engine::{self, BuildTree, Options};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::official::CourseSource;
use crate::progress::Progress;
use crate::report::format::{Format, FormatContext, destinations, render};
use crate::report::terminal::Live;
use crate::select::{exercise_here, resolve_all};
use crate::state::record_results;

/// Options of `memgrade check`.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// Exercises to grade (name, directory name or unique prefix); when none
    /// are given, the exercise whose directory you are in, else all.
    pub exercises: Vec<String>,
    /// Grade every exercise (even inside an exercise's directory) and show
    /// every failure in detail.
    pub all: bool,
    /// Show every failure in detail (on a terminal, `check` otherwise shows
    /// the next failing exercise in detail and sums up the rest).
    pub verbose: bool,
    /// Report format; repeat for several at once.
    pub formats: Vec<Format>,
    /// Where a format goes: `FORMAT=PATH`, or just `PATH` for the first
    /// machine format. Formats without one go to stdout.
    pub outputs: Vec<String>,
    /// Test processes to run at once (default: the number of cores).
    pub jobs: Option<usize>,
    /// Grade everything again instead of reusing unchanged results.
    pub no_cache: bool,
    /// CI mode (also on when CI=true): no colors, no progress bar, no cache;
    /// GitHub annotations and step summary when GITHUB_ACTIONS=true.
    pub ci: bool,
    /// Exit 0 even when exercises fail (a workflow can record without blocking).
    pub exit_zero: bool,
    /// Grade for the record with the official course in this directory
    /// (absolute, outside the checkout): only the checkout's exercise
    /// sources are read, and the build runs in a private directory.
    pub course: Option<String>,
    /// Grade for the record with the official course fetched from this git
    /// repository (URL, or absolute path), at --course-commit.
    pub course_git: Option<String>,
    /// The official commit to fetch from --course-git: the full 40-digit id.
    pub course_commit: Option<String>,
    /// The sandbox for builds and tests when grading for the record.
    pub sandbox: SandboxChoice,
}

/// The checkout a grade of record reads sources from: `--root`, or the
/// nearest directory with a grader.toml, or the current directory (its own
/// grader.toml is never read).
fn fork_root(root: Option<&Path>) -> Result<PathBuf> {
    if let Ok(root) = Course::discover(root) {
        return Ok(root);
    }
    Ok(std::env::current_dir()?)
}

/// Grades and reports; returns the exit code.
pub fn run(root: Option<&Path>, args: &CheckArgs) -> Result<i32> {
    let ci = ci_mode(args.ci);
    let mut formats = args.formats.clone();
    if ci
        && std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
        && !formats.contains(&Format::Github)
    {
        if formats.is_empty() {
            formats.push(Format::Terminal);
        }
        formats.push(Format::Github);
    }
    let dest = destinations(&formats, &args.outputs)?;
    let format_ctx = FormatContext::gather(&dest)?;
    if ci {
        setup_color(ColorChoice::Never, true);
    }
    let outside =
        args.course.is_some() || args.course_git.is_some() || args.course_commit.is_some();
    let fork = if outside {
        fork_root(root)?
    } else {
        Course::discover(root)?
    };
    let source = CourseSource::from_args(
        args.course.as_deref(),
        args.course_git.as_deref(),
        args.course_commit.as_deref(),
        &[&fork],
    )?;
    let mut opts = Options::default();
    if let Some(j) = args.jobs {
        opts.jobs = j.max(1);
    }
    let show_progress = !ci
        && std::io::stderr().is_terminal()
        && dest
            .iter()
            .any(|(f, p)| *f == Format::Terminal && p.is_none());
    let mut live = Live::new(show_progress);

    // What the terminal report needs beyond the grade: the feedback course
    // and whether to focus on one exercise.
    let mut feedback: Option<(Course, bool)> = None;
    let (grade, progress) = match source {
        // The grade of record: the official course from outside, only the
        // checkout's sources read, built and run privately. Nothing is
        // written into the checkout.
        Some(source) => {
            let sandbox = crate::bwrap::resolve(args.sandbox, true)?;
            let official = source.load()?;
            let planned = resolve_all(&official.course, &args.exercises)?;
            crate::run::install_interrupt_handler();
            let result = crate::record::grade_fork(
                &official.course,
                &planned,
                &fork,
                sandbox,
                &opts,
                &mut |ev| live.event(ev),
            );
            live.finish();
            (result?, None)
        }
        // Feedback: the checkout's own course, tests and toolchain.
        None => {
            crate::bwrap::resolve(args.sandbox, false)?;
            if ci {
                eprintln!(
                    "note: this is a feedback grade: the tests, manifests and toolchain come from this checkout and nothing runs in a sandbox; \
                     the grade of record uses --course DIR or --course-git URL --course-commit SHA"
                );
            }
            let course = Course::load(&fork)?;
            let tree = BuildTree {
                root: fork.clone(),
                overlay: false,
                launcher: Default::default(),
            };
            // Inside an exercise's directory, that exercise (unless --all).
            let here: Vec<String> = match exercise_here(&course) {
                Some(e) if args.exercises.is_empty() && !args.all => vec![e.name.clone()],
                _ => Vec::new(),
            };
            let names = if here.is_empty() {
                &args.exercises
            } else {
                &here
            };
            let planned = resolve_all(&course, names)?;
            // On a terminal, grading the whole course shows one exercise in
            // detail.
            let focused = names.is_empty()
                && !args.all
                && !args.verbose
                && !ci
                && std::io::stdout().is_terminal();
            crate::run::install_interrupt_handler();
            // The lock file is the checkout's own: a signal for feedback,
            // not a guarantee.
            let tamper = if ci {
                crate::seal::verify_seal(&course)?
            } else {
                // Locally too: a changed test or manifest is named, and the
                // exercise earns nothing until it is restored (`memgrade
                // reset` puts graded files back as shipped).
                let tamper = crate::seal::local_changes(&course)?;
                for (name, files) in &tamper {
                    eprintln!(
                        "warning: {name}: graded files differ from {}: {} (memgrade reset {name} restores them)",
                        crate::seal::LOCK_FILE,
                        files.join(", ")
                    );
                }
                tamper
            };
            opts.use_cache = !args.no_cache && !ci;
            opts.remember_lists = !ci;
            let result = engine::grade(&course, &planned, &tree, &opts, &mut |ev| live.event(ev));
            live.finish();
            let mut grade = result?;
            if !tamper.is_empty() {
                grade = crate::seal::mark_tampered(&course, grade, &tamper);
            }
            let state = record_results(&course, &grade);
            let progress = Progress::from_state(&course, &state);
            feedback = Some((course, focused));
            (grade, Some(progress))
        }
    };

    for (format, path) in &dest {
        let mut text = match (format, path, &feedback) {
            (Format::Terminal, None, Some((course, focused))) if !ci => {
                let notes = crate::advice::notes(&course.root, &grade.exercises);
                if *focused {
                    crate::report::terminal::render_focused(&grade, &notes)
                } else {
                    crate::report::terminal::render_with(&grade, &notes)
                }
            }
            _ => render(*format, &grade, &format_ctx),
        };
        if ci && path.is_none() && matches!(format, Format::Terminal | Format::Junit) {
            // Student text (panic messages, output) must not be able to
            // issue workflow commands in the CI log. (The JSON formats
            // escape line breaks inside strings, so no line of theirs can
            // start a command.)
            text = crate::report::github::stop_commands(&text);
        }
        match path {
            Some(p) => std::fs::write(p, &text).with_context(|| {
                format!(
                    "cannot write the {} report to {}",
                    format.name(),
                    p.display()
                )
            })?,
            None if *format == Format::Terminal => out!("{}", crate::output::fit(&text)),
            None => out!("{text}"),
        }
        if *format == Format::Terminal
            && path.is_none()
            && let Some(progress) = &progress
        {
            outln!();
            progress.print();
        }
        if *format == Format::Github
            && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY")
        {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .context("cannot open $GITHUB_STEP_SUMMARY")?;
            f.write_all(crate::report::github::step_summary(&grade).as_bytes())
                .context("cannot write $GITHUB_STEP_SUMMARY")?;
        }
    }
    Ok(if grade.all_passed() || args.exit_zero {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}
