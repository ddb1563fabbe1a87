//! `memgrade check`: grade every exercise (or the named ones) and report.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::color::{ColorChoice, ci_mode, setup_color};
use crate::course::Course;
use crate::course::select::{exercise_here, resolve_all};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::pipeline::engine::{self, BuildTree, Options};
use crate::pipeline::grade::Grade;
use crate::report::format::{Format, FormatContext, destinations, render, with_ci_formats};
use crate::report::progress::Progress;
use crate::report::terminal::Live;
use crate::store::state::record_results;

#[cfg(feature = "instructor")]
pub mod record;

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
    /// The grade of record's options (`--course`, `--course-git`,
    /// `--course-commit`, `--sandbox`).
    #[cfg(feature = "instructor")]
    pub record: record::RecordArgs,
}

/// Grades and reports; returns the exit code.
pub fn run(root: Option<&Path>, args: &CheckArgs) -> Result<i32> {
    let ci = ci_mode(args.ci);
    let dest = destinations(&with_ci_formats(&args.formats, ci), &args.outputs)?;
    let format_ctx = FormatContext::gather(&dest)?;
    if ci {
        setup_color(ColorChoice::Never, true);
    }
    let mut opts = Options::default();
    if let Some(j) = args.jobs {
        opts.jobs = j.max(1);
    }
    let mut live = Live::new(!ci && std::io::stderr().is_terminal() && to_terminal(&dest));

    // The grade of record: the official course from outside, only the
    // checkout's sources read, built and run privately.
    #[cfg(feature = "instructor")]
    if let Some(grade) = record::grade(root, &args.record, &args.exercises, &opts, &mut live)? {
        return report(&dest, &format_ctx, &grade, None, ci, args.exit_zero);
    }

    // Feedback: the checkout's own course, tests and toolchain.
    let fork = Course::discover(root)?;
    #[cfg(feature = "instructor")]
    args.record.check_feedback()?;
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
    let names = requested(&course, args);
    let planned = resolve_all(&course, &names)?;
    // On a terminal, grading the whole course shows one exercise in
    // detail.
    let focused =
        names.is_empty() && !args.all && !args.verbose && !ci && std::io::stdout().is_terminal();
    crate::process::child::install_interrupt_handler();
    let tamper = changed_graded_files(&course, ci)?;
    opts.use_cache = !args.no_cache && !ci;
    opts.remember_lists = !ci;
    let result = engine::grade(&course, &planned, &tree, &opts, &mut |ev| live.event(ev));
    live.finish();
    let mut grade = result?;
    if !tamper.is_empty() {
        grade = crate::course::seal::mark_tampered(&course, grade, &tamper);
    }
    // Where the memory went: the failing memory tests shown in detail run
    // once more with allocation sites recorded (the grading run above
    // recorded nothing); the terminal shows them, the JSON report carries
    // them (with the live-bytes series) for other front ends.
    if !ci && (to_terminal(&dest) || dest.iter().any(|(f, _)| *f == Format::Json)) {
        crate::cmd::profile::attach_sites(
            &course,
            &mut grade,
            focused,
            crate::cmd::profile::RERUNS_PER_EXERCISE,
        );
    }
    let state = record_results(&course, &grade);
    let progress = Progress::from_state(&course, &state);
    let feedback = Feedback {
        course,
        focused,
        progress,
    };
    report(
        &dest,
        &format_ctx,
        &grade,
        Some(&feedback),
        ci,
        args.exit_zero,
    )
}

/// Whether one report goes to the terminal (standard output).
fn to_terminal(dest: &[(Format, Option<PathBuf>)]) -> bool {
    dest.iter()
        .any(|(f, p)| *f == Format::Terminal && p.is_none())
}

/// The exercises named on the command line; none named, inside an
/// exercise's directory, that exercise (unless --all); else none (all).
fn requested(course: &Course, args: &CheckArgs) -> Vec<String> {
    match exercise_here(course) {
        Some(e) if args.exercises.is_empty() && !args.all => vec![e.name.clone()],
        _ => args.exercises.clone(),
    }
}

/// The exercises whose graded files (tests, manifests) differ from the
/// checkout's lock, with those files. The lock is the checkout's own: a
/// signal for feedback, not a guarantee. Locally too a changed test or
/// manifest is named, and the exercise earns nothing until it is restored
/// (with git, which leaves the student's src/ alone).
fn changed_graded_files(course: &Course, ci: bool) -> Result<BTreeMap<String, Vec<String>>> {
    if ci {
        return crate::course::seal::verify_seal(course);
    }
    let tamper = crate::course::seal::local_changes(course)?;
    for (name, files) in &tamper {
        eprintln!(
            "warning: {name}: graded files differ from {}: {}; {}",
            crate::course::seal::LOCK_FILE,
            files.join(", "),
            crate::report::restore_remedy(files)
        );
    }
    Ok(tamper)
}

/// What the terminal report of a feedback check shows beyond the grade.
struct Feedback {
    /// The checkout's course (for the notes about the student's code).
    course: Course,
    /// Whether to show one exercise in detail and sum up the rest.
    focused: bool,
    /// The student's progress, printed after the report.
    progress: Progress,
}

/// Writes every report of `grade` where it goes; returns the exit code.
fn report(
    dest: &[(Format, Option<PathBuf>)],
    format_ctx: &FormatContext,
    grade: &Grade,
    feedback: Option<&Feedback>,
    ci: bool,
    exit_zero: bool,
) -> Result<i32> {
    for (format, path) in dest {
        let mut text = match (format, path, feedback) {
            (Format::Terminal, None, Some(feedback)) if !ci => {
                let notes = crate::report::advice::notes(&feedback.course.root, &grade.exercises);
                if feedback.focused {
                    crate::report::terminal::render_focused(grade, &notes)
                } else {
                    crate::report::terminal::render_with(grade, &notes)
                }
            }
            _ => render(*format, grade, format_ctx),
        };
        if ci && path.is_none() && matches!(format, Format::Terminal | Format::Junit) {
            // Student text (panic messages, output) must not be able to
            // issue workflow commands in the CI log. (The JSON formats
            // escape line breaks inside strings, so no line of theirs can
            // start a command.)
            text = crate::report::ci_log::stop_commands(&text);
        }
        match path {
            Some(p) => std::fs::write(p, &text).with_context(|| {
                format!(
                    "cannot write the {} report to {}",
                    format.name(),
                    p.display()
                )
            })?,
            None if *format == Format::Terminal => out!("{}", crate::report::output::fit(&text)),
            None => out!("{text}"),
        }
        if *format == Format::Terminal
            && path.is_none()
            && let Some(feedback) = feedback
        {
            outln!();
            feedback.progress.print();
        }
        #[cfg(feature = "instructor")]
        if *format == Format::Github {
            crate::report::machine::github::append_step_summary(grade)?;
        }
    }
    Ok(if grade.all_passed() || exit_zero {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}
