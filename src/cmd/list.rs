//! `memgrade list`: exercises in course order with their state from the last
//! grading, and progress per objective.

use std::path::Path;

use anyhow::Result;

use crate::course::Course;
use crate::exit::EXIT_OK;

/// Prints the exercise table and the per-objective summary.
pub fn run(root: Option<&Path>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    crate::report::progress::print_list(&course);
    Ok(EXIT_OK)
}
