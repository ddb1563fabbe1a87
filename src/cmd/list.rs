//! `memgrade list`: exercises in course order with their state from the last
//! grading, and progress per objective.

use anyhow::Result;
use colored::Colorize;

use crate::cli::{Cli, EXIT_OK, load_course};
use crate::progress::{Progress, state_label};
use crate::state::{Loaded, State};

/// Prints the exercise table and the per-objective summary.
pub fn run(cli: &Cli) -> Result<i32> {
    let course = load_course(cli)?;
    let (state, loaded) = State::load(&course.root);
    if let Loaded::Recovered(aside) = &loaded {
        eprintln!("note: the progress file was unreadable; starting fresh (old copy kept at {})", aside.display());
    }
    println!("{}", course.title.bold());
    println!();
    println!("  {:<3} {:<22} {:<11} {:>6}  {:<12} directory", "#", "exercise", "objective", "points", "state");
    for (i, e) in course.exercises.iter().enumerate() {
        let last = state.results.get(&e.name);
        let (label, points) = match last {
            Some(r) => (state_label(&r.status), format!("{:>6}", format!("{}/{}", fmt_points(r.points), fmt_points(e.points)))),
            None => (state_label("not_started"), format!("{:>6}", format!("-/{}", fmt_points(e.points)))),
        };
        println!(
            "  {:<3} {:<22} {:<11} {}  {:<12} {}",
            i + 1,
            e.name,
            e.objective,
            points,
            label,
            e.dir.display()
        );
    }
    println!();
    let progress = Progress::from_state(&course, &state);
    progress.print();
    Ok(EXIT_OK)
}

/// Points without a trailing `.0`.
pub fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{p:.1}")
    }
}
