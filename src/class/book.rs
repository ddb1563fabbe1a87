//! The gradebook of a class as files: `gradebook.json` (the [`Book`]),
//! `gradebook.csv` (one line per student, one column per exercise, every
//! text cell safe to open in a spreadsheet), `summary.md` (for a job
//! summary, [`crate::class::summary`]), `class.html` (the class at a
//! glance, [`crate::class::page`]) and per student a JSON row and a
//! Markdown report in `students/<id>.json` and `.md`, all written atomically.
//! Shard results of `gradebook --partition K/N` are the same files; [`merge`]
//! combines them into the gradebook an unsharded run writes.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::class::cache::{Identity, Reference, identical_to};
use crate::exit::UsageError;
use crate::fsutil::atomic_write;
use crate::pipeline::grade::Grade;

/// The state of one student's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Graded (points may be 0).
    Graded,
    /// The roster row was refused (bad id or repository); nothing was run.
    Rejected,
    /// The fork could not be fetched or graded (the reason is in `error`).
    Error,
}

/// What grading one fork cost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// The whole row was reused from an earlier run (same commit, course,
    /// toolchain, sandbox and memgrade): nothing was fetched or graded.
    pub resumed: bool,
    /// Exercises built and run for this fork.
    pub graded: Vec<String>,
    /// Exercises whose result came from the class cache (same content
    /// graded before, for this fork or another).
    pub reused: Vec<String>,
    /// Exercises whose sources were refused (not built).
    pub refused: Vec<String>,
    /// Wall-clock time spent on this fork (fetch and grade).
    pub duration_ms: u64,
}

/// One student's line in the gradebook (also the per-student report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The roster line (or the position on the command line).
    pub line: usize,
    /// The student id (escaped when the row was rejected).
    pub student: String,
    /// The per-student report's name in `students/`, when there is one.
    pub file: Option<String>,
    /// The repository or directory, as given.
    pub repo: String,
    /// Graded, rejected or error.
    pub status: RowStatus,
    /// The commit graded (forks from a roster).
    pub commit: Option<String>,
    /// The commit's date as its author set it: reported, never trusted.
    pub commit_date: Option<String>,
    /// Which commit was taken: `deadline snapshot`, `before deadline`,
    /// `current HEAD` (no deadline) or `working tree` (a local checkout).
    pub taken: String,
    /// The deadline that applied to this student (`--deadline`, or their
    /// extension).
    #[serde(default)]
    pub deadline: Option<crate::class::deadline::Deadline>,
    /// How late the graded commit is: its snapshot taken after the
    /// deadline, its date (as the student's git set it) after the deadline.
    #[serde(default)]
    pub late: Option<String>,
    /// Points earned in all.
    pub score: f64,
    /// Points available.
    pub max_score: f64,
    /// Graded files (tests, manifests, grader.toml, memprobe) the fork
    /// changed; ignored, since the official ones are graded.
    pub tampered: Vec<String>,
    /// `exercise:student` pairs with byte-identical sources, and
    /// `exercise:solution` where they equal the reference solution. A
    /// signal to look, not a verdict.
    pub identical_to: Vec<String>,
    /// Why the row was rejected or could not be graded.
    pub error: Option<String>,
    /// SHA-256 of the accepted sources of each exercise.
    pub sources: BTreeMap<String, String>,
    /// What the grade depends on besides the commit (see [`Identity`]);
    /// a re-run reuses the row only when it is the same.
    pub identity: Option<Identity>,
    /// What grading it cost.
    pub cost: Cost,
    /// The full grade.
    pub grade: Option<Grade>,
}

/// One exercise's column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Exercise name.
    pub name: String,
    /// Its points.
    pub max_points: f64,
}

/// Work done over the whole gradebook.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Rows reused whole from an earlier run.
    pub resumed: usize,
    /// Exercise gradings built and run.
    pub graded: usize,
    /// Exercise results taken from the class cache.
    pub reused: usize,
    /// Per exercise: `[graded, reused]`.
    pub per_exercise: BTreeMap<String, [usize; 2]>,
    /// Wall-clock time of all forks.
    pub duration_ms: u64,
}

impl Totals {
    /// Adds up the rows' costs.
    pub fn of(rows: &[Row]) -> Totals {
        let mut t = Totals::default();
        for r in rows {
            t.resumed += usize::from(r.cost.resumed);
            t.graded += r.cost.graded.len();
            t.reused += r.cost.reused.len();
            t.duration_ms += r.cost.duration_ms;
            for e in &r.cost.graded {
                t.per_exercise.entry(e.clone()).or_default()[0] += 1;
            }
            for e in &r.cost.reused {
                t.per_exercise.entry(e.clone()).or_default()[1] += 1;
            }
        }
        t
    }
}

