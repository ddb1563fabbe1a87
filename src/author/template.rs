//! The student copy of a course: what `memgrade template` writes for
//! students to fork, and what the Gradescope package ships as its official
//! course.
//!
//! The author's course stays the single source: the copy is generated from
//! it each time and nothing of it is committed twice. It holds memgrade's
//! own source (`Cargo.toml`, `Cargo.lock`, `src/`, `templates/`, so students
//! can run it), `memprobe/`, `grader.toml`, every registered exercise
//! (`Cargo.toml`, `README.md`, `tests/`, and as `src/` the stubs the
//! course's `memgrade.lock` records, whatever the working tree holds: an
//! author's checkout with solved exercises still ships the stubs),
//! `.gitignore`, and `.github/` and `.cargo/` (the `cargo memgrade` alias)
//! when the course has them (but the instructor's class workflow
//! `.github/workflows/gradebook.yml` and memgrade's own CI, `ci.yml`); a
//! README for students generated
//! from `templates/README.student.md`; one test, `tests/course.rs` (from
//! `templates/student/course.rs`), which runs `memgrade verify` (so the
//! copy's `Cargo.toml` declares it with `required-features = ["instructor"]`,
//! in place of memgrade's own test targets); and a fresh
//! `memgrade.lock` sealed for the copy. It leaves out `solutions/` (and with
//! it every mutant and alternative), memgrade's own `tests/` (they need the
//! solutions), `bench/`, `.ci/` and every `target/` and `.memgrade/`.

use std::path::Path;

use anyhow::{Context, Result};

use crate::course::seal::{LOCK_FILE, Lock};
use crate::course::{COURSE_FILE, Course, Exercise};
use crate::exit::UsageError;
use crate::fsutil::{NOT_SHIPPED, TreeCopy, copy_file, copy_tree, files};
use crate::report::fmt_points;

/// The student README's template, with `{{title}}`, `{{rust_version}}` and
/// `{{exercises}}` (table rows) to fill in.
pub const STUDENT_README: &str = include_str!("../../templates/README.student.md");

/// The one test a student copy ships: `memgrade verify` passes.
pub const STUDENT_TEST: &str = include_str!("../../templates/student/course.rs");

/// Top-level files copied as they are (when present); `Cargo.toml` is
/// copied through [`student_manifest`].
const FILES: [&str; 3] = ["Cargo.lock", COURSE_FILE, ".gitignore"];

/// The student copy's one test target, in place of memgrade's own: it runs
/// `memgrade verify`, an instructor command, so it needs the instructor
/// build and a plain `cargo test` leaves it out.
const STUDENT_TEST_TARGET: &str = "\n# This copy's own test (`cargo test --features instructor`): tests/course.rs\n# runs `memgrade verify`, which the instructor build has.\n[[test]]\nname = \"course\"\nrequired-features = [\"instructor\"]\n";

/// Top-level directories copied as they are (when present), without any
/// `target/` inside. `.cargo/` holds the `cargo memgrade` alias that
/// memgrade's printed commands use where memgrade is not installed.
const DIRS: [&str; 5] = ["src", "templates", "memprobe", ".github", ".cargo"];

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Files written, relative to the destination, sorted.
    pub files: Vec<String>,
    /// Exercises copied.
    pub exercises: usize,
    /// Exercises whose working `src/` differs from the stub the lock
    /// records (the copy has the stub).
    pub replaced: Vec<String>,
}

