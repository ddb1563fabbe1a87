//! The student's progress, kept in `.memgrade/state.json` (a
//! [`Store`](crate::store::Store)): revealed hint levels and the last grading
//! result of each exercise. Written by `check`, `watch` and `hint`; read by
//! `list`, `watch`, `solution` and [`crate::report::progress`].
//!
//! The file is written atomically. A missing or corrupt file is never fatal:
//! it is treated as a fresh start (a corrupt one is kept aside as
//! `state.json.corrupt` so nothing is silently lost).

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::course::Course;
use crate::pipeline::grade::{ExerciseStatus, Grade};
use crate::store::{Loaded, Store};

/// The last recorded outcome of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastResult {
    /// How the exercise ended (stored as its snake_case name, `passed`,
    /// `compile_error`, ...).
    pub status: ExerciseStatus,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max_points: f64,
}

impl LastResult {
    /// Whether the exercise passed.
    pub fn passed(&self) -> bool {
        self.status == ExerciseStatus::Passed
    }
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

impl State {
    /// Hint levels of `exercise` revealed so far (never more than it has).
    pub fn hints_seen(&self, exercise: &crate::course::Exercise) -> usize {
        self.hints_revealed
            .get(&exercise.name)
            .copied()
            .unwrap_or(0)
            .min(exercise.hints.len())
    }

    /// The state store of a course.
    fn store(root: &Path) -> Store<State> {
        Store::new(root, "state.json", "progress").pretty()
    }

    /// The state file of a course.
    pub fn path(root: &Path) -> PathBuf {
        State::store(root).path().to_path_buf()
    }

    /// Loads the state, recovering from a missing or corrupt file.
    pub fn load(root: &Path) -> (State, Loaded) {
        State::store(root).load()
    }

    /// Writes the state atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        let mut state = self.clone();
        state.version = 1;
        State::store(root).save(&state)
    }

    /// Whether `exercise` passed when it was last graded.
    pub fn passed(&self, exercise: &str) -> bool {
        self.results.get(exercise).is_some_and(LastResult::passed)
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
                status: e.status,
                points: e.points,
                max_points: e.max_points,
            },
        );
    }
    if let Err(e) = state.save(&course.root) {
        warnln!(
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

    /// A state file as memgrade wrote it before statuses were typed: the
    /// statuses are the same snake_case strings, so it reads unchanged.
    #[test]
    fn reads_a_state_file_written_by_an_earlier_memgrade() {
        let dir = tempfile::tempdir().unwrap();
        let old = r#"{
  "version": 1,
  "hints_revealed": { "join_words": 2 },
  "results": {
    "join_words": { "status": "passed", "points": 10.0, "max_points": 10.0 },
    "borrow_not_clone": { "status": "compile_error", "points": 0.0, "max_points": 10.0 }
  }
}"#;
        std::fs::create_dir_all(dir.path().join(".memgrade")).unwrap();
        std::fs::write(State::path(dir.path()), old).unwrap();
        let (state, how) = State::load(dir.path());
        assert_eq!(how, Loaded::Read);
        assert!(state.passed("join_words"));
        assert!(!state.passed("borrow_not_clone"));
        assert!(!state.passed("never_graded"));
        assert_eq!(
            state.results["borrow_not_clone"].status,
            ExerciseStatus::CompileError
        );
        assert_eq!(state.hints_revealed["join_words"], 2);
    }

    /// A status memgrade never wrote makes the file unreadable as a whole:
    /// it is set aside, not half-read.
    #[test]
    fn sets_aside_a_state_file_with_an_unknown_status() {
        let dir = tempfile::tempdir().unwrap();
        let odd = r#"{"results": {"join_words": {"status": "PASSED!", "points": 10.0, "max_points": 10.0}}}"#;
        std::fs::create_dir_all(dir.path().join(".memgrade")).unwrap();
        std::fs::write(State::path(dir.path()), odd).unwrap();
        let (state, how) = State::load(dir.path());
        assert_eq!(state, State::default());
        let aside = dir.path().join(".memgrade/state.json.corrupt");
        assert_eq!(how, Loaded::Recovered(aside.clone()));
        assert_eq!(std::fs::read_to_string(aside).unwrap(), odd);
    }
}
