//! `memgrade` without a command: one exercise at a time. On a terminal it
//! starts watch on the current exercise with a short welcome; otherwise
//! (a pipe, a script, CI) it says which exercise is current and what to run
//! next, and exits 0.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;
use colored::Colorize;

use crate::course::Course;
use crate::course::select::exercise_here;
use crate::exit::EXIT_OK;
use crate::report::progress::Progress;
use crate::store::state::State;

/// Watches the current exercise (terminal) or prints what to do next.
pub fn run(root: Option<&Path>) -> Result<i32> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return crate::cmd::watch::run(root, None, None, true);
    }
    let course = Course::discover_and_load(root)?;
    let (state, _) = State::load(&course.root);
    let progress = Progress::from_state(&course, &state);
    let current = exercise_here(&course)
        .map(|e| e.name.clone())
        .or(progress.next.clone());
    outln!("{}", course.title.bold());
    let Some(name) = current else {
        outln!("{}", "Every exercise passes. Well done!".green().bold());
        return Ok(EXIT_OK);
    };
    let Some(e) = course.exercise(&name) else {
        return Ok(EXIT_OK);
    };
    let index = course
        .exercises
        .iter()
        .position(|x| x.name == name)
        .unwrap_or(0)
        + 1;
    outln!(
        "Current exercise: {} (exercise {index} of {}, {})",
        name.bold(),
        course.exercises.len(),
        e.dir.display()
    );
    if let Some(task) = crate::cmd::watch::task_line(&course.root.join(&e.dir)) {
        outln!("Task: {task}");
    }
    outln!("{}", progress.summary_line());
    outln!();
    outln!("What to run next:");
    let m = memgrade_command();
    outln!(
        "  edit {}, then `{m} check {name}`",
        e.dir.join("src/lib.rs").display()
    );
    outln!("  `{m} watch {name}` grades it on every save (in a terminal)");
    outln!("  `{m} hint {name}` gives the next hint; `{m} list` shows every exercise");
    Ok(EXIT_OK)
}

/// How the student runs memgrade from where they stand: `memgrade` when it
/// is on `PATH` (the Quick start's `cargo install`), else `cargo memgrade`
/// (the checkout's alias in `.cargo/config.toml`).
fn memgrade_command() -> &'static str {
    let exe = format!("memgrade{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(&exe).is_file()));
    if on_path {
        "memgrade"
    } else {
        "cargo memgrade"
    }
}
