//! `memgrade check --course DIR` (or `--course-git URL --course-commit
//! SHA`), feature `instructor`: one checkout graded for the record with the
//! official course ([`crate::record::official`], [`crate::record`]). Only the
//! checkout's exercise sources are read, built and run privately; nothing
//! is written into the checkout.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::course::Course;
use crate::course::select::resolve_all;
use crate::pipeline::engine::Options;
use crate::pipeline::grade::Grade;
use crate::process::launch::SandboxChoice;
use crate::record::official::CourseSource;
use crate::report::terminal::Live;

/// The options of `check` that belong to the grade of record.
#[derive(Debug, Clone, Default)]
pub struct RecordArgs {
    /// `--course DIR` (alias `--tests-from`).
    pub course: Option<String>,
    /// `--course-git URL`.
    pub course_git: Option<String>,
    /// `--course-commit SHA`.
    pub course_commit: Option<String>,
    /// `--sandbox`.
    pub sandbox: SandboxChoice,
}

impl RecordArgs {
    /// Whether any option names an official course.
    fn asked(&self) -> bool {
        self.course.is_some() || self.course_git.is_some() || self.course_commit.is_some()
    }

    /// A feedback check (no official course) refuses `--sandbox bwrap`.
    pub fn check_feedback(&self) -> Result<()> {
        crate::record::sandbox::resolve(self.sandbox, false).map(drop)
    }
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

/// The grade of record of the checkout at `root` when `args` name an
/// official course (`None` otherwise: a feedback check): `exercises` of
/// the official course, graded with the checkout's sources.
pub fn grade(
    root: Option<&Path>,
    args: &RecordArgs,
    exercises: &[String],
    opts: &Options,
    live: &mut Live,
) -> Result<Option<Grade>> {
    if !args.asked() {
        return Ok(None);
    }
    let fork = fork_root(root)?;
    let Some(source) = CourseSource::from_args(
        args.course.as_deref(),
        args.course_git.as_deref(),
        args.course_commit.as_deref(),
        &[&fork],
    )?
    else {
        return Ok(None);
    };
    let sandbox = crate::record::sandbox::resolve(args.sandbox, true)?;
    let official = source.load()?;
    let planned = resolve_all(&official.course, exercises)?;
    crate::process::child::install_interrupt_handler();
    let result = crate::record::grade_fork(
        &official.course,
        &planned,
        &fork,
        sandbox,
        opts,
        &mut |ev| live.event(ev),
    );
    live.finish();
    result.map(Some)
}
