//! The binary's front, the top layer: the command line (clap's builder API)
//! and the dispatch of each subcommand to its module in `cmd/`. The only
//! module that knows clap: it builds the [`clap::Command`] tree, fills the
//! commands' typed options ([`Command`], `CheckArgs`, `GradebookArgs`,
//! `MergeArgs`) from the matches in one place, and gives the value enums
//! their command-line names. Only `main.rs` calls it; nothing below the
//! commands refers to it (`tests/layers.rs`).

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Arg, ArgAction, ArgMatches, ValueEnum, value_parser};

use crate::cmd::check::CheckArgs;
use crate::cmd::exit_code_for;
use crate::color::{ColorChoice, setup_color};
use crate::exit::{EXIT_OK, EXIT_USAGE};
use crate::process::launch::SandboxChoice;
use crate::report::format::Format;

/// What the command line asked for.
#[derive(Debug)]
struct Cli {
    /// `--color` (global).
    color: ColorChoice,
    /// `--root DIR` (global): the course root, by default the nearest one
    /// at or above the current directory.
    root: Option<PathBuf>,
    /// The subcommand; without one, `memgrade` starts (`cmd::start`).
    command: Option<Command>,
}

/// The subcommands with their options.
#[derive(Debug)]
enum Command {
    List,
    Check(CheckArgs),
    Explain {
        term: Option<String>,
    },
    Profile {
        exercise: Option<String>,
        test: Option<String>,
    },
    /// An instructor's or course author's command (in a student's build,
    /// what it refuses).
    Instructor(instructor::Command),
    Hint {
        exercise: Option<String>,
        all: bool,
    },
    Reset {
        exercise: Option<String>,
        yes: bool,
    },
    Diff {
        exercise: Option<String>,
    },
    Solution {
        exercise: Option<String>,
        full: bool,
    },
    Watch {
        exercise: Option<String>,
        jobs: Option<usize>,
    },
}

/// The whole command line: every subcommand, flag, help text and example.
fn command() -> clap::Command {
    clap::Command::new("memgrade")
        .version(env!("CARGO_PKG_VERSION"))
        .about(env!("CARGO_PKG_DESCRIPTION"))
        .arg(
            Arg::new("color")
                .long("color")
                .value_name("COLOR")
                .value_parser(value_parser!(ColorChoice))
                .default_value("auto")
                .global(true)
                .help("When to color the output"),
        )
        .arg(
            Arg::new("root")
                .long("root")
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .global(true)
                .help("The course root (the directory holding grader.toml); by default the nearest one at or above the current directory"),
        )
        .subcommands(student_commands())
        .subcommands(instructor_commands())
}

