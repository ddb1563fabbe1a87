//! The private build tree of a grade of record: a fresh directory under the
//! system's temporary directory (mode 0700, removed when dropped), outside
//! the fork and the official course, holding a generated workspace manifest,
//! the official memprobe, each exercise's official manifest (rewritten so
//! that no build script runs and no target is discovered), its official
//! tests, and the fork's checked sources ([`crate::record::fork`]). There is no
//! `solutions/` in it.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::course::{COURSE_FILE, Course, Exercise};
use crate::fsutil::{BUILD_OUTPUT, TreeCopy, copy_file, copy_tree};

/// How the official course's trees are copied: regular files and
/// directories (links are not followed), without `target/`.
const OFFICIAL: TreeCopy = TreeCopy {
    skip: BUILD_OUTPUT,
    mirror: false,
};

/// A private build tree.
#[derive(Debug)]
pub struct PrivateTree {
    dir: tempfile::TempDir,
    /// The workspace root (`<dir>/work`).
    pub root: PathBuf,
    /// Exercises whose fork sources were refused, with the reason.
    pub rejected: BTreeMap<String, String>,
}

impl PrivateTree {
    /// The private directory (holds the workspace, home and cargo home).
    pub fn scratch(&self) -> &Path {
        self.dir.path()
    }
}

/// Cargo's configuration file names, looked for in every ancestor of a
/// build directory.
const CARGO_CONFIGS: &[&str] = &[".cargo/config.toml", ".cargo/config"];

/// Refuses to build in `dir` when cargo would read a configuration file
/// from it or any directory above it (a `[build] rustc-wrapper` there would
/// compile whatever it likes).
pub fn check_no_cargo_config(dir: &Path) -> Result<()> {
    for a in dir.ancestors() {
        for c in CARGO_CONFIGS {
            let p = a.join(c);
            if std::fs::symlink_metadata(&p).is_ok() {
                bail!(
                    "cargo would read {} when building in {}; refusing to grade there (set TMPDIR to a directory without one above it)",
                    p.display(),
                    dir.display()
                );
            }
        }
    }
    Ok(())
}

/// Assembles the tree for grading `exercises` of `official` with the
/// sources of the fork at `fork`.
pub fn create(official: &Course, exercises: &[&Exercise], fork: &Path) -> Result<PrivateTree> {
    let dir = tempfile::Builder::new()
        .prefix("memgrade-grade-")
        .tempdir()
        .context("cannot create a private build directory")?;
    fs_err::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    for outside in [fork, official.root.as_path()] {
        let real = std::fs::canonicalize(outside).unwrap_or_else(|_| outside.to_path_buf());
        let mine = std::fs::canonicalize(dir.path()).unwrap_or_else(|_| dir.path().into());
        if mine.starts_with(&real) {
            bail!(
                "the temporary directory {} lies inside {}; set TMPDIR to a directory outside the fork and the official course",
                dir.path().display(),
                outside.display()
            );
        }
    }
    check_no_cargo_config(dir.path())?;
    let root = dir.path().join("work");
    let official_root = &official.root;
    copy_file(&official_root.join(COURSE_FILE), &root.join(COURSE_FILE))?;
    if official_root.join("Cargo.lock").is_file() {
        copy_file(&official_root.join("Cargo.lock"), &root.join("Cargo.lock"))?;
    }
    copy_tree(
        &official_root.join("memprobe"),
        &root.join("memprobe"),
        OFFICIAL,
    )?;
    let mut rejected = BTreeMap::new();
    let mut members = vec!["memprobe".to_string()];
    for e in exercises {
        let sources = match crate::record::fork::read_sources(fork, &e.dir) {
            Ok(s) => s,
            Err(why) => {
                rejected.insert(e.name.clone(), why);
                continue;
            }
        };
        let (from, to) = (official_root.join(&e.dir), root.join(&e.dir));
        if from.join("tests").is_dir() {
            copy_tree(&from.join("tests"), &to.join("tests"), OFFICIAL)?;
        }
        let stems = test_stems(&from.join("tests"))?;
        let manifest_path = from.join("Cargo.toml");
        let manifest = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let rewritten = rewrite_manifest(&manifest, &stems)
            .with_context(|| format!("cannot rewrite {}", manifest_path.display()))?;
        fs_err::write(to.join("Cargo.toml"), rewritten)?;
        for f in sources {
            let dest = to.join("src").join(&f.rel);
            if let Some(parent) = dest.parent() {
                fs_err::create_dir_all(parent)?;
            }
            fs_err::write(&dest, &f.bytes)?;
        }
        members.push(e.dir.to_string_lossy().into_owned());
    }
    fs_err::write(root.join("Cargo.toml"), workspace_manifest(&members)?)?;
    Ok(PrivateTree {
        dir,
        root,
        rejected,
    })
}

