//! `memgrade diff <exercise>`: the student's changes against the stub.

use std::path::Path;

use anyhow::Result;

use crate::course::Course;
use crate::course::select::named_or_here;
use crate::course::stub::{load_lock, source_files};
use crate::exit::EXIT_OK;
use crate::report::textdiff::unified;

/// Prints a unified diff per changed file, or "no changes".
pub fn run(root: Option<&Path>, query: Option<&str>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exercise = named_or_here(&course, query, "diff")?;
    let lock = load_lock(&course)?;
    let mut any = false;
    for f in source_files(&course, &lock, exercise)? {
        let stub = f.stub.as_deref().unwrap_or("");
        let yours = f.yours.as_deref().unwrap_or("");
        let old_name = if f.stub.is_some() {
            format!("stub/{}", f.path)
        } else {
            "/dev/null".to_string()
        };
        let new_name = if f.yours.is_some() {
            format!("yours/{}", f.path)
        } else {
            "/dev/null".to_string()
        };
        if f.changed() {
            any = true;
            match unified(stub, yours, &old_name, &new_name) {
                Some(d) => out!("{d}"),
                // An empty file added or removed: same text, different presence.
                None => outln!("--- {old_name}\n+++ {new_name}\n(empty file)"),
            }
        }
    }
    if !any {
        outln!(
            "{}: no changes (your sources match the stub).",
            exercise.name
        );
    }
    Ok(EXIT_OK)
}
