//! `memgrade gradebook`, for instructors: grade many student checkouts with
//! the official tests and write one CSV and one JSON. One checkout failing to
//! grade never stops the others.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::course::Course;
use crate::engine::{self, BuildTree, Options};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::fsutil::atomic_write;
use crate::grade::Grade;
use crate::overlay;
use crate::seal::{self, Lock};

/// One student's line in the gradebook.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The checkout's directory name.
    pub student: String,
    /// Points earned in all.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Exercises whose graded files differ from the official ones (graded
    /// with the official files anyway).
    pub tampered: Vec<String>,
    /// Why the checkout could not be graded, if it could not.
    pub error: Option<String>,
    /// The full grade.
    pub grade: Option<Grade>,
}

/// Grades each checkout in `dirs` against the official course `from`.
pub fn run(
    root: Option<&Path>,
    dirs: &[PathBuf],
    from: &str,
    out_dir: &Path,
    jobs: Option<usize>,
) -> Result<i32> {
    let here = Course::discover(root).ok();
    let official = match &here {
        Some(root) => seal::official_tree(root, from)?,
        None => Course::load(Path::new(from))?,
    };
    let lock = Lock::compute(&official)?;
    crate::run::install_interrupt_handler();
    let mut opts = Options {
        use_cache: false,
        remember_lists: false,
        ..Options::default()
    };
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    let work = overlay::overlay_dir(here.as_deref().unwrap_or(&official.root), "gradebook");
    let mut rows = Vec::new();
    for dir in dirs {
        let student = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        eprintln!("grading {student} ...");
        let row = match grade_one(dir, &official, &lock, &work, &opts) {
            Ok((grade, tampered)) => Row {
                student,
                score: grade.score,
                max_score: grade.max_score,
                tampered,
                error: None,
                grade: Some(grade),
            },
            Err(e) => {
                if e.downcast_ref::<crate::run::Interrupted>().is_some() {
                    return Err(e);
                }
                Row {
                    student,
                    score: 0.0,
                    max_score: official.exercises.iter().map(|e| e.points).sum(),
                    tampered: vec![],
                    error: Some(format!("{e:#}")),
                    grade: None,
                }
            }
        };
        rows.push(row);
    }
    std::fs::create_dir_all(out_dir)?;
    let csv_path = out_dir.join("gradebook.csv");
    let json_path = out_dir.join("gradebook.json");
    atomic_write(&csv_path, csv(&official, &rows).as_bytes())?;
    atomic_write(&json_path, &serde_json::to_vec_pretty(&rows)?)
        .context("writing the gradebook JSON")?;
    outln!(
        "graded {} checkout(s): {} and {}",
        rows.len(),
        csv_path.display(),
        json_path.display()
    );
    Ok(if rows.iter().all(|r| r.error.is_none()) {
        EXIT_OK
    } else {
        EXIT_FAILED
    })
}

fn grade_one(
    dir: &Path,
    official: &Course,
    lock: &Lock,
    work: &Path,
    opts: &Options,
) -> Result<(Grade, Vec<String>)> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a directory", dir.display());
    }
    let student_dir = dir.to_path_buf();
    let built = overlay::build(work, official, &|e| student_dir.join(&e.dir).join("src"))?;
    let course = Course::load(&built.root)?;
    let planned: Vec<_> = course.exercises.iter().collect();
    let tree = BuildTree {
        root: built.root.clone(),
        overlay: true,
    };
    let grade = engine::grade(&course, &planned, &tree, opts, &mut |_| {})?;
    let mut as_student = official.clone();
    as_student.root = dir.to_path_buf();
    let tampered = seal::compare(&as_student, lock)?.into_keys().collect();
    Ok((grade, tampered))
}

/// Quotes a CSV field when it needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The gradebook as CSV: one row per student, one column per exercise.
pub fn csv(course: &Course, rows: &[Row]) -> String {
    let mut out = String::from("student");
    for e in &course.exercises {
        let _ = write!(out, ",{}", field(&e.name));
    }
    out.push_str(",total,max_total,tampered,error\n");
    for r in rows {
        out.push_str(&field(&r.student));
        for e in &course.exercises {
            let points = r
                .grade
                .as_ref()
                .and_then(|g| g.exercises.iter().find(|x| x.name == e.name))
                .map_or(0.0, |x| x.points);
            let _ = write!(out, ",{points}");
        }
        let _ = writeln!(
            out,
            ",{},{},{},{}",
            r.score,
            r.max_score,
            field(&r.tampered.join(" ")),
            field(r.error.as_deref().unwrap_or(""))
        );
    }
    out
}