/// The generated workspace manifest: memprobe and the accepted exercises.
fn workspace_manifest(members: &[String]) -> Result<String> {
    let mut ws = toml::Table::new();
    ws.insert("members".into(), members.to_vec().into());
    ws.insert("resolver".into(), "3".into());
    let mut top = toml::Table::new();
    top.insert("workspace".into(), ws.into());
    Ok(format!(
        "# Generated by memgrade: a private grading tree.\n{}",
        toml::to_string(&top)?
    ))
}

/// The stems of the official test files (`tests/*.rs`), sorted.
fn test_stems(tests: &Path) -> Result<Vec<String>> {
    let mut stems = Vec::new();
    for entry in crate::fsutil::walk(tests, &[]).max_depth(1) {
        let p = match entry {
            Ok(e) => e.into_path(),
            Err(e) if crate::fsutil::root_missing(&e) => return Ok(stems),
            Err(e) => return Err(crate::fsutil::walk_error(e)),
        };
        if p.is_file()
            && p.extension().is_some_and(|x| x == "rs")
            && let Some(s) = p.file_stem().and_then(|s| s.to_str())
        {
            stems.push(s.to_string());
        }
    }
    Ok(stems)
}

/// Rewrites an exercise manifest so cargo builds exactly the library at
/// `src/lib.rs` and the official test files `tests/<stem>.rs`: no build
/// script (`build = false`), no auto-discovered binaries, examples, tests
/// or benchmarks, and no targets the manifest declared besides.
pub fn rewrite_manifest(text: &str, test_stems: &[String]) -> Result<String> {
    let mut doc: toml::Table = toml::from_str(text)?;
    let package = doc
        .get_mut("package")
        .and_then(|p| p.as_table_mut())
        .context("no [package] table")?;
    package.insert("build".into(), false.into());
    for auto in [
        "autobins",
        "autoexamples",
        "autotests",
        "autobenches",
        "autolib",
    ] {
        package.insert(auto.into(), false.into());
    }
    for targets in ["bin", "example", "bench", "test"] {
        doc.remove(targets);
    }
    doc.remove("build-dependencies");
    let mut lib = match doc.remove("lib") {
        Some(toml::Value::Table(t)) => t,
        _ => toml::Table::new(),
    };
    lib.insert("path".into(), "src/lib.rs".into());
    lib.insert("proc-macro".into(), false.into());
    doc.insert("lib".into(), lib.into());
    let tests: Vec<toml::Value> = test_stems
        .iter()
        .map(|s| {
            let mut t = toml::Table::new();
            t.insert("name".into(), s.clone().into());
            t.insert("path".into(), format!("tests/{s}.rs").into());
            t.into()
        })
        .collect();
    doc.insert("test".into(), tests.into());
    Ok(toml::to_string(&doc)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_lose_build_scripts_and_discovery() {
        let m = "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition = \"2024\"\nbuild = \"build.rs\"\n\n[[bin]]\nname = \"x\"\npath = \"src/x.rs\"\n\n[build-dependencies]\ncc = \"1\"\n\n[dev-dependencies]\nmemprobe = { path = \"../../memprobe\" }\n\n[lints.rust]\nunsafe_code = \"forbid\"\n";
        let out = rewrite_manifest(m, &["behaviour".into(), "memory".into()]).unwrap();
        let doc: toml::Table = toml::from_str(&out).unwrap();
        let p = doc["package"].as_table().unwrap();
        assert_eq!(p["build"], false.into());
        for auto in ["autobins", "autoexamples", "autotests", "autobenches"] {
            assert_eq!(p[auto], false.into(), "{auto}");
        }
        assert!(doc.get("bin").is_none() && doc.get("build-dependencies").is_none());
        assert_eq!(doc["lib"]["path"], "src/lib.rs".into());
        let tests = doc["test"].as_array().unwrap();
        assert_eq!(tests.len(), 2);
        assert_eq!(tests[1]["path"], "tests/memory.rs".into());
        assert_eq!(doc["lints"]["rust"]["unsafe_code"], "forbid".into());
        assert_eq!(
            doc["dev-dependencies"]["memprobe"]["path"],
            "../../memprobe".into()
        );
    }

    #[test]
    fn a_cargo_config_above_the_build_dir_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let inner = d.path().join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        check_no_cargo_config(&inner).unwrap();
        std::fs::create_dir_all(d.path().join("a/.cargo")).unwrap();
        std::fs::write(d.path().join("a/.cargo/config.toml"), "").unwrap();
        let e = check_no_cargo_config(&inner).unwrap_err().to_string();
        assert!(e.contains("a/.cargo/config.toml"), "{e}");
    }
}
