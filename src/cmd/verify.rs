//! `memgrade verify`, for course authors: every solution passes every test,
//! every stub fails at least one test with a teaching message and earns no
//! points, every mutant earns less than full points and every alternative
//! full points (see [`crate::author::variants`]), every exercise has a gate of
//! behaviour tests, and grader.toml, the folders and the lock file agree.
//!
//! In a copy of the course without `solutions/` (the student template),
//! there is nothing to prove about solutions or their variants: it checks the
//! stubs as `memgrade.lock` recorded them (not the student's working files,
//! which are meant to change), that the graded files (tests, manifests,
//! grader.toml, memprobe) match the lock, and the folders, and says that
//! solutions were not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;
use colored::Colorize;

use crate::author::variants::{self, Kind, Variant};
use crate::author::{markers, overlay};
use crate::course::seal::{LOCK_FILE, Lock};
use crate::course::{Course, Exercise, SOLUTIONS_DIR};
use crate::exit::{EXIT_FAILED, EXIT_OK};
use crate::pipeline::engine::{self, BuildTree, Options};
use crate::pipeline::grade::{ExerciseGrade, ExerciseStatus, Grade, TestGrade, TestStatus};
use crate::report::fmt_points;

/// Checks the course; returns 0 when everything holds, 1 otherwise. With
/// `quiet`, only exercises with a problem are printed.
pub fn run(root: Option<&Path>, jobs: Option<usize>, quiet: bool) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    crate::process::child::install_interrupt_handler();
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
    let graded = Graded::grade(&course, &opts)?;
    for (i, stub) in graded.stubs.exercises.iter().enumerate() {
        let notes = exercise_report(&course, &graded, i, stub, quiet)?;
        problems.extend(notes.into_iter().map(|n| format!("{}: {n}", stub.name)));
    }
    Ok(summary(&course, with_solutions, &problems))
}

/// Everything verify grades: the solutions (when this copy has them), the
/// stubs, and each exercise's mutants and alternatives.
struct Graded {
    with_solutions: bool,
    solutions: Option<Grade>,
    stubs: Grade,
    variants: Vec<Vec<Variant>>,
    variant_grades: Vec<Vec<Option<ExerciseGrade>>>,
}

impl Graded {
    fn grade(course: &Course, opts: &Options) -> Result<Graded> {
        let with_solutions = course.has_solutions();
        let dir = overlay::overlay_dir(&course.root, "verify");
        let all: Vec<String> = course.exercises.iter().map(|e| e.name.clone()).collect();
        let root = &course.root;
        let solutions = if with_solutions {
            eprintln!("grading the reference solutions ...");
            let sol = overlay::build(&dir, course, &|e| root.join(&e.solution_dir))?;
            Some(grade_overlay(&sol.root, &all, opts)?)
        } else {
            eprintln!("no {SOLUTIONS_DIR}/ in this copy of the course: solutions are not checked");
            None
        };
        let stubs = if with_solutions {
            eprintln!("grading the stubs ...");
            let stub = overlay::build(&dir, course, &|e| root.join(&e.dir).join("src"))?;
            grade_overlay(&stub.root, &all, opts)?
        } else {
            eprintln!("grading the stubs as {LOCK_FILE} recorded them ...");
            let shipped = shipped_stubs(course)?;
            let stub = overlay::build(&dir, course, &|e| shipped.join(&e.dir).join("src"))?;
            grade_overlay(&stub.root, &all, opts)?
        };
        let variants = if with_solutions {
            course
                .exercises
                .iter()
                .map(|e| variants::list(&course.root, e))
                .collect::<Result<Vec<_>>>()?
        } else {
            vec![Vec::new(); course.exercises.len()]
        };
        let variant_grades = grade_variants(course, &dir, &variants, opts)?;
        Ok(Graded {
            with_solutions,
            solutions,
            stubs,
            variants,
            variant_grades,
        })
    }
}

