//! `memgrade seal`, for course authors: records the checksums of the graded
//! files and the pristine stubs in `memgrade.lock`.

use anyhow::Result;

use crate::cli::{Cli, EXIT_OK, load_course};
use crate::seal::{LOCK_FILE, Lock};

/// Writes the lock file.
pub fn run(cli: &Cli) -> Result<i32> {
    let course = load_course(cli)?;
    let lock = Lock::compute(&course)?;
    lock.save(&course.root)?;
    println!(
        "sealed {} graded files and {} stub files of {} exercises into {LOCK_FILE}; commit it",
        lock.files.len(),
        lock.stubs.len(),
        course.exercises.len()
    );
    Ok(EXIT_OK)
}