/// The student's commands, listed first in `--help`.
fn student_commands() -> Vec<clap::Command> {
    vec![
        sub("list", "List the exercises in course order with objective, points, state and directory, and the progress per objective")
            .after_help("Example:\n  memgrade list"),
        check_command(),
        sub("watch", "Grade the current exercise again after every save, with hints and progress on screen (keys: h hint, n next, l list, c check all, r re-run, q quit)")
            .arg(exercise_arg("The exercise to start on (name, directory name or unique prefix); by default the one whose directory you are in, else the first not passed yet"))
            .arg(jobs_arg())
            .after_help("Examples:\n  memgrade watch\n  memgrade watch tree_cycles\n  MEMGRADE_WATCH_POLL=1 memgrade watch   # poll instead of file events"),
        sub("hint", "Show the next hint level of an exercise (each call reveals one more)")
            .arg(exercise_arg("Exercise name, directory name or a unique prefix; by default the exercise whose directory you are in"))
            .arg(flag("all", "Show every hint level at once"))
            .after_help("Examples:\n  memgrade hint join_words\n  memgrade hint 01 --all"),
        sub("explain", "Explain the words of memory failure messages (alloc, realloc, dealloc, bytes allocated, peak, live ...), one line each")
            .arg(
                Arg::new("term")
                    .value_name("TERM")
                    .help("One term to explain; all of them when left out"),
            )
            .after_help("Examples:\n  memgrade explain\n  memgrade explain live"),
        sub("profile", "Show where a test's measured call allocates: your lines with their allocation counts and bytes, largest first, and the live heap bytes over the call as a chart (any test, passing or not)")
            .arg(exercise_arg("Exercise name, directory name or a unique prefix; by default the exercise whose directory you are in"))
            .arg(
                Arg::new("test")
                    .value_name("TEST")
                    .help("The test (its name or a unique part of it); every test of the exercise when left out"),
            )
            .after_help("Examples:\n  memgrade profile join_words\n  memgrade profile join_words allocates_once"),
        sub("diff", "Show your changes to an exercise against the stub it shipped with")
            .arg(exercise_arg("Exercise name, directory name or a unique prefix; by default the exercise whose directory you are in"))
            .after_help("Example:\n  memgrade diff join_words"),
        sub("reset", "Put an exercise's src/ back to the stub it shipped with (asks first when that would lose changes)")
            .arg(exercise_arg("Exercise name, directory name or a unique prefix; by default the exercise whose directory you are in"))
            .arg(flag("yes", "Do not ask; needed to reset without a terminal").short('y'))
            .after_help("Examples:\n  memgrade reset join_words\n  memgrade reset 01 --yes"),
        sub("solution", "Show the reference solution of an exercise you passed, as a diff against your code")
            .arg(exercise_arg("Exercise name, directory name or a unique prefix; by default the exercise whose directory you are in"))
            .arg(flag("full", "Print the solution files instead of a diff"))
            .after_help("Examples:\n  memgrade solution join_words\n  memgrade solution join_words --full"),
    ]
}

/// The instructor's and course author's commands, listed after the
/// student's (a student's build refuses them with what to build instead).
fn instructor_commands() -> Vec<clap::Command> {
    vec![
        sub("verify", "For course authors: prove every solution and alternative passes, every stub fails and earns nothing, every mutant is caught, and grader.toml, folders and lock file agree")
            .arg(jobs_arg())
            .arg(flag("quiet", "Print only the exercises with a problem (and the summary)").short('q'))
            .after_help("Example:\n  memgrade verify"),
        sub("seal", "For course authors: record checksums of the graded files and the pristine stubs in memgrade.lock (commit it)")
            .after_help("Example:\n  memgrade seal && git add memgrade.lock"),
        gradebook_command(),
        sub("gradebook-merge", "For instructors: combine the shard results of `gradebook --partition K/N` into one gradebook")
            .arg(
                Arg::new("shards")
                    .value_name("SHARDS")
                    .num_args(1..)
                    .action(ArgAction::Append)
                    .value_parser(value_parser!(PathBuf))
                    .required(true)
                    .help("The shard directories (each holds a gradebook.json written with --partition K/N; every K from 1 to N exactly once)"),
            )
            .arg(out_arg("Where to write gradebook.csv, gradebook.json and students/"))
            .after_help("Example:\n  memgrade gradebook-merge shard-1/ shard-2/ shard-3/ --out grades/"),
        sub("template", "For instructors: write the repository students fork (no solutions/, sealed, memgrade's source and a README for students) into a new directory")
            .arg(
                Arg::new("out_dir")
                    .value_name("OUT_DIR")
                    .value_parser(value_parser!(PathBuf))
                    .required(true)
                    .help("Where to write it (must not exist, or be empty)"),
            )
            .after_help("Example:\n  memgrade template ../memgrade-student"),
        sub("gradescope-package", "For instructors: write the Gradescope autograder zip for this course (setup.sh, run_autograder and the course without solutions/). Needs a build with `--features instructor`")
            .arg(
                Arg::new("out")
                    .long("out")
                    .value_name("OUT")
                    .value_parser(value_parser!(PathBuf))
                    .default_value("autograder.zip")
                    .help("The zip to write"),
            )
            .after_help("Example:\n  cargo run --release --features instructor -- gradescope-package --out autograder.zip"),
    ]
}

