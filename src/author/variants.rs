//! Mutants and alternatives: the other versions of an exercise's `src/`
//! that prove its tests, kept beside the reference solution.
//!
//! ```text
//! solutions/NN_name/src/                        the reference solution
//! solutions/NN_name/mutants/<slug>/src/*.rs     a plausible wrong or wasteful version
//! solutions/NN_name/alternatives/<slug>/src/*.rs  another honest route
//! ```
//!
//! Each is a complete replacement of the exercise's `src/` (same file
//! names), whose `lib.rs` starts with a doc line naming the mistake
//! (`//! Mutant: <the mistake>`) or the route (`//! Alternative: <the
//! route>`). `memgrade verify` proves that every mutant earns less than full
//! points and every alternative earns full points. These directories have
//! no `Cargo.toml`, so cargo never sees them as workspace members, and they
//! are not graded files, so `memgrade seal` does not record them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::course::Exercise;

/// Mutants an exercise needs at least.
pub const MIN_MUTANTS: usize = 3;
/// Alternatives an exercise needs at least.
pub const MIN_ALTERNATIVES: usize = 1;

/// What a variant must do under the official tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Must earn less than full points.
    Mutant,
    /// Must earn full points.
    Alternative,
}

impl Kind {
    /// `mutant` or `alternative`.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Mutant => "mutant",
            Kind::Alternative => "alternative",
        }
    }

    /// The directory that holds this kind beside `src/` (`mutants`).
    pub fn dir_name(self) -> &'static str {
        match self {
            Kind::Mutant => "mutants",
            Kind::Alternative => "alternatives",
        }
    }

    /// The doc line's label (`Mutant`).
    fn label(self) -> &'static str {
        match self {
            Kind::Mutant => "Mutant",
            Kind::Alternative => "Alternative",
        }
    }
}

/// One mutant or alternative of an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Mutant or alternative.
    pub kind: Kind,
    /// Its directory name (`leaks_cache`).
    pub slug: String,
    /// Its `src/`, relative to the course root.
    pub src: PathBuf,
    /// The text of its `//! Mutant:` / `//! Alternative:` line, or why it
    /// could not be read.
    pub about: Result<String, String>,
}

/// The directory holding an exercise's solution, mutants and alternatives
/// (`solutions/01_join_words`), relative to the course root.
pub fn solution_root(e: &Exercise) -> PathBuf {
    e.solution_dir
        .parent()
        .map_or_else(|| PathBuf::from("solutions"), Path::to_path_buf)
}

/// The exercise's mutants, then its alternatives, each sorted by slug.
pub fn list(root: &Path, e: &Exercise) -> Result<Vec<Variant>> {
    let mut out = Vec::new();
    for kind in [Kind::Mutant, Kind::Alternative] {
        let dir = solution_root(e).join(kind.dir_name());
        let mut slugs = Vec::new();
        for entry in crate::fsutil::walk(&root.join(&dir), &[]).max_depth(1) {
            match entry {
                Ok(e) if e.file_type().is_dir() => {
                    slugs.push(e.file_name().to_string_lossy().into_owned());
                }
                Ok(_) => {}
                Err(e) if e.depth() == 0 => break,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot read {}", dir.display()));
                }
            }
        }
        for slug in slugs {
            let src = dir.join(&slug).join("src");
            let about = doc_line(&root.join(&src), kind);
            out.push(Variant {
                kind,
                slug,
                src,
                about,
            });
        }
    }
    Ok(out)
}

