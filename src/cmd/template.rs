//! `memgrade template OUT_DIR`, for instructors: the repository students
//! fork, made from this course (see [`crate::author::template`]).

use std::path::Path;

use anyhow::Result;

use crate::course::Course;
use crate::exit::EXIT_OK;

/// Writes the student copy into `out`.
pub fn run(root: Option<&Path>, out: &Path) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exported = crate::author::template::export(&course, out)?;
    crate::author::template::say_replaced(&exported);
    outln!(
        "wrote the student template of {} exercises to {} ({} files; starting code from memgrade.lock; sealed; without solutions/)",
        exported.exercises,
        out.display(),
        exported.files.len()
    );
    outln!(
        "next: cd {} && git init && git add -A && git commit -m 'Course template', then push it as the repository students fork",
        out.display()
    );
    Ok(EXIT_OK)
}