/// `memgrade check`.
fn check_command() -> clap::Command {
    sub("check", "Grade every exercise (or the named ones) and report what passed, what failed and why")
        .arg(
            Arg::new("exercises")
                .value_name("EXERCISES")
                .num_args(1..)
                .action(ArgAction::Append)
                .help("Exercises to grade (name, directory name or unique prefix); when none are given, the exercise whose directory you are in, else all"),
        )
        .arg(flag("all", "Grade every exercise (even inside an exercise's directory) and show every failure in detail"))
        .arg(flag("verbose", "Show every failure in detail (on a terminal, `check` otherwise shows the next failing exercise in detail and sums up the rest)").short('v'))
        .arg(
            Arg::new("formats")
                .long("format")
                .value_name("FORMATS")
                .action(ArgAction::Append)
                .value_parser(value_parser!(Format))
                .help("Report format; repeat for several at once"),
        )
        .arg(
            Arg::new("outputs")
                .long("output")
                .value_name("[FORMAT=]PATH")
                .action(ArgAction::Append)
                .help("Where a format goes: `FORMAT=PATH`, or just `PATH` for the first machine format. Formats without one go to stdout"),
        )
        .arg(jobs_arg())
        .arg(flag("no-cache", "Grade everything again instead of reusing unchanged results"))
        .arg(flag("ci", "CI mode (also on when CI=true): no colors, no progress bar, no cache; GitHub annotations and step summary when GITHUB_ACTIONS=true"))
        .arg(flag("exit-zero", "Exit 0 even when exercises fail (a workflow can record without blocking)"))
        .args(course_args(
            "Grade for the record with the official course in this directory (absolute, outside the checkout): only the checkout's exercise sources are read, and the build runs in a private directory",
            "Grade for the record with the official course fetched from this git repository (URL, or absolute path), at --course-commit",
        ))
        .arg(sandbox_arg("The sandbox for builds and tests when grading for the record"))
        .after_help("Examples:\n  memgrade check\n  memgrade check join_words 05\n  memgrade check --format json --output grade.json\n  memgrade check --ci --format junit --output junit=report.xml --format github\n  memgrade check --ci --course /srv/course-v1   # the grade of record\n  memgrade check --ci --course-git https://host/course.git --course-commit <40-digit SHA>")
}

