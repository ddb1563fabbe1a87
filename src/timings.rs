//! How long each test took last time, kept in `.memgrade/timings.json`, so
//! the slowest tests start first and do not end up alone at the tail of a
//! run. Only an ordering hint: a missing or corrupt file changes nothing
//! but the order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::fsutil::atomic_write;
use crate::grade::ExerciseGrade;
use crate::state::STATE_DIR;

/// Milliseconds per `exercise/suite/test`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings(BTreeMap<String, u64>);

impl Timings {
    /// The timings file of a course.
    pub fn path(root: &Path) -> PathBuf {
        root.join(STATE_DIR).join("timings.json")
    }

    /// Loads the timings; missing or corrupt means none.
    pub fn load(root: &Path) -> Timings {
        std::fs::read(Timings::path(root))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .map(Timings)
            .unwrap_or_default()
    }

    /// Writes the timings atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        atomic_write(&Timings::path(root), &serde_json::to_vec(&self.0)?)
    }

    fn key(exercise: &str, suite: &str, test: &str) -> String {
        format!("{exercise}/{suite}/{test}")
    }

    /// The last duration of a test, 0 when unknown.
    pub fn get(&self, exercise: &str, suite: &str, test: &str) -> u64 {
        self.0
            .get(&Timings::key(exercise, suite, test))
            .copied()
            .unwrap_or(0)
    }

    /// Records the durations of a graded exercise's tests.
    pub fn record(&mut self, grade: &ExerciseGrade) {
        for t in &grade.tests {
            self.0
                .insert(Timings::key(&grade.name, &t.suite, &t.name), t.duration_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_corruption() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Timings::load(dir.path()), Timings::default());
        let mut t = Timings::default();
        t.0.insert(Timings::key("a", "memory", "slow"), 900);
        t.save(dir.path()).unwrap();
        assert_eq!(Timings::load(dir.path()).get("a", "memory", "slow"), 900);
        assert_eq!(Timings::load(dir.path()).get("a", "memory", "new"), 0);
        std::fs::write(Timings::path(dir.path()), b"[broken").unwrap();
        assert_eq!(Timings::load(dir.path()), Timings::default());
    }
}
