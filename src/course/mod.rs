//! The course registry, `grader.toml`: objectives, exercises in course order,
//! points, hints, per-test weights and limits.
//!
//! Loading checks everything a course author can get wrong and reports it with
//! the file, line, column and field: unknown keys, duplicate names, missing
//! exercise crates, undeclared objectives, empty hint lists, non-positive
//! points or limits, empty or repeated gate entries, and a weight given to a
//! gate test.
//!
//! `gate = ["test", ...]` names an exercise's behaviour tests: when one of
//! them does not pass, the exercise earns no points (see
//! [`ExerciseGrade::settle`](crate::pipeline::grade::ExerciseGrade::settle)).

use serde::Deserialize;

pub mod seal;
pub mod select;
pub mod stub;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;

/// The file name of the registry at the course root.
pub const COURSE_FILE: &str = "grader.toml";

/// The directory of the reference solutions (`solutions/NN_name/src`).
pub const SOLUTIONS_DIR: &str = "solutions";

/// The registry format this memgrade reads.
pub const FORMAT_VERSION: i64 = 1;

/// A problem in `grader.toml`, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseError {
    /// The file that holds the problem.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field, as a path such as `exercises[2].points`, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CourseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for CourseError {}

/// Limits for one test process and for the compile step of an exercise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Wall-clock time one test may take.
    pub time: Duration,
    /// Address-space limit of one test process, in MiB.
    pub memory_mb: u64,
    /// Largest file one test process may write (`RLIMIT_FSIZE`), in MiB.
    pub file_mb: u64,
    /// Wall-clock time one rustc process of the exercise's build may take.
    pub compile_time: Duration,
    /// Address-space limit of one rustc process of the exercise's build, in MiB.
    pub compile_memory_mb: u64,
    /// Static data the student crate may hold (grade of record), in KiB.
    pub static_kb: u64,
    /// The stack of each thread of a test process, in KiB: the test
    /// process's `RUST_MIN_STACK`; in the grade of record no thread may ask
    /// for more (what a stack holds is memory no measurement sees).
    pub stack_kb: u64,
}

impl Default for Limits {
    /// 10 s and 512 MiB per test, 16 MiB per file, 120 s and 2048 MiB per
    /// rustc process, 64 KiB of static data, 256 KiB of stack per thread.
    fn default() -> Limits {
        Limits {
            time: Duration::from_secs(10),
            memory_mb: 512,
            file_mb: 16,
            compile_time: Duration::from_secs(120),
            compile_memory_mb: 2048,
            static_kb: 64,
            stack_kb: 256,
        }
    }
}

/// One learning objective of the lesson.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// Short identifier used by exercises (`lifecycle`).
    pub id: String,
    /// Human title.
    pub title: String,
}

/// One exercise crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// Unique name, also the crate's package name.
    pub name: String,
    /// Directory relative to the course root (`exercises/01_join_words`).
    pub dir: PathBuf,
    /// Directory of the reference solution's sources
    /// (`solutions/01_join_words/src`).
    pub solution_dir: PathBuf,
    /// The objective's id.
    pub objective: String,
    /// Points for passing every test.
    pub points: f64,
    /// Progressive hints, first the gentlest.
    pub hints: Vec<String>,
    /// Per-test weights for partial credit; tests not named weigh 1 (gate
    /// tests weigh 0).
    pub weights: BTreeMap<String, f64>,
    /// The behaviour tests: when one of them does not pass, the exercise
    /// earns no points at all (memory points need a correct result).
    pub gate: Vec<String>,
    /// Limits for each of its tests.
    pub limits: Limits,
}

impl Exercise {
    /// The weight of a test for partial credit.
    pub fn weight(&self, test: &str) -> f64 {
        if self.in_gate(test) {
            return 0.0;
        }
        self.weights.get(test).copied().unwrap_or(1.0)
    }

    /// Whether `test` is one of the exercise's behaviour (gate) tests.
    pub fn in_gate(&self, test: &str) -> bool {
        self.gate.iter().any(|g| g == test)
    }

    /// The directory name (`01_join_words`).
    pub fn dir_name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// A loaded, validated course.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// The course root (the directory holding `grader.toml`).
    pub root: PathBuf,
    /// Course title.
    pub title: String,
    /// Objectives in lesson order.
    pub objectives: Vec<Objective>,
    /// Exercises in course order.
    pub exercises: Vec<Exercise>,
}