/// `memgrade gradebook`.
fn gradebook_command() -> clap::Command {
    sub("gradebook", "For instructors: grade many student checkouts for the record with the official course, each in its own private tree, and write gradebook.csv and gradebook.json (rewritten after every checkout)")
        .arg(
            Arg::new("dirs")
                .value_name("DIRS")
                .num_args(1..)
                .action(ArgAction::Append)
                .value_parser(value_parser!(PathBuf))
                .conflicts_with("roster")
                .help("Local student checkouts (one directory each), read in place; or give --roster instead"),
        )
        .arg(
            Arg::new("roster")
                .long("roster")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("The class roster: a CSV file with a header naming `student_id` and `repo` (a git URL or an absolute path). Each fork is fetched into a private directory"),
        )
        .arg(typed(option("deadline", "deadline", "TIME", "The deadline (RFC 3339 with an offset, e.g. 2026-12-01T23:59:00Z). At or after it, the commit of each fork's default branch is recorded once in <out>/snapshot.json, with how late that was, and graded on every run; before it, the current commit is graded and marked `before deadline`. Schedule a run at the deadline's minute"), instructor::parse_deadline()))
        .arg(
            Arg::new("extensions")
                .long("extensions")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .help("Per-student deadlines: a CSV file with a header naming `student_id` and `deadline` (RFC 3339); those students' snapshots are taken at their own deadline"),
        )
        .arg(
            Arg::new("snapshot_grace")
                .long("snapshot-grace")
                .value_name("MINUTES")
                .value_parser(value_parser!(u64))
                .default_value("60")
                .help("How long after a deadline a fork's first snapshot may still be taken without --late-ok"),
        )
        .arg(flag("late-ok", "Take snapshots later than --snapshot-grace after their deadline anyway (how late is recorded and shown on every run)"))
        .arg(typed(option("partition", "partition", "K/N", "Grade only shard K of N (1-based): the students whose id's SHA-256 modulo N is K-1. Combine the shards with `memgrade gradebook-merge`"), instructor::parse_partition()))
        .arg(flag("no-reuse", "Grade every exercise of every fork again: no class cache, no rows reused from an earlier run"))
        .args(course_args(
            "The official course: its root directory (absolute, outside every checkout). `--tests-from` is an alias",
            "The official course's git repository (URL, or absolute path), at --course-commit",
        ))
        .arg(sandbox_arg("The sandbox for builds and tests (auto: bwrap, an error without it)"))
        .arg(
            Arg::new("fork_timeout")
                .long("fork-timeout")
                .value_name("SECS")
                .value_parser(value_parser!(u64))
                .default_value("600")
                .help("Seconds one fork may take, fetch, build and tests together, before it is stopped and recorded with 0 points"),
        )
        .arg(
            Arg::new("fork_max_mb")
                .long("fork-max-mb")
                .value_name("MB")
                .value_parser(value_parser!(u64))
                .default_value("256")
                .help("The largest file a fork's fetch may write, in MiB: its one git pack, the archive of the graded commit. A fork over it is recorded with 0 points and the reason"),
        )
        .arg(out_arg("Where to write gradebook.csv, gradebook.json, students/, the class cache (.cache/) and snapshot.json"))
        .arg(jobs_arg())
        .after_help("Examples:\n  memgrade gradebook --roster roster.csv --course-git https://host/course.git --course-commit <40-digit SHA> --deadline 2026-12-01T23:59:00Z --out grades/\n  memgrade gradebook --roster roster.csv --course /srv/course-v1 --partition 2/4 --out shard-2/\n  memgrade gradebook forks/* --course /srv/course-v1 --out grades/")
}

/// A subcommand with its one-line description.
fn sub(name: &'static str, about: &'static str) -> clap::Command {
    clap::Command::new(name).about(about)
}

/// A `--flag`, its long name also its id.
fn flag(long: &'static str, help: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .action(ArgAction::SetTrue)
        .help(help)
}

/// A `--long VALUE` option holding a string.
fn option(id: &'static str, long: &'static str, value: &'static str, help: &'static str) -> Arg {
    Arg::new(id).long(long).value_name(value).help(help)
}

/// A value's parser: the text, or why it is not acceptable.
type Parser<T> = fn(&str) -> Result<T, String>;

/// `arg` with a value parser of the instructor build (in a student's build,
/// which refuses the command, the value stays a string).
fn typed<T: Clone + Send + Sync + 'static>(arg: Arg, parse: Option<Parser<T>>) -> Arg {
    match parse {
        Some(f) => arg.value_parser(move |s: &str| f(s)),
        None => arg,
    }
}

/// `--jobs`/`-j`.
fn jobs_arg() -> Arg {
    Arg::new("jobs")
        .long("jobs")
        .short('j')
        .value_name("JOBS")
        .value_parser(value_parser!(usize))
        .help("Test processes to run at once (default: the number of cores)")
}

/// The optional `EXERCISE` positional.
fn exercise_arg(help: &'static str) -> Arg {
    Arg::new("exercise").value_name("EXERCISE").help(help)
}

/// `--out DIR`, by default the current directory.
fn out_arg(help: &'static str) -> Arg {
    Arg::new("out")
        .long("out")
        .value_name("OUT")
        .value_parser(value_parser!(PathBuf))
        .default_value(".")
        .help(help)
}

/// `--course` (alias `--tests-from`), `--course-git` and `--course-commit`.
fn course_args(course: &'static str, git: &'static str) -> [Arg; 3] {
    [
        option("course", "course", "DIR", course).visible_alias("tests-from"),
        option("course_git", "course-git", "URL", git),
        option(
            "course_commit",
            "course-commit",
            "SHA",
            "The official commit to fetch from --course-git: the full 40-digit id",
        ),
    ]
}

