//! `memgrade verify`, for course authors: every solution passes every test,
//! every stub fails at least one test with a teaching message and earns no
//! points, and grader.toml, the folders and the lock file agree.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use colored::Colorize;

use crate::course::Course;
use crate::engine::{self, BuildTree, Options};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::grade::{Grade, TestStatus};
use crate::overlay;
use crate::seal::{LOCK_FILE, Lock};

/// Checks the course; returns 0 when everything holds, 1 otherwise.
pub fn run(root: Option<&Path>, jobs: Option<usize>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    crate::run::install_interrupt_handler();
    let mut problems = folder_problems(&course)?;

    let mut opts = Options {
        use_cache: false,
        remember_lists: false,
        ..Options::default()
    };
    if let Some(j) = jobs {
        opts.jobs = j.max(1);
    }
    let dir = overlay::overlay_dir(&course.root, "verify");
    let all: Vec<String> = course.exercises.iter().map(|e| e.name.clone()).collect();

    eprintln!("grading the reference solutions ...");
    let root = course.root.clone();
    let sol = overlay::build(&dir, &course, &|e| root.join(&e.solution_dir))?;
    let solutions = grade_overlay(&sol.root, &all, &opts)?;
    eprintln!("grading the stubs ...");
    let stub = overlay::build(&dir, &course, &|e| root.join(&e.dir).join("src"))?;
    let stubs = grade_overlay(&stub.root, &all, &opts)?;

    for (s, t) in solutions.exercises.iter().zip(&stubs.exercises) {
        let e = course
            .exercise(&s.name)
            .expect("graded exercises come from the course");
        let mut notes = Vec::new();
        for d in &s.diagnostics {
            notes.push(format!("the solution does not compile: {}", d.message));
        }
        for test in s.tests.iter().filter(|t| t.status != TestStatus::Passed) {
            notes.push(format!(
                "the solution fails {} ({}): {}",
                test.name,
                test.status.as_str(),
                test.message.lines().next().unwrap_or_default()
            ));
        }
        if s.tests.is_empty() && s.diagnostics.is_empty() {
            notes.push("no tests were found".into());
        }
        let names: BTreeSet<&str> = s.tests.iter().map(|t| t.name.as_str()).collect();
        for w in e.weights.keys() {
            if !names.contains(w.as_str()) {
                notes.push(format!(
                    "grader.toml gives a weight to `{w}`, which is not a test of this exercise"
                ));
            }
        }
        for d in &t.diagnostics {
            notes.push(format!("the stub does not compile: {}", d.message));
        }
        let teaching = t.tests.iter().any(|x| {
            x.status == TestStatus::Failed
                && (x.message.contains("measured") || x.comparison.is_some())
        });
        if t.diagnostics.is_empty() && !teaching {
            notes.push(
                "the stub fails no test with a measured-versus-budget message or a diff".into(),
            );
        }
        if t.points > 0.0 {
            let free: Vec<&str> = t
                .tests
                .iter()
                .filter(|x| x.points > 0.0)
                .map(|x| x.name.as_str())
                .collect();
            notes.push(format!(
                "the stub earns {} of {} points (give weight 0 to: {})",
                t.points,
                t.max_points,
                free.join(", ")
            ));
        }
        let passed_sol = s
            .tests
            .iter()
            .filter(|t| t.status == TestStatus::Passed)
            .count();
        let failed_stub: Vec<&str> = t
            .tests
            .iter()
            .filter(|x| x.status != TestStatus::Passed)
            .map(|x| x.name.as_str())
            .collect();
        let mark = if notes.is_empty() {
            "✓".green()
        } else {
            "✗".red()
        };
        outln!(
            "{mark} {:<22} solution {}/{} passed · stub fails {} ({}) and earns {}/{}",
            s.name.bold(),
            passed_sol,
            s.tests.len(),
            failed_stub.len(),
            failed_stub.join(", ").dimmed(),
            t.points,
            t.max_points
        );
        for n in &notes {
            outln!("    {n}");
        }
        problems.extend(notes.into_iter().map(|n| format!("{}: {n}", s.name)));
    }
    outln!();
    if problems.is_empty() {
        outln!(
            "{} {} exercises: every solution passes, every stub fails and earns nothing",
            "verified:".green().bold(),
            course.exercises.len()
        );
        Ok(EXIT_OK)
    } else {
        outln!(
            "{} {} problem(s):",
            "verify failed:".red().bold(),
            problems.len()
        );
        for p in &problems {
            outln!("  - {p}");
        }
        Ok(EXIT_FAILED)
    }
}

fn grade_overlay(root: &std::path::Path, names: &[String], opts: &Options) -> Result<Grade> {
    let course = Course::load(root)?;
    let planned: Vec<_> = course
        .exercises
        .iter()
        .filter(|e| names.contains(&e.name))
        .collect();
    let tree = BuildTree {
        root: root.to_path_buf(),
        overlay: true,
    };
    engine::grade(&course, &planned, &tree, opts, &mut |_| {})
}

/// Disagreements between grader.toml, the folders and the lock file.
pub fn folder_problems(course: &Course) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let registered: BTreeSet<String> = course
        .exercises
        .iter()
        .map(|e| e.dir.to_string_lossy().into_owned())
        .collect();
    if let Ok(entries) = std::fs::read_dir(course.root.join("exercises")) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                let rel = format!("exercises/{}", entry.file_name().to_string_lossy());
                if !registered.contains(&rel) {
                    problems.push(format!("{rel} is not registered in grader.toml"));
                }
            }
        }
    }
    for e in &course.exercises {
        if !course.root.join(&e.solution_dir).is_dir() {
            problems.push(format!(
                "{}: no reference solution at {}",
                e.name,
                e.solution_dir.display()
            ));
        }
    }
    match Lock::load(&course.root)? {
        None => problems.push(format!(
            "no {LOCK_FILE}: run `memgrade seal` so forks can be checked for tampering"
        )),
        Some(lock) => {
            let now = Lock::compute(course)?;
            if lock != now {
                let mut stale: Vec<String> = now
                    .files
                    .iter()
                    .filter(|(p, h)| lock.files.get(*p) != Some(h))
                    .map(|(p, _)| p.clone())
                    .chain(
                        now.stubs
                            .iter()
                            .filter(|(p, c)| lock.stubs.get(*p) != Some(c))
                            .map(|(p, _)| p.clone()),
                    )
                    .chain(
                        lock.files
                            .keys()
                            .filter(|p| !now.files.contains_key(*p))
                            .cloned(),
                    )
                    .collect();
                stale.sort();
                stale.dedup();
                problems.push(format!(
                    "{LOCK_FILE} is out of date ({}): run `memgrade seal`",
                    stale.join(", ")
                ));
            }
        }
    }
    Ok(problems)
}
