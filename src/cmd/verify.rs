//! `memgrade verify`, for course authors: every solution passes every test,
//! every stub fails at least one test with a teaching message and earns no
//! points, and grader.toml, the folders and the lock file agree.
//!
//! In a copy of the course without `solutions/` (the student template),
//! there is nothing to prove about solutions: it checks the stubs as
//! `memgrade.lock` recorded them (not the student's working files, which are
//! meant to change), that the graded files (tests, manifests, grader.toml,
//! memprobe) match the lock, and the folders, and says that solutions were
//! not checked.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use colored::Colorize;

use crate::course::{Course, SOLUTIONS_DIR};
use crate::engine::{self, BuildTree, Options};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::grade::{Grade, TestStatus};
use crate::overlay;
use crate::seal::{LOCK_FILE, Lock};

/// Checks the course; returns 0 when everything holds, 1 otherwise.
pub fn run(root: Option<&Path>, jobs: Option<usize>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    crate::run::install_interrupt_handler();
    let with_solutions = course.has_solutions();
    let mut problems = folder_problems(&course, with_solutions)?;

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

    let root = course.root.clone();
    let solutions = if with_solutions {
        eprintln!("grading the reference solutions ...");
        let sol = overlay::build(&dir, &course, &|e| root.join(&e.solution_dir))?;
        Some(grade_overlay(&sol.root, &all, &opts)?)
    } else {
        eprintln!("no {SOLUTIONS_DIR}/ in this copy of the course: solutions are not checked");
        None
    };
    let stubs = if with_solutions {
        eprintln!("grading the stubs ...");
        let stub = overlay::build(&dir, &course, &|e| root.join(&e.dir).join("src"))?;
        grade_overlay(&stub.root, &all, &opts)?
    } else {
        eprintln!("grading the stubs as {LOCK_FILE} recorded them ...");
        let shipped = shipped_stubs(&course)?;
        let stub = overlay::build(&dir, &course, &|e| shipped.join(&e.dir).join("src"))?;
        grade_overlay(&stub.root, &all, &opts)?
    };

    for (i, t) in stubs.exercises.iter().enumerate() {
        let e = course
            .exercise(&t.name)
            .expect("graded exercises come from the course");
        let s = solutions.as_ref().map(|g| &g.exercises[i]);
        let mut notes = s.map(|s| solution_notes(e, s)).unwrap_or_default();
        notes.extend(stub_notes(t));
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
        let solution = match s {
            Some(s) => format!(
                "solution {}/{} passed",
                s.tests
                    .iter()
                    .filter(|t| t.status == TestStatus::Passed)
                    .count(),
                s.tests.len()
            ),
            None => "no solution here".to_string(),
        };
        println!(
            "{mark} {:<22} {solution} · stub fails {} ({}) and earns {}/{}",
            t.name.bold(),
            failed_stub.len(),
            failed_stub.join(", ").dimmed(),
            t.points,
            t.max_points
        );
        for n in &notes {
            println!("    {n}");
        }
        problems.extend(notes.into_iter().map(|n| format!("{}: {n}", t.name)));
    }
    println!();
    if !problems.is_empty() {
        println!(
            "{} {} problem(s):",
            "verify failed:".red().bold(),
            problems.len()
        );
        for p in &problems {
            println!("  - {p}");
        }
        return Ok(EXIT_FAILED);
    }
    if with_solutions {
        println!(
            "{} {} exercises: every solution passes, every stub fails and earns nothing",
            "verified:".green().bold(),
            course.exercises.len()
        );
    } else {
        println!(
            "{} {} exercises: every stub as shipped compiles, fails and earns nothing, and the graded files match {LOCK_FILE} (this copy has no {SOLUTIONS_DIR}/: solutions were not checked)",
            "verified:".green().bold(),
            course.exercises.len()
        );
    }
    Ok(EXIT_OK)
}

/// What is wrong with an exercise's reference solution.
fn solution_notes(e: &crate::course::Exercise, s: &crate::grade::ExerciseGrade) -> Vec<String> {
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
    notes
}

/// What is wrong with an exercise's stub: it must compile, fail a test with
/// a teaching message and earn nothing.
fn stub_notes(t: &crate::grade::ExerciseGrade) -> Vec<String> {
    let mut notes = Vec::new();
    for d in &t.diagnostics {
        notes.push(format!("the stub does not compile: {}", d.message));
    }
    let teaching = t.tests.iter().any(|x| {
        x.status == TestStatus::Failed && (x.message.contains("measured") || x.comparison.is_some())
    });
    if t.diagnostics.is_empty() && !teaching {
        notes.push("the stub fails no test with a measured-versus-budget message or a diff".into());
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
    notes
}

/// Writes the stubs recorded in the lock file under
/// `target/memgrade/verify-stubs/` and returns that directory (laid out like
/// the course: `exercises/<dir>/src/…`).
fn shipped_stubs(course: &Course) -> Result<std::path::PathBuf> {
    let lock = crate::stub::load_lock(course)?;
    let dest = overlay::overlay_dir(&course.root, "verify-stubs");
    if dest.exists() {
        std::fs::remove_dir_all(&dest)?;
    }
    for (path, text) in &lock.stubs {
        let to = dest.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&to, text)?;
    }
    Ok(dest)
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

/// Disagreements between grader.toml, the folders and the lock file. Without
/// solutions, missing solutions are expected and only the graded files (not
/// the stubs, which students edit) are compared with the lock.
pub fn folder_problems(course: &Course, with_solutions: bool) -> Result<Vec<String>> {
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
    for e in course.exercises.iter().filter(|_| with_solutions) {
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
            let mut now = Lock::compute(course)?;
            if !with_solutions {
                now.stubs.clone_from(&lock.stubs);
            }
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
                problems.push(if with_solutions {
                    format!(
                        "{LOCK_FILE} is out of date ({}): run `memgrade seal`",
                        stale.join(", ")
                    )
                } else {
                    format!(
                        "graded files differ from {LOCK_FILE} ({}): restore them as the course shipped them (e.g. `git checkout -- <file>`)",
                        stale.join(", ")
                    )
                });
            }
        }
    }
    Ok(problems)
}