/// Prints exercise `i`'s verify lines; returns its problems.
fn exercise_report(
    course: &Course,
    graded: &Graded,
    i: usize,
    stub: &ExerciseGrade,
    quiet: bool,
) -> Result<Vec<String>> {
    let e = course
        .exercise(&stub.name)
        .expect("graded exercises come from the course");
    let s = graded.solutions.as_ref().map(|g| &g.exercises[i]);
    let mut notes = s.map(|s| solution_notes(e, s)).unwrap_or_default();
    // The gate is checked against the tests that ran: the solution's, or
    // (without solutions) the stub's.
    let ran = s.unwrap_or(stub);
    if ran.diagnostics.is_empty() {
        let names: BTreeSet<&str> = ran.tests.iter().map(|t| t.name.as_str()).collect();
        notes.extend(gate_problems(e, &names));
    }
    notes.extend(stub_notes(stub));
    let mut lines = Vec::new();
    if graded.with_solutions {
        let stub_files = variants::src_files(&course.root.join(&e.dir).join("src"))?;
        for (v, g) in graded.variants[i].iter().zip(&graded.variant_grades[i]) {
            let (line, problem) = judge_variant(v, g.as_ref());
            lines.push((problem.is_none(), line));
            notes.extend(problem);
            notes.extend(variants::files_problem(&course.root, v, &stub_files)?);
        }
        notes.extend(variants::count_problem(e, &graded.variants[i]));
    }
    if !quiet || !notes.is_empty() {
        outln!("{}", headline(stub, s, notes.is_empty()));
    }
    for (ok, line) in &lines {
        if !quiet || !ok {
            let mark = if *ok { "✓".green() } else { "✗".red() };
            outln!("    {mark} {line}");
        }
    }
    for n in &notes {
        outln!("    {n}");
    }
    Ok(notes)
}