/// `gradebook.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Book {
    /// Format version (1).
    pub format: u32,
    /// Course title.
    pub course: String,
    /// What every grade depends on besides the sources.
    pub identity: Identity,
    /// The exercises, in course order.
    pub exercises: Vec<Column>,
    /// The official stubs' and solutions' source hashes.
    pub reference: Reference,
    /// SHA-256 of the roster file, when there is one.
    pub roster: Option<String>,
    /// The deadline (RFC 3339, UTC), when one was given.
    pub deadline: Option<crate::class::deadline::Deadline>,
    /// This shard (`K/N`), or `None` for a whole gradebook.
    pub partition: Option<crate::class::roster::Partition>,
    /// Work done.
    pub cost: Totals,
    /// One row per student, in roster order.
    pub students: Vec<Row>,
}

/// A text cell as a spreadsheet may show it: bidirectional-text controls
/// removed, and a cell that would start a formula (`=`, `+`, `-`, `@`, a
/// tab or a carriage return first) prefixed with `'`, as OWASP advises
/// against CSV injection.
pub fn safe_cell(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| !crate::class::roster::is_bidi_control(c))
        .collect();
    if clean.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{clean}")
    } else {
        clean
    }
}

impl RowStatus {
    /// The name in `gradebook.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Graded => "graded",
            RowStatus::Rejected => "rejected",
            RowStatus::Error => "error",
        }
    }
}

impl Row {
    /// The review flags of the grade, one line each
    /// (`join_words: exercises/01_join_words/src/lib.rs:3: std::fs`):
    /// constructs a memory course never needs, for a person to look at,
    /// never a change to the points.
    pub fn review(&self) -> Vec<String> {
        self.grade.as_ref().map_or_else(Vec::new, |g| {
            crate::report::machine::review::flags(g)
                .map(|(e, f)| format!("{}: {}:{}: {}", e.name, f.file, f.line, f.construct))
                .collect()
        })
    }
}

impl Book {
    /// The gradebook as CSV: one row per student, one column per exercise;
    /// every text cell through [`safe_cell`].
    pub fn csv(&self) -> String {
        let mut header: Vec<String> = vec!["student".into()];
        header.extend(self.exercises.iter().map(|e| safe_cell(&e.name)));
        header.extend(
            [
                "total",
                "max_total",
                "status",
                "commit",
                "taken",
                "deadline",
                "late",
                "commit_date",
                "identical_to",
                "tampered",
                "error",
                "review",
            ]
            .map(String::from),
        );
        header.extend(
            self.exercises
                .iter()
                .map(|e| safe_cell(&format!("{} status", e.name))),
        );
        let names: Vec<String> = self.exercises.iter().map(|e| e.name.clone()).collect();
        let mut out = csv::Writer::from_writer(Vec::new());
        let mut rows = vec![header];
        for r in &self.students {
            let mut cells = vec![safe_cell(&r.student)];
            for e in &self.exercises {
                let points = r
                    .grade
                    .as_ref()
                    .and_then(|g| g.exercises.iter().find(|x| x.name == e.name))
                    .map_or(0.0, |x| x.points);
                cells.push(points.to_string());
            }
            cells.extend([
                r.score.to_string(),
                r.max_score.to_string(),
                r.status.as_str().to_string(),
                safe_cell(r.commit.as_deref().unwrap_or("")),
                safe_cell(&r.taken),
                r.deadline.map(|d| d.to_string()).unwrap_or_default(),
                safe_cell(r.late.as_deref().unwrap_or("")),
                safe_cell(r.commit_date.as_deref().unwrap_or("")),
                safe_cell(&r.identical_to.join(" ")),
                safe_cell(&r.tampered.join(" ")),
                safe_cell(r.error.as_deref().unwrap_or("")),
                safe_cell(&r.review().join("; ")),
            ]);
            cells.extend(names.iter().map(|e| {
                crate::class::outcome::of(r, &self.reference, e)
                    .map_or("", |o| o.as_str())
                    .to_string()
            }));
            rows.push(cells);
        }
        for row in rows {
            out.write_record(&row).expect("writing CSV to memory");
        }
        String::from_utf8(out.into_inner().expect("writing CSV to memory"))
            .expect("the cells are UTF-8")
    }

    /// Sorts the rows by roster line, recomputes `identical_to` across all
    /// of them and the totals.
    pub fn settle(&mut self) {
        self.students.sort_by_key(|r| r.line);
        let hashes: Vec<(String, BTreeMap<String, String>)> = self
            .students
            .iter()
            .map(|r| {
                let h = if r.status == RowStatus::Graded {
                    r.sources.clone()
                } else {
                    BTreeMap::new()
                };
                (r.student.clone(), h)
            })
            .collect();
        for (row, same) in self
            .students
            .iter_mut()
            .zip(identical_to(&hashes, &self.reference))
        {
            row.identical_to = same;
        }
        self.cost = Totals::of(&self.students);
    }

