//! Tamper detection. `memgrade seal` records SHA-256 checksums of everything
//! a student must not change (grader.toml, memprobe, each exercise's
//! `Cargo.toml` and `tests/`) in the committed lock file `memgrade.lock`,
//! together with a pristine copy of every stub's `src/` and of every
//! exercise's graded files (which `diff` shows and `reset` restores). Every
//! feedback check compares the tree with the lock and marks exercises whose
//! graded parts changed as `tampered`.
//!
//! A student who edits both a test and the lock defeats the lock, so this is
//! feedback only; the grade of record (`check --course`, `gradebook`) takes
//! every graded part from the official course instead (`crate::record`).

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::course::{COURSE_FILE, Course};
use crate::fsutil::atomic_write;
use crate::fsutil::{BUILD_OUTPUT, files};
use crate::pipeline::grade::Grade;

/// The lock file's name at the course root.
pub const LOCK_FILE: &str = "memgrade.lock";

/// The lock file's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    /// Format version.
    pub version: u32,
    /// SHA-256 of each sealed file, by path relative to the course root.
    pub files: BTreeMap<String, String>,
    /// The shipped stub sources, by path relative to the course root.
    pub stubs: BTreeMap<String, String>,
    /// The shipped text of each exercise's graded files (`Cargo.toml`,
    /// `tests/`), so `diff` can show and `reset` restore a changed one.
    #[serde(default)]
    pub graded: BTreeMap<String, String>,
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The largest file the tamper check reads.
const MAX_SEALED_BYTES: u64 = 16 << 20;

fn sha256_file(p: &Path) -> Result<String> {
    // Never block on a FIFO or follow a link a checkout planted.
    let meta =
        std::fs::symlink_metadata(p).with_context(|| format!("cannot read {}", p.display()))?;
    if !meta.is_file() {
        bail!("{} is not a regular file", p.display());
    }
    // A graded file is small; a huge one (a checkout's sparse file) is not
    // read into memory, only reported as changed.
    if meta.len() > MAX_SEALED_BYTES {
        bail!(
            "{} is larger than {} MiB",
            p.display(),
            MAX_SEALED_BYTES >> 20
        );
    }
    let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

/// Files by exercise name.
pub type PerExercise = BTreeMap<String, Vec<PathBuf>>;

/// The sealed files of the course: course-wide ones, then per exercise.
pub fn sealed_files(course: &Course) -> Result<(Vec<PathBuf>, PerExercise)> {
    let mut shared = vec![course.root.join(COURSE_FILE)];
    shared.extend(files(&course.root.join("memprobe"), BUILD_OUTPUT)?);
    shared.sort();
    let mut per = BTreeMap::new();
    for e in &course.exercises {
        let dir = course.root.join(&e.dir);
        let mut sealed = vec![dir.join("Cargo.toml")];
        sealed.extend(files(&dir.join("tests"), BUILD_OUTPUT)?);
        sealed.sort();
        per.insert(e.name.clone(), sealed);
    }
    Ok((shared, per))
}

impl Lock {
    /// The lock file of a course.
    pub fn path(root: &Path) -> PathBuf {
        root.join(LOCK_FILE)
    }

    /// Computes the lock for the course as it is now.
    pub fn compute(course: &Course) -> Result<Lock> {
        let (shared, per) = sealed_files(course)?;
        let mut lock = Lock {
            version: 1,
            ..Lock::default()
        };
        for f in shared.iter().chain(per.values().flatten()) {
            lock.files.insert(rel(&course.root, f), sha256_file(f)?);
        }
        for f in per.values().flatten() {
            let text = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
            lock.graded.insert(
                rel(&course.root, f),
                String::from_utf8_lossy(&text).into_owned(),
            );
        }
        for e in &course.exercises {
            for s in files(&course.root.join(&e.dir).join("src"), BUILD_OUTPUT)? {
                let text = std::fs::read_to_string(&s)
                    .with_context(|| format!("cannot read {}", s.display()))?;
                lock.stubs.insert(rel(&course.root, &s), text);
            }
        }
        Ok(lock)
    }

    /// Reads the lock file, if there is one.
    pub fn load(root: &Path) -> Result<Option<Lock>> {
        let path = Lock::path(root);
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(None);
        };
        let lock: Lock = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is not a valid lock file; run `memgrade seal` again",
                path.display()
            )
        })?;
        Ok(Some(lock))
    }

    /// Writes the lock file atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(self)?;
        json.push(b'\n');
        atomic_write(&Lock::path(root), &json)
    }

    /// The shipped graded files (`Cargo.toml`, `tests/`) of an exercise
    /// directory (relative paths → content).
    pub fn graded_files(&self, dir: &Path) -> BTreeMap<String, String> {
        let dir = dir.to_string_lossy();
        let dir = dir.trim_end_matches('/');
        let (manifest, tests) = (format!("{dir}/Cargo.toml"), format!("{dir}/tests/"));
        self.graded
            .iter()
            .filter(|(p, _)| **p == manifest || p.starts_with(&tests))
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect()
    }

    /// The pristine stub files of an exercise directory (relative paths →
    /// content).
    pub fn stub_files(&self, dir: &Path) -> BTreeMap<String, String> {
        let prefix = format!("{}/src/", dir.to_string_lossy().trim_end_matches('/'));
        self.stubs
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect()
    }
}