/// An exercise's first verify line: its mark, the solution's tests and
/// what the stub fails and earns.
fn headline(stub: &ExerciseGrade, solution: Option<&ExerciseGrade>, ok: bool) -> String {
    let failed_stub: Vec<&str> = stub
        .tests
        .iter()
        .filter(|x| x.status != TestStatus::Passed)
        .map(|x| x.name.as_str())
        .collect();
    let mark = if ok { "✓".green() } else { "✗".red() };
    let solution = match solution {
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
    format!(
        "{mark} {:<22} {solution} · stub fails {} ({}) and earns {}/{}",
        stub.name.bold(),
        failed_stub.len(),
        failed_stub.join(", ").dimmed(),
        stub.points,
        stub.max_points
    )
}

/// Prints the closing lines; returns verify's exit code.
fn summary(course: &Course, with_solutions: bool, problems: &[String]) -> i32 {
    outln!();
    if !problems.is_empty() {
        outln!(
            "{} {} problem(s):",
            "verify failed:".red().bold(),
            problems.len()
        );
        for p in problems {
            outln!("  - {p}");
        }
        return EXIT_FAILED;
    }
    if with_solutions {
        outln!(
            "{} {} exercises: every solution and alternative passes, every stub fails and earns nothing, every mutant is caught",
            "verified:".green().bold(),
            course.exercises.len()
        );
    } else {
        outln!(
            "{} {} exercises: every stub as shipped compiles, fails and earns nothing, and the graded files match {LOCK_FILE} (this copy has no {SOLUTIONS_DIR}/: solutions were not checked)",
            "verified:".green().bold(),
            course.exercises.len()
        );
    }
    EXIT_OK
}

/// What is wrong with an exercise's reference solution.
fn solution_notes(
    e: &crate::course::Exercise,
    s: &crate::pipeline::grade::ExerciseGrade,
) -> Vec<String> {
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
fn stub_notes(t: &crate::pipeline::grade::ExerciseGrade) -> Vec<String> {
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
            "the stub earns {} of {} points for {} (put the tests the stub passes in the gate)",
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
    let lock = crate::course::stub::load_lock(course)?;
    let dest = overlay::overlay_dir(&course.root, "verify-stubs");
    if dest.exists() {
        fs_err::remove_dir_all(&dest)?;
    }
    for (path, text) in &lock.stubs {
        let to = dest.join(path);
        if let Some(parent) = to.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&to, text)?;
    }
    Ok(dest)
}

/// What grader.toml's gate and weights get wrong for an exercise whose
/// tests are `tests`.
fn gate_problems(e: &Exercise, tests: &BTreeSet<&str>) -> Vec<String> {
    let mut notes = Vec::new();
    if e.gate.is_empty() {
        notes.push(
            "no gate: name its behaviour tests in grader.toml (`gate = [\"test\", ...]`), so wrong results earn no points".into(),
        );
    }
    for g in &e.gate {
        if !tests.contains(g.as_str()) {
            notes.push(format!(
                "grader.toml's gate names `{g}`, which is not a test of this exercise"
            ));
        }
    }
    for (w, v) in &e.weights {
        if *v == 0.0 && !e.in_gate(w) {
            notes.push(format!(
                "`{w}` weighs 0 but is not in the gate: give it a weight or put it in the gate"
            ));
        }
    }
    notes
}

/// Grades every mutant and alternative in rounds: round k builds one overlay
/// in `dir` (the verify overlay, so cargo rebuilds only the sources that
/// changed) with each exercise's `src/` taken from its k-th variant, and
/// grades the exercises that have one with one cargo invocation. A variant
/// whose `src/lib.rs` cannot be read is not graded (`None`).
fn grade_variants(
    course: &Course,
    dir: &std::path::Path,
    variants: &[Vec<Variant>],
    opts: &Options,
) -> Result<Vec<Vec<Option<ExerciseGrade>>>> {
    let gradable: Vec<Vec<usize>> = variants
        .iter()
        .map(|vs| (0..vs.len()).filter(|&j| vs[j].about.is_ok()).collect())
        .collect();
    let mut out: Vec<Vec<Option<ExerciseGrade>>> =
        variants.iter().map(|vs| vec![None; vs.len()]).collect();
    let rounds = gradable.iter().map(Vec::len).max().unwrap_or(0);
    for k in 0..rounds {
        let picks: BTreeMap<&str, (usize, usize)> = course
            .exercises
            .iter()
            .enumerate()
            .filter_map(|(i, e)| gradable[i].get(k).map(|&j| (e.name.as_str(), (i, j))))
            .collect();
        eprintln!(
            "grading mutants and alternatives, round {}/{rounds} ({} exercise(s)) ...",
            k + 1,
            picks.len()
        );
        let ov = overlay::build(dir, course, &|e| match picks.get(e.name.as_str()) {
            Some(&(i, j)) => course.root.join(&variants[i][j].src),
            None => course.root.join(&e.solution_dir),
        })?;
        let names: Vec<String> = picks.keys().map(|n| n.to_string()).collect();
        let graded = grade_overlay(&ov.root, &names, opts)?;
        for g in graded.exercises {
            if let Some(&(i, j)) = picks.get(g.name.as_str()) {
                out[i][j] = Some(g);
            }
        }
    }
    Ok(out)
}

/// The verify line for one variant, and its problem when it does not do
/// what its kind promises.
fn judge_variant(v: &Variant, g: Option<&ExerciseGrade>) -> (String, Option<String>) {
    let name = format!("{} {}", v.kind.word(), v.slug);
    let (g, about) = match (g, &v.about) {
        (Some(g), Ok(about)) => (g, about),
        (_, Err(why)) => {
            return (
                format!("{name}: not graded"),
                Some(format!("{name}: {why}")),
            );
        }
        (None, Ok(_)) => {
            return (
                format!("{name}: not graded"),
                Some(format!("{name} was not graded")),
            );
        }
    };
    let score = format!("{}/{}", fmt_points(g.points), fmt_points(g.max_points));
    if let Some(d) = g.diagnostics.first() {
        return (
            format!("{name}: does not compile"),
            Some(format!(
                "{name} does not compile ({}): a stale {}? Make it compile against the exercise as it is now, so the tests and not the compiler judge it",
                d.message,
                v.kind.word()
            )),
        );
    }
    let failing: Vec<&TestGrade> = g
        .tests
        .iter()
        .filter(|t| t.status != TestStatus::Passed)
        .collect();
    let full = g.status == ExerciseStatus::Passed && g.points >= g.max_points;
    match v.kind {
        Kind::Mutant if !full => {
            let caught: Vec<&str> = failing.iter().map(|t| t.name.as_str()).collect();
            (
                format!("{name}: {score}, caught by {}", caught.join(", ")),
                None,
            )
        }
        Kind::Mutant => (
            format!("{name}: {score}, caught by no test"),
            Some(format!(
                "{name} earns full points ({score}): no test catches \"{about}\""
            )),
        ),
        Kind::Alternative if full => (format!("{name}: {score}"), None),
        Kind::Alternative => {
            let fails: Vec<String> = failing
                .iter()
                .map(|t| format!("{} ({})", t.name, first_line(&t.message)))
                .collect();
            (
                format!("{name}: {score}, fails {}", fails.join(", ")),
                Some(format!(
                    "{name} (\"{about}\") earns {score}, not full points: it fails {}",
                    fails.join("; ")
                )),
            )
        }
    }
}

/// The first non-blank line of a message, or `no message`.
fn first_line(message: &str) -> &str {
    message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message")
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
        launcher: Default::default(),
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
    let exercises = course.root.join("exercises");
    for entry in crate::fsutil::walk(&exercises, &[])
        .max_depth(1)
        .into_iter()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        let rel = format!("exercises/{}", entry.file_name().to_string_lossy());
        if !registered.contains(&rel) {
            problems.push(format!("{rel} is not registered in grader.toml"));
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
    problems.extend(markers::problems(course, with_solutions)?);
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;

    use crate::author::variants::tests::registry_entry as exercise;

    #[test]
    fn gate_problems_name_the_missing_gate_unknown_tests_and_unweighted_tests() {
        let tests: BTreeSet<&str> = ["joins", "one_alloc", "behaves"].into_iter().collect();
        let ok = exercise(&["joins"], &[("one_alloc", 2.0)]);
        assert!(gate_problems(&ok, &tests).is_empty());
        let p = gate_problems(&exercise(&[], &[]), &tests);
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("no gate: name its behaviour tests"),
            "{p:?}"
        );
        let p = gate_problems(&exercise(&["joins", "gone"], &[("behaves", 0.0)]), &tests);
        assert_eq!(
            p,
            vec![
                "grader.toml's gate names `gone`, which is not a test of this exercise",
                "`behaves` weighs 0 but is not in the gate: give it a weight or put it in the gate",
            ]
        );
    }

    fn variant(kind: Kind) -> Variant {
        Variant {
            kind,
            slug: "v".into(),
            src: "solutions/x/mutants/v/src".into(),
            about: Ok("the idea".into()),
        }
    }

    fn graded(statuses: &[(&str, TestStatus, f64)]) -> ExerciseGrade {
        let tests = statuses
            .iter()
            .map(|(n, s, w)| fixture::test(n, *s, *w))
            .collect();
        let mut e = fixture::exercise("x", "footprint", 10.0, tests);
        e.settle();
        e
    }

    #[test]
    fn a_mutant_must_lose_points_and_an_alternative_must_not() {
        let caught = graded(&[
            ("a", TestStatus::Failed, 1.0),
            ("b", TestStatus::Passed, 1.0),
        ]);
        let full = graded(&[("a", TestStatus::Passed, 1.0)]);
        let (line, problem) = judge_variant(&variant(Kind::Mutant), Some(&caught));
        assert_eq!(
            (line.as_str(), problem),
            ("mutant v: 5/10, caught by a", None)
        );
        let (line, problem) = judge_variant(&variant(Kind::Mutant), Some(&full));
        assert_eq!(line, "mutant v: 10/10, caught by no test");
        assert_eq!(
            problem.as_deref(),
            Some("mutant v earns full points (10/10): no test catches \"the idea\"")
        );
        let (_, problem) = judge_variant(&variant(Kind::Alternative), Some(&full));
        assert_eq!(problem, None);
        let (_, problem) = judge_variant(&variant(Kind::Alternative), Some(&caught));
        assert_eq!(
            problem.as_deref(),
            Some(
                "alternative v (\"the idea\") earns 5/10, not full points: it fails a (no message)"
            )
        );
        let mut broken = full.clone();
        broken.diagnostics.push(crate::pipeline::grade::Diagnostic {
            message: "mismatched types".into(),
            rendered: String::new(),
            location: None,
        });
        let (_, problem) = judge_variant(&variant(Kind::Mutant), Some(&broken));
        assert!(
            problem
                .unwrap()
                .starts_with("mutant v does not compile (mismatched types)")
        );
        let mut unreadable = variant(Kind::Mutant);
        unreadable.about = Err("its src/lib.rs must start with `//! Mutant: <the mistake>`".into());
        let (line, problem) = judge_variant(&unreadable, None);
        assert_eq!(line, "mutant v: not graded");
        assert!(problem.unwrap().contains("must start with"));
    }
}