    /// Writes `gradebook.json`, `gradebook.csv` and every student's report
    /// into `out` (atomically, each).
    pub fn write(&self, out: &Path) -> Result<()> {
        for r in &self.students {
            write_student(out, self, r)?;
        }
        self.write_tables(out)
    }

    /// Writes `gradebook.json`, `gradebook.csv`, `summary.md` and
    /// `class.html` into `out` (atomically, each).
    pub fn write_tables(&self, out: &Path) -> Result<()> {
        atomic_write(&out.join("gradebook.csv"), self.csv().as_bytes())?;
        atomic_write(
            &out.join("summary.md"),
            crate::class::summary::markdown(self).as_bytes(),
        )?;
        atomic_write(
            &out.join("class.html"),
            crate::class::page::html(self).as_bytes(),
        )?;
        atomic_write(
            &out.join("gradebook.json"),
            &serde_json::to_vec_pretty(self)?,
        )
        .context("writing the gradebook JSON")
    }

    /// Reads `dir/gradebook.json`.
    pub fn read(dir: &Path) -> Result<Book> {
        let path = dir.join("gradebook.json");
        let bytes = std::fs::read(&path).map_err(|e| {
            anyhow::Error::from(UsageError(format!("cannot read {}: {e}", path.display())))
        })?;
        serde_json::from_slice(&bytes).map_err(|e| {
            UsageError(format!("{}: not a memgrade gradebook: {e}", path.display())).into()
        })
    }
}

/// Writes one student's reports, `students/<file>.json` (the row, for
/// machines) and `students/<file>.md` (for the student: each failure's
/// reason); rows without a file, i.e. rejected ones, get none.
pub fn write_student(out: &Path, book: &Book, row: &Row) -> Result<()> {
    if let Some(name) = &row.file {
        debug_assert!(!name.contains('/') && !name.starts_with('.'));
        let dir = out.join("students");
        atomic_write(
            &dir.join(format!("{name}.json")),
            &serde_json::to_vec_pretty(row)?,
        )?;
        atomic_write(
            &dir.join(format!("{name}.md")),
            crate::class::report::markdown(book, row).as_bytes(),
        )?;
    }
    Ok(())
}

/// Combines the shard results in `dirs` (each written by `gradebook
/// --partition K/N` with the same roster, course, toolchain, sandbox,
/// memgrade and deadline, every K from 1 to N exactly once) into one book.
pub fn merge(dirs: &[&Path]) -> Result<Book> {
    let usage = |m: String| -> anyhow::Error { UsageError(m).into() };
    let mut books = Vec::new();
    for d in dirs {
        books.push((d, Book::read(d)?));
    }
    let Some((first_dir, first)) = books.first() else {
        bail!(usage(
            "gradebook-merge needs at least one shard directory".into()
        ));
    };
    let mut count = None;
    let mut seen: BTreeMap<u32, &Path> = BTreeMap::new();
    for (dir, b) in &books {
        let Some(p) = b.partition else {
            bail!(usage(format!(
                "{}: not a shard (written without --partition)",
                dir.display()
            )));
        };
        if *count.get_or_insert(p.count) != p.count {
            bail!(usage(format!(
                "{}: shard {p} is not one of {} shards like {}",
                dir.display(),
                count.unwrap_or(0),
                first_dir.display()
            )));
        }
        if let Some(other) = seen.insert(p.index, dir) {
            bail!(usage(format!(
                "shard {p} is given twice: {} and {}",
                other.display(),
                dir.display()
            )));
        }
        let differs = [
            ("course", b.identity.course != first.identity.course),
            (
                "toolchain",
                b.identity.toolchain != first.identity.toolchain,
            ),
            ("sandbox", b.identity.sandbox != first.identity.sandbox),
            ("memgrade", b.identity.memgrade != first.identity.memgrade),
            ("roster", b.roster != first.roster),
            ("deadline", b.deadline != first.deadline),
        ];
        if let Some((what, _)) = differs.iter().find(|(_, d)| *d) {
            bail!(usage(format!(
                "{} and {} were graded with a different {what}; merge only shards of one gradebook run",
                first_dir.display(),
                dir.display()
            )));
        }
    }
    let count = count.unwrap_or(0);
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!(usage(format!(
            "shard(s) {} missing; give every shard's directory",
            missing.join(", ")
        )));
    }
    let mut merged = first.clone();
    merged.partition = None;
    merged.students = books.into_iter().flat_map(|(_, b)| b.students).collect();
    merged.settle();
    Ok(merged)
}
