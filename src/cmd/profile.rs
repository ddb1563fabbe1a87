//! `memgrade profile <exercise> [test]`: where a test's measured call
//! allocated, for any test, passing or not: the student's lines with their
//! allocation counts and bytes (like `tracemalloc`'s statistics by line) and
//! the live heap bytes over the call as a chart. The same re-run
//! ([`record_sites`]) adds this to a local check's memory failures.
//!
//! A re-run is one more run of the test's binary with `MEMPROBE_SITES`
//! naming a file: memprobe then records a backtrace per allocation inside
//! the test's windows and writes the last window's sites there (see
//! memprobe's `sites` module). Grading runs never set it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use colored::Colorize;

use crate::course::select::named_or_here;
use crate::course::{Course, Exercise};
use crate::exit::{EXIT_OK, UsageError};
use crate::pipeline::compile::{self, Crate, TestBinary};
use crate::pipeline::grade::{
    ExerciseStatus, Grade, Outside, Site, SiteKind, Sites, TestGrade, TestStatus,
};
use crate::process::child::{RunLimits, run_limited};
use crate::process::launch::Launcher;
use crate::report::sites::{chart, table};
use crate::report::terminal::is_memory_failure;

/// The variable memprobe reads (its `sites::SITES_VAR`).
const SITES_VAR: &str = "MEMPROBE_SITES";
/// Memory tests re-run per exercise after a check.
pub const RERUNS_PER_EXERCISE: usize = 4;