/// The text after `//! Mutant:` (or `//! Alternative:`) on the first line
/// of `src/lib.rs`.
fn doc_line(src: &Path, kind: Kind) -> Result<String, String> {
    let lib = src.join("lib.rs");
    let text =
        std::fs::read_to_string(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
    let first = text.lines().next().unwrap_or("").trim();
    let prefix = format!("//! {}:", kind.label());
    match first.strip_prefix(&prefix).map(str::trim) {
        Some(about) if !about.is_empty() => Ok(about.to_string()),
        _ => Err(format!(
            "its src/lib.rs must start with `{prefix} <{}>`",
            match kind {
                Kind::Mutant => "the mistake",
                Kind::Alternative => "the route",
            }
        )),
    }
}

/// The files under `src` (a directory), as sorted paths relative to it.
pub fn src_files(src: &Path) -> Result<Vec<String>> {
    let files = crate::fsutil::files(src, crate::fsutil::BUILD_OUTPUT)?;
    let mut names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(src)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    Ok(names)
}

/// The problem with a variant whose `src/` does not hold the same file
/// names as the exercise's (`expected`), if it does not.
pub fn files_problem(root: &Path, v: &Variant, expected: &[String]) -> Result<Option<String>> {
    let got = src_files(&root.join(&v.src))?;
    if got == expected {
        return Ok(None);
    }
    Ok(Some(format!(
        "{} {}: its src/ holds {}, but the exercise's src/ holds {} (a variant replaces src/ file for file)",
        v.kind.word(),
        v.slug,
        got.join(", "),
        expected.join(", ")
    )))
}

/// The problem with an exercise's counts of mutants and alternatives, if
/// it has too few.
pub fn count_problem(e: &Exercise, variants: &[Variant]) -> Option<String> {
    let count = |k| variants.iter().filter(|v| v.kind == k).count();
    let (m, a) = (count(Kind::Mutant), count(Kind::Alternative));
    if m >= MIN_MUTANTS && a >= MIN_ALTERNATIVES {
        return None;
    }
    let dir = solution_root(e);
    Some(format!(
        "needs at least {MIN_MUTANTS} mutants and {MIN_ALTERNATIVES} alternative in {}/{{mutants,alternatives}}/ (has {m} and {a})",
        dir.display()
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The registry entry of `join_words` with the given gate and weights.
    pub(crate) fn registry_entry(
        gate: &[&str],
        weights: &[(&str, f64)],
    ) -> crate::course::Exercise {
        crate::course::Exercise {
            name: "join_words".into(),
            dir: "exercises/01_join_words".into(),
            solution_dir: "solutions/01_join_words/src".into(),
            objective: "footprint".into(),
            points: 10.0,
            hints: vec!["h".into()],
            weights: weights.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            gate: gate.iter().map(|g| g.to_string()).collect(),
            limits: crate::course::Limits {
                time: std::time::Duration::from_secs(1),
                memory_mb: 64,
                ..Default::default()
            },
        }
    }

    fn exercise() -> Exercise {
        registry_entry(&[], &[])
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn lists_mutants_then_alternatives_with_their_doc_lines() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let base = "solutions/01_join_words";
        write(root, &format!("{base}/src/lib.rs"), "//! The solution\n");
        write(
            root,
            &format!("{base}/mutants/b_grows/src/lib.rs"),
            "//! Mutant: grows the string with +=\n",
        );
        write(
            root,
            &format!("{base}/mutants/a_leaks/src/lib.rs"),
            "//! Alternative: wrong label\n",
        );
        write(
            root,
            &format!("{base}/alternatives/joins/src/lib.rs"),
            "//! Alternative:  uses words.join(\" \") \n",
        );
        std::fs::create_dir_all(root.join(format!("{base}/mutants/c_empty"))).unwrap();
        let e = exercise();
        let v = list(root, &e).unwrap();
        let got: Vec<(&str, &str)> = v.iter().map(|v| (v.kind.word(), v.slug.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("mutant", "a_leaks"),
                ("mutant", "b_grows"),
                ("mutant", "c_empty"),
                ("alternative", "joins")
            ]
        );
        assert!(
            v[0].about
                .as_ref()
                .unwrap_err()
                .contains("`//! Mutant: <the mistake>`")
        );
        assert_eq!(v[1].about.as_deref(), Ok("grows the string with +="));
        assert!(v[2].about.as_ref().unwrap_err().contains("cannot read"));
        assert_eq!(v[3].about.as_deref(), Ok("uses words.join(\" \")"));
        assert_eq!(v[3].src, Path::new(base).join("alternatives/joins/src"));
        assert_eq!(count_problem(&e, &v), None);
        let lib = vec!["lib.rs".to_string()];
        assert_eq!(files_problem(root, &v[1], &lib).unwrap(), None);
        write(root, &format!("{base}/mutants/b_grows/src/extra.rs"), "\n");
        let problem = files_problem(root, &v[1], &lib).unwrap().unwrap();
        assert_eq!(
            problem,
            "mutant b_grows: its src/ holds extra.rs, lib.rs, but the exercise's src/ holds lib.rs (a variant replaces src/ file for file)"
        );
        let problem = count_problem(&e, &v[1..]).unwrap();
        assert!(
            problem
                == "needs at least 3 mutants and 1 alternative in solutions/01_join_words/{mutants,alternatives}/ (has 2 and 1)",
            "{problem}"
        );
        assert!(count_problem(&e, &v[..3]).is_some(), "no alternative");
    }

    #[test]
    fn an_exercise_without_variants_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let e = exercise();
        let v = list(dir.path(), &e).unwrap();
        assert!(v.is_empty());
        assert!(count_problem(&e, &v).unwrap().ends_with("(has 0 and 0)"));
    }
}