/// Writes the student copy of `course` into `dest`, which must not exist or
/// be empty, and seals it.
pub fn export(course: &Course, dest: &Path) -> Result<Exported> {
    if dest.exists()
        && std::fs::read_dir(dest)
            .with_context(|| format!("cannot read {}", dest.display()))?
            .next()
            .is_some()
    {
        return Err(UsageError(format!(
            "{} is not empty; give a new or empty directory",
            dest.display()
        ))
        .into());
    }
    let dest = &std::path::absolute(dest)?;
    // Copying the course into its own sources would copy the copy.
    if ["src", "templates", "memprobe", "exercises", ".github"]
        .iter()
        .any(|d| dest.starts_with(course.root.join(d)))
    {
        return Err(UsageError(format!(
            "{} is inside the course's own sources; export somewhere else",
            dest.display()
        ))
        .into());
    }
    let lock = crate::course::stub::load_lock(course)?;
    std::fs::create_dir_all(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let manifest = course.root.join("Cargo.toml");
    if manifest.is_file() {
        let text = std::fs::read_to_string(&manifest)
            .with_context(|| format!("cannot read {}", manifest.display()))?;
        write(&dest.join("Cargo.toml"), &student_manifest(&text))?;
    }
    for f in FILES {
        let from = course.root.join(f);
        if from.is_file() {
            copy_file(&from, &dest.join(f))?;
        }
    }
    for d in DIRS {
        copy_shipped(&course.root.join(d), &dest.join(d))?;
    }
    // The class gradebook workflow belongs in the instructor's repository,
    // and memgrade's own CI (ci.yml) needs memgrade's tests, which the copy
    // does not hold.
    for name in ["gradebook.yml", "ci.yml"] {
        let instructor_only = dest.join(".github/workflows").join(name);
        if instructor_only.is_file() {
            std::fs::remove_file(&instructor_only)
                .with_context(|| format!("cannot remove {}", instructor_only.display()))?;
        }
    }
    let mut replaced = Vec::new();
    for e in &course.exercises {
        copy_shipped(&course.root.join(&e.dir), &dest.join(&e.dir))?;
        if write_stubs(&lock, e, dest)? {
            replaced.push(e.name.clone());
        }
    }
    write(&dest.join("README.md"), &student_readme(course))?;
    write(&dest.join("tests").join("course.rs"), STUDENT_TEST)?;
    let copy = Course::load(dest)?;
    Lock::compute(&copy)?.save(dest)?;
    let mut files: Vec<String> = files(dest, crate::fsutil::BUILD_OUTPUT)?
        .iter()
        .map(|p| rel(dest, p))
        .collect();
    files.sort();
    Ok(Exported {
        files,
        exercises: course.exercises.len(),
        replaced,
    })
}

/// Replaces the copied `src/` of `exercise` in `dest` by the stub `lock`
/// records; whether the course's working `src/` differed from it.
fn write_stubs(lock: &Lock, exercise: &Exercise, dest: &Path) -> Result<bool> {
    let stubs = lock.stub_files(&exercise.dir);
    if stubs.is_empty() {
        return Err(UsageError(format!(
            "{LOCK_FILE} holds no stub for {} ({}); run `memgrade seal` in a checkout with the stubs",
            exercise.name,
            exercise.dir.display()
        ))
        .into());
    }
    let src = dest.join(&exercise.dir).join("src");
    let copied = files(&src, crate::fsutil::BUILD_OUTPUT)?;
    let mut working = std::collections::BTreeMap::new();
    for file in &copied {
        let text =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        working.insert(rel(dest, file), String::from_utf8_lossy(&text).into_owned());
    }
    if src.exists() {
        std::fs::remove_dir_all(&src)
            .with_context(|| format!("cannot remove {}", src.display()))?;
    }
    for (path, text) in &stubs {
        if !crate::course::stub::inside_course(path) {
            return Err(UsageError(format!(
                "{LOCK_FILE} names `{path}`, which is not a path inside the course; run `memgrade seal` again"
            ))
            .into());
        }
        write(&dest.join(path), text)?;
    }
    Ok(working != stubs)
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Tells the instructor which exercises' working sources were left out for
/// the lock's stubs (on stderr: a note, not the result).
pub fn say_replaced(exported: &Exported) {
    if !exported.replaced.is_empty() {
        warnln!(
            "note: the working src/ of {} differs from the stub in {LOCK_FILE}; the copy has the stub (the starting code students get), not your working files",
            exported.replaced.join(", ")
        );
    }
}

/// The README for students: the template with the course's title, the Rust
/// version it needs and its exercises filled in.
pub fn student_readme(course: &Course) -> String {
    let rows: Vec<String> = course
        .exercises
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let objective = course
                .objective(&e.objective)
                .map_or(e.objective.as_str(), |o| o.title.as_str());
            format!(
                "| {} | `{}` ({}) | {} | {} |",
                i + 1,
                e.name,
                e.dir.display(),
                objective,
                fmt_points(e.points)
            )
        })
        .collect();
    STUDENT_README
        .replace("{{title}}", &course.title)
        .replace("{{rust_version}}", env!("CARGO_PKG_RUST_VERSION"))
        .replace("{{exercises}}", &rows.join("\n"))
}