/// Prints the sites of `test` of the exercise (every test when none is
/// named).
pub fn run(root: Option<&Path>, exercise: Option<&str>, test: Option<&str>) -> Result<i32> {
    let course = Course::discover_and_load(root)?;
    let exercise = named_or_here(&course, exercise, "profile")?;
    let binaries = build(&course, exercise)?;
    let tests = list(&course, exercise, &binaries)?;
    let chosen: Vec<&(String, String)> = match test {
        None => tests.iter().collect(),
        Some(q) => {
            let exact: Vec<_> = tests.iter().filter(|(_, t)| t == q).collect();
            let found = if exact.is_empty() {
                tests.iter().filter(|(_, t)| t.contains(q)).collect()
            } else {
                exact
            };
            if found.len() != 1 {
                let names: Vec<&str> = tests.iter().map(|(_, t)| t.as_str()).collect();
                return Err(UsageError(format!(
                    "{}: `{q}` {} (tests: {})",
                    exercise.name,
                    if found.is_empty() {
                        "names no test"
                    } else {
                        "names more than one test"
                    },
                    names.join(", ")
                ))
                .into());
            }
            found
        }
    };
    for (suite, test) in chosen {
        outln!(
            "{} {}",
            format!("{}::{test}", exercise.name).bold(),
            format!("({suite}.rs): its last measured call").dimmed()
        );
        match record_sites(&course, exercise, &binaries, suite, test)? {
            Some(sites) => {
                out!("{}", indent(&table(&sites)));
                let calls = sites.allocs + sites.reallocs + sites.deallocs;
                out!("{}", indent(&chart(&sites.series, calls, None)));
            }
            None => outln!("  no measured call: the test opens no memprobe window"),
        }
        outln!();
    }
    Ok(EXIT_OK)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Builds the exercise's tests (a no-op after a check) and returns its test
/// binaries.
fn build(course: &Course, exercise: &Exercise) -> Result<Vec<TestBinary>> {
    let c = Crate {
        name: exercise.name.clone(),
        dir: course.root.join(&exercise.dir),
        rel_dir: exercise.dir.clone(),
        limits: exercise.limits,
    };
    let built = compile::compile(&course.root, &[c], 2, false, &Launcher::Caller)?;
    let build = built.get(&exercise.name).cloned().unwrap_or_default();
    if let Some(e) = build.errors.first() {
        return Err(UsageError(format!(
            "{} does not compile (`memgrade check {}` shows why): {}",
            exercise.name, exercise.name, e.message
        ))
        .into());
    }
    Ok(build.binaries)
}

/// The exercise's tests as (suite, name).
fn list(
    course: &Course,
    exercise: &Exercise,
    binaries: &[TestBinary],
) -> Result<Vec<(String, String)>> {
    let mut tests = Vec::new();
    for b in binaries {
        let private = tempfile::tempdir()?;
        let mut cmd = Launcher::Caller.test(
            &b.path,
            &course.root.join(&exercise.dir),
            &[],
            private.path(),
            None,
        );
        cmd.args(["--list", "--format", "terse"]);
        let out = run_limited(cmd, limits(exercise))?;
        tests.extend(
            crate::pipeline::libtest::parse_list(&out.stdout.text())
                .into_iter()
                .map(|t| (b.suite.clone(), t)),
        );
    }
    Ok(tests)
}

/// A re-run's limits: the exercise's, with room for the backtraces and
/// their resolution.
fn limits(exercise: &Exercise) -> RunLimits {
    RunLimits {
        time: exercise.limits.time * 2 + Duration::from_secs(60),
        memory_bytes: Some((exercise.limits.memory_mb + 2048) << 20),
        output_cap: 1 << 20,
        file_bytes: Some((exercise.limits.file_mb + 64) << 20),
        no_child_processes: true,
    }
}

/// Runs `test` once more with sites recorded; `None` when it opened no
/// window.
pub fn record_sites(
    course: &Course,
    exercise: &Exercise,
    binaries: &[TestBinary],
    suite: &str,
    test: &str,
) -> Result<Option<Sites>> {
    let binary = binaries
        .iter()
        .find(|b| b.suite == suite)
        .with_context(|| format!("{}: no test binary `{suite}`", exercise.name))?;
    let private = tempfile::tempdir()?;
    let file = private.path().join("sites.txt");
    let cwd = course.root.join(&exercise.dir);
    let mut cmd = Launcher::Caller.test(&binary.path, &cwd, &[], private.path(), None);
    cmd.arg("--exact")
        .arg(test)
        .args(["--test-threads=1", "--color=never"])
        .env(SITES_VAR, &file);
    crate::process::limits::stack_env(&mut cmd, exercise.limits.stack_kb);
    run_limited(cmd, limits(exercise))?;
    let Ok(block) = std::fs::read_to_string(&file) else {
        return Ok(None);
    };
    Ok(parse(&block, &course.root, &exercise.dir, &cwd))
}

/// Re-runs the failing memory tests of the exercises a check shows in
/// detail and attaches their sites, at most `per_exercise` tests each.
/// `focused`: only the first exercise not passed is shown; otherwise at
/// most three exercises are (more would make a full check wait).
pub fn attach_sites(course: &Course, grade: &mut Grade, focused: bool, per_exercise: usize) {
    let shown: Vec<usize> = if focused {
        grade
            .exercises
            .iter()
            .position(|e| e.status != ExerciseStatus::Passed)
            .into_iter()
            .collect()
    } else if grade.exercises.len() <= 3 {
        (0..grade.exercises.len()).collect()
    } else {
        Vec::new()
    };
    for i in shown {
        let e = &mut grade.exercises[i];
        let Some(exercise) = course.exercise(&e.name) else {
            continue;
        };
        let failing: Vec<&mut TestGrade> = e
            .tests
            .iter_mut()
            .filter(|t| t.status == TestStatus::Failed && is_memory_failure(&t.message))
            .take(per_exercise)
            .collect();
        if failing.is_empty() || !e.diagnostics.is_empty() {
            continue;
        }
        let Ok(binaries) = build(course, exercise) else {
            continue;
        };
        // The re-runs side by side (each is one process); a re-run that
        // fails leaves its failure as it was.
        std::thread::scope(|scope| {
            for t in failing {
                let binaries = &binaries;
                scope.spawn(move || {
                    if let Ok(Some(sites)) =
                        record_sites(course, exercise, binaries, &t.suite, &t.name)
                    {
                        t.sites = Some(sites);
                    }
                });
            }
        });
    }
}

/// Reads memprobe's block (see its `sites` module): the window's counts,
/// the live-bytes series, and each site folded to its innermost frame in
/// the exercise's `src/` (frames are relative to the test's directory
/// `cwd`, or absolute). Paths are shown relative to the course `root`.
fn parse(block: &str, root: &Path, dir: &Path, cwd: &Path) -> Option<Sites> {
    let mut lines = block.lines();
    if lines.next()? != "memprobe-sites 1" {
        return None;
    }
    let numbers = |l: &str, head: &str| -> Option<Vec<i64>> {
        l.strip_prefix(head)?
            .split_whitespace()
            .map(|n| n.parse().ok())
            .collect()
    };
    let window = numbers(lines.next()?, "window")?;
    let series = numbers(lines.next()?, "series")?;
    let [allocs, reallocs, deallocs, _events, attributed] = window[..] else {
        return None;
    };
    let mut by_line: BTreeMap<(PathBuf, u32, SiteKind), (u64, u64)> = BTreeMap::new();
    let mut outside = Outside::default();
    while let Some(head) = lines.next() {
        let mut words = head.strip_prefix("site ")?.split_whitespace();
        let kind = match words.next()? {
            "alloc" => SiteKind::Alloc,
            "realloc" => SiteKind::Realloc,
            _ => return None,
        };
        let count: u64 = words.next()?.parse().ok()?;
        let bytes: u64 = words.next()?.parse().ok()?;
        let mut yours = None;
        for l in lines.by_ref() {
            if l == "end" {
                break;
            }
            let Some(at) = l.strip_prefix("at ") else {
                continue;
            };
            if yours.is_none() {
                yours = student_frame(at, cwd);
            }
        }
        match yours {
            Some((file, line)) => {
                let entry = by_line.entry((file, line, kind)).or_default();
                entry.0 += count;
                entry.1 += bytes;
            }
            None => {
                outside.count += count;
                outside.bytes += bytes;
            }
        }
    }
    let mut sources = BTreeMap::new();
    let mut sites: Vec<Site> = by_line
        .into_iter()
        .map(|((file, line, kind), (count, bytes))| Site {
            code: source_line(&mut sources, &root.join(dir).join(&file), line),
            file: dir.join(&file).to_string_lossy().into_owned(),
            line,
            kind,
            count,
            bytes,
        })
        .collect();
    sites.sort_by(|a, b| {
        (b.bytes, b.count)
            .cmp(&(a.bytes, a.count))
            .then(a.line.cmp(&b.line))
    });
    Some(Sites {
        lines: sites,
        outside,
        allocs: allocs as u64,
        reallocs: reallocs as u64,
        deallocs: deallocs as u64,
        attributed: attributed as u64,
        series,
    })
}

/// A frame `file:line` in the exercise's `src/`, as (path relative to the
/// exercise, line).
fn student_frame(at: &str, cwd: &Path) -> Option<(PathBuf, u32)> {
    let (file, line) = at.rsplit_once(':')?;
    let line = line.parse().ok()?;
    let path = Path::new(file);
    let rel = match path.strip_prefix(cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) if path.is_relative() => path
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect(),
        Err(_) => return None,
    };
    rel.starts_with("src").then_some((rel, line))
}

