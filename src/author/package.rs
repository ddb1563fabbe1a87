//! The Gradescope autograder package (feature `instructor`): the zip
//! Gradescope's autograder specification asks for
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>):
//! `setup.sh` and `run_autograder` at the root of the archive, both
//! executable, next to the course they grade with.
//!
//! | entry | what it is |
//! |---|---|
//! | `setup.sh` | installs bubblewrap and Rust when missing, builds memgrade once from `course/` |
//! | `run_autograder` | grades `/autograder/submission` against `course/`, writes `/autograder/results/results.json` |
//! | `course/…` | the student copy of the course ([`crate::author::template`]): no `solutions/` |
//!
//! Entries are deflated, in path order, with fixed timestamps, so the same
//! course gives the same zip.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;

use crate::course::Course;

/// `setup.sh`.
pub const SETUP_SH: &str = include_str!("../../templates/gradescope/setup.sh");

/// `run_autograder`.
pub const RUN_AUTOGRADER: &str = include_str!("../../templates/gradescope/run_autograder");

/// The folder of the archive that holds the course.
pub const COURSE_DIR: &str = "course";

/// What a package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Entry names, in archive order.
    pub entries: Vec<String>,
    /// What the course copy holds.
    pub exported: crate::author::template::Exported,
}

/// Writes the Gradescope autograder zip for `course` to `out`.
pub fn write_gradescope_zip(course: &Course, out: &Path) -> Result<Package> {
    let staging = tempfile::tempdir().context("cannot create a temporary directory")?;
    let copy = staging.path().join(COURSE_DIR);
    let exported = crate::author::template::export(course, &copy)?;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = |mode: u32| {
        SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(mode)
    };
    let mut entries = Vec::new();
    for (name, text) in [("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER)] {
        zip.start_file(name, options(0o755))?;
        zip.write_all(text.as_bytes())?;
        entries.push(name.to_string());
    }
    for rel in &exported.files {
        let bytes = std::fs::read(copy.join(rel))
            .with_context(|| format!("cannot read {}", copy.join(rel).display()))?;
        let name = format!("{COURSE_DIR}/{rel}");
        zip.start_file(name.as_str(), options(0o644))?;
        zip.write_all(&bytes)?;
        entries.push(name);
    }
    zip.finish()
        .with_context(|| format!("cannot finish {}", out.display()))?;
    Ok(Package { entries, exported })
}