impl Course {
    /// Finds the course root: `explicit` (the `--root` value, made absolute so
    /// paths cargo reports match the course's), or the nearest directory at or
    /// above the current one that holds grader.toml.
    pub fn discover(explicit: Option<&Path>) -> Result<PathBuf, CourseError> {
        if let Some(dir) = explicit {
            return Ok(std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()));
        }
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        for dir in cwd.ancestors() {
            if dir.join(COURSE_FILE).is_file() {
                return Ok(dir.to_path_buf());
            }
        }
        Err(CourseError {
            file: cwd.join(COURSE_FILE),
            line: None,
            column: None,
            field: None,
            message: "no grader.toml here or in any parent directory; run memgrade inside the course, or pass --root".into(),
        })
    }

    /// Loads the course at `explicit` or, without it, the one
    /// [`Course::discover`] finds.
    pub fn discover_and_load(explicit: Option<&Path>) -> Result<Course, CourseError> {
        Course::load(&Course::discover(explicit)?)
    }

    /// Loads and validates `<root>/grader.toml`.
    pub fn load(root: &Path) -> Result<Course, CourseError> {
        let file = root.join(COURSE_FILE);
        let text = std::fs::read_to_string(&file).map_err(|e| CourseError {
            file: file.clone(),
            line: None,
            column: None,
            field: None,
            message: format!("cannot read the course file: {e}"),
        })?;
        Course::parse(root, &file, &text)
    }

    /// Parses and validates registry text; `file` is used in messages and
    /// `root` to check exercise directories.
    pub fn parse(root: &Path, file: &Path, text: &str) -> Result<Course, CourseError> {
        let raw: RawCourse = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            CourseError {
                file: file.to_path_buf(),
                line,
                column,
                field: None,
                message: e.message().trim().to_string(),
            }
        })?;
        Validator { root, file, text }.validate(raw)
    }

    /// The exercise with exactly this name.
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// The objective with this id.
    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id == id)
    }

    /// Whether this copy of the course has its reference solutions (a
    /// student's copy, made by `memgrade template`, has no `solutions/`).
    pub fn has_solutions(&self) -> bool {
        self.root.join(SOLUTIONS_DIR).is_dir()
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCourse {
    format: Spanned<i64>,
    title: String,
    #[serde(default)]
    limits: Option<Spanned<RawLimits>>,
    objectives: Vec<Spanned<RawObjective>>,
    exercises: Vec<Spanned<RawExercise>>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    time_secs: Option<Spanned<f64>>,
    memory_mb: Option<Spanned<i64>>,
    file_mb: Option<Spanned<i64>>,
    compile_secs: Option<Spanned<f64>>,
    compile_memory_mb: Option<Spanned<i64>>,
    static_kb: Option<Spanned<i64>>,
    stack_kb: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    id: Spanned<String>,
    title: String,
    /// The lesson section the objective comes from: a note for course
    /// authors, required in the file, not used in grading.
    #[serde(rename = "section")]
    _section: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    name: Spanned<String>,
    dir: Spanned<String>,
    objective: Spanned<String>,
    points: Spanned<f64>,
    hints: Spanned<Vec<String>>,
    #[serde(default)]
    weights: BTreeMap<String, Spanned<f64>>,
    #[serde(default)]
    gate: Vec<Spanned<String>>,
    #[serde(default)]
    limits: Option<Spanned<RawLimits>>,
}

struct Validator<'a> {
    root: &'a Path,
    file: &'a Path,
    text: &'a str,
}