/// The student copy's `Cargo.toml`: memgrade's own, without its `[[test]]`
/// tables (memgrade's tests are not copied; cargo refuses a target whose
/// file is missing) and the comment lines just above them, and with the
/// copy's one test target ([`STUDENT_TEST_TARGET`]) at the end. Comments
/// between a test table's last key and the next other table belong to that
/// table and are kept.
pub fn student_manifest(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_test = false;
    // Comment and blank lines seen after a test table's last key.
    let mut pending: Vec<&str> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            let test = trimmed.starts_with("[[test]]");
            if test {
                while out.last().is_some_and(|l| l.trim_start().starts_with('#')) {
                    out.pop();
                }
            } else if in_test {
                if out.last().is_some_and(|l| l.trim().is_empty()) {
                    while pending.first().is_some_and(|l| l.trim().is_empty()) {
                        pending.remove(0);
                    }
                }
                out.append(&mut pending);
            }
            pending.clear();
            in_test = test;
        }
        if !in_test {
            out.push(line);
        } else if trimmed.is_empty() || trimmed.starts_with('#') {
            pending.push(line);
        } else {
            pending.clear();
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut manifest = out.join("\n");
    manifest.push('\n');
    manifest.push_str(STUDENT_TEST_TARGET);
    manifest
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent)?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Copies the regular files of a tree, skipping `target/`, `.memgrade/` and
/// symbolic links; a missing tree copies nothing.
fn copy_shipped(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    let how = TreeCopy {
        skip: NOT_SHIPPED,
        mirror: false,
    };
    copy_tree(from, to, how)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_leaves_the_store_out() {
        assert!(NOT_SHIPPED.contains(&crate::store::STORE_DIR));
    }

    #[test]
    fn readme_fills_every_placeholder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let course = Course::load(root).unwrap();
        let readme = student_readme(&course);
        assert!(!readme.contains("{{"), "{readme}");
        assert!(readme.starts_with(&format!("# {}\n", course.title)));
        assert!(readme.contains("| 1 | `join_words` (exercises/01_join_words) |"));
        assert_eq!(
            readme
                .lines()
                .filter(|l| l.starts_with("| ") && l.contains('`'))
                .count(),
            course.exercises.len()
        );
        assert!(readme.contains("cargo run --profile grader -- check"));
        assert!(readme.contains("\ncargo test --features instructor "));
    }

    #[test]
    fn the_student_manifest_has_only_the_copys_test() {
        // This repository's manifest (in a student copy, already a student
        // manifest: the copy of a copy is the same).
        let ours =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
                .unwrap();
        let student = student_manifest(&ours);
        let doc: toml::Table = toml::from_str(&student).unwrap();
        let tests = doc["test"].as_array().unwrap();
        assert_eq!(tests.len(), 1, "{student}");
        assert_eq!(tests[0]["name"].as_str(), Some("course"));
        assert_eq!(
            tests[0]["required-features"].as_array().unwrap()[0].as_str(),
            Some("instructor")
        );
        // Everything else is kept: the package, its features, the profile.
        let original: toml::Table = toml::from_str(&ours).unwrap();
        for key in [
            "package",
            "dependencies",
            "features",
            "profile",
            "workspace",
        ] {
            assert_eq!(doc[key], original[key], "{key}");
        }
        assert_eq!(student_manifest(&student), student);

        // Exactly the test tables and the comment just above them go; a
        // comment between the last test table and the next table stays.
        let manifest = "[package]\nname = \"x\"\n\n# memgrade's own tests\n[[test]]\nname = \"a\"\nrequired-features = [\"instructor\"]\n\n[[test]]\nname = \"b\"\n\n# the profile\n[profile.grader]\ndebug = 0\n";
        assert_eq!(
            student_manifest(manifest),
            format!(
                "[package]\nname = \"x\"\n\n# the profile\n[profile.grader]\ndebug = 0\n{STUDENT_TEST_TARGET}"
            )
        );
        // A manifest without test tables gets the one.
        assert_eq!(
            student_manifest("[package]\nname = \"x\"\n"),
            format!("[package]\nname = \"x\"\n{STUDENT_TEST_TARGET}")
        );
    }
}
