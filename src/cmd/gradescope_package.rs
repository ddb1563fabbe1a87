//! `memgrade gradescope-package --out autograder.zip`, for instructors: the
//! Gradescope autograder for this course (see `crate::author::package`).

use std::path::Path;

use anyhow::Result;

/// Writes the zip.
pub fn run(root: Option<&Path>, out: &Path) -> Result<i32> {
    let course = crate::course::Course::discover_and_load(root)?;
    let package = crate::author::package::write_gradescope_zip(&course, out)?;
    crate::author::template::say_replaced(&package.exported);
    outln!(
        "wrote {}: setup.sh, run_autograder and the course ({} exercises, {} files; starting code from memgrade.lock; without solutions/); upload it as the assignment's autograder",
        out.display(),
        package.exported.exercises,
        package.entries.len() - 2
    );
    Ok(crate::exit::EXIT_OK)
}