impl Validator<'_> {
    fn error<T>(
        &self,
        span: std::ops::Range<usize>,
        field: String,
        message: String,
    ) -> Result<T, CourseError> {
        let (line, column) = line_col(self.text, span.start);
        Err(CourseError {
            file: self.file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            field: Some(field),
            message,
        })
    }

    fn limits(
        &self,
        raw: Option<&Spanned<RawLimits>>,
        base: Limits,
        field: &str,
    ) -> Result<Limits, CourseError> {
        let mut limits = base;
        let Some(raw) = raw else { return Ok(limits) };
        let raw = raw.get_ref();
        if let Some(t) = &raw.time_secs {
            limits.time = self.seconds(t, &format!("{field}.time_secs"), "time limit")?;
        }
        if let Some(t) = &raw.compile_secs {
            limits.compile_time =
                self.seconds(t, &format!("{field}.compile_secs"), "compile time limit")?;
        }
        if let Some(m) = &raw.memory_mb {
            limits.memory_mb = self.mebibytes(m, &format!("{field}.memory_mb"), "memory limit")?;
        }
        if let Some(m) = &raw.file_mb {
            limits.file_mb = self.mebibytes(m, &format!("{field}.file_mb"), "file size limit")?;
        }
        if let Some(m) = &raw.compile_memory_mb {
            limits.compile_memory_mb = self.mebibytes(
                m,
                &format!("{field}.compile_memory_mb"),
                "compile memory limit",
            )?;
        }
        if let Some(k) = &raw.static_kb {
            limits.static_kb =
                self.size(k, &format!("{field}.static_kb"), "static data limit", "KiB")?;
        }
        if let Some(k) = &raw.stack_kb {
            limits.stack_kb =
                self.size(k, &format!("{field}.stack_kb"), "thread stack limit", "KiB")?;
        }
        Ok(limits)
    }

    fn seconds(&self, t: &Spanned<f64>, field: &str, what: &str) -> Result<Duration, CourseError> {
        let v = *t.get_ref();
        if !(v.is_finite() && v > 0.0 && v < 1e9) {
            return self.error(
                t.span(),
                field.to_string(),
                format!("the {what} must be a positive number of seconds, found {v}"),
            );
        }
        Ok(Duration::from_secs_f64(v))
    }

    fn mebibytes(&self, m: &Spanned<i64>, field: &str, what: &str) -> Result<u64, CourseError> {
        self.size(m, field, what, "MiB")
    }

    fn size(
        &self,
        m: &Spanned<i64>,
        field: &str,
        what: &str,
        unit: &str,
    ) -> Result<u64, CourseError> {
        let v = *m.get_ref();
        if v <= 0 || v > 1 << 40 {
            return self.error(
                m.span(),
                field.to_string(),
                format!("the {what} must be a positive number of {unit}, found {v}"),
            );
        }
        Ok(v as u64)
    }

    fn validate(&self, raw: RawCourse) -> Result<Course, CourseError> {
        if *raw.format.get_ref() != FORMAT_VERSION {
            return self.error(
                raw.format.span(),
                "format".into(),
                format!(
                    "this memgrade reads format {FORMAT_VERSION}, the file says {}",
                    raw.format.get_ref()
                ),
            );
        }
        let course_limits = self.limits(raw.limits.as_ref(), Limits::default(), "limits")?;
        let objectives = self.objectives(raw.objectives)?;
        let mut seen = Seen::default();
        let mut exercises = Vec::new();
        for (i, e) in raw.exercises.into_iter().enumerate() {
            exercises.push(self.exercise(
                i,
                e.into_inner(),
                &objectives,
                course_limits,
                &mut seen,
            )?);
        }
        Ok(Course {
            root: self.root.to_path_buf(),
            title: raw.title,
            objectives,
            exercises,
        })
    }

    /// The objectives: ids neither empty nor repeated.
    fn objectives(&self, raw: Vec<Spanned<RawObjective>>) -> Result<Vec<Objective>, CourseError> {
        let mut objectives: Vec<Objective> = Vec::new();
        for (i, o) in raw.into_iter().enumerate() {
            let o = o.into_inner();
            let id = o.id.get_ref().trim().to_string();
            let problem = if id.is_empty() {
                Some("the objective id is empty".to_string())
            } else if objectives.iter().any(|known| known.id == id) {
                Some(format!("duplicate objective id `{id}`"))
            } else {
                None
            };
            if let Some(problem) = problem {
                return self.error(o.id.span(), format!("objectives[{i}].id"), problem);
            }
            objectives.push(Objective { id, title: o.title });
        }
        Ok(objectives)
    }

    /// Exercise `i`, checked field by field against the course so far.
    fn exercise(
        &self,
        i: usize,
        e: RawExercise,
        objectives: &[Objective],
        course_limits: Limits,
        seen: &mut Seen,
    ) -> Result<Exercise, CourseError> {
        let at = |f: &str| format!("exercises[{i}].{f}");
        let name = self.exercise_name(&e.name, &at("name"), seen)?;
        let dir = self.exercise_dir(&e.dir, &at("dir"), seen)?;
        let objective = e.objective.get_ref().clone();
        if !objectives.iter().any(|o| o.id == objective) {
            let known: Vec<_> = objectives.iter().map(|o| o.id.as_str()).collect();
            return self.error(
                e.objective.span(),
                at("objective"),
                format!(
                    "objective `{objective}` is not declared (declared: {})",
                    known.join(", ")
                ),
            );
        }
        let points = *e.points.get_ref();
        if !(points.is_finite() && points > 0.0) {
            return self.error(
                e.points.span(),
                at("points"),
                format!("points must be positive, found {points}"),
            );
        }
        let hints = self.hints(&e.hints, i)?;
        let gate = self.gate(&e.gate, i)?;
        let weights = self.weights(&e.weights, &gate, i)?;
        let limits = self.limits(e.limits.as_ref(), course_limits, &at("limits"))?;
        let solution_dir = PathBuf::from(SOLUTIONS_DIR)
            .join(dir.file_name().unwrap_or_default())
            .join("src");
        Ok(Exercise {
            name,
            dir,
            solution_dir,
            objective,
            points,
            hints,
            weights,
            gate,
            limits,
        })
    }

    /// An exercise name: letters, digits, `_` and `-`, used once.
    fn exercise_name(
        &self,
        raw: &Spanned<String>,
        field: &str,
        seen: &mut Seen,
    ) -> Result<String, CourseError> {
        let name = raw.get_ref().clone();
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return self.error(
                raw.span(),
                field.into(),
                format!("`{name}` is not a valid exercise name (letters, digits, `_` and `-`)"),
            );
        }
        if !seen.names.insert(name.clone()) {
            return self.error(
                raw.span(),
                field.into(),
                format!("duplicate exercise name `{name}`"),
            );
        }
        Ok(name)
    }

    /// An exercise directory: a crate inside the course, used once.
    fn exercise_dir(
        &self,
        raw: &Spanned<String>,
        field: &str,
        seen: &mut Seen,
    ) -> Result<PathBuf, CourseError> {
        let dir = PathBuf::from(raw.get_ref());
        let shown = dir.display();
        let escapes = dir.is_absolute()
            || dir
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        let abs = self.root.join(&dir);
        let problem = if escapes {
            Some(format!("`{shown}` must be a path inside the course"))
        } else if seen.dirs.contains(&dir) {
            Some(format!("directory `{shown}` is used by two exercises"))
        } else if !abs.is_dir() {
            Some(format!("directory `{shown}` does not exist"))
        } else if !abs.join("Cargo.toml").is_file() {
            Some(format!("`{shown}` is not a crate: it has no Cargo.toml"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return self.error(raw.span(), field.into(), problem);
        }
        seen.dirs.insert(dir.clone());
        Ok(dir)
    }

    /// Exercise `i`'s hints: at least one, none empty.
    fn hints(&self, raw: &Spanned<Vec<String>>, i: usize) -> Result<Vec<String>, CourseError> {
        let hints = raw.get_ref().clone();
        if hints.is_empty() {
            return self.error(
                raw.span(),
                format!("exercises[{i}].hints"),
                "the hint list is empty: give at least one hint".into(),
            );
        }
        if let Some(j) = hints.iter().position(|h| h.trim().is_empty()) {
            return self.error(
                raw.span(),
                format!("exercises[{i}].hints[{j}]"),
                "this hint is empty".into(),
            );
        }
        Ok(hints)
    }

    /// Exercise `i`'s gate: test names, none empty or repeated.
    fn gate(&self, raw: &[Spanned<String>], i: usize) -> Result<Vec<String>, CourseError> {
        let mut gate: Vec<String> = Vec::new();
        for (j, g) in raw.iter().enumerate() {
            let test = g.get_ref().trim().to_string();
            let problem = if test.is_empty() {
                Some("this gate entry is empty: name a behaviour test".to_string())
            } else if gate.contains(&test) {
                Some(format!("`{test}` is in the gate twice"))
            } else {
                None
            };
            if let Some(problem) = problem {
                return self.error(g.span(), format!("exercises[{i}].gate[{j}]"), problem);
            }
            gate.push(test);
        }
        Ok(gate)
    }

    /// Exercise `i`'s weights: zero or positive, and none on a gate test.
    fn weights(
        &self,
        raw: &BTreeMap<String, Spanned<f64>>,
        gate: &[String],
        i: usize,
    ) -> Result<BTreeMap<String, f64>, CourseError> {
        let mut weights = BTreeMap::new();
        for (test, w) in raw {
            let v = *w.get_ref();
            let problem = if !(v.is_finite() && v >= 0.0) {
                Some(format!("a weight must be zero or positive, found {v}"))
            } else if v != 0.0 && gate.contains(test) {
                Some(format!(
                    "`{test}` is in the gate, and gate tests carry no points: remove its weight (or make it 0)"
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                return self.error(w.span(), format!("exercises[{i}].weights.{test}"), problem);
            }
            weights.insert(test.clone(), v);
        }
        Ok(weights)
    }
}

/// Exercise names and directories met so far while validating.
#[derive(Default)]
struct Seen {
    names: HashSet<String>,
    dirs: HashSet<PathBuf>,
}

#[cfg(test)]
mod tests;
