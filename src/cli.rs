//! The binary's front, the top layer: clap's argument definitions and the
//! dispatch of each subcommand to its module in `cmd/`. Only `main.rs` calls
//! it; nothing below the commands refers to it (`tests/layers.rs`).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::color::{ColorChoice, setup_color};
use crate::exit::{EXIT_OK, EXIT_USAGE, exit_code_for};

/// memgrade: an auto-graded Rust course on memory optimization.
#[derive(Debug, Parser)]
#[command(name = "memgrade", version, about, long_about = None)]
pub struct Cli {
    /// When to color the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The course root (the directory holding grader.toml); by default the
    /// nearest one at or above the current directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// What to do. Without a command: on a terminal, watch the current
    /// exercise (with a short welcome); otherwise say which exercise is next
    /// and what to run.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the exercises in course order with objective, points, state and
    /// directory, and the progress per objective.
    #[command(after_help = "Example:\n  memgrade list")]
    List,
    /// Grade every exercise (or the named ones) and report what passed,
    /// what failed and why.
    Check(crate::cmd::check::CheckArgs),
    /// For course authors: prove every solution and alternative passes, every
    /// stub fails and earns nothing, every mutant is caught, and grader.toml,
    /// folders and lock file agree.
    #[command(after_help = "Example:\n  memgrade verify")]
    Verify {
        /// Test processes to run at once (default: the number of cores).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Print only the exercises with a problem (and the summary).
        #[arg(long, short)]
        quiet: bool,
    },
    /// For course authors: record checksums of the graded files and the
    /// pristine stubs in memgrade.lock (commit it).
    #[command(after_help = "Example:\n  memgrade seal && git add memgrade.lock")]
    Seal,
    /// For instructors: grade many student checkouts for the record with
    /// the official course, each in its own private tree, and write
    /// gradebook.csv and gradebook.json (rewritten after every checkout).
    Gradebook(crate::cmd::gradebook::GradebookArgs),
    /// For instructors: combine the shard results of `gradebook --partition
    /// K/N` into one gradebook.
    GradebookMerge(crate::cmd::merge::MergeArgs),
    /// Explain the words of memory failure messages (alloc, realloc,
    /// dealloc, bytes allocated, peak, live ...), one line each.
    #[command(after_help = "Examples:\n  memgrade explain\n  memgrade explain live")]
    Explain {
        /// One term to explain; all of them when left out.
        term: Option<String>,
    },
    /// For instructors: write the repository students fork (no solutions/,
    /// sealed, memgrade's source and a README for students) into a new
    /// directory.
    #[command(after_help = "Example:\n  memgrade template ../memgrade-student")]
    Template {
        /// Where to write it (must not exist, or be empty).
        out_dir: PathBuf,
    },
    /// For instructors: write the Gradescope autograder zip for this course
    /// (setup.sh, run_autograder and the course without solutions/). Needs a
    /// build with `--features instructor`.
    #[command(
        after_help = "Example:\n  cargo run --release --features instructor -- gradescope-package --out autograder.zip"
    )]
    GradescopePackage {
        /// The zip to write.
        #[arg(long, default_value = "autograder.zip")]
        out: PathBuf,
    },
    /// Show the next hint level of an exercise (each call reveals one more).
    #[command(after_help = "Examples:\n  memgrade hint join_words\n  memgrade hint 01 --all")]
    Hint {
        /// Exercise name, directory name or a unique prefix; by default the
        /// exercise whose directory you are in.
        exercise: Option<String>,
        /// Show every hint level at once.
        #[arg(long)]
        all: bool,
    },
    /// Put an exercise's src/ back to the stub it shipped with (asks first
    /// when that would lose changes).
    #[command(after_help = "Examples:\n  memgrade reset join_words\n  memgrade reset 01 --yes")]
    Reset {
        /// Exercise name, directory name or a unique prefix; by default the
        /// exercise whose directory you are in.
        exercise: Option<String>,
        /// Do not ask; needed to reset without a terminal.
        #[arg(long, short)]
        yes: bool,
    },
    /// Show your changes to an exercise against the stub it shipped with.
    #[command(after_help = "Example:\n  memgrade diff join_words")]
    Diff {
        /// Exercise name, directory name or a unique prefix; by default the
        /// exercise whose directory you are in.
        exercise: Option<String>,
    },
    /// Show the reference solution of an exercise you passed, as a diff
    /// against your code.
    #[command(
        after_help = "Examples:\n  memgrade solution join_words\n  memgrade solution join_words --full"
    )]
    Solution {
        /// Exercise name, directory name or a unique prefix; by default the
        /// exercise whose directory you are in.
        exercise: Option<String>,
        /// Print the solution files instead of a diff.
        #[arg(long)]
        full: bool,
    },
    /// Grade the current exercise again after every save, with hints and
    /// progress on screen (keys: h hint, n next, l list, c check all, r re-run, q quit).
    #[command(
        after_help = "Examples:\n  memgrade watch\n  memgrade watch tree_cycles\n  MEMGRADE_WATCH_POLL=1 memgrade watch   # poll instead of file events"
    )]
    Watch {
        /// The exercise to start on (name, directory name or unique prefix);
        /// by default the one whose directory you are in, else the first not
        /// passed yet.
        exercise: Option<String>,
        /// Test processes to run at once (default: the number of cores).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    setup_color(cli.color, false);
    let root = cli.root.as_deref();
    let Some(command) = &cli.command else {
        return finish(crate::cmd::start::run(root));
    };
    let result = match command {
        Command::List => crate::cmd::list::run(root),
        Command::Check(args) => crate::cmd::check::run(root, args),
        Command::Verify { jobs, quiet } => crate::cmd::verify::run(root, *jobs, *quiet),
        Command::Seal => crate::cmd::seal::run(root),
        Command::Gradebook(args) => crate::cmd::gradebook::run(args),
        Command::GradebookMerge(args) => crate::cmd::merge::run(args),
        Command::Explain { term } => crate::cmd::explain::run(term.as_deref()),
        Command::Template { out_dir } => crate::cmd::template::run(root, out_dir),
        Command::GradescopePackage { out } => crate::cmd::gradescope_package::run(root, out),
        Command::Hint { exercise, all } => crate::cmd::hint::run(root, exercise.as_deref(), *all),
        Command::Reset { exercise, yes } => crate::cmd::reset::run(root, exercise.as_deref(), *yes),
        Command::Diff { exercise } => crate::cmd::diff::run(root, exercise.as_deref()),
        Command::Solution { exercise, full } => {
            crate::cmd::solution::run(root, exercise.as_deref(), *full)
        }
        Command::Watch { exercise, jobs } => {
            crate::cmd::watch::run(root, exercise.as_deref(), *jobs, false)
        }
    };
    finish(result)
}

/// The exit code of a command's result; an error is printed first.
fn finish(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit_code_for(&e)
        }
    }
}
