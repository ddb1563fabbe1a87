//! `memgrade solution <exercise>`: the reference solution, shown only once
//! the exercise passed.

use std::path::Path;

use anyhow::{Context, Result};
use colored::Colorize;

use crate::course::select::named_or_here;
use crate::course::{Course, Exercise};
use crate::exit::{EXIT_FAILED, EXIT_OK, UsageError};
use crate::fsutil::{BUILD_OUTPUT, files};
use crate::report::textdiff::unified;
use crate::store::state::{LastResult, State};

/// Shows the solution as a diff against the student's code, or in full.
pub fn run(root: Option<&Path>, query: Option<&str>, full: bool) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exercise = named_or_here(&course, query, "solution")?;
    if !course.has_solutions() {
        return Err(UsageError(format!(
            "this copy of the course has no solutions (no {}/ directory: it is the student template); ask your instructor, or keep going with `memgrade hint {}`",
            crate::course::SOLUTIONS_DIR,
            exercise.name
        ))
        .into());
    }
    // The solution is earned against the course's own tests: not while
    // this checkout's graded files differ from the lock.
    if let Some(files) = crate::course::seal::local_changes(&course)?.get(&exercise.name) {
        return Err(UsageError(format!(
            "{}: graded files differ from {} ({}); {}, and pass the exercise to see its solution",
            exercise.name,
            crate::course::seal::LOCK_FILE,
            files.join(", "),
            crate::report::restore_remedy(files)
        ))
        .into());
    }
    let (state, _) = State::load(&course.root);
    let last = state.results.get(&exercise.name);
    if !last.is_some_and(LastResult::passed) {
        say_not_passed(exercise, last, &state);
        return Ok(EXIT_FAILED);
    }
    let sol_dir = course.root.join(&exercise.solution_dir);
    let files = files(&sol_dir, BUILD_OUTPUT)?;
    if files.is_empty() {
        anyhow::bail!("no solution files in {}", sol_dir.display());
    }
    let yours_dir = course.root.join(&exercise.dir).join("src");
    for path in files {
        let rel = path
            .strip_prefix(&sol_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let solution = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let sol_name = format!(
            "solution/{}/{rel}",
            exercise
                .solution_dir
                .to_string_lossy()
                .trim_end_matches('/')
        );
        if full {
            outln!("{}", format!("==> {sol_name} <==").bold());
            out!("{solution}");
            if !solution.ends_with('\n') {
                outln!();
            }
            continue;
        }
        let yours = std::fs::read_to_string(yours_dir.join(&rel)).unwrap_or_default();
        let yours_name = format!(
            "yours/{}/src/{rel}",
            exercise.dir.to_string_lossy().trim_end_matches('/')
        );
        match unified(&yours, &solution, &yours_name, &sol_name) {
            Some(d) => out!("{d}"),
            None => outln!("{rel}: your code is identical to the reference solution."),
        }
    }
    Ok(EXIT_OK)
}

/// Why the solution stays closed (the exercise's last result), and the
/// hints left to try.
fn say_not_passed(exercise: &Exercise, last: Option<&LastResult>, state: &State) {
    let how = match last {
        Some(r) => format!("its last check was {}", r.status.as_str().replace('_', " ")),
        None => "it has not been checked yet".to_string(),
    };
    outln!(
        "{} is not passed yet ({how}); the solution opens once `memgrade check {}` passes.",
        exercise.name.bold(),
        exercise.name
    );
    let total = exercise.hints.len();
    let seen = state.hints_seen(exercise);
    let left = total - seen;
    if left > 0 {
        outln!(
            "Stuck? `memgrade hint {}` has {left} more hint level{} for you.",
            exercise.name,
            if left == 1 { "" } else { "s" }
        );
    } else {
        outln!(
            "You have seen all {total} hint levels; `memgrade hint {} --all` shows them again.",
            exercise.name
        );
    }
}
