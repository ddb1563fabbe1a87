//! How long each test took last time, kept in `.memgrade/timings.json`, so
//! the slowest tests start first and do not end up alone at the tail of a
//! run. Only an ordering hint: a missing or corrupt file changes nothing
//! but the order (a corrupt one is set aside, see [`crate::store`]).

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;

use crate::pipeline::grade::ExerciseGrade;
use crate::store::Store;

/// Milliseconds per `exercise/suite/test`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timings(BTreeMap<String, u64>);

impl Timings {
    /// The timings store of a course.
    fn store(root: &Path) -> Store<Timings> {
        Store::new(root, "timings.json", "test timings")
    }

    /// Loads the timings; missing or corrupt means none.
    pub fn load(root: &Path) -> Timings {
        Timings::store(root).load().0
    }

    /// Writes the timings atomically.
    pub fn save(&self, root: &Path) -> Result<()> {
        Timings::store(root).save(self)
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
        std::fs::write(Timings::store(dir.path()).path(), b"[broken").unwrap();
        assert_eq!(Timings::load(dir.path()), Timings::default());
    }
}
