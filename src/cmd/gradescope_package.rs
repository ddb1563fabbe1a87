//! `memgrade gradescope-package --out autograder.zip`, for instructors: the
//! Gradescope autograder for this course (see `crate::package`). Needs the
//! `instructor` feature, which brings the zip writer.

use std::path::Path;

use anyhow::Result;

/// How to get a memgrade that can write the package.
#[cfg(not(feature = "instructor"))]
pub const NEEDS_FEATURE: &str = "`memgrade gradescope-package` is an instructor command, left out of the student build: rebuild with `cargo run --release --features instructor -- gradescope-package …` (or `cargo install --path . --features instructor`)";

/// Writes the zip.
#[cfg(feature = "instructor")]
pub fn run(root: Option<&Path>, out: &Path) -> Result<i32> {
    let course = crate::course::Course::discover_and_load(root)?;
    let package = crate::package::write_gradescope_zip(&course, out)?;
    outln!(
        "wrote {}: setup.sh, run_autograder and the course ({} exercises, {} files, without solutions/); upload it as the assignment's autograder",
        out.display(),
        package.exercises,
        package.entries.len() - 2
    );
    Ok(crate::exit::EXIT_OK)
}

/// Explains that this build cannot write the zip.
#[cfg(not(feature = "instructor"))]
pub fn run(root: Option<&Path>, out: &Path) -> Result<i32> {
    let _ = (root, out);
    Err(crate::exit::UsageError(NEEDS_FEATURE.to_string()).into())
}
