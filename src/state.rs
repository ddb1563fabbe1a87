//! The student's progress, kept in `.memgrade/state.json`: revealed hint
//! levels and the last grading result of each exercise.
//!
//! The file is written atomically. A missing or corrupt file is never fatal:
//! it is treated as a fresh start (a corrupt one is kept aside as
//! `state.json.corrupt` so nothing is silently lost).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::course::Course;
use crate::fsutil::atomic_write;
use crate::grade::Grade;

/// Directory, under the course root, where memgrade keeps its files.
pub const STATE_DIR: &str = ".memgrade";

/// The last recorded outcome of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastResult {
    /// `passed`, `failed`, `compile_error`, `timed_out`, `crashed` or `tampered`.
    pub status: String,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
}

/// Everything memgrade remembers for a student.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Format version of this file.
    #[serde(default)]
    pub version: u32,
    /// How many hint levels of each exercise have been revealed.
    #[serde(default)]
    pub hints_revealed: BTreeMap<String, usize>,
    /// Last grading result per exercise.
    #[serde(default)]
    pub results: BTreeMap<String, LastResult>,
}

/// What loading the state found.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// No state yet.
    Fresh,
    /// Read successfully.
    Read,
    /// The file was unreadable; it was moved aside to this path.
    Recovered(PathBuf),
}

impl State {
    /// Hint levels of `exercise` revealed so far (never more than it has).
    pub fn hints_seen(&self, exercise: &crate::course::Exercise) -> usize {
        self.hints_revealed
            .get(&exercise.name)
            .copied()
            .unwrap_or(0)
            .min(exercise.hints.len())
    }

    /// The state file of a course.
    pub fn path(root: &Path) -> PathBuf {
        root.join(STATE_DIR).join("state.json")
    }

    /// Loads the state, recovering from a missing or corrupt file.
    pub fn load(root: &Path) -> (State, Loaded) {
        let path = State::path(root);
        let Ok(bytes) = std::fs::read(&path) else {
            return (State::default(), Loaded::Fresh);
        };
        match serde_json::from_slice::<State>(&bytes) {
            Ok(state) => (state, Loaded::Read),
            Err(_) => {
                let aside = path.with_extension("json.corrupt");
                let _ = std::fs::rename(&path, &aside);
                (State::default(), Loaded::Recovered(aside))
            }
        }
    }

    /// Writes the state atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let mut state = self.clone();
        state.version = 1;
        let json = serde_json::to_vec_pretty(&state)?;
        atomic_write(&State::path(root), &json)
    }
}

/// Records the outcome of every graded exercise in the state file (for
/// `list`, `watch` and `solution`) and returns the updated state. A state
/// file that cannot be written is reported on stderr, not fatal: the grade
/// itself is still shown.
pub fn record_results(course: &Course, grade: &Grade) -> State {
    let (mut state, _) = State::load(&course.root);
    for e in &grade.exercises {
        state.results.insert(
            e.name.clone(),
            LastResult {
                status: e.status.as_str().to_string(),
                points: e.points,
                max_points: e.max_points,
            },
        );
    }
    if let Err(e) = state.save(&course.root) {
        eprintln!(
            "warning: could not record progress in {}: {e:#}",
            State::path(&course.root).display()
        );
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_recovers_from_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let (s, how) = State::load(dir.path());
        assert_eq!((s, how), (State::default(), Loaded::Fresh));

        let mut s = State::default();
        s.hints_revealed.insert("join_words".into(), 2);
        s.save(dir.path()).unwrap();
        let (back, how) = State::load(dir.path());
        assert_eq!(how, Loaded::Read);
        assert_eq!(back.hints_revealed["join_words"], 2);

        std::fs::write(State::path(dir.path()), b"{ not json").unwrap();
        let (back, how) = State::load(dir.path());
        assert_eq!(back, State::default());
        let Loaded::Recovered(aside) = how else {
            panic!("expected recovery")
        };
        assert_eq!(std::fs::read(aside).unwrap(), b"{ not json");
    }
}