/// `--sandbox`.
fn sandbox_arg(help: &'static str) -> Arg {
    Arg::new("sandbox")
        .long("sandbox")
        .value_name("SANDBOX")
        .value_parser(value_parser!(SandboxChoice))
        .default_value("auto")
        .help(help)
}

impl ValueEnum for ColorChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            ColorChoice::Auto => PossibleValue::new("auto")
                .help("Color when stdout is a terminal and NO_COLOR is not set"),
            ColorChoice::Always => PossibleValue::new("always").help("Always color"),
            ColorChoice::Never => PossibleValue::new("never").help("Never color"),
        })
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Format::Terminal => "Human-readable report with diffs",
            Format::Json => "The Grade model as JSON",
            Format::Junit => "JUnit XML",
            Format::Github => "GitHub workflow-command annotations (and the step summary)",
            Format::Gradescope => "Gradescope results.json",
            Format::Classroom50 => "Classroom 50's result.json (needs the runner's environment)",
            Format::Prairielearn => "PrairieLearn external grader results.json",
            Format::Classroom => "Retired with GitHub Classroom autograding",
        };
        Some(
            PossibleValue::new(self.name())
                .help(help)
                .hide(*self == Format::Classroom),
        )
    }
}

impl ValueEnum for SandboxChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            SandboxChoice::Auto,
            SandboxChoice::Bwrap,
            SandboxChoice::Landlock,
            SandboxChoice::None,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            SandboxChoice::Auto => {
                "bwrap when grading for the record, else landlock (an error if neither works); none for feedback"
            }
            SandboxChoice::Bwrap => "bwrap, or an error if it does not work here",
            SandboxChoice::Landlock => {
                "Landlock + seccomp, without namespaces (containers), or an error if the kernel has no Landlock"
            }
            SandboxChoice::None => "No sandbox (the process limits still hold)",
        };
        Some(PossibleValue::new(self.as_str()).help(help))
    }
}

/// The value of a string option.
fn string(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).cloned()
}

/// Every value of a repeatable argument, in order.
fn many<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> Vec<T> {
    m.get_many::<T>(id)
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}

/// The value of an argument that has a default.
fn given<T: Clone + Send + Sync + 'static>(m: &ArgMatches, id: &str) -> T {
    m.get_one::<T>(id)
        .cloned()
        .expect("clap fills in the argument's default")
}

/// The typed command line, filled from clap's matches.
fn from_matches(m: &ArgMatches) -> Cli {
    Cli {
        color: given(m, "color"),
        root: m.get_one("root").cloned(),
        command: m.subcommand().map(|(name, m)| subcommand(name, m)),
    }
}

/// One subcommand with its options.
fn subcommand(name: &str, m: &ArgMatches) -> Command {
    match name {
        "list" => Command::List,
        "check" => {
            #[cfg(not(feature = "instructor"))]
            if let Some(refused) = instructor::refused_check_option(m) {
                return Command::Instructor(refused);
            }
            Command::Check(CheckArgs {
                exercises: many(m, "exercises"),
                all: m.get_flag("all"),
                verbose: m.get_flag("verbose"),
                formats: many(m, "formats"),
                outputs: many(m, "outputs"),
                jobs: m.get_one("jobs").copied(),
                no_cache: m.get_flag("no-cache"),
                ci: m.get_flag("ci"),
                exit_zero: m.get_flag("exit-zero"),
                #[cfg(feature = "instructor")]
                record: instructor::record_args(m),
            })
        }
        "explain" => Command::Explain {
            term: string(m, "term"),
        },
        "profile" => Command::Profile {
            exercise: string(m, "exercise"),
            test: string(m, "test"),
        },
        "hint" => Command::Hint {
            exercise: string(m, "exercise"),
            all: m.get_flag("all"),
        },
        "reset" => Command::Reset {
            exercise: string(m, "exercise"),
            yes: m.get_flag("yes"),
        },
        "diff" => Command::Diff {
            exercise: string(m, "exercise"),
        },
        "solution" => Command::Solution {
            exercise: string(m, "exercise"),
            full: m.get_flag("full"),
        },
        "watch" => Command::Watch {
            exercise: string(m, "exercise"),
            jobs: m.get_one("jobs").copied(),
        },
        other => Command::Instructor(instructor::command(other, m)),
    }
}

