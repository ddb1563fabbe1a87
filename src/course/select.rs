//! Turning what a student typed into exercises: exact names, directory
//! names, unique prefixes, and a did-you-mean suggestion on a typo. The
//! pipeline's plan step: its answer is what the engine compiles and runs.

use std::fmt;

use crate::course::{Course, Exercise};

/// A name that matches no exercise, or more than one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// Nothing matched; the nearest name, if any is close.
    Unknown {
        query: String,
        suggestion: Option<String>,
    },
    /// The prefix matched several exercises.
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectError::Unknown {
                query,
                suggestion: Some(s),
            } => {
                write!(
                    f,
                    "no exercise named `{query}`; did you mean `{s}`? (`memgrade list` shows them all)"
                )
            }
            SelectError::Unknown {
                query,
                suggestion: None,
            } => {
                write!(
                    f,
                    "no exercise named `{query}` (`memgrade list` shows them all)"
                )
            }
            SelectError::Ambiguous { query, candidates } => {
                write!(
                    f,
                    "`{query}` matches several exercises: {}; type more of the name",
                    candidates.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for SelectError {}

/// Finds the exercise a student meant: its name, its directory name or path,
/// or a prefix of either that fits exactly one exercise.
pub fn resolve<'c>(course: &'c Course, query: &str) -> Result<&'c Exercise, SelectError> {
    let q = query.trim().trim_end_matches('/');
    let exact = course
        .exercises
        .iter()
        .find(|e| e.name == q || e.dir_name() == q || e.dir.to_string_lossy() == q);
    if let Some(e) = exact {
        return Ok(e);
    }
    let q_lower = q.to_lowercase();
    let matches: Vec<&Exercise> = course
        .exercises
        .iter()
        .filter(|e| {
            !q.is_empty()
                && (e.name.to_lowercase().starts_with(&q_lower)
                    || e.dir_name().to_lowercase().starts_with(&q_lower))
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(SelectError::Unknown {
            query: query.to_string(),
            suggestion: suggest(course, q),
        }),
        many => Err(SelectError::Ambiguous {
            query: query.to_string(),
            candidates: many.iter().map(|e| e.name.clone()).collect(),
        }),
    }
}

/// Resolves several names, keeping course order and dropping repeats; no
/// names means every exercise.
pub fn resolve_all<'c>(
    course: &'c Course,
    queries: &[String],
) -> Result<Vec<&'c Exercise>, SelectError> {
    if queries.is_empty() {
        return Ok(course.exercises.iter().collect());
    }
    let mut picked = Vec::new();
    for q in queries {
        picked.push(resolve(course, q)?.name.clone());
    }
    Ok(course
        .exercises
        .iter()
        .filter(|e| picked.contains(&e.name))
        .collect())
}

fn suggest(course: &Course, query: &str) -> Option<String> {
    course
        .exercises
        .iter()
        .flat_map(|e| {
            let name = e.name.clone();
            [
                (strsim::jaro_winkler(query, &e.name), name.clone()),
                (strsim::jaro_winkler(query, &e.dir_name()), name),
            ]
        })
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}

/// The exercise whose directory holds `dir` (the current directory, say):
/// `exercises/04_tree_cycles/src` → `tree_cycles`.
pub fn exercise_at<'c>(course: &'c Course, dir: &std::path::Path) -> Option<&'c Exercise> {
    let dir = dir.canonicalize().ok()?;
    course.exercises.iter().find(|e| {
        course
            .root
            .join(&e.dir)
            .canonicalize()
            .is_ok_and(|d| dir.starts_with(d))
    })
}

/// The exercise the current directory is in, if any.
pub fn exercise_here(course: &Course) -> Option<&Exercise> {
    exercise_at(course, &std::env::current_dir().ok()?)
}

/// The exercise a command works on: the one named, else the one the current
/// directory is in; a usage error naming `command` otherwise.
pub fn named_or_here<'c>(
    course: &'c Course,
    query: Option<&str>,
    command: &str,
) -> anyhow::Result<&'c Exercise> {
    match query {
        Some(q) => Ok(resolve(course, q)?),
        None => exercise_here(course).ok_or_else(|| {
            crate::exit::UsageError(format!(
                "name an exercise (`memgrade {command} join_words`), or run it inside an exercise's directory"
            ))
            .into()
        }),
    }
}

#[cfg(test)]
mod here_tests {
    use super::*;

    #[test]
    fn the_exercise_is_found_from_any_directory_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("exercises/01_a/src")).unwrap();
        std::fs::create_dir_all(root.join("exercises/02_b")).unwrap();
        for d in ["exercises/01_a", "exercises/02_b"] {
            std::fs::write(root.join(d).join("Cargo.toml"), "[package]\n").unwrap();
        }
        let toml = "format = 1\ntitle = \"T\"\n[[objectives]]\nid = \"o\"\ntitle = \"O\"\nsection = \"S\"\n\
                    [[exercises]]\nname = \"a\"\ndir = \"exercises/01_a\"\nobjective = \"o\"\npoints = 1\nhints = [\"h\"]\n\
                    [[exercises]]\nname = \"b\"\ndir = \"exercises/02_b\"\nobjective = \"o\"\npoints = 1\nhints = [\"h\"]\n";
        let course = Course::parse(root, &root.join("grader.toml"), toml).unwrap();
        let at = |p: &str| exercise_at(&course, &root.join(p)).map(|e| e.name.as_str());
        assert_eq!(at("exercises/01_a/src"), Some("a"));
        assert_eq!(at("exercises/02_b"), Some("b"));
        assert_eq!(at("exercises"), None);
        assert_eq!(at(""), None);
    }
}
