//! `memgrade check`: grade every exercise (or the named ones) and report.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;

use crate::color::{ColorChoice, ci_mode, setup_color};
use crate::course::Course;
use crate::engine::{self, BuildTree, Options};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::progress::Progress;
use crate::report::format::{Format, destinations, render};
use crate::report::terminal::Live;
use crate::select::{exercise_here, resolve_all};
use crate::state::record_results;

/// Options of `memgrade check`.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  memgrade check\n  memgrade check join_words 05\n  memgrade check --format json --output grade.json\n  memgrade check --ci --format junit --output junit=report.xml --format github"
)]
pub struct CheckArgs {
    /// Exercises to grade (name, directory name or unique prefix); when none
    /// are given, the exercise whose directory you are in, else all.
    pub exercises: Vec<String>,
    /// Grade every exercise (even inside an exercise's directory) and show
    /// every failure in detail.
    #[arg(long)]
    pub all: bool,
    /// Show every failure in detail (on a terminal, `check` otherwise shows
    /// the next failing exercise in detail and sums up the rest).
    #[arg(long, short)]
    pub verbose: bool,
    /// Report format; repeat for several at once.
    #[arg(long = "format", value_enum)]
    pub formats: Vec<Format>,
    /// Where a format goes: `FORMAT=PATH`, or just `PATH` for the first
    /// machine format. Formats without one go to stdout.
    #[arg(long = "output", value_name = "[FORMAT=]PATH")]
    pub outputs: Vec<String>,
    /// Test processes to run at once (default: the number of cores).
    #[arg(long, short)]
    pub jobs: Option<usize>,
    /// Grade everything again instead of reusing unchanged results.
    #[arg(long)]
    pub no_cache: bool,
    /// CI mode (also on when CI=true): no colors, no progress bar, no cache;
    /// GitHub annotations and step summary when GITHUB_ACTIONS=true.
    #[arg(long)]
    pub ci: bool,
    /// Exit 0 even when exercises fail (a workflow can record without blocking).
    #[arg(long)]
    pub exit_zero: bool,
    /// Grade with the official tests, manifests, memprobe and grader.toml
    /// taken from this directory or git revision instead of this tree's.
    #[arg(long, value_name = "PATH|REV")]
    pub tests_from: Option<String>,
}

/// Grades and reports; returns the exit code.
pub fn run(root: Option<&Path>, args: &CheckArgs) -> Result<i32> {
    let root = Course::discover(root)?;
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
    if ci {
        setup_color(ColorChoice::Never, true);
    }
    // With --tests-from, the graded course is the official one: the
    // checkout's own grader.toml, tests and manifests are never read.
    let (course, tree) = match &args.tests_from {
        Some(from) => {
            let official = crate::seal::official_tree(&root, from)?;
            let overlay = crate::overlay::graded_overlay(&root, &official)?;
            let tree = BuildTree {
                root: overlay.root.clone(),
                overlay: true,
            };
            (Course::load(&overlay.root)?, tree)
        }
        None => (
            Course::load(&root)?,
            BuildTree {
                root: root.clone(),
                overlay: false,
            },
        ),
    };
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
    // On a terminal, grading the whole course shows one exercise in detail.
    let focused =
        names.is_empty() && !args.all && !args.verbose && !ci && std::io::stdout().is_terminal();
    crate::run::install_interrupt_handler();

    let mut opts = Options::default();
    if let Some(j) = args.jobs {
        opts.jobs = j.max(1);
    }
    let tamper = if ci && args.tests_from.is_none() {
        crate::seal::verify_seal(&course)?
    } else {
        Default::default()
    };
    opts.use_cache = !args.no_cache && !ci && args.tests_from.is_none();
    opts.remember_lists = !ci && args.tests_from.is_none();

    let show_progress = !ci
        && std::io::stderr().is_terminal()
        && dest
            .iter()
            .any(|(f, p)| *f == Format::Terminal && p.is_none());
    let mut live = Live::new(show_progress);
    let result = engine::grade(&course, &planned, &tree, &opts, &mut |ev| live.event(ev));
    live.finish();
    let mut grade = result?;
    if !tamper.is_empty() {
        grade = crate::seal::mark_tampered(&course, grade, &tamper);
    }

    let state = record_results(&course, &grade);

    for (format, path) in &dest {
        let mut text = match (format, path) {
            (Format::Terminal, None) if !ci => {
                let notes = crate::advice::notes(&tree.root, &grade.exercises);
                if focused {
                    crate::report::terminal::render_focused(&grade, &notes)
                } else {
                    crate::report::terminal::render_with(&grade, &notes)
                }
            }
            _ => render(*format, &grade),
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
        if *format == Format::Terminal && path.is_none() {
            outln!();
            Progress::from_state(&course, &state).print();
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
