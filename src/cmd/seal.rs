//! `memgrade seal`, for course authors: records the checksums of the graded
//! files and the pristine stubs in `memgrade.lock`.

use std::path::Path;

use anyhow::Result;

use crate::course::Course;
use crate::course::seal::LOCK_FILE;
use crate::exit::EXIT_OK;

/// Writes the lock file.
pub fn run(root: Option<&Path>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let lock = crate::course::seal::seal(&course)?;
    outln!(
        "sealed {} graded files and {} stub files of {} exercises into {LOCK_FILE}; commit it",
        lock.files.len(),
        lock.stubs.len(),
        course.exercises.len()
    );
    Ok(EXIT_OK)
}