/// Seals `course`: computes its lock and writes it to `memgrade.lock`.
pub fn seal(course: &Course) -> Result<Lock> {
    let lock = Lock::compute(course)?;
    lock.save(&course.root)?;
    Ok(lock)
}

/// Compares the course with its lock: for each exercise, the sealed files
/// that differ, are missing or were added. Changes to grader.toml or
/// memprobe count against every exercise. No lock file: nothing to compare
/// (a note goes to stderr).
pub fn verify_seal(course: &Course) -> Result<BTreeMap<String, Vec<String>>> {
    let Some(lock) = Lock::load(&course.root)? else {
        warnln!(
            "note: no {LOCK_FILE} in the course, so the tamper check was skipped (course authors: run `memgrade seal`)"
        );
        return Ok(BTreeMap::new());
    };
    compare(course, &lock)
}

/// [`compare`] for a local check: nothing when the course has no lock file
/// (a course being written), no note either.
pub fn local_changes(course: &Course) -> Result<BTreeMap<String, Vec<String>>> {
    match Lock::load(&course.root)? {
        Some(lock) => compare(course, &lock),
        None => Ok(BTreeMap::new()),
    }
}

/// Compares the graded files of `course` (its exercises, at its root) with
/// `lock`: for each exercise, the sealed files that differ, are missing or
/// were added.
pub fn compare(course: &Course, lock: &Lock) -> Result<BTreeMap<String, Vec<String>>> {
    let (shared, per) = sealed_files(course)?;
    let changed = |files: &[PathBuf], prefixes: &[String]| -> Vec<String> {
        let mut out = Vec::new();
        for f in files {
            let r = rel(&course.root, f);
            match (lock.files.get(&r), sha256_file(f).ok()) {
                (Some(want), Some(got)) if *want == got => {}
                (None, _) => out.push(format!("{r} (added)")),
                _ => out.push(format!("{r} (changed)")),
            }
        }
        for r in lock.files.keys() {
            if prefixes
                .iter()
                .any(|p| r == p || r.starts_with(&format!("{p}/")))
                && !files.iter().any(|f| rel(&course.root, f) == *r)
            {
                out.push(format!("{r} (removed)"));
            }
        }
        out
    };
    let shared_changes = changed(&shared, &[COURSE_FILE.to_string(), "memprobe".to_string()]);
    let mut result = BTreeMap::new();
    for e in &course.exercises {
        let dir = e.dir.to_string_lossy().replace('\\', "/");
        let mut files = shared_changes.clone();
        files.extend(changed(
            &per[&e.name],
            &[format!("{dir}/Cargo.toml"), format!("{dir}/tests")],
        ));
        if !files.is_empty() {
            result.insert(e.name.clone(), files);
        }
    }
    Ok(result)
}

/// Marks tampered exercises (zero points) and recomputes the totals.
pub fn mark_tampered(
    course: &Course,
    grade: Grade,
    tampered: &BTreeMap<String, Vec<String>>,
) -> Grade {
    let exercises = grade
        .exercises
        .into_iter()
        .map(|mut e| {
            if let Some(files) = tampered.get(&e.name) {
                e.tampered_files = files.clone();
                e.settle();
            }
            e
        })
        .collect();
    Grade::new(course, exercises)
}
