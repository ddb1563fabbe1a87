//! The class cache of a gradebook: one exercise's result, keyed by the
//! content of what was graded, shared by every fork of the class, so that
//! untouched stubs and identical submissions are built and run once.
//!
//! A key is the SHA-256 of: memgrade's version and the SHA-256 of its own
//! executable, the toolchain (`rustc -vV`), the sandbox, the official
//! course's files that decide this exercise's result (grader.toml,
//! Cargo.lock, memprobe, the exercise's manifest and tests) and the
//! student's accepted sources for the exercise (each file's path below
//! `src/` and bytes). Entries live in `<out>/.cache/<key>.json`, written
//! atomically; an unreadable one is graded again.
//!
//! That covers every file the compiler read for the student's crate: the
//! grade of record refuses a crate whose dep-info names any file outside
//! its own exercise ([`crate::record::depinfo`]), so a result never depends
//! on another exercise's sources and no fork can reuse one it did not earn.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::course::{COURSE_FILE, Course, Exercise};
use crate::fsutil::atomic_write;
use crate::pipeline::grade::ExerciseGrade;
use crate::record::fork::SourceFile;

/// What every key of one gradebook run shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// memgrade's version and the SHA-256 of its executable.
    pub memgrade: String,
    /// The toolchain (`rustc -vV`, first line).
    pub toolchain: String,
    /// The sandbox (`bwrap (…)` or `none`).
    pub sandbox: String,
    /// The official course: SHA-256 over every exercise's official files.
    pub course: String,
}

/// memgrade's version and the SHA-256 of the running executable (so a
/// rebuilt grader never reuses an older one's results).
pub fn memgrade_id() -> Result<String> {
    let exe = std::env::current_exe().context("cannot find the memgrade executable")?;
    let bytes = std::fs::read(&exe).with_context(|| format!("cannot read {}", exe.display()))?;
    Ok(format!(
        "memgrade {} ({:x})",
        env!("CARGO_PKG_VERSION"),
        Sha256::digest(&bytes)
    ))
}