/// The instructors' and course authors' commands, and `check`'s grade of
/// record options, in the instructor build (feature `instructor`).
#[cfg(feature = "instructor")]
mod instructor {
    use std::path::{Path, PathBuf};

    use clap::ArgMatches;

    use super::{given, many, string};
    use crate::cmd::check::record::RecordArgs;
    use crate::cmd::gradebook::GradebookArgs;
    use crate::cmd::merge::MergeArgs;

    /// `--deadline`'s parser.
    pub fn parse_deadline() -> Option<super::Parser<crate::class::deadline::Deadline>> {
        Some(|s| s.parse())
    }

    /// `--partition`'s parser.
    pub fn parse_partition() -> Option<super::Parser<crate::class::roster::Partition>> {
        Some(|s| s.parse())
    }

    /// The instructor commands with their options.
    #[derive(Debug)]
    pub enum Command {
        Verify { jobs: Option<usize>, quiet: bool },
        Seal,
        Gradebook(GradebookArgs),
        GradebookMerge(MergeArgs),
        Template { out_dir: PathBuf },
        GradescopePackage { out: PathBuf },
    }

    /// The instructor command `name` with its options.
    pub fn command(name: &str, m: &ArgMatches) -> Command {
        match name {
            "verify" => Command::Verify {
                jobs: m.get_one("jobs").copied(),
                quiet: m.get_flag("quiet"),
            },
            "seal" => Command::Seal,
            "gradebook" => Command::Gradebook(GradebookArgs {
                dirs: many(m, "dirs"),
                roster: m.get_one("roster").cloned(),
                deadline: m.get_one("deadline").copied(),
                extensions: m.get_one("extensions").cloned(),
                snapshot_grace_min: given(m, "snapshot_grace"),
                late_ok: m.get_flag("late-ok"),
                partition: m.get_one("partition").copied(),
                no_reuse: m.get_flag("no-reuse"),
                course: string(m, "course"),
                course_git: string(m, "course_git"),
                course_commit: string(m, "course_commit"),
                sandbox: given(m, "sandbox"),
                fork_timeout: given(m, "fork_timeout"),
                fork_max_mb: given(m, "fork_max_mb"),
                out: given(m, "out"),
                jobs: m.get_one("jobs").copied(),
            }),
            "gradebook-merge" => Command::GradebookMerge(MergeArgs {
                shards: many(m, "shards"),
                out: given(m, "out"),
            }),
            "template" => Command::Template {
                out_dir: given(m, "out_dir"),
            },
            "gradescope-package" => Command::GradescopePackage {
                out: given(m, "out"),
            },
            other => unreachable!("`{other}` is not a subcommand of command()"),
        }
    }

    /// `check`'s grade of record options.
    pub fn record_args(m: &ArgMatches) -> RecordArgs {
        RecordArgs {
            course: string(m, "course"),
            course_git: string(m, "course_git"),
            course_commit: string(m, "course_commit"),
            sandbox: given(m, "sandbox"),
        }
    }

    /// Runs the command.
    pub fn run(root: Option<&Path>, command: &Command) -> anyhow::Result<i32> {
        match command {
            Command::Verify { jobs, quiet } => crate::cmd::verify::run(root, *jobs, *quiet),
            Command::Seal => crate::cmd::seal::run(root),
            Command::Gradebook(args) => crate::cmd::gradebook::run(args),
            Command::GradebookMerge(args) => crate::cmd::merge::run(args),
            Command::Template { out_dir } => crate::cmd::template::run(root, out_dir),
            Command::GradescopePackage { out } => crate::cmd::gradescope_package::run(root, out),
        }
    }
}

