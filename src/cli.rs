//! Command-line interface: argument definitions and dispatch to `cmd/*`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::course::{COURSE_FILE, Course, CourseError};
use crate::select::SelectError;

/// Exit code: everything graded passed, or the command succeeded.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one exercise failed (or verify found a problem).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: bad usage, an unknown exercise or a broken course file.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: memgrade itself could not do its job (cargo missing, I/O).
pub const EXIT_INTERNAL: i32 = 3;
/// Exit code: interrupted by Ctrl-C (SIGINT). SIGTERM gives 143 and SIGHUP
/// 129 (128 + the signal; see [`crate::run::interrupt_exit_code`]).
pub const EXIT_INTERRUPTED: i32 = 130;

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
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
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
    /// For course authors: prove every solution passes, every stub fails and
    /// earns nothing, and grader.toml, folders and lock file agree.
    #[command(after_help = "Example:\n  memgrade verify")]
    Verify {
        /// Test processes to run at once (default: the number of cores).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// For course authors: record checksums of the graded files and the
    /// pristine stubs in memgrade.lock (commit it).
    #[command(after_help = "Example:\n  memgrade seal && git add memgrade.lock")]
    Seal,
    /// For instructors: grade many student checkouts with the official tests
    /// and write gradebook.csv and gradebook.json.
    #[command(
        after_help = "Example:\n  memgrade gradebook forks/* --tests-from course-v1 --out grades/"
    )]
    Gradebook {
        /// Student checkouts (one directory each).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The official course: a directory or a git revision of this repository.
        #[arg(long, value_name = "PATH|REV")]
        tests_from: String,
        /// Where to write gradebook.csv and gradebook.json.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Test processes to run at once (default: the number of cores).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Show the next hint level of an exercise (each call reveals one more).
    #[command(after_help = "Examples:\n  memgrade hint join_words\n  memgrade hint 01 --all")]
    Hint {
        /// Exercise name, directory name or a unique prefix.
        exercise: String,
        /// Show every hint level at once.
        #[arg(long)]
        all: bool,
    },
    /// Put an exercise's src/ back to the stub it shipped with (asks first
    /// when that would lose changes).
    #[command(after_help = "Examples:\n  memgrade reset join_words\n  memgrade reset 01 --yes")]
    Reset {
        /// Exercise name, directory name or a unique prefix.
        exercise: String,
        /// Do not ask; needed to reset without a terminal.
        #[arg(long, short)]
        yes: bool,
    },
    /// Show your changes to an exercise against the stub it shipped with.
    #[command(after_help = "Example:\n  memgrade diff join_words")]
    Diff {
        /// Exercise name, directory name or a unique prefix.
        exercise: String,
    },
    /// Show the reference solution of an exercise you passed, as a diff
    /// against your code.
    #[command(
        after_help = "Examples:\n  memgrade solution join_words\n  memgrade solution join_words --full"
    )]
    Solution {
        /// Exercise name, directory name or a unique prefix.
        exercise: String,
        /// Print the solution files instead of a diff.
        #[arg(long)]
        full: bool,
    },
    /// Grade the current exercise again after every save, with hints and
    /// progress on screen (keys: h hint, n next, l list, c check all, r re-run, q quit).
    #[command(
        after_help = "Examples:\n  memgrade watch\n  MEMGRADE_WATCH_POLL=1 memgrade watch   # poll instead of file events"
    )]
    Watch {
        /// Test processes to run at once (default: the number of cores).
        #[arg(long, short)]
        jobs: Option<usize>,
    },
}

/// Chooses whether to color output.
pub fn setup_color(choice: ColorChoice, force_off: bool) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !force_off
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Finds the course root: `--root`, or the nearest directory at or above the
/// current one that holds grader.toml.
pub fn find_root(explicit: Option<&Path>) -> Result<PathBuf, CourseError> {
    if let Some(dir) = explicit {
        // Absolute, so paths cargo reports (always absolute) match the course's.
        return Ok(std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for dir in cwd.ancestors() {
        if dir.join(COURSE_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(CourseError {
        file: cwd.join(COURSE_FILE),
        line: None,
        column: None,
        field: None,
        message: "no grader.toml here or in any parent directory; run memgrade inside the course, or pass --root".into(),
    })
}

/// Loads the course named by the command line.
pub fn load_course(cli: &Cli) -> Result<Course, CourseError> {
    Course::load(&find_root(cli.root.as_deref())?)
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
    let result = match &cli.command {
        Command::List => crate::cmd::list::run(&cli),
        Command::Check(args) => crate::cmd::check::run(&cli, args),
        Command::Verify { jobs } => crate::cmd::verify::run(&cli, *jobs),
        Command::Seal => crate::cmd::seal::run(&cli),
        Command::Gradebook {
            dirs,
            tests_from,
            out,
            jobs,
        } => crate::cmd::gradebook::run(&cli, dirs, tests_from, out, *jobs),
        Command::Hint { exercise, all } => crate::cmd::hint::run(&cli, exercise, *all),
        Command::Reset { exercise, yes } => crate::cmd::reset::run(&cli, exercise, *yes),
        Command::Diff { exercise } => crate::cmd::diff::run(&cli, exercise),
        Command::Solution { exercise, full } => crate::cmd::solution::run(&cli, exercise, *full),
        Command::Watch { jobs } => crate::cmd::watch::run(&cli, *jobs),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit_code_for(&e)
        }
    }
}

/// The exit code an error deserves: 2 for the user's or the course author's
/// input, 3 for memgrade's own trouble.
pub fn exit_code_for(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<CourseError>().is_some()
        || e.downcast_ref::<SelectError>().is_some()
        || e.downcast_ref::<UsageError>().is_some()
    {
        EXIT_USAGE
    } else if e.downcast_ref::<crate::run::Interrupted>().is_some() {
        crate::run::interrupt_exit_code()
    } else {
        EXIT_INTERNAL
    }
}

/// A mistake in how a command was used, beyond what clap checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}