/// Line `line` of `file`, trimmed (empty when unreadable).
fn source_line(cache: &mut BTreeMap<PathBuf, Vec<String>>, file: &Path, line: u32) -> String {
    let lines = cache.entry(file.to_path_buf()).or_insert_with(|| {
        std::fs::read_to_string(file)
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default()
    });
    lines
        .get((line as usize).wrapping_sub(1))
        .map(|l| l.trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "memprobe-sites 1\n\
        window 4 2 1 7 6\n\
        series 0 1 9 8 24 40 56 48\n\
        site alloc 3 3\n\
        at ./src/lib.rs:10\n\
        at ./tests/memory.rs:73\n\
        end\n\
        site alloc 1 8\n\
        at /course/exercises/01_a/src/lib.rs:11\n\
        at ./tests/memory.rs:73\n\
        end\n\
        site realloc 2 48\n\
        at ./src/lib.rs:11\n\
        end\n\
        site alloc 1 16\n\
        at ./tests/memory.rs:70\n\
        end\n";

    #[test]
    fn sites_fold_to_the_students_lines_largest_first() {
        let dir = tempfile::tempdir().unwrap();
        let ex = dir.path().join("exercises/01_a/src");
        std::fs::create_dir_all(&ex).unwrap();
        let src: String = (1..=12).map(|i| format!("line {i}\n")).collect();
        std::fs::write(ex.join("lib.rs"), src).unwrap();
        let sites = parse(
            BLOCK,
            dir.path(),
            Path::new("exercises/01_a"),
            Path::new("/course/exercises/01_a"),
        )
        .unwrap();
        let got: Vec<(String, u32, SiteKind, u64, u64, &str)> = sites
            .lines
            .iter()
            .map(|s| {
                (
                    s.file.clone(),
                    s.line,
                    s.kind,
                    s.count,
                    s.bytes,
                    s.code.as_str(),
                )
            })
            .collect();
        let file = "exercises/01_a/src/lib.rs".to_string();
        assert_eq!(
            got,
            [
                (file.clone(), 11, SiteKind::Realloc, 2, 48, "line 11"),
                (file.clone(), 11, SiteKind::Alloc, 1, 8, "line 11"),
                (file, 10, SiteKind::Alloc, 3, 3, "line 10"),
            ]
        );
        assert_eq!(
            sites.outside,
            Outside {
                count: 1,
                bytes: 16
            }
        );
        assert_eq!((sites.allocs, sites.reallocs, sites.deallocs), (4, 2, 1));
        assert_eq!(sites.series, [0, 1, 9, 8, 24, 40, 56, 48]);
    }

    #[test]
    fn a_block_of_another_kind_is_refused() {
        let root = Path::new("/c");
        let dir = Path::new("exercises/01_a");
        assert_eq!(parse("something else\n", root, dir, root), None);
        assert_eq!(
            parse("memprobe-sites 1\nwindow 1 2\nseries 0\n", root, dir, root),
            None
        );
    }
}