/// A student's build (without the feature `instructor`): the instructor
/// commands and `check`'s grade of record options are parsed as in every
/// build, then refused with the command that builds memgrade with them.
#[cfg(not(feature = "instructor"))]
mod instructor {
    use std::path::Path;

    use clap::ArgMatches;
    use clap::parser::ValueSource;

    /// What was asked for, as typed (`gradebook`, `check --course`).
    #[derive(Debug)]
    pub struct Command(String);

    /// No parser: the value stays a string (the command is refused).
    pub fn parse_deadline() -> Option<super::Parser<String>> {
        None
    }

    /// No parser: the value stays a string (the command is refused).
    pub fn parse_partition() -> Option<super::Parser<String>> {
        None
    }

    /// The instructor command `name`, refused.
    pub fn command(name: &str, _m: &ArgMatches) -> Command {
        Command(name.to_string())
    }

    /// The first grade of record option given to `check`, refused.
    pub fn refused_check_option(m: &ArgMatches) -> Option<Command> {
        [
            ("course", "--course"),
            ("course_git", "--course-git"),
            ("course_commit", "--course-commit"),
            ("sandbox", "--sandbox"),
        ]
        .into_iter()
        .find(|(id, _)| m.value_source(id) == Some(ValueSource::CommandLine))
        .map(|(_, flag)| Command(format!("check {flag}")))
    }