fn feed_file(h: &mut Sha256, base: &Path, path: &Path) -> Result<()> {
    let rel = path.strip_prefix(base).unwrap_or(path);
    h.update(rel.to_string_lossy().as_bytes());
    h.update([0]);
    match std::fs::read(path) {
        Ok(bytes) => {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => h.update(b"(missing)"),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
    Ok(())
}

/// The SHA-256 of the official files that decide `e`'s result.
pub fn official_hash(course: &Course, e: &Exercise) -> Result<String> {
    let root = &course.root;
    let mut h = Sha256::new();
    h.update(format!("{e:?}\n").as_bytes());
    feed_file(&mut h, root, &root.join(COURSE_FILE))?;
    feed_file(&mut h, root, &root.join("Cargo.lock"))?;
    crate::store::cache::hash_tree(&mut h, root, &root.join("memprobe"))?;
    feed_file(&mut h, root, &root.join(&e.dir).join("Cargo.toml"))?;
    crate::store::cache::hash_tree(&mut h, root, &root.join(&e.dir).join("tests"))?;
    Ok(format!("{:x}", h.finalize()))
}

/// The SHA-256 of a set of source files (paths below `src/` and bytes):
/// equal for byte-identical submissions.
pub fn sources_hash(files: &[SourceFile]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.rel.to_string_lossy().as_bytes());
        h.update([0]);
        h.update((f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    format!("{:x}", h.finalize())
}

/// The class cache key of exercise `exercise` with sources hashing to
/// `sources` (see [`sources_hash`]) and official files hashing to
/// `official`.
pub fn key(id: &Identity, exercise: &str, official: &str, sources: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        "memgrade class cache 1",
        &id.memgrade,
        &id.toolchain,
        &id.sandbox,
        exercise,
        official,
        sources,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    format!("{:x}", h.finalize())
}

/// One stored result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    /// The key (checked on load).
    pub key: String,
    /// The student whose submission was graded first with this content.
    pub first_graded_for: String,
    /// The result.
    pub grade: ExerciseGrade,
}

/// The cache directory `<out>/.cache`.
#[derive(Debug, Clone)]
pub struct ClassCache {
    dir: PathBuf,
}

impl ClassCache {
    /// The cache under `out`.
    pub fn new(out: &Path) -> ClassCache {
        ClassCache {
            dir: out.join(".cache"),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    /// The result stored under `key`, if any (an unreadable entry is none).
    pub fn get(&self, key: &str) -> Option<Stored> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice::<Stored>(&bytes)
            .ok()
            .filter(|s| s.key == key)
    }

    /// Stores a result (atomically).
    pub fn put(&self, stored: &Stored) -> Result<()> {
        atomic_write(&self.path(&stored.key), &serde_json::to_vec(stored)?)
    }
}

/// Hashes of the official course's own sources for each exercise: the
/// stub (`exercises/NN/src`) and, where the course has one, the reference
/// solution (`solutions/NN/src`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Stub source hash by exercise.
    pub stubs: BTreeMap<String, String>,
    /// Solution source hash by exercise.
    pub solutions: BTreeMap<String, String>,
}

impl Reference {
    /// Reads the official course's stubs and solutions (read with the same
    /// rules as a fork's sources; an unreadable one is left out). The stubs
    /// are the ones its `memgrade.lock` records, when it has one (the
    /// course's working `src/` may be solved), else its `src/`.
    pub fn of(course: &Course) -> Reference {
        let mut r = Reference::default();
        let lock = crate::course::seal::Lock::load(&course.root).ok().flatten();
        for e in &course.exercises {
            let stub = match &lock {
                Some(lock) => Ok(locked_stub(lock, &e.dir)),
                None => crate::record::fork::read_sources(&course.root, &e.dir),
            };
            if let Ok(files) = stub
                && !files.is_empty()
            {
                r.stubs.insert(e.name.clone(), sources_hash(&files));
            }
            if let Some(sol) = e.solution_dir.parent()
                && let Ok(files) = crate::record::fork::read_sources(&course.root, sol)
            {
                r.solutions.insert(e.name.clone(), sources_hash(&files));
            }
        }
        r
    }
}

/// The stub `lock` records for the exercise at `dir`, as a fork's sources
/// are read (paths below `src/`, in path order).
fn locked_stub(lock: &crate::course::seal::Lock, dir: &std::path::Path) -> Vec<SourceFile> {
    let prefix = format!("{}/src/", dir.to_string_lossy().trim_end_matches('/'));
    let mut files: Vec<SourceFile> = lock
        .stub_files(dir)
        .into_iter()
        .filter_map(|(path, text)| {
            Some(SourceFile {
                rel: std::path::PathBuf::from(path.strip_prefix(&prefix)?),
                bytes: text.into_bytes(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files
}

/// For each student (in `rows`: id and per-exercise source hash), the
/// `exercise:other` pairs whose sources are byte-identical, and
/// `exercise:solution` where they equal the reference solution. Sources
/// identical to the stub (not attempted) are never flagged.
pub fn identical_to(
    rows: &[(String, BTreeMap<String, String>)],
    reference: &Reference,
) -> Vec<Vec<String>> {
    let mut groups: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (student, hashes) in rows {
        for (ex, h) in hashes {
            if reference.stubs.get(ex) != Some(h) {
                groups.entry((ex, h)).or_default().push(student);
            }
        }
    }
    rows.iter()
        .map(|(student, hashes)| {
            let mut out = Vec::new();
            for (ex, h) in hashes {
                if reference.stubs.get(ex) == Some(h) {
                    continue;
                }
                if reference.solutions.get(ex) == Some(h) {
                    out.push(format!("{ex}:solution"));
                }
                for other in groups.get(&(ex.as_str(), h.as_str())).into_iter().flatten() {
                    if other != student {
                        out.push(format!("{ex}:{other}"));
                    }
                }
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn flags_identical_sources_and_the_solution_but_not_the_stub() {
        let reference = Reference {
            stubs: hashes(&[("a", "stub"), ("b", "stubB")]),
            solutions: hashes(&[("a", "sol")]),
        };
        let rows = vec![
            ("ann".to_string(), hashes(&[("a", "sol"), ("b", "x")])),
            ("bo".to_string(), hashes(&[("a", "sol"), ("b", "stubB")])),
            ("cy".to_string(), hashes(&[("a", "stub"), ("b", "x")])),
            ("di".to_string(), hashes(&[("a", "own"), ("b", "stubB")])),
        ];
        let got = identical_to(&rows, &reference);
        assert_eq!(got[0], vec!["a:solution", "a:bo", "b:cy"]);
        assert_eq!(got[1], vec!["a:solution", "a:ann"]);
        assert_eq!(got[2], vec!["b:ann"]);
        assert!(got[3].is_empty());
    }

    #[test]
    fn keys_change_with_every_part() {
        let id = Identity {
            memgrade: "m".into(),
            toolchain: "t".into(),
            sandbox: "none".into(),
            course: "c".into(),
        };
        let base = key(&id, "a", "o", "s");
        assert_eq!(base, key(&id, "a", "o", "s"));
        let mut other = id.clone();
        other.toolchain = "t2".into();
        for k in [
            key(&other, "a", "o", "s"),
            key(&id, "b", "o", "s"),
            key(&id, "a", "o2", "s"),
            key(&id, "a", "o", "s2"),
        ] {
            assert_ne!(k, base);
        }
    }
}
