//! `memgrade hint <exercise>`: reveals hint levels one at a time and
//! remembers how far the student has gone.

use std::path::Path;

use anyhow::Result;
use colored::Colorize;

use crate::course::Course;
use crate::course::select::named_or_here;
use crate::exit::EXIT_OK;
use crate::store::state::State;

/// Shows the next hint level (or all with `--all`) and records it.
pub fn run(root: Option<&Path>, query: Option<&str>, all: bool) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exercise = named_or_here(&course, query, "hint")?;
    let (mut state, _) = State::load(&course.root);
    let total = exercise.hints.len();
    let seen = state.hints_seen(exercise);
    let show = if all { total } else { (seen + 1).min(total) };
    for (i, hint) in exercise.hints.iter().enumerate().take(show) {
        let fresh = i >= seen;
        let head = format!("Hint {} of {} for {}:", i + 1, total, exercise.name);
        outln!(
            "{}",
            if fresh {
                head.yellow().bold()
            } else {
                head.dimmed()
            }
        );
        outln!("{}", crate::report::output::fit(&format!("  {hint}")));
        outln!();
    }
    let remaining = total - show;
    if remaining > 0 {
        outln!(
            "{remaining} more hint level{} left: run `memgrade hint {}` again.",
            if remaining == 1 { "" } else { "s" },
            exercise.name
        );
    } else {
        outln!("That was the last hint for {}.", exercise.name);
    }
    if show > seen {
        state.hints_revealed.insert(exercise.name.clone(), show);
        state.save(&course.root)?;
    }
    Ok(EXIT_OK)
}