    /// Says which build has the command: exit 2.
    pub fn run(_root: Option<&Path>, command: &Command) -> anyhow::Result<i32> {
        Err(crate::exit::needs_instructor(&command.0).into())
    }
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn run() -> i32 {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let cli = from_matches(&matches);
    setup_color(cli.color, false);
    let root = cli.root.as_deref();
    let Some(command) = &cli.command else {
        return finish(crate::cmd::start::run(root));
    };
    let result = match command {
        Command::List => crate::cmd::list::run(root),
        Command::Check(args) => crate::cmd::check::run(root, args),
        Command::Explain { term } => crate::cmd::explain::run(term.as_deref()),
        Command::Profile { exercise, test } => {
            crate::cmd::profile::run(root, exercise.as_deref(), test.as_deref())
        }
        Command::Instructor(command) => instructor::run(root, command),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        // clap's own checks of the tree: ids, shorts, conflicts, defaults.
        command().debug_assert();
    }

    /// The typed command line of `args` (after `memgrade`).
    fn parse(args: &[&str]) -> Cli {
        let argv = std::iter::once("memgrade").chain(args.iter().copied());
        from_matches(&command().try_get_matches_from(argv).unwrap())
    }

    #[test]
    fn options_reach_the_typed_args() {
        let cli = parse(&[
            "check",
            "a",
            "b",
            "--all",
            "-v",
            "--format",
            "terminal",
            "--output",
            "t.txt",
            "-j",
            "3",
            "--no-cache",
            "--ci",
            "--exit-zero",
            "--color",
            "never",
            "--root",
            "/r",
        ]);
        assert_eq!(cli.color, ColorChoice::Never);
        assert_eq!(cli.root, Some(PathBuf::from("/r")));
        let Some(Command::Check(a)) = cli.command else {
            panic!("not check: {:?}", cli.command)
        };
        assert_eq!(a.exercises, ["a", "b"]);
        assert!(a.all && a.verbose && a.no_cache && a.ci && a.exit_zero);
        assert_eq!(a.formats, [Format::Terminal]);
        assert_eq!(a.outputs, ["t.txt"]);
        assert_eq!(a.jobs, Some(3));
        let cli = parse(&["watch", "05", "--jobs", "2"]);
        assert!(matches!(
            cli.command,
            Some(Command::Watch { exercise: Some(e), jobs: Some(2) }) if e == "05"
        ));
        assert_eq!(cli.color, ColorChoice::Auto);
        assert!(parse(&[]).command.is_none());
    }

    #[cfg(feature = "instructor")]
    #[test]
    fn instructor_options_reach_the_typed_args() {
        let cli = parse(&[
            "check",
            "--tests-from",
            "/c",
            "--course-git",
            "g",
            "--course-commit",
            "s",
            "--sandbox",
            "none",
        ]);
        let Some(Command::Check(a)) = cli.command else {
            panic!("not check: {:?}", cli.command)
        };
        assert_eq!(a.record.course.as_deref(), Some("/c"));
        assert_eq!(a.record.course_git.as_deref(), Some("g"));
        assert_eq!(a.record.course_commit.as_deref(), Some("s"));
        assert_eq!(a.record.sandbox, SandboxChoice::None);

        let cli = parse(&["gradebook", "d1", "d2", "--partition", "2/4"]);
        let Some(Command::Instructor(instructor::Command::Gradebook(g))) = cli.command else {
            panic!("not gradebook: {:?}", cli.command)
        };
        assert_eq!(g.dirs, [PathBuf::from("d1"), PathBuf::from("d2")]);
        assert_eq!(g.partition.map(|p| p.to_string()).as_deref(), Some("2/4"));
        assert_eq!(
            (g.fork_timeout, g.fork_max_mb, g.out),
            (600, 256, PathBuf::from("."))
        );
        assert_eq!(g.sandbox, SandboxChoice::Auto);
    }

    #[cfg(not(feature = "instructor"))]
    #[test]
    fn a_students_build_refuses_instructor_commands_and_options() {
        for (args, what) in [
            (&["gradebook", "forks/a"][..], "gradebook"),
            (&["verify", "-q"], "verify"),
            (&["seal"], "seal"),
            (&["template", "out"], "template"),
            (&["gradebook-merge", "s1"], "gradebook-merge"),
            (&["gradescope-package"], "gradescope-package"),
            (&["check", "--tests-from", "/c"], "check --course"),
            (
                &["check", "--course-git", "g", "--course-commit", "s"],
                "check --course-git",
            ),
            (&["check", "--sandbox", "auto"], "check --sandbox"),
        ] {
            let Some(Command::Instructor(refused)) = parse(args).command else {
                panic!("{args:?} is not refused")
            };
            let e = instructor::run(None, &refused).unwrap_err();
            assert_eq!(exit_code_for(&e), EXIT_USAGE);
            assert_eq!(
                e.to_string(),
                format!(
                    "memgrade {what} needs a build with the instructor feature: cargo run --release --features instructor -- {what} ..."
                )
            );
        }
        // The default --sandbox is not a choice the student made.
        assert!(matches!(parse(&["check"]).command, Some(Command::Check(_))));
    }

    #[test]
    fn value_names_round_trip() {
        for f in Format::ALL {
            let v = f.to_possible_value().unwrap();
            assert_eq!(Format::from_name(v.get_name()), Some(*f));
        }
        for s in SandboxChoice::value_variants() {
            assert_eq!(
                SandboxChoice::from_str(s.as_str(), false).unwrap(),
                *s,
                "{s:?}"
            );
        }
    }

    /// Which build's help a snapshot holds: the student's default build
    /// and the instructor's (`--features instructor`) differ.
    const BUILD: &str = if cfg!(feature = "instructor") {
        "instructor"
    } else {
        "student"
    };

    /// `memgrade --help` and `memgrade <command> --help` of this build, one
    /// snapshot each.
    #[test]
    fn every_help_text_is_snapshotted() {
        let mut root = command();
        insta::assert_snapshot!(format!("help_{BUILD}"), root.render_long_help().to_string());
        let mut root = command();
        root.build();
        for sub in root.get_subcommands_mut() {
            let name = sub.get_name().to_string();
            insta::assert_snapshot!(
                format!("help_{BUILD}_{name}"),
                sub.render_long_help().to_string()
            );
        }
    }

    #[test]
    fn the_students_commands_come_first_in_help() {
        let names: Vec<String> = command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let first_instructor = names.iter().position(|n| n == "verify").unwrap();
        for student in [
            "list", "check", "watch", "hint", "explain", "diff", "reset", "solution",
        ] {
            let at = names.iter().position(|n| n == student).unwrap();
            assert!(at < first_instructor, "{names:?}");
        }
    }
}
