//! `memgrade reset <exercise>`: puts an exercise's `src/` back to the stub
//! it shipped with (recorded in `memgrade.lock`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use colored::Colorize;

use crate::course::Course;
use crate::course::select::named_or_here;
use crate::course::stub::{load_lock, source_files};
use crate::exit::{EXIT_OK, EXIT_USAGE};

/// Restores the stub sources, asking first when that would lose changes.
pub fn run(root: Option<&Path>, query: Option<&str>, yes: bool) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exercise = named_or_here(&course, query, "reset")?;
    let lock = load_lock(&course)?;
    let files = source_files(&course, &lock, exercise)?;
    let changed: Vec<_> = files.iter().filter(|f| f.changed()).collect();
    if changed.is_empty() {
        outln!("{} is already as shipped; nothing to reset.", exercise.name);
        return Ok(EXIT_OK);
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            eprintln!(
                "error: resetting {} would lose your changes to {}; not asking because stdin is not a terminal. Run `memgrade reset {} --yes` to reset anyway (`memgrade diff {}` shows the changes).",
                exercise.name,
                changed
                    .iter()
                    .map(|f| f.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                exercise.name,
                exercise.name
            );
            return Ok(EXIT_USAGE);
        }
        for f in &changed {
            let what = match (&f.stub, &f.yours) {
                (None, _) => "added by you, will be removed",
                (_, None) => "deleted, will be restored",
                _ => "changed",
            };
            eprintln!("  {} ({what})", f.path);
        }
        eprint!("Reset {} and lose your changes? [y/N] ", exercise.name);
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .context("cannot read the answer")?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            outln!("Nothing changed.");
            return Ok(EXIT_OK);
        }
    }
    crate::course::stub::restore(&course, &changed)?;
    outln!(
        "{} {} reset to the stub ({} file{} restored).",
        "✓".green(),
        exercise.name.bold(),
        changed.len(),
        if changed.len() == 1 { "" } else { "s" }
    );
    Ok(EXIT_OK)
}
